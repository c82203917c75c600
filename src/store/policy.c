/*
 * policy.c — the policy as data: reads the named rules of policy.rules (forms/README.md) and
 * decides whether an actor may make a change. Small on purpose: a rule names roles, forms,
 * optionally fields, optionally the only fields it lets change, and one scope; the engine
 * checks the rules that apply, in file order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/policy.h"

const struct policy_rule policy_no_rule = {
	"no-rule", 0, NULL, NULL, NULL, SCOPE_NONE, false, NULL,
};

static const char *const scope_names[] = {
	[SCOPE_ALL] = "all", [SCOPE_DISTRICT] = "district", [SCOPE_NOT_SELF] = "not-self",
	[SCOPE_NONE] = "none",
};

struct parse {
	const struct formset *forms;
	struct policy *p;
	struct policy_rule *rule;	/* the rule being read */
	bool have_scope;		/* whether it has said its scope */
	int fields_line;		/* where its fields are named, checked when it ends */
	int only_line;			/* where its only fields are named, likewise */
};

static bool
name_ok(const char *s)
{
	return *s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(s);
}

static const struct field *
role_field(const struct formset *forms)
{
	const struct form *users = formset_find(forms, POLICY_USER_FORM);
	const struct field *f = users != NULL ? form_field(users, "role") : NULL;

	return f != NULL && f->kind == FT_ENUM ? f : NULL;
}

static int
check_roles(struct linefile *lf, char **roles)
{
	const struct field *f = role_field(((struct parse *)lf->arg)->forms);

	for (size_t i = 0; roles[i] != NULL; i++)
		if (!str_eq(roles[i], "*") && f != NULL && field_option(f, roles[i]) == NULL)
			return linefile_fail(lf, _("unknown role '%s' (the roles are the options of the role field of user.form)"),
			    roles[i]);
	return 0;
}

static int
check_forms(struct linefile *lf, char **names)
{
	const struct formset *forms = ((struct parse *)lf->arg)->forms;

	for (size_t i = 0; names[i] != NULL; i++) {
		const char *name = names[i][0] == '-' ? names[i] + 1 : names[i];

		if (!str_eq(name, "*") && formset_find(forms, name) == NULL)
			return linefile_fail(lf, _("unknown form '%s' (no such file in forms/)"),
			    name);
	}
	return 0;
}

/* A field must be one of some form the rule names (of any form for "*"). */
static int
check_fields(struct linefile *lf, int line, char **forms, char **fields)
{
	const struct formset *set = ((struct parse *)lf->arg)->forms;

	for (size_t i = 0; fields[i] != NULL; i++) {
		bool found = false;

		for (size_t j = 0; j < set->n && !found; j++) {
			const struct form *form = set->forms[j];
			bool named = false;

			for (size_t k = 0; forms != NULL && forms[k] != NULL; k++)
				named |= str_eq(forms[k], "*") || str_eq(forms[k], form->name);
			found = named && form_field(form, fields[i]) != NULL;
		}
		if (!found)
			return linefile_fail_at(lf, line,
			    _("no form the rule names has the field '%s'"), fields[i]);
	}
	return 0;
}

/* A read rule's fields are private ones: the others every reader sees anyway. */
static int
check_private(struct linefile *lf, int line, char **forms, char **fields)
{
	const struct formset *set = ((struct parse *)lf->arg)->forms;

	for (size_t i = 0; fields[i] != NULL; i++)
		for (size_t j = 0; j < set->n; j++) {
			const struct field *f = form_field(set->forms[j], fields[i]);
			bool named = false;

			for (size_t k = 0; forms[k] != NULL; k++)
				named |= str_eq(forms[k], "*") || str_eq(forms[k], set->forms[j]->name);
			if (named && f != NULL && !f->private_)
				return linefile_fail_at(lf, line,
				    _("the field '%s' of %s is not private: a read rule is about private fields"),
				    fields[i], set->forms[j]->name);
		}
	return 0;
}

