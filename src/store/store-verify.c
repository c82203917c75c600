/*
 * store-verify.c — "huitou verify": the invariant of the audit design, checked. After the
 * outbox is flushed, every record's text in LMDB must equal its file in git HEAD, git must
 * hold no record the store lacks, and the forms in force must be the ones git has. It runs
 * under the audit lock, on an LMDB snapshot whose outbox git has fully caught up with.
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

		record_text(rec, &st->text);
		if (!str_eq(want, full))
			differ(st, _("in git at the wrong path: %s"), full);
		else if (st->text.len != len || memcmp(st->text.data, content, len) != 0)
			differ(st, _("differs between the store and git: %s"), id);
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

int
store_verify(struct store *store, void (*report)(void *arg, const char *line), void *arg,
    struct verify_result *res, struct error *err)
{
	struct verify_state st = { NULL, NULL, report, arg, res, 0, BUF_INIT };
	int fd, rc = -1;

	memset(res, 0, sizeof *res);
	if (audit_lock(store->dir, &fd, err) != 0)
		return -1;
	if (caught_up_snapshot(store, &st.txn, err) == 0) {
		rc = 0;
		for (size_t i = 0; i < store->forms->n && rc == 0; i++)
			rc = verify_form(&st, store->forms->forms[i], err);
		store_txn_abort(st.txn);
	}
	audit_unlock(fd);
	buf_free(&st.text);
	return rc;
}
