/*
 * store-trust.c — the store and main agree on what has been committed. The store keeps in
 * meta the last commit it knows is on main with its Outbox-Seq (the anchor, written by each
 * write transaction). Before a write, main's tip must be the anchor or reach it by first
 * parents through commits this store's outbox made, each the next Outbox-Seq and matching its
 * entry. A restored store, a commit added by hand or a rewritten history is named here, and
 * writes stop until "huitou recover" resolves it.
 *
 * Anchor value: the Outbox-Seq as 8 big-endian bytes, then the commit id in hex (none when
 * main had no commit).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

#define LIST_MAX 1000		/* commits named at most */
#define WALK_MAX 200000		/* commits looked at between main's tip and the anchor */

uint64_t
outbox_seq_read(MDB_txn *txn, MDB_dbi meta)
{
	MDB_val v;

	return meta_get(txn, meta, "outbox/seq", &v) == 0 && v.mv_size == 8 ?
	    be64_get(v.mv_data) : 0;
}

int
anchor_read(MDB_txn *txn, MDB_dbi meta, char oid[41], uint64_t *seq, bool *found)
{
	MDB_val v;
	int rc = meta_get(txn, meta, ANCHOR_KEY, &v);

	oid[0] = '\0';
	*seq = 0;
	*found = false;
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0 || (v.mv_size != 8 && v.mv_size != 48))
		return -1;
	*seq = be64_get(v.mv_data);
	memcpy(oid, (char *)v.mv_data + 8, v.mv_size - 8);
	oid[v.mv_size - 8] = '\0';
	*found = true;
	return 0;
}

int
anchor_write(struct store_txn *txn, struct error *err)
{
	struct store *store = txn->store;
	unsigned char v[48];
	size_t n = strlen(store->anchor_next);

	be64_put(v, store->anchor_next_seq);
	memcpy(v + 8, store->anchor_next, n);
	return meta_put(txn->txn, store->meta, ANCHOR_KEY, v, 8 + n, err);
}

const char *
store_trust_sentence(enum store_trust_case kind)
{
	switch (kind) {
	case STORE_TRUSTED:
		return _("the store and the audit record agree");
	case STORE_OLDER_THAN_GIT:
		return _("the store is older than the audit record (restored from a backup?): main has commits this store did not make; run 'huitou verify' to see them, then 'huitou recover --from-git'");
	case STORE_FOREIGN_COMMITS:
		return _("main has commits that huitou did not make (added by hand?); run 'huitou verify' to see them, then 'huitou recover --keep-store --reason TEXT'");
	case STORE_HISTORY_REWRITTEN:
		return _("the audit history was rewritten: a commit the store knows was on main is no longer on it; run 'huitou verify', then 'huitou recover --from-git' (or 'huitou recover --keep-store --reason TEXT' to commit the store's state on top of main)");
	}
	return "?";
}

void
store_trust_clear(struct store_trust *t)
{
	for (size_t i = 0; i < t->n_commits; i++) {
		free(t->commits[i].author);
		free(t->commits[i].subject);
	}
	free(t->commits);
	t->commits = NULL;
	t->n_commits = 0;
}

static void
name_commit(struct store_trust *t, const struct audit_commit_info *ci, bool foreign)
{
	struct store_trust_commit *c;

	if (t->n_commits >= LIST_MAX)
		return;
	t->commits = xrealloc(t->commits, (t->n_commits + 1) * sizeof *t->commits);
	c = &t->commits[t->n_commits++];
	memcpy(c->oid, ci->oid, sizeof c->oid);
	c->author = xstrdup(ci->author_name);
	c->subject = xstrdup(ci->subject);
	c->foreign = foreign;
}

/* Whether ci is the commit of this store's outbox entry of its Outbox-Seq. */
static bool
made_by_outbox(struct store *store, MDB_txn *txn, const struct audit_commit_info *ci)
{
	unsigned char key[8];
	MDB_val k = { sizeof key, key }, v;
	struct audit_commit c;
	struct error err = ERROR_INIT;
	bool same;

	if (!ci->by_huitou || !ci->has_seq || ci->n_parents > 1)
		return false;
	be64_put(key, ci->seq);
	if (mdb_get(txn, store->outbox, &k, &v) != 0 ||
	    outbox_decode_header(v.mv_data, v.mv_size, &c, &err) != 0) {
		error_clear(&err);
		return false;
	}
	c.seq = ci->seq;
	same = audit_commit_matches(ci, &c);
	audit_commit_free(&c);
	return same;
}

