/*
 * template.c — the engine of printable documents: parses a template's {{…}} tags into a tree,
 * checks every name against the forms before anything is written, and fills it from a record
 * (and the records its refs name), every value HTML-escaped. The language is in template.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/template.h"
#include "campaign/template-private.h"

/* Where the parser is: the text left and its line. */
struct parser {
	const char *path;
	const char *p;
	int line;
	struct error *err;
};

enum close_tag { CLOSE_END, CLOSE_ELSE, CLOSE_IF, CLOSE_EACH };

static void
nodes_free(struct tpl_nodes *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].filter);
		nodes_free(&l->v[i].body);
		nodes_free(&l->v[i].alt);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

static struct tpl_node *
nodes_add(struct tpl_nodes *l, enum tpl_node_kind kind, char *text, int line)
{
	struct tpl_node *n;

	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 8 : l->cap * 2;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	n = &l->v[l->n++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->text = text;
	n->line = line;
	return n;
}

/* "FILE:LINE: reason" with the reason from fmt; returns -1. */
static int __attribute__((format(printf, 4, 5)))
located_fail(struct error *err, const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	char *reason;

	va_start(ap, fmt);
	if (vasprintf(&reason, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	error_set(err, ST_FAILED, "%s:%d: %s", path, line, reason);
	free(reason);
	return -1;
}

#define parse_fail(ps, line, ...) located_fail((ps)->err, (ps)->path, (line), __VA_ARGS__)

static int
count_lines(const char *s, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

static char *
trimmed_copy(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
	    s[len - 1] == '\r'))
		len--;
	return xstrndup(s, len);
}

/* "name" or "name|filter", blanks around either dropped. */
static void
add_value(struct tpl_nodes *l, char *tag, int line)
{
	char *bar = strchr(tag, '|');
	struct tpl_node *n;

	if (bar == NULL) {
		nodes_add(l, TPL_VALUE, tag, line);
		return;
	}
	n = nodes_add(l, TPL_VALUE, trimmed_copy(tag, (size_t)(bar - tag)), line);
	n->filter = trimmed_copy(bar + 1, strlen(bar + 1));
	free(tag);
}

static int parse_list(struct parser *ps, struct tpl_nodes *l, enum close_tag *ended);

static const char *
close_name(enum close_tag c)
{
	return c == CLOSE_ELSE ? "else" : c == CLOSE_IF ? "/if" : "/each";
}

/* "#if NAME" or "#each FORM.FIELD" at line: the section up to its closing tag. */
static int
parse_section(struct parser *ps, struct tpl_nodes *l, const char *tag, int line)
{
	bool is_if = str_starts(tag, "#if ") , is_each = str_starts(tag, "#each ");
	enum close_tag ended;
	struct tpl_node *n;
	struct tpl_nodes body = { 0 }, alt = { 0 };

	if (!is_if && !is_each)
		return parse_fail(ps, line, _("unknown section '{{%s}}'"), tag);
	if (parse_list(ps, &body, &ended) != 0)
		goto fail;
	if (is_if && ended == CLOSE_ELSE && parse_list(ps, &alt, &ended) != 0)
		goto fail;
	if (ended == CLOSE_END) {
		parse_fail(ps, line, _("'{{%s}}' is not closed"), tag);
		goto fail;
	}
	if (ended != (is_if ? CLOSE_IF : CLOSE_EACH)) {
		parse_fail(ps, ps->line, _("'{{%s}}' does not close '{{%s}}'"), close_name(ended),
		    tag);
		goto fail;
	}
	n = nodes_add(l, is_if ? TPL_IF : TPL_EACH, trimmed_copy(tag + (is_if ? 3 : 5),
	    strlen(tag + (is_if ? 3 : 5))), line);
	n->body = body;
	n->alt = alt;
	return 0;
fail:
	nodes_free(&body);
	nodes_free(&alt);
	return -1;
}

/* One tag's text (between the braces, trimmed) at line. */
static int
parse_tag(struct parser *ps, struct tpl_nodes *l, char *tag, int line, enum close_tag *ended)
{
	int rc = 0;

	if (tag[0] == '!')
		;
	else if (str_eq(tag, "else"))
		*ended = CLOSE_ELSE;
	else if (str_eq(tag, "/if"))
		*ended = CLOSE_IF;
	else if (str_eq(tag, "/each"))
		*ended = CLOSE_EACH;
	else if (tag[0] == '#')
		rc = parse_section(ps, l, tag, line);
	else if (tag[0] == '/')
		rc = parse_fail(ps, line, _("'{{%s}}' closes nothing"), tag);
	else {
		add_value(l, tag, line);
		return 0;
	}
	free(tag);
	return rc;
}

/* Text and tags up to a closing tag or the end; ended says which. */
static int
parse_list(struct parser *ps, struct tpl_nodes *l, enum close_tag *ended)
{
	const char *open, *close;
	int line;

	*ended = CLOSE_END;
	while (*ended == CLOSE_END) {
		if ((open = strstr(ps->p, "{{")) == NULL)
			open = ps->p + strlen(ps->p);
		if (open > ps->p)
			nodes_add(l, TPL_TEXT, xstrndup(ps->p, (size_t)(open - ps->p)), ps->line);
		ps->line += count_lines(ps->p, (size_t)(open - ps->p));
		ps->p = open;
		if (*open == '\0')
			return 0;
		if ((close = strstr(open + 2, "}}")) == NULL)
			return parse_fail(ps, ps->line, "%s", _("'{{' without '}}'"));
		line = ps->line;
		ps->line += count_lines(open, (size_t)(close - open));
		ps->p = close + 2;
		if (parse_tag(ps, l, trimmed_copy(open + 2, (size_t)(close - open - 2)), line,
		    ended) != 0)
			return -1;
	}
	return 0;
}

/* Parses text into l; a closing tag with nothing open is refused. */
static int
parse_text(const char *path, const char *text, struct tpl_nodes *l, int first_line,
    struct error *err)
{
	struct parser ps = { path, text, first_line, err };
	enum close_tag ended;

	if (parse_list(&ps, l, &ended) != 0)
		return -1;
	if (ended != CLOSE_END) {
		nodes_free(l);
		return parse_fail(&ps, ps.line, _("'{{%s}}' closes nothing"), close_name(ended));
	}
	return 0;
}

/* ---- checking names against the forms ---- */

/* The field a dotted path names from form, following refs; NULL when it names none. */
const struct field *
template_path_field(const struct formset *forms, const struct form *form, const char *path)
{
	char *copy, *seg, *dot;
	const struct field *f = NULL;

	if (strchr(path, '.') == NULL)	/* a field of form: no copy */
		return form != NULL ? form_field(form, path) : NULL;
	seg = copy = xstrdup(path);
	for (;;) {
		if ((dot = strchr(seg, '.')) != NULL)
			*dot = '\0';
		if (form == NULL || (f = form_field(form, seg)) == NULL)
			break;
		if (dot == NULL)
			break;
		form = f->kind == FT_REF ? formset_find(forms, f->ref_form) : NULL;
		f = NULL;
		seg = dot + 1;
	}
	free(copy);
	return f;
}

const struct tpl_setting *
template_find_setting(const struct template *t, const char *name)
{
	for (size_t i = 0; i < t->n_settings; i++)
		if (str_eq(t->settings[i].name, name))
			return &t->settings[i];
	return NULL;
}

bool
template_is_builtin(const char *name)
{
	return str_eq(name, "today") || str_eq(name, "city");
}

bool
template_is_param(const struct template *t, const char *name)
{
	for (size_t i = 0; i < t->n_params; i++)
		if (str_eq(t->params[i], name))
			return true;
	return false;
}

/* What a checker knows: the forms of the sections it is in, innermost last. */
struct checker {
	const struct template *t;
	const char *path;
	const struct form *scope[TPL_MAX_DEPTH];
	size_t depth;
	bool in_setting;	/* a setting's value names no setting */
	struct error *err;
};

#define check_fail(c, line, ...) located_fail((c)->err, (c)->path, (line), __VA_ARGS__)

/* The field name resolves to in the sections in force, innermost first; NULL: none. */
static const struct field *
scope_field(const struct checker *c, const char *name)
{
	const struct field *f;

	for (size_t i = c->depth; i-- > 0;)
		if ((f = template_path_field(c->t->forms, c->scope[i], name)) != NULL)
			return f;
	return NULL;
}

static int
check_name(struct checker *c, const struct tpl_node *n)
{
	const struct field *f = scope_field(c, n->text);
	bool other = f == NULL && (template_is_builtin(n->text) || template_is_param(c->t, n->text) ||
	    (!c->in_setting && template_find_setting(c->t, n->text) != NULL));

	if (f == NULL && !other)
		return check_fail(c, n->line, _("unknown field '%s'"), n->text);
	if (n->filter == NULL)
		return 0;
	if (str_eq(n->filter, "date")) {
		if ((f != NULL && f->kind == FT_DATE) || (f == NULL && str_eq(n->text, "today")))
			return 0;
		return check_fail(c, n->line, _("'%s' is not a date"), n->text);
	}
	if (str_eq(n->filter, "raw") && f != NULL)
		return 0;
	return check_fail(c, n->line, _("unknown filter '%s'"), n->filter);
}

/* "FORM.FIELD": a form whose indexed ref FIELD names records of the innermost section's. */
static const struct form *
list_form(const struct checker *c, const char *name)
{
	const char *dot = strchr(name, '.');
	char *form_name;
	const struct form *form;
	const struct field *f;

	if (dot == NULL || c->depth == 0)
		return NULL;
	form_name = xstrndup(name, (size_t)(dot - name));
	form = formset_find(c->t->forms, form_name);
	free(form_name);
	if (form == NULL || (f = form_field(form, dot + 1)) == NULL || f->kind != FT_REF ||
	    !(f->indexed || f->unique) || !str_eq(f->ref_form, c->scope[c->depth - 1]->name))
		return NULL;
	return form;
}

static int check_list(struct checker *c, const struct tpl_nodes *l);

bool
template_records_filter(const char *text, char **field, char **value)
{
	const char *eq;

	*field = *value = NULL;
	if (str_eq(text, TPL_RECORDS))
		return true;
	if (!str_starts(text, TPL_RECORDS " ") || (eq = strchr(text, '=')) == NULL)
		return false;
	text += strlen(TPL_RECORDS " ");
	*field = trimmed_copy(text, (size_t)(eq - text));
	*value = trimmed_copy(eq + 1, strlen(eq + 1));
	return true;
}

/* "records FIELD=VALUE": FIELD a field of the listed form, VALUE one of its options if it
 * has options; 0 when it is, else the failure. */
static int
check_records_filter(struct checker *c, const struct tpl_node *n, const char *field,
    const char *value)
{
	const struct field *f = form_field(c->t->form, field);

	if (f == NULL)
		return check_fail(c, n->line, _("unknown field '%s'"), field);
	if (f->kind == FT_ENUM && field_option(f, value) == NULL)
		return check_fail(c, n->line, _("the field %s has no option '%s'"), field, value);
	return 0;
}

static int
check_each(struct checker *c, const struct tpl_node *n)
{
	const struct form *form = list_form(c, n->text);
	char *field, *value;
	int rc;

	if (c->t->is_list && c->depth == 0 &&
	    template_records_filter(n->text, &field, &value)) {
		form = c->t->form;	/* the records the command chose */
		rc = field != NULL ? check_records_filter(c, n, field, value) : 0;
		free(field);
		free(value);
		if (rc != 0)
			return -1;
	}

	if (form == NULL)
		return check_fail(c, n->line, _("unknown list '%s'"), n->text);
	if (c->depth == TPL_MAX_DEPTH)
		return check_fail(c, n->line, _("'%s' is nested too deep"), n->text);
	c->scope[c->depth++] = form;
	rc = check_list(c, &n->body);
	c->depth--;
	return rc;
}

static int
check_list(struct checker *c, const struct tpl_nodes *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct tpl_node *n = &l->v[i];
		int rc = 0;

		if (n->kind == TPL_VALUE)
			rc = check_name(c, n);
		else if (n->kind == TPL_IF)
			rc = check_name(c, n) || check_list(c, &n->body) || check_list(c, &n->alt);
		else if (n->kind == TPL_EACH)
			rc = check_each(c, n);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int
check_nodes(const struct template *t, const char *path, const struct tpl_nodes *l,
    bool in_setting, struct error *err)
{
	struct checker c = { t, path, { t->form }, t->is_list ? 0 : 1, in_setting, err };

	return check_list(&c, l);
}

/* ---- reading ---- */

struct template *
template_new(const struct formset *forms, const struct form *form)
{
	struct template *t = xcalloc(1, sizeof *t);

	t->forms = forms;
	t->form = form;
	return t;
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	nodes_free(&t->nodes);
	for (size_t i = 0; i < t->n_settings; i++) {
		free(t->settings[i].name);
		nodes_free(&t->settings[i].value);
	}
	free(t->settings);
	strv_free(t->params);
	free(t->path);
	free(t);
}

const struct form *
template_form(const struct template *t)
{
	return t->form;
}

bool
template_is_list(const struct template *t)
{
	return t->is_list;
}

static int
settings_form(struct linefile *lf, const struct lf_line *ln)
{
	struct template *t = lf->arg;
	const struct form *form;

	if (ln->n_words != 2)
		return linefile_fail(lf, "%s", _("'form' takes one record type"));
	if ((form = formset_find(t->forms, ln->words[1])) == NULL)
		return linefile_fail(lf, _("unknown form '%s'"), ln->words[1]);
	if (t->form != NULL && t->form != form)
		return linefile_fail(lf, _("the template is for '%s' records"), t->form->name);
	t->form = form;
	return 0;
}

static int
settings_set(struct linefile *lf, const struct lf_line *ln)
{
	struct template *t = lf->arg;
	const char *text = ln->rest + strlen(ln->n_words > 1 ? ln->words[1] : "");
	struct tpl_setting *s;

	if (ln->n_words < 3)
		return linefile_fail(lf, "%s", _("'set' takes a name and a text"));
	if (t->form == NULL)
		return linefile_fail(lf, "%s", _("'set' before 'form'"));
	if (template_find_setting(t, ln->words[1]) != NULL || template_is_builtin(ln->words[1]))
		return linefile_fail(lf, _("'%s' is set already"), ln->words[1]);
	if (template_path_field(t->forms, t->form, ln->words[1]) != NULL)
		return linefile_fail(lf, _("'%s' is a field of the record"), ln->words[1]);
	while (*text == ' ' || *text == '\t')
		text++;
	t->settings = xrealloc(t->settings, (t->n_settings + 1) * sizeof *t->settings);
	s = &t->settings[t->n_settings];
	memset(s, 0, sizeof *s);
	if (parse_text(lf->path, text, &s->value, ln->number, lf->err) != 0 ||
	    check_nodes(t, lf->path, &s->value, true, lf->err) != 0) {
		nodes_free(&s->value);
		return -1;
	}
	s->name = xstrdup(ln->words[1]);
	t->n_settings++;
	return 0;
}

/* "list": the document lists the records a command chose ({{#each records}}). */
static int
settings_list(struct linefile *lf, const struct lf_line *ln)
{
	struct template *t = lf->arg;

	if (ln->n_words != 1)
		return linefile_fail(lf, "%s", _("'list' takes nothing after it"));
	if (t->form == NULL || t->n_settings > 0)
		return linefile_fail(lf, "%s", _("'list' comes after 'form' and before 'set'"));
	t->is_list = true;
	return 0;
}

/* "param NAME…": names the command that prints the document fills in. */
static int
settings_param(struct linefile *lf, const struct lf_line *ln)
{
	struct template *t = lf->arg;

	if (ln->n_words < 2)
		return linefile_fail(lf, "%s", _("'param' takes one or more names"));
	for (size_t i = 1; i < ln->n_words; i++) {
		if (template_is_param(t, ln->words[i]) || template_is_builtin(ln->words[i]) ||
		    template_find_setting(t, ln->words[i]) != NULL)
			return linefile_fail(lf, _("'%s' is set already"), ln->words[i]);
		t->params = xrealloc(t->params, (t->n_params + 2) * sizeof *t->params);
		t->params[t->n_params++] = xstrdup(ln->words[i]);
		t->params[t->n_params] = NULL;
	}
	return 0;
}

static const struct lf_keyword settings_keywords[] = {
	{ "form", settings_form },
	{ "set", settings_set },
	{ "list", settings_list },
	{ "param", settings_param },
	{ NULL, NULL },
};

int
template_read_settings(struct template *t, const char *path, const char *text, size_t len,
    struct error *err)
{
	struct linefile lf = { .path = path, .keywords = settings_keywords, .arg = t, .err = err };

	return linefile_read(&lf, text, len);
}

int
template_read(struct template *t, const char *path, const char *text, struct error *err)
{
	if (t->form == NULL)
		return error_set(err, ST_FAILED, _("%s: no record type: its settings file needs a "
		    "'form' line"), path), -1;
	if (!utf8_valid(text, strlen(text)))
		return error_set(err, ST_FAILED, _("%s: not valid UTF-8"), path), -1;
	nodes_free(&t->nodes);
	free(t->path);
	t->path = xstrdup(path);
	if (parse_text(path, text, &t->nodes, 1, err) != 0 ||
	    check_nodes(t, path, &t->nodes, false, err) != 0) {
		nodes_free(&t->nodes);
		return -1;
	}
	return 0;
}

/* DATA_DIR/templates/FILE, else the shipped templates/FILE; NULL when neither exists. */
static char *
template_file(const char *data_dir, const char *file)
{
	char *own = xasprintf("%s/templates/%s", data_dir, file), *rel;

	if (path_exists(own))
		return own;
	free(own);
	rel = xasprintf("templates/%s", file);
	own = datafile_find(rel);
	free(rel);
	return own;
}

/* Reads the file NAME.EXT of the templates into text; *path NULL when there is none. */
static int
read_template_file(const char *data_dir, const char *name, const char *ext, char **path,
    struct buf *text, struct error *err)
{
	char *file = xasprintf("%s.%s", name, ext);

	*path = template_file(data_dir, file);
	free(file);
	if (*path == NULL)
		return 0;
	return file_read_all(*path, text, err);
}

/* Letters, digits, '-' and '_': a name never leads out of the templates' folder. */
static bool
template_name_valid(const char *name)
{
	if (*name == '\0')
		return false;
	for (; *name != '\0'; name++)
		if (!isalnum((unsigned char)*name) && *name != '-' && *name != '_')
			return false;
	return true;
}

int
template_load(const char *data_dir, const char *name, const struct formset *forms,
    struct template **out, struct error *err)
{
	struct template *t;
	struct buf text = BUF_INIT;
	char *path = NULL;
	int rc = -1;

	*out = NULL;
	if (!template_name_valid(name))
		return error_set(err, ST_REFUSED, _("'%s' is not a template's name (letters, "
		    "digits, '-' and '_')"), name), -1;
	t = template_new(forms, NULL);
	if (read_template_file(data_dir, name, "settings", &path, &text, err) != 0 ||
	    (path != NULL && template_read_settings(t, path, buf_str(&text), text.len, err) != 0))
		goto out;
	free(path);
	buf_reset(&text);
	if (read_template_file(data_dir, name, "html", &path, &text, err) != 0)
		goto out;
	if (path == NULL) {
		error_set(err, ST_REFUSED, _("no template '%s' (in %s/templates or the shipped "
		    "ones)"), name, data_dir);
		goto out;
	}
	if (memchr(buf_str(&text), '\0', text.len) != NULL) {
		error_set(err, ST_FAILED, _("%s: not valid UTF-8"), path);
		goto out;
	}
	if (template_read(t, path, buf_str(&text), err) != 0)
		goto out;
	*out = t;
	t = NULL;
	rc = 0;
out:
	free(path);
	buf_free(&text);
	template_free(t);
	return rc;
}
