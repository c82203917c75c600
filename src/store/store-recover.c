/*
 * store-recover.c — "huitou recover": the explicit, audited way out when main cannot be
 * trusted (store-trust.c). Keep-store makes a commit on top of main whose tree is the store's
 * state and anchors the store at main's tip; from-git rebuilds the store from main, then
 * makes a commit that says so. Each recovery commit carries Action audit.recover, the reason,
 * the case and the commits involved (Foreign-Commit trailers, which verify then accepts), and
 * each recovery is a line in the security log.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

static const char *
case_words(enum store_trust_case kind)
{
	switch (kind) {
	case STORE_TRUSTED:
		return "存储与审计记录一致";
	case STORE_OLDER_THAN_GIT:
		return "存储比审计记录旧（从备份恢复？）";
	case STORE_FOREIGN_COMMITS:
		return "main 上有不是 huitou 所做的提交（手工添加？）";
	case STORE_HISTORY_REWRITTEN:
		return "审计历史被改写：存储所知的最后一个提交不在 main 上";
	}
	return "?";
}

static const char *
case_key(enum store_trust_case kind)
{
	switch (kind) {
	case STORE_TRUSTED:
		return "none";
	case STORE_OLDER_THAN_GIT:
		return "store-older";
	case STORE_FOREIGN_COMMITS:
		return "foreign-commits";
	case STORE_HISTORY_REWRITTEN:
		return "history-rewritten";
	}
	return "?";
}

/* One line, no control characters: a reason typed on the command line. */
static void
add_flat(struct buf *b, const char *s)
{
	char *flat = xstrdup(s != NULL ? s : "");

	for (char *p = flat; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	width_escape_controls(b, flat);
	free(flat);
}

/* Subject, body and trailers of a recovery commit. */
static void
describe_recovery(struct store_txn *txn, const char *mode, const struct store_trust *was,
    const char *reason)
{
	struct buf body = BUF_INIT;
	char *subject = xasprintf("恢复审计记录（%s）：%s", mode, str_eq(mode, "keep-store") ?
	    "以存储为准" : "存储按 git 重建");

	buf_adds(&body, "原因：");
	add_flat(&body, reason);
	buf_printf(&body, "\n情况：%s\n", case_words(was->kind));
	for (size_t i = 0; i < was->n_commits; i++) {
		buf_printf(&body, "%s%s ", i == 0 ? "涉及的提交：\n" : "", was->commits[i].oid);
		add_flat(&body, was->commits[i].author);
		buf_adds(&body, ": ");
		add_flat(&body, was->commits[i].subject);
		buf_addc(&body, '\n');
	}
	store_txn_describe(txn, "audit.recover", subject, buf_str(&body));
	store_txn_add_trailer(txn, "Recover-Mode", mode);
	store_txn_add_trailer(txn, "Recover-Case", case_key(was->kind));
	for (size_t i = 0; i < was->n_commits; i++)
		store_txn_add_trailer(txn, was->commits[i].foreign ? "Foreign-Commit" :
		    "Missing-From-Store", was->commits[i].oid);
	txn->always_commit = true;
	buf_free(&body);
	free(subject);
}

static void
log_recovery(struct store *store, const char *dir, const char *mode,
    const struct store_trust *was, const char *reason, const char *commit)
{
	struct buf line = BUF_INIT;

	buf_printf(&line, "mode=%s case=%s commit=%s reason=", mode, case_key(was->kind),
	    commit != NULL ? commit : "-");
	add_flat(&line, reason);
	for (size_t i = 0; i < was->n_commits; i++)
		buf_printf(&line, " %s=%s", was->commits[i].foreign ? "foreign" : "missing",
		    was->commits[i].oid);
	security_log(store != NULL ? store->dir : dir, "audit.recover", buf_str(&line));
	buf_free(&line);
}

/* What differs between the store and main's tree, as files of the recovery commit. */
struct state_diff {
	struct store_txn *txn;
	char **seen;		/* paths git has that the store's state keeps */
	size_t n_seen, cap;
	struct buf text;
	struct error *err;
	char *policy;		/* git's policy file, NULL if it has none */
	size_t policy_len;
};

static void
seen_add(struct state_diff *d, const char *path)
{
	if (d->n_seen == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->seen = xrealloc(d->seen, d->cap * sizeof *d->seen);
	}
	d->seen[d->n_seen++] = xstrdup(path);
}

static bool
same_text(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* A record's file in git: kept, rewritten with the store's text, or removed. */
static int
diff_record_file(struct state_diff *d, const struct form *form, const char *path,
    const char *content, size_t len)
{
	struct record *rec = NULL;
	char *want;

	if (store_get_if_present(d->txn, form, strrchr(path, '/') + 1, &rec, d->err) != 0)
		return -1;
	if (rec == NULL) {
		store_txn_add_file(d->txn, path, NULL, 0);
		return 0;
	}
	want = record_path(form, record_id(rec));
	if (!str_eq(want, path))
		store_txn_add_file(d->txn, path, NULL, 0);
	else {
		record_text(rec, d->txn->store->seal, &d->text);
		if (!same_text(d->text.data, d->text.len, content, len))
			store_txn_add_file(d->txn, path, d->text.data, d->text.len);
		seen_add(d, path);
	}
	free(want);
	record_free(rec);
	return 0;
}

static int
diff_git_file(void *arg, const char *path, const char *content, size_t len)
{
	struct state_diff *d = arg;
	const struct formset *forms = d->txn->store->forms;
	const struct form *form;

	if (str_eq(path, POLICY_FILE)) {	/* compared with the policy in force after */
		d->policy = xstrndup(content, len);
		d->policy_len = len;
		return 0;
	}
	if (store_is_rules_path(path))
		return 0;	/* the casework's rules: kept as git has them */
	if (str_starts(path, "draws/"))
		return 0;	/* a draw's population and sample (doc/draw.md): git's alone */
	if (str_starts(path, "lists/"))
		return 0;	/* a publication's files: git's alone, the store has its record */
	if (str_eq(path, "divisions.csv")) {
		store_divisions_text(d->txn->store, &d->text);
		if (!same_text(d->text.data, d->text.len, content, len))
			store_txn_add_file(d->txn, path, d->text.data, d->text.len);
		seen_add(d, path);
		return 0;
	}
	for (size_t i = 0; i < forms->n; i++) {
		char *fpath = xasprintf("forms/%s.form", forms->forms[i]->name);
		bool is = str_eq(fpath, path);

		free(fpath);
		if (is) {
			const char *text = forms->forms[i]->text;

			if (!same_text(text, strlen(text), content, len))
				store_txn_add_file(d->txn, path, text, strlen(text));
			seen_add(d, path);
			return 0;
		}
	}
	if (!str_starts(path, "forms/") && (form = record_path_form(forms, path)) != NULL &&
	    strrchr(path, '/') != NULL)
		return diff_record_file(d, form, path, content, len);
	store_txn_add_file(d->txn, path, NULL, 0);	/* the store has nothing there */
	return 0;
}

static int
compare_strs(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
seen_has(const struct state_diff *d, const char *path)
{
	return bsearch(&path, d->seen, d->n_seen, sizeof *d->seen, compare_strs) != NULL;
}

static int
add_missing_record(const struct record *rec, void *arg)
{
	struct state_diff *d = arg;
	char *path = record_path(rec->form, record_id(rec));

	if (!seen_has(d, path)) {
		record_text(rec, d->txn->store->seal, &d->text);
		store_txn_add_file(d->txn, path, d->text.data, d->text.len);
	}
	free(path);
	return 0;
}

/* The files that make main's tree the store's state; the forms in force marked as in git. */
static int
add_store_state(struct store_txn *txn, struct error *err)
{
	struct state_diff d = { txn, NULL, 0, 0, BUF_INIT, err, NULL, 0 };
	const struct formset *forms = txn->store->forms;
	int rc = audit_head_files(txn->store->audit, NULL, diff_git_file, &d, err);

	if (d.n_seen > 0)
		qsort(d.seen, d.n_seen, sizeof *d.seen, compare_strs);
	if (rc == 0 && !seen_has(&d, "divisions.csv")) {
		store_divisions_text(txn->store, &d.text);
		store_txn_add_file(txn, "divisions.csv", d.text.data, d.text.len);
	}
	for (size_t i = 0; i < forms->n && rc == 0; i++) {
		const struct form *form = forms->forms[i];
		char *path = xasprintf("forms/%s.form", form->name);
		char *key = xasprintf("formtext/%s", form->name);

		if (!seen_has(&d, path))
			store_txn_add_file(txn, path, form->text, strlen(form->text));
		rc = meta_put(txn->txn, txn->store->meta, key, form->text, strlen(form->text), err);
		if (rc == 0)
			rc = store_foreach(txn, form, add_missing_record, &d, err);
		free(key);
		free(path);
	}
	if (rc == 0)
		rc = store_policy_add_unless_in_git(txn, d.policy, d.policy_len, err);
	free(d.policy);
	for (size_t i = 0; i < d.n_seen; i++)
		free(d.seen[i]);
	free(d.seen);
	buf_free(&d.text);
	return rc;
}

/* Under the audit lock: main's trust state, which must call for a recovery. */
static int
check_needs_recovery(struct store *store, struct store_trust *was, struct error *err)
{
	MDB_txn *rtxn;
	int rc;

	if (store->audit == NULL && audit_open(store->dir, &store->audit, err) != 0)
		return -1;
	if ((rc = mdb_txn_begin(store->env, NULL, MDB_RDONLY, &rtxn)) != 0)
		return store_lmdb_error(err, rc, _("reading the store"));
	rc = trust_check_locked(store, rtxn, was, err);
	mdb_txn_abort(rtxn);
	if (rc == 0 && was->kind == STORE_TRUSTED)
		rc = error_set(err, ST_REFUSED,
		    _("the store and the audit record agree: there is nothing to recover"));
	if (rc == 0)
		rc = audit_check_writable(store->audit, 0, err);
	return rc;
}

/*
 * A publication whose commit waits in the outbox has its files in git only as blobs written
 * ahead, which no commit names: a recovery commit of the store's state would leave them and
 * its tag out, the store keeping a publication git never shows. Keep-store is refused then;
 * from-git leaves the store as git is, and the month is published again.
 */
static int
check_no_waiting_publication(struct store *store, struct error *err)
{
	MDB_txn *rtxn;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	char *tag = NULL;
	int rc;

	if ((rc = mdb_txn_begin(store->env, NULL, MDB_RDONLY, &rtxn)) != 0)
		return store_lmdb_error(err, rc, _("reading the store"));
	if ((rc = mdb_cursor_open(rtxn, store->outbox, &cur)) != 0)
		rc = store_lmdb_error(err, rc, _("reading the outbox"));
	else
		rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	while (rc == 0 && tag == NULL) {
		struct audit_commit c;

		memset(&c, 0, sizeof c);
		if ((rc = outbox_decode_header(v.mv_data, v.mv_size, &c, err)) != 0)
			break;
		tag = audit_trailers_tag_missing(store->audit, c.trailers, NULL);
		audit_commit_free(&c);
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	if (rc == MDB_NOTFOUND || (rc == 0 && tag != NULL))
		rc = 0;
	else if (rc > 0)
		rc = store_lmdb_error(err, rc, _("reading the outbox"));
	mdb_cursor_close(cur);
	mdb_txn_abort(rtxn);
	if (rc == 0 && tag != NULL)
		rc = error_set(err, ST_REFUSED, _("the publication %s waits for its audit commit, its "
		    "files in git named by no commit: keeping the store would leave them out; run "
		    "'huitou recover --from-git --reason TEXT', then publish the month again"), tag);
	free(tag);
	return rc;
}

int
store_recover_keep(struct store *store, const char *reason, struct store_trust *was,
    char commit[41], struct error *err)
{
	struct store_txn *txn;
	int fd, rc;

	memset(was, 0, sizeof *was);
	commit[0] = '\0';
	if (audit_lock(store->dir, &fd, err) != 0)
		return -1;
	if (check_needs_recovery(store, was, err) != 0 ||
	    check_no_waiting_publication(store, err) != 0) {
		audit_unlock(fd);
		return -1;
	}
	if (txn_begin_locked(store, fd, &txn, err) != 0)
		return -1;
	/* main's tip becomes the anchor, with the store's sequence: what the outbox holds is
	 * in the state committed, and the recovery commit is the next number. */
	memcpy(store->anchor_next, was->tip, sizeof store->anchor_next);
	store->anchor_next_seq = outbox_seq_read(txn->txn, store->meta);
	store->anchor_ready = true;
	audit_hint_reset(store, store->anchor_next_seq);
	if (add_store_state(txn, err) != 0) {
		store_txn_abort(txn);
		return -1;
	}
	describe_recovery(txn, "keep-store", was, reason);
	rc = store_txn_commit(txn, err);
	if (rc == 0 && store->audit != NULL && audit_tip_hex(store->audit, commit, err) != 0)
		rc = -1;
	log_recovery(store, NULL, "keep-store", was, reason, rc == 0 ? commit : NULL);
	return rc;
}

int
store_recover_note(struct store *store, const struct store_trust *was, const char *reason,
    char commit[41], struct error *err)
{
	struct store_txn *txn;
	int rc;

	commit[0] = '\0';
	if (store_txn_begin(store, true, &txn, err) != 0)
		return -1;
	describe_recovery(txn, "from-git", was, reason);
	rc = store_txn_commit(txn, err);
	if (rc == 0 && audit_tip_hex(store->audit, commit, err) != 0)
		rc = -1;
	log_recovery(store, NULL, "from-git", was, reason, rc == 0 ? commit : NULL);
	return rc;
}