static bool
is_anchor(const struct store_trust *t, const struct audit_commit_info *ci)
{
	return str_eq(ci->oid, t->anchor);
}

static bool
parent_is_anchor(const struct store_trust *t, const struct audit_commit_info *ci)
{
	return *t->anchor == '\0' ? ci->n_parents == 0 : str_eq(ci->parent, t->anchor);
}

/* A commit between main's tip and the anchor, as classify sees it. */
struct chain_commit {
	struct audit_commit_info ci;
	bool ours;		/* made from this store's entry of its Outbox-Seq */
	bool foreign;		/* else: huitou's, continuing the Outbox-Seq of the chain */
};

/* The commits from the tip down to the anchor by first parents (at most WALK_MAX), newest
 * first; 1 when the anchor is not among them. */
static int
collect_chain(struct store *store, MDB_txn *txn, struct store_trust *t,
    struct chain_commit **out, size_t *n, struct error *err)
{
	struct chain_commit *v = NULL;
	char cur[41];
	int rc = 1;

	*n = 0;
	memcpy(cur, t->tip, sizeof cur);
	while (*cur != '\0' && *n < WALK_MAX) {
		struct audit_commit_info ci;

		if ((rc = audit_commit_read(store->audit, cur, &ci, err)) != 0)
			break;
		rc = 1;
		if (is_anchor(t, &ci)) {
			audit_commit_info_free(&ci);
			rc = 0;
			break;
		}
		v = xrealloc(v, (*n + 1) * sizeof *v);
		v[*n].ci = ci;
		v[*n].ours = made_by_outbox(store, txn, &ci) && ci.seq > t->anchor_seq;
		v[*n].foreign = false;
		memcpy(cur, ci.parent, sizeof cur);
		(*n)++;
	}
	if (*cur == '\0' && *t->anchor == '\0')
		rc = 0;		/* anchored on an empty main: the root is as far as it goes */
	*out = v;
	return rc;
}

/*
 * Why main does not reach the anchor through this store's commits. Upwards from the anchor,
 * a commit is this store's, or huitou's with the next Outbox-Seq (a history this store lacks:
 * it was restored from a backup), or foreign (not huitou's, a merge, or an Outbox-Seq that
 * does not continue the chain). Every commit that is not this store's is named, newest first.
 */
static int
classify(struct store *store, MDB_txn *txn, struct store_trust *t, struct error *err)
{
	struct chain_commit *v = NULL;
	struct audit_commit_info ci;
	bool reaches = true, foreign = false, lacks = false;
	uint64_t expect = t->anchor_seq + 1;
	size_t n = 0;
	int rc;

	if (*t->anchor != '\0' &&
	    audit_reaches(store->audit, t->tip, t->anchor, &reaches, err) != 0)
		return -1;
	if (!reaches) {
		t->kind = STORE_HISTORY_REWRITTEN;
		if ((rc = audit_commit_read(store->audit, t->tip, &ci, err)) < 0)
			return -1;
		if (rc == 0) {
			name_commit(t, &ci, !(ci.by_huitou && ci.has_seq));
			audit_commit_info_free(&ci);
		}
		return 0;
	}
	if ((rc = collect_chain(store, txn, t, &v, &n, err)) < 0) {
		for (size_t i = 0; i < n; i++)
			audit_commit_info_free(&v[i].ci);
		free(v);
		return -1;
	}
	for (size_t i = n; i-- > 0;) {
		const struct audit_commit_info *c = &v[i].ci;

		if (v[i].ours ||
		    (c->by_huitou && c->has_seq && c->n_parents <= 1 && c->seq == expect)) {
			lacks = lacks || !v[i].ours;
			expect = c->seq + 1;
		} else
			foreign = v[i].foreign = true;
	}
	for (size_t i = 0; i < n; i++) {
		if (!v[i].ours)
			name_commit(t, &v[i].ci, v[i].foreign);
		audit_commit_info_free(&v[i].ci);
	}
	free(v);
	t->kind = foreign ? STORE_FOREIGN_COMMITS : lacks ? STORE_OLDER_THAN_GIT :
	    STORE_HISTORY_REWRITTEN;
	return 0;
}

