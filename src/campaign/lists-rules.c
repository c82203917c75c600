/*
 * lists-rules.c — reads forms/lists.rules (forms/README.md, "List rules"): which checks are
 * serious, which order states are closed, and the black and white rules, each a list of
 * conditions on an institution's fields and on facts about its filings and orders. The first
 * black rule that holds wins, else the first white one; the engine is a loop, the rules data.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/lists.h"

#define INSTITUTION_FORM "institution"
#define ORDER_FORM "rectification"
#define RULES_FILE "lists.rules"

static const char *const fact_names[FACT_COUNT] = {
	"approved-filing", "open-order", "serious-order", "overdue-order",
};

/* One line of a rule: a field holding one of values, or a fact held or lacked, each perhaps
 * only "if FIELD VALUE…" holds. */
struct list_cond {
	bool is_fact;
	int fact;		/* is_fact: enum list_fact */
	bool wanted;		/* has: true; lacks: false */
	size_t field;		/* else, and for "if": the institution's field */
	char **values;
	bool has_if;
	size_t if_field;
	char **if_values;
};

struct list_rule {
	enum list_kind list;
	struct list_rule_words words;
	struct list_cond *conds;
	size_t n_conds;
	int line;
};

struct list_rules {
	char *path;
	const struct form *inst;
	const struct field *checks;	/* rectification's check, states */
	const struct field *states;
	char **serious, **closed;
	struct list_rule *rules;
	size_t n;
};

static char **
words_copy(char *const *w, size_t n)
{
	char **v = xcalloc(n + 1, sizeof *v);

	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(w[i]);
	return v;
}

static bool
words_have(char *const *v, const char *s)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		if (str_eq(v[i], s))
			return true;
	return false;
}

/* Each value an option of field f (an enum), or the line is refused. */
static int
check_options(struct linefile *lf, const struct field *f, char *const *values, size_t n)
{
	if (f->kind != FT_ENUM)
		return linefile_fail(lf, _("'%s' is not a choice field of form institution"), f->name);
	for (size_t i = 0; i < n; i++)
		if (field_option(f, values[i]) == NULL)
			return linefile_fail(lf, _("'%s' is not an option of field %s"), values[i],
			    f->name);
	return 0;
}

static int
values_of(struct linefile *lf, const struct field *f, char *const *words, size_t n,
    char ***out)
{
	if (n == 0)
		return linefile_fail(lf, _("'%s' needs at least one value"), f->name);
	if (check_options(lf, f, words, n) != 0)
		return -1;
	*out = words_copy(words, n);
	return 0;
}

static const struct field *
inst_field(struct linefile *lf, const struct list_rules *r, const char *name, size_t *at)
{
	for (size_t i = 0; i < r->inst->n_fields; i++)
		if (str_eq(r->inst->fields[i].name, name)) {
			*at = i;
			return &r->inst->fields[i];
		}
	linefile_fail(lf, _("form institution has no field '%s'"), name);
	return NULL;
}

static struct list_cond *
cond_add(struct linefile *lf, struct list_rules *r)
{
	struct list_rule *rule;

	if (r->n == 0) {
		linefile_fail(lf, _("a condition belongs to a rule: 'black NAME …' or 'white NAME …' first"));
		return NULL;
	}
	rule = &r->rules[r->n - 1];
	rule->conds = xrealloc(rule->conds, (rule->n_conds + 1) * sizeof *rule->conds);
	memset(&rule->conds[rule->n_conds], 0, sizeof *rule->conds);
	return &rule->conds[rule->n_conds++];
}

/* "when FIELD VALUE…" */
static int
read_when(struct linefile *lf, const struct lf_line *ln)
{
	struct list_rules *r = lf->arg;
	const struct field *f;
	struct list_cond *c;
	size_t at;

	if (ln->n_words < 3)
		return linefile_fail(lf, _("'when' takes FIELD VALUE…"));
	if ((f = inst_field(lf, r, ln->words[1], &at)) == NULL || (c = cond_add(lf, r)) == NULL)
		return -1;
	c->field = at;
	return values_of(lf, f, ln->words + 2, ln->n_words - 2, &c->values);
}

