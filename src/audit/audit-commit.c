/*
 * audit-commit.c — one change, one commit. Blobs are hashed first, then the trees along the
 * changed paths only and the commit (audit-tree.c: the cost of a one-record commit does not
 * grow with the repository), then refs/heads/main moves by compare-and-swap; if another
 * process moved it meanwhile the tree is rebuilt on the new tip. Every commit's objects are
 * made in memory and written as one pack (audit-pack.c): an import's hundred thousand files
 * become one file, a save's six objects one pack.
 */
#include "config.h"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit-private.h"
#include "audit/sha1.h"

#define CAS_TRIES 50

void
audit_commit_add_file(struct audit_commit *c, const char *path, const char *content, size_t len)
{
	struct audit_file *f;

	if (c->n_files == c->files_cap) {	/* an import adds 100,000 */
		c->files_cap = c->files_cap ? c->files_cap * 2 : 16;
		c->files = xrealloc_big(c->files, c->n_files * sizeof *c->files,
		    c->files_cap * sizeof *c->files);
	}
	f = &c->files[c->n_files++];
	f->path = xstrdup(path);
	f->content = content != NULL ? xstrndup(content, len) : NULL;
	f->len = len;	/* with no content, callers may use it as a mark */
	f->ahead = f->by_id = false;
}

void
audit_commit_take_file(struct audit_commit *c, const char *path, char *content, size_t len)
{
	audit_commit_add_file(c, path, NULL, len);
	c->files[c->n_files - 1].content = content;
}

void
audit_commit_free(struct audit_commit *c)
{
	free(c->author_name);
	free(c->author_email);
	free(c->subject);
	free(c->body);
	free(c->trailers);
	for (size_t i = 0; i < c->n_files; i++) {
		free(c->files[i].path);
		free(c->files[i].content);
	}
	free(c->files);
	memset(c, 0, sizeof *c);
}

/* Names in a signature may not hold '<', '>' or control characters. */
char *
audit_signature_text(const char *s)
{
	char *out = xstrdup(s != NULL && *s != '\0' ? s : "unknown");

	for (char *p = out; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == '<' || *p == '>')
			*p = ' ';
	return out;
}

static int
make_signatures(const struct audit_commit *c, git_signature **author, git_signature **committer,
    struct error *err)
{
	char *name = audit_signature_text(c->author_name);
	char *email = audit_signature_text(c->author_email);
	char host[256], *committer_email;
	struct tm tm;
	int rc;

	localtime_r(&c->when, &tm);
	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	committer_email = audit_signature_text(host);
	rc = git_signature_new(author, name, email, c->when, (int)(tm.tm_gmtoff / 60));
	if (rc == 0) {
		char *addr = xasprintf("huitou@%s", committer_email);

		rc = git_signature_new(committer, "huitou", addr, c->when, (int)(tm.tm_gmtoff / 60));
		free(addr);
	}
	free(name);
	free(email);
	free(committer_email);
	return rc < 0 ? audit_git_error(err, rc, _("making the commit's signature")) : 0;
}

char *
audit_commit_message(const struct audit_commit *c)
{
	struct buf msg = BUF_INIT;

	buf_adds(&msg, c->subject);
	buf_adds(&msg, "\n\n");
	if (c->body != NULL && *c->body != '\0') {
		buf_adds(&msg, c->body);
		if (msg.data[msg.len - 1] != '\n')
			buf_addc(&msg, '\n');
		buf_addc(&msg, '\n');
	}
	if (c->trailers != NULL)
		buf_adds(&msg, c->trailers);
	if (msg.len > 0 && msg.data[msg.len - 1] != '\n')
		buf_addc(&msg, '\n');
	buf_printf(&msg, "Outbox-Seq: %llu\n", (unsigned long long)c->seq);
	return buf_detach(&msg);
}

/* The tree updates and the blob ids (parallel to the files). The blobs are written to no
 * object store: the pack takes them from the texts (audit-pack.c), and the trees are made
 * from ids alone (audit-tree.c). */
