/*
 * store-audit.c — the store's side of the audit record: making the commits the outbox holds
 * (after each write, and at start to finish what a crashed process left), and the commands
 * that read or keep the repository: history, verify, maintain, push.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store-private.h"

static int
audit_ready(struct store *store, struct error *err)
{
	return store->audit != NULL ? 0 : audit_open(store->dir, &store->audit, err);
}

#define TEXT_BYTES_GUESS 512	/* a record's text, for the heap's room (an institution: ~400) */

/* The texts of files marked OUTBOX_FROM_STORE, as the store holds them now (under the audit
 * lock nobody has written since the transaction that made the entry). The heap is grown for
 * them at once (an import's are 40 MB); the caller releases it after the commit. */
static int
fill_from_store(struct store *store, MDB_txn *mtxn, struct audit_commit *c, struct error *err)
{
	struct store_txn txn = { .store = store, .txn = mtxn, .lock_fd = -1 };
	struct buf text = BUF_INIT;
	int rc = 0;

	heap_reserve(c->n_files * TEXT_BYTES_GUESS);
	for (size_t i = 0; i < c->n_files && rc == 0; i++) {
		struct audit_file *f = &c->files[i];
		const struct form *form = record_path_form(store->forms, f->path);
		struct record *rec = NULL;

		if (f->content != NULL || f->by_id || f->len != OUTBOX_FROM_STORE)
			continue;
		if (form == NULL) {
			rc = error_set(err, ST_FAILED, _("the outbox names %s, of no form in force"), f->path);
			break;
		}
		f->len = 0;	/* a record gone since is a deletion */
		rc = store_get_if_present(&txn, form, strrchr(f->path, '/') + 1, &rec, err);
		if (rc == 0 && rec != NULL) {
			record_text(rec, store->seal, &text);	/* in one buffer, copied at its size */
			f->len = text.len;
			f->content = xstrndup(text.data, text.len);
			record_free(rec);
		}
	}
	buf_free(&text);
	return rc;
}

/*
 * The hint of what git has: written after a flush found commits in git it had not made, and
 * when the store is closed after this process made commits (they are durable by then; writing
 * it after every save cost a file and a rename each), read at open, so a start after a clean
 * stop need not open git. It only ever spares work: a process killed leaves it behind, and the
 * next start looks in git. Outbox entries are cleared by what a flush read from git itself
 * (audit_done_seq), never by the hint.
 */
static char *
hint_path(const struct store *store)
{
	return xasprintf("%s/store/audit-done", store->dir);
}

void
audit_hint_load(struct store *store)
{
	char *path = hint_path(store), *end;
	struct buf text = BUF_INIT;
	struct error err = ERROR_INIT;
	unsigned long long seq;

	if (path_exists(path) && file_read_all(path, &text, &err) == 0) {
		seq = strtoull(buf_str(&text), &end, 10);
		if (end != buf_str(&text) && *end == '\n')
			store->audit_hint_seq = seq;
	}
	error_clear(&err);
	buf_free(&text);
	free(path);
}

/* Best effort: a hint that cannot be written costs the next start a look at git, no more. */
static void
audit_hint_save(struct store *store, uint64_t seq)
{
	char *path = hint_path(store), *tmp = xasprintf("%s.%ld", path, (long)getpid());
	FILE *fp = fopen(tmp, "w");

	if (fp != NULL) {
		bool ok = fprintf(fp, "%llu\n", (unsigned long long)seq) > 0;

		if (fclose(fp) == 0 && ok && rename(tmp, path) == 0)
			store->audit_hint_seq = seq;
		else
			unlink(tmp);
	}
	free(tmp);
	free(path);
}

/* A recovery anchors the store anew: what this process and the hint knew of git before is
 * of the store that was, and would make the recovery's own commit look like a rewound one. */
void
audit_hint_reset(struct store *store, uint64_t seq)
{
	store->audit_done_seq = seq;
	store->audit_hint_seq = seq;
	audit_hint_save(store, seq);
}