/* "has FACT [if FIELD VALUE…]" and "lacks FACT [if FIELD VALUE…]" */
static int
read_fact(struct linefile *lf, const struct lf_line *ln)
{
	struct list_rules *r = lf->arg;
	struct list_cond *c;
	const struct field *f;
	int fact = -1;

	for (int i = 0; i < FACT_COUNT; i++)
		if (ln->n_words >= 2 && str_eq(ln->words[1], fact_names[i]))
			fact = i;
	if (fact < 0)
		return linefile_fail(lf, _("'%s' takes one of approved-filing, open-order, "
		    "serious-order, overdue-order, then perhaps 'if FIELD VALUE…'"), ln->words[0]);
	if (ln->n_words > 2 && (!str_eq(ln->words[2], "if") || ln->n_words < 5))
		return linefile_fail(lf, _("after the fact: 'if FIELD VALUE…'"));
	if ((c = cond_add(lf, r)) == NULL)
		return -1;
	c->is_fact = true;
	c->fact = fact;
	c->wanted = str_eq(ln->words[0], "has");
	if (ln->n_words == 2)
		return 0;
	c->has_if = true;
	if ((f = inst_field(lf, r, ln->words[3], &c->if_field)) == NULL)
		return -1;
	return values_of(lf, f, ln->words + 4, ln->n_words - 4, &c->if_values);
}

/* "black NAME 中文 | English" or "white NAME …" */
static int
read_rule(struct linefile *lf, const struct lf_line *ln)
{
	struct list_rules *r = lf->arg;
	struct list_rule *rule;
	const char *words, *bar;

	if (ln->n_words < 3)
		return linefile_fail(lf, _("'%s' takes NAME 中文 | English"), ln->words[0]);
	for (size_t i = 0; i < r->n; i++)
		if (str_eq(r->rules[i].words.name, ln->words[1]))
			return linefile_fail(lf, _("rule '%s' is given twice"), ln->words[1]);
	words = ln->rest + strcspn(ln->rest, " \t\r\v\f");	/* after NAME, which tabs may end */
	words += strspn(words, " \t\r\v\f");
	r->rules = xrealloc(r->rules, (r->n + 1) * sizeof *r->rules);
	rule = &r->rules[r->n++];
	memset(rule, 0, sizeof *rule);
	rule->list = str_eq(ln->words[0], "black") ? LIST_BLACK : LIST_WHITE;
	rule->line = ln->number;
	rule->words.name = xstrdup(ln->words[1]);
	if ((bar = strstr(words, " | ")) != NULL) {
		rule->words.zh = xstrndup(words, (size_t)(bar - words));
		rule->words.en = xstrdup(bar + 3);
	} else {
		rule->words.zh = xstrdup(words);
		rule->words.en = xstrdup(words);
	}
	return 0;
}

/* "serious CHECK…" and "closed STATE…": options of the rectification order's fields. */
static int
read_order_values(struct linefile *lf, const struct lf_line *ln)
{
	struct list_rules *r = lf->arg;
	bool serious = str_eq(ln->words[0], "serious");
	const struct field *f = serious ? r->checks : r->states;
	char ***into = serious ? &r->serious : &r->closed;

	if (*into != NULL)
		return linefile_fail(lf, _("'%s' is given twice"), ln->words[0]);
	if (f == NULL)
		return linefile_fail(lf, _("'%s' needs form rectification with fields check and state"),
		    ln->words[0]);
	for (size_t i = 1; i < ln->n_words; i++)
		if (field_option(f, ln->words[i]) == NULL)
			return linefile_fail(lf, _("'%s' is not an option of field %s of form "
			    "rectification"), ln->words[i], f->name);
	*into = words_copy(ln->words + 1, ln->n_words - 1);
	return 0;
}

static const struct lf_keyword keys[] = {
	{ "serious", read_order_values }, { "closed", read_order_values },
	{ "black", read_rule }, { "white", read_rule },
	{ "when", read_when }, { "has", read_fact }, { "lacks", read_fact },
	{ NULL, NULL },
};

int
list_rules_parse(const char *path, const char *text, const struct formset *forms,
    struct list_rules **out, struct error *err)
{
	struct list_rules *r = xcalloc(1, sizeof *r);
	struct linefile lf = { .path = path, .keywords = keys, .arg = r, .err = err };
	const struct form *orders = formset_find(forms, ORDER_FORM);