static void
hash_blobs(const struct audit_commit *c, git_tree_update *ups, git_oid *ids)
{
	for (size_t i = 0; i < c->n_files; i++) {
		const struct audit_file *f = &c->files[i];

		ups[i].path = f->path;
		ups[i].filemode = GIT_FILEMODE_BLOB;
		ups[i].action = f->content != NULL || f->by_id ? GIT_TREE_UPDATE_UPSERT :
		    GIT_TREE_UPDATE_REMOVE;
		if (f->by_id)
			memcpy(ids[i].id, f->id, GIT_OID_RAWSZ);	/* in the repository already */
		else if (f->content != NULL)
			sha1_blob_id(f->content, f->len, ids[i].id);
		else
			continue;
		git_oid_cpy(&ups[i].id, &ids[i]);
	}
}

struct commit_try {
	git_repository *repo;
	const struct audit_commit *c;
	git_tree_update *ups;
	size_t n_ups;
	git_oid *blob_ids;	/* parallel to c->files */
	git_signature *author, *committer;
	const char *message;
	git_oid commit;
	git_oid tree;
	git_oid tip;		/* what the commit was built on, when has_tip */
	bool has_tip;
};

/* The tree of the commit tip: remembered when this process made it, else read. */
static int
tip_tree(struct audit *a, const git_oid *tip, git_oid *tree, struct error *err)
{
	git_commit *c = NULL;
	int rc;

	if (a->made && git_oid_equal(tip, &a->made_commit)) {
		git_oid_cpy(tree, &a->made_tree);
		return 0;
	}
	if ((rc = git_commit_lookup(&c, a->repo, tip)) < 0)
		return audit_git_error(err, rc, _("reading the audit tree"));
	git_oid_cpy(tree, git_commit_tree_id(c));
	git_commit_free(c);
	return 0;
}

/* The trees and the commit on top of tip (NULL: the first commit), in the writer's mempack. */
static int
build_commit(struct audit *a, struct commit_try *t, const git_oid *tip, struct error *err)
{
	git_oid base;

	if (tip != NULL && tip_tree(a, tip, &base, err) != 0)
		return -1;
	if (audit_tree_update(a, tip != NULL ? &base : NULL, t->ups, t->n_ups, &t->tree, err) != 0)
		return -1;
	return audit_commit_object(a, &t->tree, tip, t->author, t->committer, t->message,
	    &t->commit, err);
}

static void
remember_commit(struct audit *a, const git_oid *commit, const git_oid *tree, uint64_t seq)
{
	a->made = true;
	git_oid_cpy(&a->made_commit, commit);
	git_oid_cpy(&a->made_tree, tree);
	a->made_seq = seq;
}

/* Builds, packs and moves main onto the commit, on the tip as it is; again if it moved. */
static int
commit_loop(struct audit *a, struct commit_try *t, struct error *err)
{
	git_oid tip;
	bool has_tip;
	int rc = -1;

	for (int i = 0; i < CAS_TRIES; i++) {
		rc = -1;
		if (audit_tip(a, &tip, &has_tip, err) != 0 ||
		    build_commit(a, t, has_tip ? &tip : NULL, err) != 0)
			break;
		git_oid_cpy(&t->tip, &tip);
		t->has_tip = has_tip;
		if (audit_pack_new_objects(a, &t->tree, &t->commit, t->c->files, t->blob_ids,
		    t->c->n_files, err) != 0)
			break;
		fault_point("audit-objects-written");
		rc = audit_ref_move(a, has_tip ? &tip : NULL, &t->commit, t->c->subject, err);
		if (rc <= 0)
			break;
		usleep(1000 * (unsigned)(i + 1));
	}
	if (rc > 0)
		rc = error_set(err, ST_FAILED, _("the audit branch kept moving; the commit was not made"));
	return rc;
}

/*
 * The handle commits are written through: its object store is backed by memory first, so a
 * commit's objects become one pack (a few fsyncs) rather than loose files (two fsyncs and a
 * mkdir each). "huitou maintain" later folds the packs together.
 */
