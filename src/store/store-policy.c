/*
 * store-policy.c — the policy in the store's one write path. store_open resolves the real
 * uid's login to its user record (an unknown or inactive login is refused, reading included);
 * each write transaction reads it again before its first change, so a role taken away applies
 * at once; every insert and update is decided by policy.c, and a refusal names its rule and
 * goes to DATA/security.log. Also: init's first person, and the rule file into the commit.
 */
#include "config.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store-private.h"

#define FOUNDER_KEY "founder"		/* meta: the login that created the store */
#define FOUNDER_ROLE "city_coordinator"
#define POLICY_TEXT_KEY "policytext"	/* meta: the rule file's text git has */

/* DATA/forms/policy.rules; a data directory without one is held to the shipped rules. */
static int
load_policy(struct store *store, struct error *err)
{
	char *path = xasprintf("%s/forms/%s", store->dir, POLICY_FILE);
	struct buf text = BUF_INIT;
	int rc;

	if (!path_exists(path)) {
		free(path);
		if ((path = datafile_find("forms/" POLICY_FILE)) == NULL)
			return error_set(err, ST_FAILED,
			    _("%s/forms/%s is missing and no policy is installed; reinstall huitou"),
			    store->dir, POLICY_FILE);
	}
	rc = file_read_all(path, &text, err);
	if (rc == 0)
		rc = policy_parse(path, buf_str(&text), store->forms, &store->policy, err);
	buf_free(&text);
	free(path);
	return rc;
}

/* The user record whose login is login, through the unique index; *out NULL if none. */
static int
find_user(struct store_txn *txn, const struct form *users, const char *login,
    struct record **out, struct error *err)
{
	int i = form_field_index(users, "login");
	MDB_val k = { strlen(login), (void *)login }, v;
	char *id;
	int rc;

	*out = NULL;
	if (i < 0 || !users->fields[i].unique)
		return error_set(err, ST_FAILED, _("%s: the login field must be unique"), users->path);
	if (k.mv_size == 0 || k.mv_size > INDEX_VALUE_MAX)
		return 0;
	rc = txn_get(txn, store_form_dbs(txn->store, users)->field_dbi[i], &k, &v);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return store_lmdb_error(err, rc, login);
	id = xstrndup(v.mv_data, v.mv_size);
	rc = store_get_if_present(txn, users, id, out, err);
	free(id);
	return rc;
}

/* Whether login owns DIR/store/data.mdb: the founder of a store made before the founder was
 * written down (an older huitou), which names nobody. */
static bool
owns_store(const struct store *store, const char *login)
{
	char *path = xasprintf("%s/store/data.mdb", store->dir), buf[4096];
	struct passwd pw, *res = NULL;
	struct stat st;
	bool owns = stat(path, &st) == 0 && getpwuid_r(st.st_uid, &pw, buf, sizeof buf, &res) == 0 &&
	    res != NULL && str_eq(pw.pw_name, login);

	free(path);
	return owns;
}

/* Whether login created this store and nobody is registered yet (init, before its commit; or
 * a store of an older huitou, whose owner is taken for its founder). */
static bool
is_founder(struct store_txn *txn, const struct form *users, const char *login)
{
	MDB_val v;
	MDB_stat st;
	int rc;

	if (mdb_stat(txn->txn, store_form_dbs(txn->store, users)->records, &st) != 0 ||
	    st.ms_entries != 0)
		return false;
	rc = meta_get(txn->txn, txn->store->meta, FOUNDER_KEY, &v);
	if (rc == MDB_NOTFOUND)
		return owns_store(txn->store, login);
	return rc == 0 && v.mv_size == strlen(login) && memcmp(v.mv_data, login, v.mv_size) == 0;
}

/* The founder, before anyone is registered, may register themselves (an older huitou's store:
 * init registers the founder itself). */
static bool
founder_registers_self(const struct store *store, const struct record *old,
    const struct record *rec)
{
	const char *login = record_get(rec, "login");

	return store->actor.id == NULL && old == NULL && login != NULL &&
	    str_eq(rec->form->name, POLICY_USER_FORM) && str_eq(login, store->actor.login);
}

static char *
value_or_empty(const struct record *rec, const char *field)
{
	const char *v = record_get(rec, field);

	return xstrdup(v != NULL ? v : "");
}

static int
refuse_login(struct store *store, const char *event, struct error *err, const char *fmt,
    const char *login, const char *what)
{
	error_set(err, ST_REFUSED, fmt, login, what);
	security_log(store->dir, event, err->message);
	return -1;
}