/* "read": the rule says who sees private fields, and nothing about writing. */
static int
rule_read(struct linefile *lf, const struct lf_line *ln)
{
	struct policy_rule *r = ((struct parse *)lf->arg)->rule;

	if (r->read)
		return linefile_fail(lf, _("'%s' is given twice in this rule"), "read");
	if (ln->n_words != 1)
		return linefile_fail(lf, _("'read' takes no words"));
	r->read = true;
	return 0;
}

/* "roles …", "forms …", "fields …": the words after the first, once a rule. */
static int
set_list(struct linefile *lf, const struct lf_line *ln, char ***slot)
{
	const char *key = ln->words[0];

	if (*slot != NULL)
		return linefile_fail(lf, _("'%s' is given twice in this rule"), key);
	if (ln->n_words < 2)
		return linefile_fail(lf, _("'%s' names nothing"), key);
	*slot = xcalloc(ln->n_words, sizeof **slot);
	for (size_t i = 1; i < ln->n_words; i++)
		(*slot)[i - 1] = xstrdup(ln->words[i]);
	return 0;
}

static int
rule_roles(struct linefile *lf, const struct lf_line *ln)
{
	struct policy_rule *r = ((struct parse *)lf->arg)->rule;

	return set_list(lf, ln, &r->roles) == 0 ? check_roles(lf, r->roles) : -1;
}

static int
rule_forms(struct linefile *lf, const struct lf_line *ln)
{
	struct policy_rule *r = ((struct parse *)lf->arg)->rule;

	return set_list(lf, ln, &r->forms) == 0 ? check_forms(lf, r->forms) : -1;
}

static int
rule_fields(struct linefile *lf, const struct lf_line *ln)
{
	struct parse *ps = lf->arg;

	ps->fields_line = ln->number;
	return set_list(lf, ln, &ps->rule->fields);
}

static int
rule_only(struct linefile *lf, const struct lf_line *ln)
{
	struct parse *ps = lf->arg;

	ps->only_line = ln->number;
	return set_list(lf, ln, &ps->rule->only);
}

static int
rule_scope(struct linefile *lf, const struct lf_line *ln)
{
	struct parse *ps = lf->arg;

	if (ps->have_scope)
		return linefile_fail(lf, _("'%s' is given twice in this rule"), "scope");
	if (ln->n_words != 2)
		return linefile_fail(lf, _("'%s' takes one word: all, district, not-self or none"),
		    "scope");
	for (size_t s = 0; s < COUNT(scope_names); s++)
		if (str_eq(ln->words[1], scope_names[s])) {
			ps->rule->scope = (enum policy_scope)s;
			ps->have_scope = true;
			return 0;
		}
	return linefile_fail(lf, _("unknown scope '%s' (all, district, not-self or none)"),
	    ln->words[1]);
}

/* A rule is whole when it says who, what and how far; its fields are checked then, against
 * the forms it names. */
static int
finish_rule(struct linefile *lf)
{
	struct parse *ps = lf->arg;
	struct policy_rule *r = ps->rule;

	if (r == NULL)
		return 0;
	if (r->roles == NULL)
		return linefile_fail_at(lf, r->line,
		    _("the rule %s names no roles ('roles ROLE…' or 'roles *')"), r->name);
	if (r->forms == NULL)
		return linefile_fail_at(lf, r->line,
		    _("the rule %s names no forms ('forms FORM…' or 'forms *')"), r->name);
	if (!ps->have_scope)
		return linefile_fail_at(lf, r->line,
		    _("the rule %s has no scope (all, district, not-self or none)"), r->name);
	if (r->fields != NULL && check_fields(lf, ps->fields_line, r->forms, r->fields) != 0)
		return -1;
	if (r->read && r->fields != NULL &&
	    check_private(lf, ps->fields_line, r->forms, r->fields) != 0)
		return -1;
	if (r->only != NULL)
		return check_fields(lf, ps->only_line, r->forms, r->only);
	return 0;
}