static int
writer_ready(struct audit *a, struct error *err)
{
	git_odb *odb = NULL;
	int rc;

	if (a->writer != NULL)
		return 0;
	if ((rc = git_repository_open_bare(&a->writer, a->path)) < 0 ||
	    (rc = git_repository_odb(&odb, a->writer)) < 0 || (rc = git_mempack_new(&a->mempack)) < 0 ||
	    (rc = git_odb_add_backend(odb, a->mempack, 999)) < 0) {
		if (a->mempack != NULL && rc < 0 && odb != NULL)
			a->mempack->free(a->mempack);
		a->mempack = NULL;
		git_odb_free(odb);
		git_repository_free(a->writer);
		a->writer = NULL;
		return audit_git_error(err, rc, _("preparing the audit writer"));
	}
	git_odb_free(odb);	/* the repository keeps its own reference */
	return 0;
}

/* The blobs c names by id must be in the repository: an outbox entry naming one that is not
 * is refused, never committed as a tree that points nowhere. */
static int
check_named_blobs(git_repository *repo, const struct audit_commit *c, struct error *err)
{
	git_odb *odb = NULL;
	int rc;

	if ((rc = git_repository_odb(&odb, repo)) < 0)
		return audit_git_error(err, rc, _("reading the audit repository"));
	for (size_t i = 0; i < c->n_files; i++) {
		const struct audit_file *f = &c->files[i];
		git_oid id;
		char hex[GIT_OID_HEXSZ + 1];

		if (!f->by_id)
			continue;
		memcpy(id.id, f->id, GIT_OID_RAWSZ);
		if (!git_odb_exists(odb, &id)) {
			git_odb_free(odb);
			return error_set(err, ST_FAILED, _("the commit names blob %s for %s, which the "
			    "audit repository does not have"), git_oid_tostr(hex, sizeof hex, &id),
			    f->path);
		}
	}
	git_odb_free(odb);
	return 0;
}

/* Sets t up for c: the message, the tree updates and blob ids, the signatures. */
static int
try_begin(struct audit *a, const struct audit_commit *c, struct commit_try *t, char **message,
    struct error *err)
{
	memset(t, 0, sizeof *t);
	t->c = c;
	t->n_ups = c->n_files;
	t->message = *message = audit_commit_message(c);
	t->ups = xcalloc_big(c->n_files + 1, sizeof *t->ups);
	t->blob_ids = xcalloc_big(c->n_files + 1, sizeof *t->blob_ids);
	if (writer_ready(a, err) != 0)
		return -1;
	t->repo = a->writer;
	if (check_named_blobs(a->writer, c, err) != 0)
		return -1;
	hash_blobs(c, t->ups, t->blob_ids);
	return make_signatures(c, &t->author, &t->committer, err);
}

static void
try_end(struct audit *a, struct commit_try *t, char *message)
{
	if (a->mempack != NULL)
		git_mempack_reset(a->mempack);	/* written to a pack, or abandoned */
	git_signature_free(t->author);
	git_signature_free(t->committer);
	free(t->ups);
	free(t->blob_ids);
	free(message);
}

/* Every FOLD_CHECK_EVERY commits (by Outbox-Seq, whichever process makes them) the pack folder
 * is looked at and small packs folded; a failure can wait for the next look or maintain. The
 * fold is done by audit_fold_if_due once the audit lock is given up: it reads and deflates up
 * to megabytes (a quarter of a save's processor at 100,000 institutions with batches), which
 * every waiting writer would otherwise wait for. Without the lock it is still safe: its pack is
 * written and the folder synced before the packs it holds are removed, a pack removed under
 * it (another fold, maintain) fails it before it removes anything, and a reader that misses
 * an object looks at the folder again. */
#define FOLD_CHECK_EVERY 8

static void
fold_packs(struct audit *a, uint64_t seq)
{
	if (seq % FOLD_CHECK_EVERY == 0)
		a->fold_due = true;
}

void
audit_fold_if_due(struct audit *a)
{
	struct error fold = ERROR_INIT;

	if (a == NULL || !a->fold_due)
		return;
	a->fold_due = false;
	audit_fold_small_packs(a, &fold);
	error_clear(&fold);
}

/* After a commit on main: small packs folded now and then; a process that commits again and
 * again (the console) has the next commit's files made meanwhile. */
