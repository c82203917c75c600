/*
 * audit-pack.c — packs. A bulk commit's new objects go into one pack (delta-compressed, so
 * 100,000 similar record files take a few MB, not 600 MB of loose files); "maintain" packs
 * everything reachable into one pack and removes the loose objects and old packs it replaces,
 * since libgit2 has no gc. Both run under the audit lock.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit-private.h"

static int
write_pack_buf(git_repository *dest, git_buf *pack, struct error *err)
{
	git_odb *odb = NULL;
	git_odb_writepack *wp = NULL;
	git_indexer_progress stats;
	int rc;

	memset(&stats, 0, sizeof stats);
	if ((rc = git_repository_odb(&odb, dest)) == 0 &&
	    (rc = git_odb_write_pack(&wp, odb, NULL, NULL)) == 0 &&
	    (rc = wp->append(wp, pack->ptr, pack->size, &stats)) == 0)
		rc = wp->commit(wp, &stats);
	if (wp != NULL)
		wp->free(wp);
	git_odb_free(odb);
	return rc < 0 ? audit_git_error(err, rc, _("writing a pack")) : 0;
}

/* The trees on the way to path in tree (not the blob itself). */
static int
insert_path_trees(git_packbuilder *pb, git_tree *tree, const char *path)
{
	char *dir = xstrdup(path);
	int rc = 0;

	for (char *slash = strchr(dir, '/'); slash != NULL && rc == 0; slash = strchr(slash + 1, '/')) {
		git_tree_entry *e = NULL;

		*slash = '\0';
		if (git_tree_entry_bypath(&e, tree, dir) == 0)
			rc = git_packbuilder_insert(pb, git_tree_entry_id(e), dir);
		git_tree_entry_free(e);
		*slash = '/';
	}
	free(dir);
	return rc;
}

int
audit_pack_new_objects(git_repository *src, git_repository *dest, const git_oid *tree_oid,
    const git_oid *commit, const git_tree_update *ups, size_t n, struct error *err)
{
	git_packbuilder *pb = NULL;
	git_tree *tree = NULL;
	git_buf pack = { NULL, 0, 0 };
	int rc;

	if ((rc = git_packbuilder_new(&pb, src)) < 0 || (rc = git_tree_lookup(&tree, src, tree_oid)) < 0)
		goto out;
	git_packbuilder_set_threads(pb, 0);	/* as many as there are cores */
	if ((rc = git_packbuilder_insert(pb, commit, NULL)) < 0 ||
	    (rc = git_packbuilder_insert(pb, tree_oid, "")) < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (ups[i].action != GIT_TREE_UPDATE_UPSERT)
			continue;
		rc = git_packbuilder_insert(pb, &ups[i].id, ups[i].path);
		if (rc == 0)
			rc = insert_path_trees(pb, tree, ups[i].path);
	}
	if (rc == 0 && (rc = git_packbuilder_write_buf(&pack, pb)) == 0) {
		rc = write_pack_buf(dest, &pack, err);
		git_buf_dispose(&pack);
		git_tree_free(tree);
		git_packbuilder_free(pb);
		return rc;
	}
out:
	git_tree_free(tree);
	git_packbuilder_free(pb);
	return audit_git_error(err, rc, _("packing a bulk commit"));
}