/* At close: the hint of the commits this process made, unless another process wrote a newer. */
void
audit_hint_close(struct store *store)
{
	if (store->audit_done_seq <= store->audit_hint_seq)
		return;
	audit_hint_load(store);
	if (store->audit_done_seq > store->audit_hint_seq)
		audit_hint_save(store, store->audit_done_seq);
}

struct audit_prepare_job {
	struct store *store;
	const struct audit_commit *c;
	struct audit_prepared *prepared;
	struct pool_job *running;
};

/* In the thread: only the audit repository is used, which nothing else touches meanwhile. */
static void *
prepare_run(void *arg)
{
	struct audit_prepare_job *job = arg;
	struct error err = ERROR_INIT;

	if (audit_commit_prepare(job->store->audit, job->c, &job->prepared, &err) != 0)
		job->prepared = NULL;	/* the flush makes the commit the usual way */
	error_clear(&err);
	return NULL;
}

struct audit_prepare_job *
audit_prepare_start(struct store *store, const struct audit_commit *c)
{
	struct audit_prepare_job *job;
	struct error err = ERROR_INIT;

	audit_prepared_free(store->audit_prepared);
	store->audit_prepared = NULL;
	if (c == NULL || audit_ready(store, &err) != 0) {
		error_clear(&err);
		return NULL;
	}
	job = xcalloc(1, sizeof *job);
	job->store = store;
	job->c = c;
	job->running = pool_start(prepare_run, job);
	return job;
}

void
audit_prepare_join(struct store *store, struct audit_prepare_job *job)
{
	if (job == NULL)
		return;
	pool_join(job->running);
	store->audit_prepared = job->prepared;
	free(job);
}

/* Makes the commits of the entries after seq, in order; *head gets the last one made. */
static int
replay_after(struct store *store, MDB_txn *txn, uint64_t seq, uint64_t *head, bool *made,
    struct error *err)
{
	MDB_cursor *cur;
	MDB_val k, v;
	unsigned char key[8];
	int rc;

	*head = seq;
	if ((rc = mdb_cursor_open(txn, store->outbox, &cur)) != 0)
		return store_lmdb_error(err, rc, _("reading the outbox"));
	be64_put(key, seq + 1);
	k.mv_size = sizeof key;
	k.mv_data = key;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		struct audit_commit c;

		/* A damaged entry, or one whose texts cannot be had, stops the replay as a
		 * failure: writes after it are refused, never acknowledged behind it. */
		if (outbox_decode_borrowed(v.mv_data, v.mv_size, &c, err) != 0) {
			rc = -1;
			break;	/* the texts read where LMDB keeps them, until txn ends */
		}
		if (fill_from_store(store, txn, &c, err) != 0) {
			outbox_unborrow(&c, v.mv_data, v.mv_size);
			audit_commit_free(&c);
			rc = -1;
			break;
		}
		c.seq = be64_get(k.mv_data);
		rc = audit_commit_finish(store->audit, &c, store->audit_prepared, err);
		outbox_unborrow(&c, v.mv_data, v.mv_size);
		audit_commit_free(&c);
		if (rc != 0)
			break;
		fault_point("audit-branch-moved");
		*head = be64_get(k.mv_data);
		*made = true;
	}
	mdb_cursor_close(cur);
	heap_release();		/* what fill_from_store reserved */
	if (rc != 0 && rc != MDB_NOTFOUND)
		return err->message != NULL ? -1 : store_lmdb_error(err, rc, _("reading the outbox"));
	return 0;
}

/*
 * Checks main against the store's anchor, then commits every outbox entry git lacks, in order;
 * the caller holds the audit lock. When main cannot be trusted nothing is made: err says why.
 * Otherwise the anchor the next write transaction records is the tip as checked (the commits
 * made here are checked by the next write's flush, as this store's own).
 */