static void
after_commit(struct audit *a, const git_oid *commit, const git_oid *tree, uint64_t seq,
    const git_oid *parent)
{
	bool again = a->made;

	remember_commit(a, commit, tree, seq);
	a->made_has_parent = parent != NULL;
	if (parent != NULL)
		git_oid_cpy(&a->made_parent, parent);
	fold_packs(a, seq);
	if (again)
		audit_spares_make(a);
}

int
audit_commit_make(struct audit *a, const struct audit_commit *c, struct error *err)
{
	struct commit_try t;
	char *message = NULL;
	int rc = -1;

	if (try_begin(a, c, &t, &message, err) == 0 && (rc = commit_loop(a, &t, err)) == 0) {
		after_commit(a, &t.commit, &t.tree, c->seq, t.has_tip ? &t.tip : NULL);
		rc = audit_tag_made(a, c, &t.commit, err);
	}
	try_end(a, &t, message);
	return rc;
}

/* A commit whose objects are written and synced, not yet on main; when it comes next after the
 * commit this process made last, main is locked for it too, the move written and synced. */
struct audit_prepared {
	uint64_t seq;
	bool has_tip;
	git_oid tip, tree, commit;
	struct audit_ref_lock *lock;	/* or NULL */
};

/* Whether c comes right after the tip, the commit this process made last: nothing waits in
 * the outbox before it, so main may be locked for it while the store commits. */
static bool
next_after_made(const struct audit *a, const struct audit_commit *c, const git_oid *tip,
    bool has_tip)
{
	return has_tip && a->made && git_oid_equal(tip, &a->made_commit) && c->seq == a->made_seq + 1;
}

int
audit_commit_prepare(struct audit *a, const struct audit_commit *c, struct audit_prepared **out,
    struct error *err)
{
	struct commit_try t;
	struct audit_prepared p;
	char *message = NULL;
	int rc = -1;

	*out = NULL;
	memset(&p, 0, sizeof p);
	if (try_begin(a, c, &t, &message, err) == 0 && audit_tip(a, &p.tip, &p.has_tip, err) == 0 &&
	    build_commit(a, &t, p.has_tip ? &p.tip : NULL, err) == 0 &&
	    audit_pack_new_objects(a, &t.tree, &t.commit, c->files, t.blob_ids, c->n_files,
	    err) == 0) {
		if (next_after_made(a, c, &p.tip, p.has_tip) &&
		    audit_ref_lock(a, &p.tip, &t.commit, c->subject, &p.lock, err) < 0)
			error_clear(err);	/* the finish moves main the usual way */
		p.seq = c->seq;
		git_oid_cpy(&p.tree, &t.tree);
		git_oid_cpy(&p.commit, &t.commit);
		*out = xmalloc(sizeof **out);
		**out = p;
		rc = 0;
	}
	try_end(a, &t, message);
	return rc;
}

int
audit_commit_finish(struct audit *a, const struct audit_commit *c, struct audit_prepared *p,
    struct error *err)
{
	int rc;

	if (p != NULL && p->seq != c->seq) {	/* not this commit's: its lock is given up first */
		audit_ref_abandon(p->lock);
		p->lock = NULL;
	}
	if (p == NULL || p->seq != c->seq)
		return audit_commit_make(a, c, err);
	fault_point("audit-objects-written");
	if (p->lock != NULL) {
		rc = audit_ref_finish(p->lock, err);
		p->lock = NULL;
	} else
		rc = audit_ref_move(a, p->has_tip ? &p->tip : NULL, &p->commit, c->subject, err);
	if (rc > 0)	/* main moved since: made again on its tip */
		return audit_commit_make(a, c, err);
	if (rc == 0) {
		after_commit(a, &p->commit, &p->tree, c->seq, p->has_tip ? &p->tip : NULL);
		rc = audit_tag_made(a, c, &p->commit, err);
	}
	return rc;
}

void
audit_prepared_free(struct audit_prepared *p)
{
	if (p != NULL)
		audit_ref_abandon(p->lock);	/* the store's change was not made */
	free(p);
}
