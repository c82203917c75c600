/*
 * store-verify.c — "huitou verify": the invariant of the audit design, checked. After the
 * outbox is flushed, every record's text in LMDB must equal its file in git HEAD, git must
 * hold no record the store lacks, and the forms in force must be the ones git has. It runs
 * under the audit lock, on an LMDB snapshot whose outbox git has fully caught up with. First
 * main is checked against the store's anchor (store-trust.c): when it cannot be trusted the
 * case and its commits are reported and the store is compared as it is. Last, every commit of
 * main that huitou did not make is reported, unless a recovery commit accepted it by name.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

struct verify_state {
	struct store_txn *txn;
	const struct form *form;
	void (*report)(void *arg, const char *line);
	void *arg;
	struct verify_result *res;
	size_t matched;		/* git files of this form that are records of the store */
	struct buf text;
};

static void
differ(struct verify_state *st, const char *fmt, const char *what)
{
	char *line = xasprintf(fmt, what);

	st->report(st->arg, line);
	st->res->differences++;
	free(line);
}

/* The form version a record text's header names ("# huitou NAME N"), 0 if none. */
static unsigned long
text_form_version(const char *content, size_t len)
{
	const char *nl = memchr(content, '\n', len), *sp;
	size_t n = nl != NULL ? (size_t)(nl - content) : len;

	sp = n > 0 ? memrchr(content, ' ', n) : NULL;
	return sp != NULL && str_starts(content, "# huitou ") ? strtoul(sp + 1, NULL, 10) : 0;
}

/*
 * git's text of rec differs from the store's, yet may be the same record: one written under an
 * older version of its form (a form upgraded since; its next change writes it anew), or one
 * committed before its form made a field private, which holds it plain (its next write seals
 * it: said, not counted). Either way it must parse to the same version and values.
 */
static bool
same_record(struct verify_state *st, const struct record *rec, const char *content, size_t len)
{
	struct record *git = NULL;
	struct error err = ERROR_INIT;
	bool same;
	char *line;

	if (record_from_text(rec->form, st->txn->store->seal, content, len, &git, &err) != 0) {
		error_clear(&err);
		return false;
	}
	same = git->version == rec->version;
	for (size_t i = 0; same && i < rec->form->n_fields; i++)
		same = str_eq(git->values[i], rec->values[i]);
	record_free(git);
	if (same && text_form_version(content, len) < rec->form->version) {
		st->res->older_form++;
		return true;
	}
	if (!same || !store_form_has_private(rec->form))
		return false;
	line = xasprintf(_("not sealed yet (its next change seals its private fields): %s"),
	    record_id(rec));
	st->report(st->arg, line);
	free(line);
	return true;
}

static int
check_git_file(void *arg, const char *path, const char *content, size_t len)
{
	struct verify_state *st = arg;
	const char *id = strrchr(path, '/');
	struct record *rec = NULL;
	struct error err = ERROR_INIT;
	char *full = xasprintf("%s/%s", st->form->name, path);

	id = id != NULL ? id + 1 : path;
	if (store_get(st->txn, st->form, id, &rec, &err) != 0)
		differ(st, _("only in git: %s"), full);
	else {
		char *want = record_path(st->form, id);

		record_text(rec, st->txn->store->seal, &st->text);
		if (!str_eq(want, full))
			differ(st, _("in git at the wrong path: %s"), full);
		else if (st->text.len != len || memcmp(st->text.data, content, len) != 0) {
			if (!same_record(st, rec, content, len))
				differ(st, _("differs between the store and git: %s"), id);
		}
		st->res->records++;
		st->matched++;
		free(want);
	}
	record_free(rec);
	error_clear(&err);
	free(full);
	return 0;
}

static int
check_in_git(const struct record *rec, void *arg)
{
	struct verify_state *st = arg;
	struct error err = ERROR_INIT;
	char *path = record_path(rec->form, record_id(rec)), *content = NULL;
	size_t len;

	if (audit_head_file(st->txn->store->audit, path, &content, &len, &err) == 0 && content == NULL)
		differ(st, _("only in the store: %s"), record_id(rec));
	free(content);
	free(path);
	error_clear(&err);
	return 0;
}