static const struct lf_keyword rule_keys[];

/* "rule NAME" ends the rule before it and starts one. */
static int
start_rule(struct linefile *lf, const struct lf_line *ln)
{
	struct parse *ps = lf->arg;
	struct policy *p = ps->p;
	char **words = ln->words;

	if (finish_rule(lf) != 0)
		return -1;
	if (ln->n_words != 2 || !name_ok(words[1]))
		return linefile_fail(lf, _("%s: a rule line is 'rule NAME' (a-z 0-9 - _)"),
		    ln->n_words > 1 ? words[1] : "rule");
	for (size_t i = 0; i < p->n_rules; i++)
		if (str_eq(p->rules[i].name, words[1]))
			return linefile_fail(lf, _("the rule %s is named twice"), words[1]);
	p->rules = xrealloc(p->rules, (p->n_rules + 1) * sizeof *p->rules);
	ps->rule = &p->rules[p->n_rules++];
	memset(ps->rule, 0, sizeof *ps->rule);
	ps->rule->name = xstrdup(words[1]);
	ps->rule->line = ln->number;
	ps->have_scope = false;
	lf->keywords = rule_keys;
	return 0;
}

static int
before_first_rule(struct linefile *lf, const struct lf_line *ln)
{
	return linefile_fail(lf, _("'%s' before the first 'rule NAME' line"), ln->words[0]);
}

static int
not_a_policy_line(struct linefile *lf, const struct lf_line *ln)
{
	return linefile_fail(lf, _("'%s' is not a policy line (rule, read, roles, forms, fields, only, scope)"),
	    ln->words[0]);
}

static const struct lf_keyword top_keys[] = {
	{ "rule", start_rule },
	{ NULL, before_first_rule },
};

static const struct lf_keyword rule_keys[] = {
	{ "rule", start_rule },
	{ "roles", rule_roles },
	{ "forms", rule_forms },
	{ "fields", rule_fields },
	{ "only", rule_only },
	{ "scope", rule_scope },
	{ "read", rule_read },
	{ NULL, not_a_policy_line },
};

int
policy_parse(const char *path, const char *text, const struct formset *forms,
    struct policy **out, struct error *err)
{
	struct parse ps = { forms, xcalloc(1, sizeof *ps.p), NULL, false, 0, 0 };
	struct linefile lf = { .path = path, .keywords = top_keys, .arg = &ps,
	    .hash_anywhere = true, .err = err };
	int rc;

	ps.p->path = xstrdup(path);
	ps.p->text = xstrdup(text);
	rc = linefile_read(&lf, text, strlen(text));
	if (rc == 0)
		rc = finish_rule(&lf);
	if (rc == 0 && ps.p->n_rules == 0)
		rc = linefile_fail_at(&lf, 0, _("holds no rule, so nobody could write"));
	if (rc != 0) {
		policy_free(ps.p);
		return -1;
	}
	*out = ps.p;
	return 0;
}

void
policy_free(struct policy *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n_rules; i++) {
		free(p->rules[i].name);
		strv_free(p->rules[i].roles);
		strv_free(p->rules[i].forms);
		strv_free(p->rules[i].fields);
		strv_free(p->rules[i].only);
	}
	free(p->rules);
	free(p->path);
	free(p->text);
	free(p);
}

/* Whether the list names name: "*" names all but those it lists as "-NAME". */
static bool
names(char *const *list, const char *name)
{
	bool named = false;

	for (size_t i = 0; list[i] != NULL; i++) {
		if (list[i][0] == '-' && str_eq(list[i] + 1, name))
			return false;
		named = named || str_eq(list[i], "*") || str_eq(list[i], name);
	}
	return named;
}

static bool
leaves_out_some(char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (list[i][0] == '-')
			return true;
	return false;
}