/* Who login is in txn: their user record's role, district and street, or a refusal. */
static int
resolve_actor(struct store_txn *txn, const char *login, struct store_actor *who,
    struct error *err)
{
	const struct form *users = formset_find(txn->store->forms, POLICY_USER_FORM);
	struct record *rec = NULL;
	const char *active;

	memset(who, 0, sizeof *who);
	if (users == NULL)
		return error_set(err, ST_FAILED,
		    _("the forms in force have no user form (forms/user.form), so nobody can be recognised"));
	if (find_user(txn, users, login, &rec, err) != 0)
		return -1;
	if (rec == NULL && !is_founder(txn, users, login))
		return refuse_login(txn->store, "policy.unknown-login", err,
		    _("%s is not registered in this data directory; ask a city coordinator to add you (huitou new user login=%s name=… role=…)"),
		    login, login);
	active = rec != NULL ? record_get(rec, "active") : NULL;
	if (active != NULL && str_eq(active, "no")) {
		refuse_login(txn->store, "policy.inactive-login", err,
		    _("%s is not active in this data directory (%s active=no); ask a city coordinator"),
		    login, record_id(rec));
		record_free(rec);
		return -1;
	}
	who->login = xstrdup(login);
	who->id = rec != NULL ? xstrdup(record_id(rec)) : NULL;
	who->role = rec != NULL ? value_or_empty(rec, "role") : xstrdup(FOUNDER_ROLE);
	who->district = rec != NULL ? value_or_empty(rec, "district") : xstrdup("");
	who->street = rec != NULL ? value_or_empty(rec, "street") : xstrdup("");
	record_free(rec);
	return 0;
}

int
store_policy_open(struct store *store, struct error *err)
{
	struct store_txn *txn = NULL;
	struct identity id;
	int rc;

	if (load_policy(store, err) != 0 || identity_current(&id, err) != 0)
		return -1;
	rc = store_txn_begin(store, false, &txn, err);
	if (rc == 0)
		rc = resolve_actor(txn, id.login, &store->actor, err);
	store_txn_abort(txn);
	identity_free(&id);
	return rc;
}

int
store_actor_check(struct store *store, struct error *err)
{
	struct store_txn *txn = NULL;
	struct store_actor now;
	int rc = store_txn_begin(store, false, &txn, err);

	if (rc == 0 && (rc = resolve_actor(txn, store->actor.login, &now, err)) == 0) {
		store_actor_clear(&store->actor);
		store->actor = now;
	}
	store_txn_abort(txn);
	return rc;
}

void
store_policy_close(struct store *store)
{
	policy_free(store->policy);
	store->policy = NULL;
	store_actor_clear(&store->actor);
}

const struct store_actor *
store_actor(const struct store *store)
{
	return &store->actor;
}

/* The actor as this write finds them: a role granted or taken meanwhile counts at once. */
static int
refresh_actor(struct store_txn *txn, struct error *err)
{
	struct store *store = txn->store;
	struct store_actor now;

	if (txn->actor_checked)
		return 0;
	if (resolve_actor(txn, store->actor.login, &now, err) != 0)
		return -1;
	store_actor_clear(&store->actor);
	store->actor = now;
	txn->actor_checked = true;
	return 0;
}

static const char *
role_label(const struct store *store, const char *role)
{
	const struct form *users = formset_find(store->forms, POLICY_USER_FORM);
	const struct field *f = users != NULL ? form_field(users, "role") : NULL;
	const char *label = f != NULL ? field_option_label(f, role) : NULL;

	return label != NULL ? label : role;
}

static const char *
district_name(const struct store *store, const char *code)
{
	const struct division *d = store_division_find(store, code, DIV_DISTRICT, NULL);

	return *code == '\0' ? _("no district") : d != NULL ? d->name : code;
}

/* "机构 JG-…" is the record's id, or "a new 机构". Caller frees. */
static char *
record_name(const struct record *rec)
{
	return *record_id(rec) != '\0' ? xstrdup(record_id(rec)) :
	    xasprintf(_("a new %s"), form_label(rec->form));
}

/* The labels of the fields named in list that the form has, joined. Caller frees. */
static char *
field_labels(char *const *list, const struct form *form)
{
	struct buf s = BUF_INIT;

	for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
		const struct field *f = form_field(form, list[i]);

		if (f != NULL)
			buf_printf(&s, "%s%s", s.len > 0 ? lang_pick("、", ", ") : "", field_label(f));
	}
	return buf_detach(&s);
}