static int
verify_form(struct verify_state *st, const struct form *form, struct error *err)
{
	char *path = xasprintf("forms/%s.form", form->name), *text = NULL;
	size_t len, n;
	int rc;

	st->form = form;
	st->matched = 0;
	if (audit_head_file(st->txn->store->audit, path, &text, &len, err) != 0)
		rc = -1;
	else {
		if (text == NULL || len != strlen(form->text) || memcmp(text, form->text, len) != 0)
			differ(st, _("the form in force differs from git's: %s"), path);
		rc = audit_head_files(st->txn->store->audit, form->name, check_git_file, st, err);
	}
	if (rc == 0)
		rc = store_count(st->txn, form, &n, err);
	/* Look for the store's records git lacks only when the counts say there are some. */
	if (rc == 0 && n > st->matched)
		rc = store_foreach(st->txn, form, check_in_git, st, err);
	free(text);
	free(path);
	return rc;
}

/* A read snapshot whose outbox holds nothing newer than git. Writers take the audit lock
 * before their LMDB transaction, so under the lock one flush is enough. */
static int
caught_up_snapshot(struct store *store, struct store_txn **txn, struct error *err)
{
	if (store_audit_flush_locked(store, err) != 0 || store_txn_begin(store, false, txn, err) != 0)
		return -1;
	if (!outbox_has_newer(store, (*txn)->txn))
		return 0;
	store_txn_abort(*txn);
	return error_set(err, ST_FAILED, _("the outbox holds commits git lacks; run verify again"));
}

static void
report_commit(struct verify_state *st, const char *fmt, const char *oid, const char *author,
    const char *subject)
{
	char *line = xasprintf(fmt, oid, author, subject);

	st->report(st->arg, line);
	free(line);
}

/* Whether main can be trusted; when not, the case and its commits are differences. */
static int
verify_trust(struct verify_state *st, struct store *store, struct error *err)
{
	struct store_trust t;
	MDB_txn *txn;
	int rc;

	if (store->audit == NULL && audit_open(store->dir, &store->audit, err) != 0)
		return -1;
	if ((rc = mdb_txn_begin(store->env, NULL, MDB_RDONLY, &txn)) != 0)
		return store_lmdb_error(err, rc, _("reading the store"));
	rc = trust_check_locked(store, txn, &t, err);
	mdb_txn_abort(txn);
	if (rc != 0) {
		store_trust_clear(&t);
		return -1;
	}
	st->res->trust = t.kind;
	if (t.kind != STORE_TRUSTED) {
		char *line = xasprintf(_("writes are stopped: %s"), store_trust_sentence(t.kind));

		st->report(st->arg, line);
		free(line);
		if (t.kind == STORE_HISTORY_REWRITTEN) {
			line = xasprintf(
			    _("  the store's anchor (the last commit it checked on main): %.12s"),
			    *t.anchor != '\0' ? t.anchor : "-");
			st->report(st->arg, line);
			free(line);
		}
		for (size_t i = 0; i < t.n_commits; i++)
			report_commit(st, t.kind == STORE_HISTORY_REWRITTEN ?
			    _("  main's tip: %.12s %s: %s") : t.commits[i].foreign ?
			    _("  not made by huitou: %.12s %s: %s") :
			    _("  made by huitou, not by this store: %.12s %s: %s"), t.commits[i].oid,
			    t.commits[i].author, t.commits[i].subject);
	}
	store_trust_clear(&t);
	return 0;
}

/* Commits of main huitou did not make, and those a recovery commit accepted by name. */
struct foreign_scan {
	char **accepted;
	size_t n_accepted;
	struct audit_commit_info *foreign;
	size_t n_foreign;
	struct audit *audit;
	char **untagged;	/* "COMMIT TAG": a commit whose Tag trailer git lacks */
	size_t n_untagged;
};

/* A publication's commit names its tag (Tag trailer): the tag must name that commit. */
static void
note_untagged(struct foreign_scan *fs, const struct audit_commit_info *ci)
{
	char *tag = audit_trailers_tag_missing(fs->audit, ci->message, ci->oid);

	if (tag == NULL)
		return;
	fs->untagged = xrealloc(fs->untagged, (fs->n_untagged + 1) * sizeof *fs->untagged);
	fs->untagged[fs->n_untagged++] = xasprintf("%.12s %s", ci->oid, tag);
	free(tag);
}