	r->path = xstrdup(path);
	if ((r->inst = formset_find(forms, INSTITUTION_FORM)) == NULL) {
		list_rules_free(r);
		return error_set(err, ST_FAILED, _("%s: needs form institution"), path);
	}
	if (orders != NULL) {
		r->checks = form_field(orders, "check");
		r->states = form_field(orders, "state");
	}
	if (linefile_read(&lf, text, strlen(text)) != 0) {
		list_rules_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

int
list_rules_load(const char *forms_dir, const struct formset *forms, struct list_rules **out,
    char **text, struct error *err)
{
	char *path = xasprintf("%s/%s", forms_dir, RULES_FILE);
	struct buf b = BUF_INIT;
	int rc;

	*text = NULL;
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		free(path);
		if ((path = datafile_find("forms/" RULES_FILE)) == NULL)
			return error_set(err, ST_FAILED, _("no %s in %s nor installed; reinstall huitou"),
			    RULES_FILE, forms_dir);
	}
	rc = file_read_all(path, &b, err);
	if (rc == 0 && (rc = list_rules_parse(path, buf_str(&b), forms, out, err)) == 0)
		*text = buf_detach(&b);
	free(path);
	buf_free(&b);
	return rc;
}

static void
cond_free(struct list_cond *c)
{
	strv_free(c->values);
	strv_free(c->if_values);
}

void
list_rules_free(struct list_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		for (size_t j = 0; j < r->rules[i].n_conds; j++)
			cond_free(&r->rules[i].conds[j]);
		free(r->rules[i].conds);
		free((char *)r->rules[i].words.name);
		free((char *)r->rules[i].words.zh);
		free((char *)r->rules[i].words.en);
	}
	free(r->rules);
	strv_free(r->serious);
	strv_free(r->closed);
	free(r->path);
	free(r);
}

bool
list_rules_serious(const struct list_rules *r, const char *check)
{
	return words_have(r->serious, check);
}

bool
list_rules_closed(const struct list_rules *r, const char *state)
{
	return words_have(r->closed, state);
}

static bool
cond_holds(const struct list_cond *c, const struct record *inst, const bool facts[FACT_COUNT])
{
	if (!c->is_fact)
		return words_have(c->values, inst->values[c->field]);
	if (c->has_if && !words_have(c->if_values, inst->values[c->if_field]))
		return true;	/* the condition is not asked of this institution */
	return facts[c->fact] == c->wanted;
}

static bool
rule_holds(const struct list_rule *rule, const struct record *inst, const bool facts[FACT_COUNT])
{
	for (size_t i = 0; i < rule->n_conds; i++)
		if (!cond_holds(&rule->conds[i], inst, facts))
			return false;
	return true;
}

void
list_rules_fields(const struct list_rules *r, bool *wanted)
{
	for (size_t i = 0; i < r->n; i++)
		for (size_t j = 0; j < r->rules[i].n_conds; j++) {
			const struct list_cond *c = &r->rules[i].conds[j];

			if (!c->is_fact)
				wanted[c->field] = true;
			if (c->is_fact && c->has_if)
				wanted[c->if_field] = true;
		}
}

enum list_kind
list_rules_apply(const struct list_rules *r, const struct record *inst,
    const bool facts[FACT_COUNT], const struct list_rule_words **words)
{
	static const enum list_kind order[] = { LIST_BLACK, LIST_WHITE };

	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < r->n; i++)
			if (r->rules[i].list == order[k] && rule_holds(&r->rules[i], inst, facts)) {
				*words = &r->rules[i].words;
				return order[k];
			}
	*words = NULL;
	return LIST_NONE;
}

const char *
list_kind_value(enum list_kind k)
{
	return k == LIST_WHITE ? "white" : k == LIST_BLACK ? "black" : "none";
}

const char *
list_kind_label(enum list_kind k)
{
	return k == LIST_WHITE ? _("white list") : k == LIST_BLACK ? _("black list") :
	    _("on neither list");
}

enum list_kind
list_kind_parse(const char *value)
{
	return str_eq(value, "white") ? LIST_WHITE : str_eq(value, "black") ? LIST_BLACK :
	    LIST_NONE;
}