const struct policy_rule *
policy_writes_everything(const struct policy *p, const struct store_actor *who)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (!r->read && r->scope == SCOPE_ALL && r->fields == NULL && r->only == NULL &&
		    names(r->roles, who->role) &&
		    names(r->forms, "*") && !leaves_out_some(r->forms))
			return r;
	}
	return NULL;
}

const char *
policy_record_district(const struct record *rec)
{
	for (size_t i = 1; i < rec->form->n_fields; i++)
		if (rec->form->fields[i].kind == FT_DIVISION &&
		    rec->form->fields[i].level == DIV_DISTRICT)
			return rec->values[i];
	return "";
}

bool
policy_is_self(const struct store_actor *who, const struct record *rec)
{
	const char *login;

	if (rec == NULL || !str_eq(rec->form->name, POLICY_USER_FORM))
		return false;
	login = record_get(rec, "login");
	return (who->id != NULL && str_eq(record_id(rec), who->id)) ||
	    (login != NULL && str_eq(login, who->login));
}

/* Whether the change sets one of the rule's fields (for a new record: to something). */
static bool
changes_fields(const struct policy_rule *r, const struct record *old, const struct record *rec)
{
	if (r->fields == NULL)
		return true;
	for (size_t i = 0; r->fields[i] != NULL; i++) {
		int f = form_field_index(rec->form, r->fields[i]);

		if (f >= 0 && !str_eq(old != NULL ? old->values[f] : "", rec->values[f]))
			return true;
	}
	return false;
}

static bool
listed(char *const *list, const char *name)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (str_eq(list[i], name))
			return true;
	return false;
}

const struct field *
policy_outside_only(const struct policy_rule *r, const struct record *old,
    const struct record *rec)
{
	if (r->only == NULL)
		return NULL;
	if (old == NULL)
		return &rec->form->fields[0];	/* a new record is more than a change of fields */
	for (size_t i = 0; i < rec->form->n_fields; i++)
		if (!str_eq(old->values[i], rec->values[i]) &&
		    !listed(r->only, rec->form->fields[i].name))
			return &rec->form->fields[i];
	return NULL;
}

static bool
in_district(const struct store_actor *who, const struct record *rec)
{
	return *who->district != '\0' && str_eq(policy_record_district(rec), who->district);
}

static bool
scope_allows(const struct policy_rule *r, const struct store_actor *who,
    const struct record *old, const struct record *rec)
{
	switch (r->scope) {
	case SCOPE_ALL:
		return true;
	case SCOPE_DISTRICT:
		return in_district(who, rec) && (old == NULL || in_district(who, old));
	case SCOPE_NOT_SELF:
		return !policy_is_self(who, rec) && !policy_is_self(who, old);
	case SCOPE_NONE:
		break;
	}
	return false;
}

const struct policy_rule *
policy_decide(const struct policy *p, const struct store_actor *who,
    const struct record *old, const struct record *rec)
{
	bool applied = false;

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->read || !names(r->roles, who->role) || !names(r->forms, rec->form->name) ||
		    !changes_fields(r, old, rec))
			continue;
		if (!scope_allows(r, who, old, rec) || policy_outside_only(r, old, rec) != NULL)
			return r;
		applied = true;
	}
	return applied ? NULL : &policy_no_rule;
}

bool
policy_may_read(const struct policy *p, const struct store_actor *who,
    const struct record *rec, size_t i)
{
	const struct field *f = &rec->form->fields[i];

	if (!f->private_)
		return true;
	for (size_t k = 0; p != NULL && k < p->n_rules; k++) {
		const struct policy_rule *r = &p->rules[k];

		if (r->read && who->role != NULL && names(r->roles, who->role) &&
		    names(r->forms, rec->form->name) && (r->fields == NULL || names(r->fields, f->name)) &&
		    scope_allows(r, who, NULL, rec))
			return true;
	}
	return false;
}

void
store_actor_clear(struct store_actor *who)
{
	free(who->login);
	free(who->id);
	free(who->role);
	free(who->district);
	free(who->street);
	memset(who, 0, sizeof *who);
}