/* A store made before anchors: main's tip is adopted once, when it is huitou's commit of the
 * store's sequence, or of an earlier one whose successors wait in the outbox. */
static int
adopt_tip(struct store *store, MDB_txn *txn, struct store_trust *t, uint64_t store_seq,
    struct error *err)
{
	struct audit_commit_info ci;
	unsigned char key[8];
	MDB_val k = { sizeof key, key }, v;
	int rc;

	if (*t->tip == '\0') {
		be64_put(key, 1);
		t->kind = store_seq == 0 || mdb_get(txn, store->outbox, &k, &v) == 0 ?
		    STORE_TRUSTED : STORE_HISTORY_REWRITTEN;
		return 0;
	}
	if ((rc = audit_commit_read(store->audit, t->tip, &ci, err)) != 0)
		return rc < 0 ? -1 : error_set(err, ST_FAILED, _("main names a commit git lacks"));
	be64_put(key, ci.seq + 1);
	if (!ci.by_huitou || !ci.has_seq) {
		t->kind = STORE_FOREIGN_COMMITS;
		name_commit(t, &ci, true);
	} else if (ci.seq == store_seq ||
	    (ci.seq < store_seq && mdb_get(txn, store->outbox, &k, &v) == 0)) {
		t->kind = STORE_TRUSTED;
		memcpy(t->anchor, t->tip, sizeof t->anchor);
		t->anchor_seq = t->done_seq = ci.seq;
	} else {
		t->kind = ci.seq > store_seq ? STORE_OLDER_THAN_GIT : STORE_HISTORY_REWRITTEN;
		name_commit(t, &ci, false);
	}
	audit_commit_info_free(&ci);
	return 0;
}

/* The commit this process made last, as the walk needs it; the store is the one that made it
 * (an audit handle belongs to one store). */
static bool
own_last_commit(struct store *store, const char *hex, struct audit_commit_info *ci)
{
	memset(ci, 0, sizeof *ci);
	if (!audit_last_made(store->audit, hex, &ci->seq, ci->parent))
		return false;
	memcpy(ci->oid, hex, sizeof ci->oid);
	ci->n_parents = *ci->parent != '\0';
	ci->by_huitou = ci->has_seq = true;
	return true;
}

/* From the tip down, the commits this store's outbox made, Outbox-Seq one less each time,
 * down to the anchor: trusted. Usually one step (the last save's commit). */
static int
walk_own_commits(struct store *store, MDB_txn *txn, struct store_trust *t, bool *reached,
    struct error *err)
{
	struct audit_commit_info ci;
	char cur[41];
	uint64_t expect = 0;
	int rc;

	*reached = false;
	memcpy(cur, t->tip, sizeof cur);
	for (bool first = true; *cur != '\0'; first = false) {
		if (own_last_commit(store, cur, &ci))
			;	/* made here from this store's entry: nothing to read back */
		else if ((rc = audit_commit_read(store->audit, cur, &ci, err)) != 0)
			return rc < 0 ? -1 : 0;
		else if (!made_by_outbox(store, txn, &ci))
			ci.has_seq = false;
		if (!ci.has_seq || ci.seq <= t->anchor_seq || (!first && ci.seq != expect)) {
			audit_commit_info_free(&ci);
			return 0;
		}
		if (first)
			t->done_seq = ci.seq;
		if (parent_is_anchor(t, &ci)) {
			*reached = ci.seq == t->anchor_seq + 1;
			audit_commit_info_free(&ci);
			return 0;
		}
		expect = ci.seq - 1;
		memcpy(cur, ci.parent, sizeof cur);
		audit_commit_info_free(&ci);
	}
	return 0;
}

/*
 * Trusted so far, with the entries after done_seq to make. But when this store knows it made
 * one of them already (this process did, or the hint a closing process left says so), main
 * lost it: the history was rewritten, a commit or more taken off the top.
 */