static int
explain_district(const struct store *store, const struct policy_rule *r,
    const struct record *old, const struct record *rec, const char *what, struct error *err)
{
	const struct store_actor *who = &store->actor;
	const char *role = role_label(store, who->role);
	const char *now = policy_record_district(rec);

	if (*who->district == '\0')
		return error_set(err, ST_REFUSED,
		    _("%s %s has no district, and may change only records of their own district: %s (rule %s)"),
		    role, who->login, what, r->name);
	if (old != NULL && !str_eq(policy_record_district(old), who->district))
		now = policy_record_district(old);
	else if (old != NULL && !str_eq(now, who->district))
		return error_set(err, ST_REFUSED,
		    _("%s %s may change only records of their own district (%s): %s would move to %s (rule %s)"),
		    role, who->login, district_name(store, who->district), what,
		    district_name(store, now), r->name);
	return error_set(err, ST_REFUSED,
	    _("%s %s may change only records of their own district (%s): %s belongs to %s (rule %s)"),
	    role, who->login, district_name(store, who->district), what, district_name(store, now),
	    r->name);
}

/* A rule with "only": a new record, or a field outside the list. */
static int
explain_only(const struct store *store, const struct policy_rule *r, const struct field *f,
    const struct record *old, const struct record *rec, const char *what, struct error *err)
{
	const struct store_actor *who = &store->actor;
	const char *role = role_label(store, who->role);
	char *fields = field_labels(r->only, rec->form);

	if (old == NULL)
		error_set(err, ST_REFUSED, _("%s %s may not create %s records, only change %s: %s (rule %s)"),
		    role, who->login, form_label(rec->form), fields, what, r->name);
	else
		error_set(err, ST_REFUSED, _("%s %s may not change %s: %s (rule %s: only %s of %s records)"),
		    role, who->login, field_label(f), what, r->name, fields, form_label(rec->form));
	free(fields);
	return -1;
}

/* The refusal as a sentence in the user's language, naming the rule and the record. */
static int
explain(const struct store *store, const struct policy_rule *r, const struct record *old,
    const struct record *rec, struct error *err)
{
	const struct store_actor *who = &store->actor;
	const char *role = role_label(store, who->role);
	const struct field *outside = policy_outside_only(r, old, rec);
	char *what = record_name(rec), *fields;

	if (outside != NULL)
		explain_only(store, r, outside, old, rec, what, err);
	else if (r == &policy_no_rule)
		error_set(err, ST_REFUSED, _("no rule of %s lets %s %s change %s records: %s"),
		    store->policy->path, role, who->login, form_label(rec->form), what);
	else if (r->scope == SCOPE_DISTRICT)
		explain_district(store, r, old, rec, what, err);
	else if (r->scope == SCOPE_NOT_SELF) {
		fields = field_labels(r->fields, rec->form);
		error_set(err, ST_REFUSED, _("%s %s may not change their own %s: %s (rule %s)"), role,
		    who->login, fields, what, r->name);
		free(fields);
	} else
		error_set(err, ST_REFUSED, _("%s %s may not change %s records: %s (rule %s)"), role,
		    who->login, form_label(rec->form), what, r->name);
	free(what);
	return -1;
}

int
store_may_write(struct store *store, const struct record *old, const struct record *rec,
    struct error *err)
{
	const struct policy_rule *r = policy_decide(store->policy, &store->actor, old, rec);

	if (r == NULL)
		return store_check_private_change(store, old, rec, err);
	return explain(store, r, old, rec, err);
}

const char *
store_refusing_rule(struct store *store, const struct record *old, const struct record *rec)
{
	const struct policy_rule *r = policy_decide(store->policy, &store->actor, old, rec);

	return r != NULL ? r->name : NULL;
}

int
store_may_create(struct store *store, const struct form *form, struct error *err)
{
	struct record *rec = record_new(form);
	int rc;

	for (size_t i = 1; i < form->n_fields; i++)
		if (form->fields[i].kind == FT_DIVISION && form->fields[i].level == DIV_DISTRICT) {
			record_set_raw(rec, i, store->actor.district);
			break;
		}
	rc = store_may_write(store, NULL, rec, err);
	record_free(rec);
	return rc;
}

int
store_policy_check(struct store_txn *txn, const struct record *old, const struct record *rec,
    struct error *err)
{
	if (txn->no_audit || txn->policy_setup)	/* a rebuild restores; init's first person */
		return 0;
	if (refresh_actor(txn, err) != 0)
		return -1;
	if (founder_registers_self(txn->store, old, rec) ||
	    store_may_write(txn->store, old, rec, err) == 0)
		return 0;
	txn->denied = true;
	security_log(txn->store->dir, "policy.refused", err->message);
	return -1;
}