static void
note_accepted(struct foreign_scan *fs, const char *message)
{
	static const char key[] = "Foreign-Commit: ";

	for (const char *p = message; (p = strstr(p, key)) != NULL; p++)
		if (p == message || p[-1] == '\n') {
			fs->accepted = xrealloc(fs->accepted, (fs->n_accepted + 1) * sizeof *fs->accepted);
			fs->accepted[fs->n_accepted++] = xstrndup(p + strlen(key),
			    strcspn(p + strlen(key), "\n"));
		}
}

static int
scan_commit(void *arg, const struct audit_commit_info *ci)
{
	struct foreign_scan *fs = arg;
	struct audit_commit_info *f;
	bool setup = ci->n_parents == 0 && strstr(ci->message, "\nAction: store.init\n") != NULL;

	if (ci->by_huitou && ci->has_seq && ci->n_parents <= 1) {
		note_untagged(fs, ci);
		if (strstr(ci->message, "\nAction: audit.recover\n") != NULL)
			note_accepted(fs, ci->message);
		return 0;
	}
	if (setup)
		return 0;
	fs->foreign = xrealloc(fs->foreign, (fs->n_foreign + 1) * sizeof *fs->foreign);
	f = &fs->foreign[fs->n_foreign++];
	*f = *ci;	/* its strings are taken over */
	f->author_name = xstrdup(ci->author_name);
	f->author_email = xstrdup(ci->author_email);
	f->subject = xstrdup(ci->subject);
	f->message = xstrdup(ci->message);
	return 0;
}

static bool
accepted(const struct foreign_scan *fs, const char *oid)
{
	for (size_t i = 0; i < fs->n_accepted; i++)
		if (str_eq(fs->accepted[i], oid))
			return true;
	return false;
}

/* Over the whole history of main: the commits huitou did not make. */
static int
verify_history(struct verify_state *st, struct store *store, struct error *err)
{
	struct foreign_scan fs = { NULL, 0, NULL, 0, store->audit, NULL, 0 };
	int rc = audit_each_commit(store->audit, scan_commit, &fs, err);

	for (size_t i = 0; i < fs.n_untagged; i++) {
		if (rc == 0) {
			char *sp = strchr(fs.untagged[i], ' '), *line;

			*sp = '\0';
			line = xasprintf(_("the commit %s names the tag %s, which the audit repository "
			    "lacks or has on another commit"), fs.untagged[i], sp + 1);
			st->report(st->arg, line);
			free(line);
			st->res->differences++;
		}
		free(fs.untagged[i]);
	}
	free(fs.untagged);

	for (size_t i = 0; i < fs.n_foreign; i++) {
		const struct audit_commit_info *f = &fs.foreign[i];

		if (rc == 0 && accepted(&fs, f->oid))
			report_commit(st, _("not made by huitou, accepted by a recovery: %.12s %s: %s"),
			    f->oid, f->author_name, f->subject);
		else if (rc == 0) {
			report_commit(st, _("not made by huitou: %.12s %s: %s"), f->oid,
			    f->author_name, f->subject);
			st->res->foreign++;
		}
		audit_commit_info_free(&fs.foreign[i]);
	}
	for (size_t i = 0; i < fs.n_accepted; i++)
		free(fs.accepted[i]);
	free(fs.accepted);
	free(fs.foreign);
	return rc;
}

int
store_verify(struct store *store, void (*report)(void *arg, const char *line), void *arg,
    struct verify_result *res, struct error *err)
{
	struct verify_state st = { NULL, NULL, report, arg, res, 0, BUF_INIT };
	int fd, rc = -1;

	memset(res, 0, sizeof *res);
	if (audit_lock(store->dir, &fd, err) != 0)
		return -1;
	if (verify_trust(&st, store, err) == 0 &&
	    (res->trust != STORE_TRUSTED ? store_txn_begin(store, false, &st.txn, err) :
	    caught_up_snapshot(store, &st.txn, err)) == 0) {
		rc = 0;
		for (size_t i = 0; i < store->forms->n && rc == 0; i++)
			rc = verify_form(&st, store->forms->forms[i], err);
		for (size_t i = 0; i < store->forms->n && rc == 0; i++)	/* the counts kept */
			rc = tally_check(st.txn, store->forms->forms[i], report, arg,
			    &res->differences, err);
		store_txn_abort(st.txn);
		if (rc == 0)
			rc = verify_history(&st, store, err);
	}
	audit_unlock(fd);
	buf_free(&st.text);
	return rc;
}
