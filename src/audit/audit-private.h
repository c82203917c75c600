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

struct audit {
	git_repository *repo;
	git_repository *writer;		/* commits are made through it (audit-commit.c) */
	git_odb_backend *mempack;	/* the writer's in-memory object store */
	char *path;
	struct audit_tree_kept trees[AUDIT_TREES_KEPT];
	uint64_t tree_clock;
	bool made;			/* the last commit this process made: */
	git_oid made_commit, made_tree;
	uint64_t made_seq;
};

int audit_git_error(struct error *err, int rc, const char *what);
/* HEAD's commit, or NULL (and 0) for an empty repository. */
int audit_head_commit(struct audit *a, git_commit **out, struct error *err);
/* The id main names; *found false for an empty repository. */
int audit_tip(struct audit *a, git_oid *tip, bool *found, struct error *err);
/* Moves main from from (NULL: main must not exist) to to, logged with message: 0 moved, 1 if
 * someone else moved it first or holds its lock, -1 on failure (audit-ref.c). The objects'
 * folder is synced with the lock and the logs, before main moves onto what it holds. */
int audit_ref_move(struct audit *a, const git_oid *from, const git_oid *to, const char *message,
    struct error *err);

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

/* Writes the objects a commit made into one pack of dest (audit-pack.c): the commit and the
 * trees on the changed paths from src's object store (fresh: its mempack, where they were
 * made), and a blob for each of the n files with content, whose ids are blob_ids[i]; blobs
 * are taken from the texts, they are in no object store. The pack and its index are synced;
 * the folder is not, audit_ref_move syncs it before main names the commit. */
int audit_pack_new_objects(git_repository *src, git_odb_backend *fresh, git_repository *dest,
    const git_oid *tree, const git_oid *commit, const struct audit_file *files,
    const git_oid *blob_ids, size_t n, struct error *err);

/* Folds the small packs of single saves into one when there are many (audit-pack.c). */
int audit_fold_small_packs(struct audit *a, struct error *err);

#endif
