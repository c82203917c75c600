/*
 * template-private.h — what the two halves of the template engine share: the parsed tree of a
 * template (template.c reads and checks it, template-render.c fills it from a record).
 */
#ifndef HUITOU_TEMPLATE_PRIVATE_H
#define HUITOU_TEMPLATE_PRIVATE_H

#include "campaign/template.h"

#define TPL_MAX_DEPTH 8	/* sections inside sections */

enum tpl_node_kind { TPL_TEXT, TPL_VALUE, TPL_IF, TPL_EACH };

struct tpl_node;
struct tpl_nodes {
	struct tpl_node *v;
	size_t n, cap;
};

struct tpl_node {
	enum tpl_node_kind kind;
	char *text;		/* TEXT: the literal; else the name (a field path, a list) */
	char *filter;		/* VALUE: "date", "raw" or NULL */
	int line;
	struct tpl_nodes body, alt;	/* IF: then and else; EACH: the body */
};

struct tpl_setting {
	char *name;
	struct tpl_nodes value;	/* "set NAME TEXT": TEXT parsed as a template */
};

struct template {
	const struct formset *forms;
	const struct form *form;
	char *path;		/* the template's file, as messages name it */
	struct tpl_nodes nodes;
	struct tpl_setting *settings;
	size_t n_settings;
	/* "list": a list document, whose {{#each records}} runs over the records a command
	 * chose; outside it only settings, built-in names and params are known. */
	bool is_list;
	char **params;		/* "param NAME…": values the command fills in (NULL-terminated) */
	size_t n_params;
};

#define TPL_RECORDS "records"	/* a list document's records, in {{#each records}} */

/* "records FIELD=VALUE" (those of the records whose FIELD holds VALUE): the field's name and
 * the value into *field and *value (caller frees both; NULL for plain "records"); false when
 * text is neither. */
bool template_records_filter(const char *text, char **field, char **value);

/* The field a dotted path names from form, following refs; NULL when it names none. */
const struct field *template_path_field(const struct formset *forms, const struct form *form,
    const char *path);
const struct tpl_setting *template_find_setting(const struct template *t, const char *name);
bool template_is_builtin(const char *name);	/* today, city */
bool template_is_param(const struct template *t, const char *name);

#endif