static int
check_not_rewound(struct store *store, MDB_txn *txn, struct store_trust *t, struct error *err)
{
	uint64_t known = store->audit_done_seq > store->audit_hint_seq ? store->audit_done_seq :
	    store->audit_hint_seq;
	unsigned char key[8];
	MDB_val k = { sizeof key, key }, v;
	struct audit_commit_info ci;
	int rc;

	if (known <= t->done_seq)
		return 0;
	be64_put(key, t->done_seq + 1);
	if (mdb_get(txn, store->outbox, &k, &v) != 0)
		return 0;
	t->kind = STORE_HISTORY_REWRITTEN;
	if (*t->tip != '\0' && (rc = audit_commit_read(store->audit, t->tip, &ci, err)) <= 0) {
		if (rc < 0)
			return -1;
		name_commit(t, &ci, !(ci.by_huitou && ci.has_seq));
		audit_commit_info_free(&ci);
	}
	return 0;
}

static int
trust_compare(struct store *store, MDB_txn *txn, struct store_trust *t, struct error *err)
{
	uint64_t store_seq = outbox_seq_read(txn, store->meta);
	bool found, reached;

	memset(t, 0, sizeof *t);
	if (anchor_read(txn, store->meta, t->anchor, &t->anchor_seq, &found) != 0)
		return error_set(err, ST_FAILED, _("the store's audit anchor is damaged"));
	if (audit_tip_hex(store->audit, t->tip, err) != 0)
		return -1;
	if (!found)
		return adopt_tip(store, txn, t, store_seq, err);
	t->done_seq = t->anchor_seq;
	if (str_eq(t->tip, t->anchor))
		return 0;	/* STORE_TRUSTED */
	if (*t->tip == '\0') {
		t->kind = STORE_HISTORY_REWRITTEN;
		return 0;
	}
	if (walk_own_commits(store, txn, t, &reached, err) != 0)
		return -1;
	if (reached)
		return 0;
	t->done_seq = t->anchor_seq;
	return classify(store, txn, t, err);
}

static int
trust_look(struct store *store, MDB_txn *txn, struct store_trust *t, struct error *err)
{
	if (trust_compare(store, txn, t, err) != 0)
		return -1;
	return t->kind == STORE_TRUSTED ? check_not_rewound(store, txn, t, err) : 0;
}

/* A store not trusted, or a history that could not be read, is looked at again once with the
 * pack folder read anew (audit_refresh): a fold of packs in another process must not pass for
 * a rewritten history. */
int
trust_check_locked(struct store *store, MDB_txn *txn, struct store_trust *t, struct error *err)
{
	int rc = trust_look(store, txn, t, err);

	if ((rc == 0 && t->kind == STORE_TRUSTED) || audit_refresh(store->audit) != 0)
		return rc;
	store_trust_clear(t);
	error_clear(err);
	return trust_look(store, txn, t, err);
}

int
store_trust_check(struct store *store, struct store_trust *out, struct error *err)
{
	MDB_txn *txn;
	int fd, rc;

	memset(out, 0, sizeof *out);
	if (audit_lock(store->dir, &fd, err) != 0)
		return -1;
	rc = store->audit != NULL ? 0 : audit_open(store->dir, &store->audit, err);
	if (rc == 0 && (rc = mdb_txn_begin(store->env, NULL, MDB_RDONLY, &txn)) != 0)
		rc = store_lmdb_error(err, rc, _("reading the store"));
	else if (rc == 0) {
		if ((rc = trust_check_locked(store, txn, out, err)) != 0)
			store_trust_clear(out);
		mdb_txn_abort(txn);
	}
	audit_unlock(fd);
	return rc;
}

int
trust_refuse(struct store *store, const struct store_trust *t, struct error *err)
{
	struct buf msg = BUF_INIT;

	(void)store;
	buf_printf(&msg, _("writes are stopped: %s"), store_trust_sentence(t->kind));
	for (size_t i = 0; i < t->n_commits && i < 5; i++)
		buf_printf(&msg, "\n  %.12s %s: %s", t->commits[i].oid, t->commits[i].author,
		    t->commits[i].subject);
	if (t->n_commits > 5)
		buf_printf(&msg, "\n  … (%zu)", t->n_commits);
	error_set(err, ST_FAILED, "%s", buf_str(&msg));
	buf_free(&msg);
	return -1;
}
