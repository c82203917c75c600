/*
 * audit-private.h — what the files of src/audit/ share: the repository handle and the
 * translation of libgit2 errors into sentences.
 */
#ifndef HUITOU_AUDIT_PRIVATE_H
#define HUITOU_AUDIT_PRIVATE_H

#include <git2.h>

#include "audit/audit.h"

#define AUDIT_BRANCH "refs/heads/main"

/* A tree this process made or read lately, by id (audit-tree.c). */
struct audit_tree_kept {
	git_oid oid;
	char *data;		/* the raw tree, NULL for an empty slot */
	size_t len;
	uint64_t used;
};

#define AUDIT_TREES_KEPT 64

/* The files a commit creates, made ahead (audit-spare.c): its pack's and index's temporary
 * files, and the file that becomes refs/heads/main.lock. */
enum audit_spare { AUDIT_SPARE_PACK, AUDIT_SPARE_IDX, AUDIT_SPARE_LOCK, AUDIT_SPARES };

struct audit {
	git_repository *repo;
	git_repository *writer;		/* commits are made through it (audit-commit.c) */
	git_odb_backend *mempack;	/* the writer's in-memory object store */
	char *path;
	char *pack_dir;			/* path/objects/pack */
	mode_t file_mode;		/* of a ref file: 0666 less the umask */
	struct audit_tree_kept trees[AUDIT_TREES_KEPT];
	uint64_t tree_clock;
	bool made;			/* the last commit this process made: */
	git_oid made_commit, made_tree;
	uint64_t made_seq;
	git_oid made_parent;		/* what it was made on (made_has_parent false: nothing) */
	bool made_has_parent;
	struct pool_job *spare_job;	/* making the spares, until joined */
	bool fold_due;			/* a commit's Outbox-Seq asked for a fold (audit_fold_if_due) */
	int spare_fd[AUDIT_SPARES];	/* a spare is there when its path is not NULL */
	char *spare_path[AUDIT_SPARES];
};

int audit_git_error(struct error *err, int rc, const char *what);
/* Each file commit c changed against its first parent through fn, in path order, with its
 * texts before and after (audit-diff.c); fn's non-zero stops the walk and is returned. */
int audit_commit_changes(git_repository *repo, git_commit *c, audit_change_fn fn, void *arg,
    struct error *err);
/* A walk of main from its tip, newest first (audit-read.c); *out NULL when main has no commit. */
int audit_walk_main(struct audit *a, git_revwalk **out, struct error *err);
/* HEAD's commit, or NULL (and 0) for an empty repository. */
int audit_head_commit(struct audit *a, git_commit **out, struct error *err);
/* The id main names; *found false for an empty repository. */
int audit_tip(struct audit *a, git_oid *tip, bool *found, struct error *err);
/* Moves main from from (NULL: main must not exist) to to, logged with message: 0 moved, 1 if
 * someone else moved it first or holds its lock, -1 on failure (audit-ref.c). The objects'
 * folder is synced with the lock and the logs, before main moves onto what it holds. */
int audit_ref_move(struct audit *a, const git_oid *from, const git_oid *to, const char *message,
    struct error *err);
/* audit_ref_move in two steps: audit_ref_lock takes main.lock and writes, logs and syncs the
 * move (0, or 1 and -1 as above); audit_ref_finish renames the lock over main and syncs its
 * folder; audit_ref_abandon takes the log lines back and removes the lock. Both free lk. A
 * main.lock found while this process holds the audit lock is a killed process's: cleared. */
struct audit_ref_lock;
int audit_ref_lock(struct audit *a, const git_oid *from, const git_oid *to, const char *message,
    struct audit_ref_lock **lk, struct error *err);
int audit_ref_finish(struct audit_ref_lock *lk, struct error *err);
void audit_ref_abandon(struct audit_ref_lock *lk);
/* Clears a main.lock a killed process left, and the log lines of its move (audit lock held). */
void audit_ref_clear_stale(struct audit *a);
/* Whether this process holds the audit lock of audit_lock. */
bool audit_lock_held(void);

/*
 * The tree base (NULL: none) with the updates applied, written to the writer's mempack with the
 * trees it makes (audit-tree.c); removing an absent path does nothing.
 */
int audit_tree_update(struct audit *a, const git_oid *base, const git_tree_update *ups, size_t n,
    git_oid *out, struct error *err);
/* The commit object, written to the writer's mempack, byte for byte as git_commit_create
 * would write it with the encoding "UTF-8". */
int audit_commit_object(struct audit *a, const git_oid *tree, const git_oid *parent,
    const git_signature *author, const git_signature *committer, const char *message,
    git_oid *out, struct error *err);
void audit_tree_cache_clear(struct audit *a);

/* Writes the objects a commit made into one pack (audit-pack.c): the commit and the trees on
 * the changed paths from the writer's mempack, where they were made, and a blob for each of
 * the n files with content, whose ids are blob_ids[i]; blobs are taken from the texts, they
 * are in no object store. The pack and its index are synced; the folder is not,
 * audit_ref_move syncs it before main names the commit. */
int audit_pack_new_objects(struct audit *a, const git_oid *tree, const git_oid *commit,
    const struct audit_file *files, const git_oid *blob_ids, size_t n, struct error *err);

/* Starts making the next commit's temporary files in a thread, unless they are there. */
void audit_spares_make(struct audit *a);
/* A temporary file of the kind in pack_dir, opened for writing, its path in *path (the
 * caller frees): a's spare when there is one (a may be NULL), else a new one; -1 on failure. */
int audit_spare_take(struct audit *a, enum audit_spare kind, const char *pack_dir, char **path);
/* Creates the lock file at lock exclusively, from a's spare when there is one (renamed into
 * place, failing if lock exists, as O_EXCL does); its descriptor, or -1 with errno (EEXIST:
 * someone holds the lock). */
int audit_lock_create(struct audit *a, const char *lock);
/* Waits for the thread and removes the spares (at close). */
void audit_spares_drop(struct audit *a);

/* A name or email as a signature holds it (audit-commit.c); caller frees. */
char *audit_signature_text(const char *s);
/* The message of c's commit, Outbox-Seq trailer included (audit-commit.c); caller frees. */
char *audit_commit_message(const struct audit_commit *c);

/* The tag a commit's "Tag: NAME" trailer asks for, made right after main moved onto commit
 * (audit-tag.c); nothing without one. */
int audit_tag_made(struct audit *a, const struct audit_commit *c, const git_oid *commit,
    struct error *err);
bool audit_trailers_tag(const char *trailers);

/* An object as another pack stores it, to be copied into a new pack (audit-fold.c): its
 * entry's header (type, size, and a delta's base id) and its zlib stream, not inflated. */
struct pack_copy {
	git_oid oid;
	unsigned char head[32];
	size_t head_len;
	const unsigned char *body;
	size_t body_len;
	uint32_t crc;		/* of head and body, as the new pack's index gives it */
	bool delta;
	bool duplicate;		/* another copy of the same object is written instead */
};

/* Writes the copies but the duplicates as one pack (and index) into dir, synced (audit-pack.c). */
int audit_pack_write_copies(const struct pack_copy *copies, size_t n, const char *dir,
    struct error *err);
/* Folds the small packs of single saves into one when there are many (audit-fold.c). */
int audit_fold_small_packs(struct audit *a, struct error *err);

#endif