int
store_audit_flush_locked(struct store *store, struct error *err)
{
	struct store_trust t;
	MDB_txn *txn;
	uint64_t head = 0;
	bool made = false;
	int rc;

	store->anchor_ready = false;
	if (audit_ready(store, err) != 0)
		return -1;
	if ((rc = mdb_txn_begin(store->env, NULL, MDB_RDONLY, &txn)) != 0)
		return store_lmdb_error(err, rc, _("reading the outbox"));
	rc = trust_check_locked(store, txn, &t, err);
	store->untrusted = rc == 0 && t.kind != STORE_TRUSTED;
	if (store->untrusted)
		rc = trust_refuse(store, &t, err);
	if (rc == 0) {
		memcpy(store->anchor_next, t.tip, sizeof store->anchor_next);
		store->anchor_next_seq = t.done_seq;
		store->anchor_ready = true;
		rc = replay_after(store, txn, t.done_seq, &head, &made, err);
		if (rc == 0)	/* a tag a killed process left unmade */
			rc = audit_tag_tip(store->audit, err);
	}
	mdb_txn_abort(txn);
	store_trust_clear(&t);
	if (rc != 0)
		return -1;
	/* Only news is written down: commits other processes made. After this process's own
	 * commits the hint waits for the close. */
	if (!made && head > store->audit_done_seq && head != store->audit_hint_seq)
		audit_hint_save(store, head);
	if (head > store->audit_done_seq)
		store->audit_done_seq = head;
	return 0;
}

/* Whether txn's outbox holds an entry newer than what this process knows git has. */
bool
outbox_has_newer(struct store *store, MDB_txn *txn)
{
	MDB_cursor *cur;
	MDB_val k, v;
	bool newer = true;	/* when the outbox cannot be read, assume work is waiting */

	if (mdb_cursor_open(txn, store->outbox, &cur) == 0) {
		int rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);

		uint64_t known = store->audit_done_seq > store->audit_hint_seq ?
		    store->audit_done_seq : store->audit_hint_seq;

		newer = rc == 0 ? k.mv_size != 8 || be64_get(k.mv_data) > known :
		    rc != MDB_NOTFOUND;
		mdb_cursor_close(cur);
	}
	return newer;
}

/* Whether git's main has reached the outbox's newest entry: the truth when the outbox seems
 * ahead (another process made the commit and this one has not heard of it yet). */
static bool
git_has_outbox(struct store *store, MDB_txn *txn)
{
	MDB_cursor *cur;
	MDB_val k, v;
	struct error err = ERROR_INIT;
	uint64_t last = 0, head = 0;
	bool has = false;

	if (mdb_cursor_open(txn, store->outbox, &cur) != 0)
		return false;
	if (mdb_cursor_get(cur, &k, &v, MDB_LAST) == 0 && k.mv_size == 8)
		last = be64_get(k.mv_data);
	mdb_cursor_close(cur);
	if (last > 0 && audit_ready(store, &err) == 0 &&
	    audit_head_seq(store->audit, &head, &err) == 0)
		has = head >= last;
	error_clear(&err);
	return has;
}

/*
 * Another process's write leaves an outbox entry this process did not see made: the hint that
 * process left at its close says git has it, and failing that git itself is asked, so that a
 * "set" from another shell does not read as pending (issue 13, item 7).
 */
bool
store_audit_pending(struct store *store)
{
	MDB_txn *txn;
	bool pending;

	if (mdb_txn_begin(store->env, NULL, MDB_RDONLY, &txn) != 0)
		return true;
	pending = outbox_has_newer(store, txn);
	if (pending) {
		audit_hint_load(store);
		pending = outbox_has_newer(store, txn) && !git_has_outbox(store, txn);
	}
	mdb_txn_abort(txn);
	return pending;
}