int
store_may_recover(struct store *store, struct error *err)
{
	if (policy_writes_everything(store->policy, &store->actor) != NULL)
		return 0;
	error_set(err, ST_REFUSED, _("%s %s may not recover the audit record: only a role that "
	    "writes every record (a rule with forms * and scope all) may"),
	    role_label(store, store->actor.role), store->actor.login);
	security_log(store->dir, "policy.refused", err->message);
	return -1;
}

bool
store_txn_denied(const struct store_txn *txn)
{
	return txn->denied;
}

/* The founder's user record: login, the passwd name (or the login, if the form refuses it),
 * and the founder's role. */
static struct record *
founder_record(struct store_txn *txn, const struct form *users, const struct identity *id,
    struct error *err)
{
	struct record *rec = record_new(users);
	struct field_ctx ctx;

	store_field_ctx(txn, rec, &ctx);
	if (record_set_input(rec, "name", id->name, &ctx, err) != 0) {
		error_clear(err);
		if (record_set_input(rec, "name", id->login, &ctx, err) != 0)
			goto fail;
	}
	if (record_set_input(rec, "login", id->login, &ctx, err) == 0 &&
	    record_set_input(rec, "role", FOUNDER_ROLE, &ctx, err) == 0)
		return rec;
fail:
	record_free(rec);
	return NULL;
}

/* DATA/forms/policy.rules, as store_open read it from the shipped file, when it is missing. */
static int
install_policy_file(struct store *store, struct error *err)
{
	char *dir = xasprintf("%s/forms", store->dir), *path = xasprintf("%s/%s", dir, POLICY_FILE);
	bool skip = path_exists(path) || !path_is_dir(dir);	/* a test's store keeps no forms */
	FILE *fp;
	int rc = 0;

	free(dir);
	if (skip) {
		free(path);
		return 0;
	}
	fp = fopen(path, "wx");
	if (fp == NULL || fputs(store->policy->text, fp) == EOF)
		rc = error_set(err, ST_FAILED, _("cannot write %s"), path);
	if (fp != NULL && fclose(fp) != 0 && rc == 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s"), path);
	free(path);
	return rc;
}

int
store_setup_policy(struct store_txn *txn, struct error *err)
{
	const struct form *users = formset_find(txn->store->forms, POLICY_USER_FORM);
	struct identity id;
	struct record *rec;
	int rc = -1;

	if (install_policy_file(txn->store, err) != 0)
		return -1;
	if (users == NULL)
		return 0;	/* forms that keep no people */
	if (identity_current(&id, err) != 0)
		return -1;
	if (!is_founder(txn, users, id.login))
		error_set(err, ST_REFUSED, _("%s did not create this data directory, or people are registered in it already"),
		    id.login);
	else if ((rec = founder_record(txn, users, &id, err)) != NULL) {
		txn->policy_setup = true;
		rc = store_insert(txn, rec, err);
		txn->policy_setup = false;
		txn->actor_checked = false;	/* the next check finds the new record */
		record_free(rec);
	}
	identity_free(&id);
	return rc;
}

int
store_policy_add_if_changed(struct store_txn *txn, struct error *err)
{
	const char *text = txn->store->policy != NULL ? txn->store->policy->text : NULL;
	MDB_val v;

	if (text == NULL || (meta_get(txn->txn, txn->store->meta, POLICY_TEXT_KEY, &v) == 0 &&
	    v.mv_size == strlen(text) && memcmp(v.mv_data, text, v.mv_size) == 0))
		return 0;
	store_txn_add_file(txn, POLICY_FILE, text, strlen(text));
	return meta_put(txn->txn, txn->store->meta, POLICY_TEXT_KEY, text, strlen(text), err);
}

int
store_policy_add_unless_in_git(struct store_txn *txn, const char *git_text, size_t len,
    struct error *err)
{
	const char *text = txn->store->policy != NULL ? txn->store->policy->text : NULL;

	if (text == NULL ||
	    (git_text != NULL && len == strlen(text) && memcmp(git_text, text, len) == 0))
		return 0;
	store_txn_add_file(txn, POLICY_FILE, text, strlen(text));
	/* as committed now: the commit's add_if_changed adds it no second time */
	return meta_put(txn->txn, txn->store->meta, POLICY_TEXT_KEY, text, strlen(text), err);
}

/* Writes the founder mark of a new store: who may set it up before anyone is registered. */
int
store_policy_mark_founder(MDB_txn *txn, MDB_dbi meta, struct error *err)
{
	struct identity id;
	int rc;

	if (identity_current(&id, err) != 0)
		return -1;
	rc = meta_put(txn, meta, FOUNDER_KEY, id.login, strlen(id.login), err);
	identity_free(&id);
	return rc;
}
