/*
 * policy.c — the policy as data: reads the named rules of policy.rules (forms/README.md) and
 * decides whether an actor may make a change. Small on purpose: a rule names roles, forms,
 * optionally fields, and one scope; the engine checks the rules that apply, in file order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/policy.h"

const struct policy_rule policy_no_rule = {
	"no-rule", 0, NULL, NULL, NULL, SCOPE_NONE,
};

static const char *const scope_names[] = {
	[SCOPE_ALL] = "all", [SCOPE_DISTRICT] = "district", [SCOPE_NOT_SELF] = "not-self",
	[SCOPE_NONE] = "none",
};

struct parse {
	const char *path;
	const struct formset *forms;
	struct policy *p;
	struct policy_rule *rule;	/* the rule being read */
	int fields_line;		/* where its fields are named, checked when it ends */
	int line;
	struct error *err;
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The words of a line, comments and blanks dropped; NULL-terminated, caller frees. */
static char **
split_words(const char *line, size_t len, size_t *n)
{
	char **words = xcalloc(len / 2 + 2, sizeof *words);
	size_t i = 0, w;

	*n = 0;
	for (;;) {
		while (i < len && is_blank(line[i]))
			i++;
		if (i >= len || line[i] == '#')
			return words;
		for (w = 0; i + w < len && !is_blank(line[i + w]) && line[i + w] != '#'; w++)
			;
		words[(*n)++] = xstrndup(line + i, w);
		i += w;
	}
}

static int
bad(struct parse *ps, const char *fmt, const char *what)
{
	char *msg = xasprintf(fmt, what);

	error_set(ps->err, ST_FAILED, "%s:%d: %s", ps->path, ps->line, msg);
	free(msg);
	return -1;
}

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
check_roles(struct parse *ps, char **roles)
{
	const struct field *f = role_field(ps->forms);

	for (size_t i = 0; roles[i] != NULL; i++)
		if (!str_eq(roles[i], "*") && f != NULL && field_option(f, roles[i]) == NULL)
			return bad(ps, _("unknown role '%s' (the roles are the options of the role field of user.form)"),
			    roles[i]);
	return 0;
}

static int
check_forms(struct parse *ps, char **names)
{
	for (size_t i = 0; names[i] != NULL; i++)
		if (!str_eq(names[i], "*") && formset_find(ps->forms, names[i]) == NULL)
			return bad(ps, _("unknown form '%s' (no such file in forms/)"), names[i]);
	return 0;
}

/* A field must be one of some form the rule names (of any form for "*"). */
static int
check_fields(struct parse *ps, char **forms, char **fields)
{
	for (size_t i = 0; fields[i] != NULL; i++) {
		bool found = false;

		for (size_t j = 0; j < ps->forms->n && !found; j++) {
			const struct form *form = ps->forms->forms[j];
			bool named = false;

			for (size_t k = 0; forms != NULL && forms[k] != NULL; k++)
				named |= str_eq(forms[k], "*") || str_eq(forms[k], form->name);
			found = named && form_field(form, fields[i]) != NULL;
		}
		if (!found)
			return bad(ps, _("no form the rule names has the field '%s'"), fields[i]);
	}
	return 0;
}

static int
set_list(struct parse *ps, char ***slot, char **words, size_t n, const char *key)
{
	if (*slot != NULL)
		return bad(ps, _("'%s' is given twice in this rule"), key);
	if (n < 2)
		return bad(ps, _("'%s' names nothing"), key);
	*slot = xcalloc(n, sizeof **slot);
	for (size_t i = 1; i < n; i++)
		(*slot)[i - 1] = xstrdup(words[i]);
	return 0;
}

static int
set_scope(struct parse *ps, char **words, size_t n, bool *have_scope)
{
	if (*have_scope)
		return bad(ps, _("'%s' is given twice in this rule"), "scope");
	if (n != 2)
		return bad(ps, _("'%s' takes one word: all, district, not-self or none"), "scope");
	for (size_t s = 0; s < COUNT(scope_names); s++)
		if (str_eq(words[1], scope_names[s])) {
			ps->rule->scope = (enum policy_scope)s;
			*have_scope = true;
			return 0;
		}
	return bad(ps, _("unknown scope '%s' (all, district, not-self or none)"), words[1]);
}