/* Whether the outbox holds an entry newer than this process and the hint know git has. */
static bool
outbox_ahead(struct store *store)
{
	MDB_txn *txn;
	bool ahead;

	if (mdb_txn_begin(store->env, NULL, MDB_RDONLY, &txn) != 0)
		return true;
	ahead = outbox_has_newer(store, txn);
	mdb_txn_abort(txn);
	return ahead;
}

int
store_audit_flush(struct store *store, struct error *err)
{
	int fd, rc;

	if (audit_lock(store->dir, &fd, err) != 0)
		return -1;
	rc = store_audit_flush_locked(store, err);
	audit_unlock(fd);
	audit_fold_if_due(store->audit);
	return rc;
}

/* At start: finish what a stopped process left. What git has is cleared by the next write,
 * so a command that only reads never waits for the LMDB write lock. */
int
store_audit_replay(struct store *store, struct error *err)
{
	return outbox_ahead(store) ? store_audit_flush(store, err) : 0;
}

void
store_audit_defer(struct store *store, bool defer)
{
	store->audit_deferred = defer;
}

const char *
store_audit_warning(const struct store *store)
{
	return store->audit_warning;
}

uint64_t
store_audit_done_seq(const struct store *store)
{
	return store->audit_done_seq;
}

int
store_maintain(struct store *store, size_t *packed, struct error *err)
{
	int fd, rc;

	if (audit_lock(store->dir, &fd, err) != 0)
		return -1;
	rc = store_audit_flush_locked(store, err);
	/* Packing is safe whatever main holds, unless saves wait for git: a publication's entry
	 * names blobs that only an unreferenced pack holds, which packing would remove. */
	if (rc != 0 && store->untrusted && !store_audit_pending(store)) {
		error_clear(err);
		rc = 0;
	}
	if (rc == 0)
		rc = audit_maintain(store->audit, packed, err);
	audit_unlock(fd);
	return rc;
}

int
store_push(struct store *store, const char *url, struct error *err)
{
	if (store_audit_flush(store, err) != 0)
		return -1;
	return audit_push(store->audit, url, err);
}

int
store_tag_file(struct store *store, const char *tag, const char *path, char **content,
    size_t *len, struct error *err)
{
	if (audit_ready(store, err) != 0)
		return -1;
	return audit_tag_file(store->audit, tag, path, content, len, err);
}

struct history_state {
	const struct store *store;
	const struct seal *seal;
	const struct form *form;
	store_history_fn fn;
	void *arg;
	struct error *err;
};

static int
history_entry(void *arg, const struct audit_entry *e)
{
	struct history_state *st = arg;
	struct store_history h;
	int rc;

	memset(&h, 0, sizeof h);
	h.commit = e->oid;
	h.author_name = e->author_name;
	h.author_email = e->author_email;
	h.when = e->when;
	h.message = e->message;
	if (st->form != NULL && e->before != NULL &&
	    record_from_text(st->form, st->seal, e->before, e->before_len, &h.before, st->err) != 0)
		return -1;
	if (st->form != NULL && e->after != NULL &&
	    record_from_text(st->form, st->seal, e->after, e->after_len, &h.after, st->err) != 0) {
		record_free(h.before);
		return -1;
	}
	store_mask_change(st->store, h.before, h.after);	/* as the reader may see it */
	rc = st->fn(st->arg, &h);
	record_free(h.before);
	record_free(h.after);
	return rc;
}

int
store_history(struct store *store, const struct form *form, const char *id,
    store_history_fn fn, void *arg, struct error *err)
{
	struct history_state st = { store, store->seal, id != NULL ? form : NULL, fn, arg, err };
	char *path = id != NULL ? record_path(form, id) : NULL;
	int rc;

	/* Reads keep working when the commits cannot be made or main cannot be trusted: the
	 * history is git's. */
	rc = store_audit_flush(store, err);
	if (rc != 0 && store->audit != NULL) {
		error_clear(err);
		rc = 0;
	}
	if (rc == 0)
		rc = audit_log(store->audit, path, history_entry, &st, err);
	free(path);
	return rc;
}
