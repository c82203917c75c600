/*
 * audit-private.h — what the files of src/audit/ share: the repository handle and the
 * translation of libgit2 errors into sentences.
 */
#ifndef HUITOU_AUDIT_PRIVATE_H
#define HUITOU_AUDIT_PRIVATE_H

#include <git2.h>

#include "audit/audit.h"

#define AUDIT_BRANCH "refs/heads/main"

struct audit {
	git_repository *repo;
	git_repository *writer;		/* commits are made through it (audit-commit.c) */
	git_odb_backend *mempack;	/* the writer's in-memory object store */
	char *path;
};

int audit_git_error(struct error *err, int rc, const char *what);
/* HEAD's commit, or NULL (and 0) for an empty repository. */
int audit_head_commit(struct audit *a, git_commit **out, struct error *err);

/* Writes the objects a commit made into one pack of dest (audit-pack.c): the commit and the
 * trees on the changed paths from src's object store (fresh: its mempack, where they were
 * made), and a blob for each of the n files with content, whose ids are blob_ids[i]; blobs
 * are taken from the texts, they are in no object store. */
int audit_pack_new_objects(git_repository *src, git_odb_backend *fresh, git_repository *dest,
    const git_oid *tree, const git_oid *commit, const struct audit_file *files,
    const git_oid *blob_ids, size_t n, struct error *err);

/* Folds the small packs of single saves into one when there are many (audit-pack.c). */
int audit_fold_small_packs(struct audit *a, struct error *err);

#endif