static int
start_rule(struct parse *ps, char **words, size_t n)
{
	struct policy *p = ps->p;

	if (n != 2 || !name_ok(words[1]))
		return bad(ps, _("%s: a rule line is 'rule NAME' (a-z 0-9 - _)"), n > 1 ? words[1] : "rule");
	for (size_t i = 0; i < p->n_rules; i++)
		if (str_eq(p->rules[i].name, words[1]))
			return bad(ps, _("the rule %s is named twice"), words[1]);
	p->rules = xrealloc(p->rules, (p->n_rules + 1) * sizeof *p->rules);
	ps->rule = &p->rules[p->n_rules++];
	memset(ps->rule, 0, sizeof *ps->rule);
	ps->rule->name = xstrdup(words[1]);
	ps->rule->line = ps->line;
	return 0;
}

/* A rule is whole when it says who, what and how far; its fields are checked then, against
 * the forms it names. */
static int
finish_rule(struct parse *ps, bool have_scope)
{
	struct policy_rule *r = ps->rule;
	int line = ps->line, rc;

	if (r == NULL)
		return 0;
	ps->line = r->line;
	if (r->roles == NULL)
		rc = bad(ps, _("the rule %s names no roles ('roles ROLE…' or 'roles *')"), r->name);
	else if (r->forms == NULL)
		rc = bad(ps, _("the rule %s names no forms ('forms FORM…' or 'forms *')"), r->name);
	else if (!have_scope)
		rc = bad(ps, _("the rule %s has no scope (all, district, not-self or none)"), r->name);
	else if (r->fields != NULL) {
		ps->line = ps->fields_line;
		rc = check_fields(ps, r->forms, r->fields);
	} else
		rc = 0;
	ps->line = line;
	return rc;
}

static int
parse_line(struct parse *ps, char **words, size_t n, bool *have_scope)
{
	if (str_eq(words[0], "rule")) {
		if (finish_rule(ps, *have_scope) != 0)
			return -1;
		*have_scope = false;
		return start_rule(ps, words, n);
	}
	if (ps->rule == NULL)
		return bad(ps, _("'%s' before the first 'rule NAME' line"), words[0]);
	if (str_eq(words[0], "roles"))
		return set_list(ps, &ps->rule->roles, words, n, "roles") == 0 ?
		    check_roles(ps, ps->rule->roles) : -1;
	if (str_eq(words[0], "forms"))
		return set_list(ps, &ps->rule->forms, words, n, "forms") == 0 ?
		    check_forms(ps, ps->rule->forms) : -1;
	if (str_eq(words[0], "fields")) {
		ps->fields_line = ps->line;
		return set_list(ps, &ps->rule->fields, words, n, "fields");
	}
	if (str_eq(words[0], "scope"))
		return set_scope(ps, words, n, have_scope);
	return bad(ps, _("'%s' is not a policy line (rule, roles, forms, fields, scope)"), words[0]);
}

int
policy_parse(const char *path, const char *text, const struct formset *forms,
    struct policy **out, struct error *err)
{
	struct parse ps = { path, forms, xcalloc(1, sizeof *ps.p), NULL, 0, 0, err };
	bool have_scope = false;
	int rc = 0;

	ps.p->path = xstrdup(path);
	ps.p->text = xstrdup(text);
	for (const char *line = text; *line != '\0' && rc == 0;) {
		size_t len = strcspn(line, "\n"), n;
		char **words = split_words(line, len, &n);

		ps.line++;
		if (n > 0)
			rc = parse_line(&ps, words, n, &have_scope);
		strv_free(words);
		line += len + (line[len] == '\n');
	}
	if (rc == 0)
		rc = finish_rule(&ps, have_scope);
	if (rc == 0 && ps.p->n_rules == 0)
		rc = error_set(err, ST_FAILED, _("%s: holds no rule, so nobody could write"), path);
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
	}
	free(p->rules);
	free(p->path);
	free(p->text);
	free(p);
}

static bool
names(char *const *list, const char *name)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (str_eq(list[i], "*") || str_eq(list[i], name))
			return true;
	return false;
}

const struct policy_rule *
policy_writes_everything(const struct policy *p, const struct store_actor *who)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->scope == SCOPE_ALL && r->fields == NULL && names(r->roles, who->role) &&
		    names(r->forms, "*"))
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

		if (!names(r->roles, who->role) || !names(r->forms, rec->form->name) ||
		    !changes_fields(r, old, rec))
			continue;
		if (!scope_allows(r, who, old, rec))
			return r;
		applied = true;
	}
	return applied ? NULL : &policy_no_rule;
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
