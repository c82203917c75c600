/*
 * audit-read.c — reading the audit record back: the files of HEAD (for verify and rebuild),
 * the history of everything or of one path (for "huitou log" and the history view), and the
 * files one commit changed with their texts before and after it (for undo).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit-private.h"

struct walk_state {
	git_repository *repo;
	audit_file_fn fn;
	void *arg;
	int stop;
	struct error *err;
};

static int
walk_entry(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk_state *st = payload;
	git_blob *blob = NULL;
	char *path;
	int rc;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	if ((rc = git_blob_lookup(&blob, st->repo, git_tree_entry_id(e))) < 0) {
		audit_git_error(st->err, rc, git_tree_entry_name(e));
		st->stop = -1;
		return -1;
	}
	path = xasprintf("%s%s", root, git_tree_entry_name(e));
	st->stop = st->fn(st->arg, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	free(path);
	git_blob_free(blob);
	return st->stop != 0 ? -1 : 0;
}

int
audit_head_files(struct audit *a, const char *under, audit_file_fn fn, void *arg,
    struct error *err)
{
	struct walk_state st = { a->repo, fn, arg, 0, err };
	git_commit *head;
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *e = NULL;
	int rc = 0;

	if (audit_head_commit(a, &head, err) != 0)
		return -1;
	if (head == NULL)
		return 0;
	if ((rc = git_commit_tree(&tree, head)) == 0 && under != NULL && *under != '\0') {
		rc = git_tree_entry_bypath(&e, tree, under);
		if (rc == GIT_ENOTFOUND) {
			rc = 0;
			goto out;
		}
		if (rc == 0)
			rc = git_tree_lookup(&sub, a->repo, git_tree_entry_id(e));
	}
	if (rc == 0)
		rc = git_tree_walk(sub != NULL ? sub : tree, GIT_TREEWALK_PRE, walk_entry, &st);
	if (st.stop != 0)
		rc = st.stop;
	else if (rc < 0)
		rc = audit_git_error(err, rc, _("reading the audit tree"));
out:
	git_tree_entry_free(e);
	git_tree_free(sub);
	git_tree_free(tree);
	git_commit_free(head);
	return rc;
}

/* The blob at path in tree, copied; *content NULL when absent. */
static int
tree_file(git_repository *repo, git_tree *tree, const char *path, char **content, size_t *len)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int rc;

	*content = NULL;
	*len = 0;
	rc = git_tree_entry_bypath(&e, tree, path);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc == 0 && (rc = git_blob_lookup(&blob, repo, git_tree_entry_id(e))) == 0) {
		*len = (size_t)git_blob_rawsize(blob);
		*content = xstrndup(git_blob_rawcontent(blob), *len);
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	return rc;
}

/* One file of the tree the tag names (a publication's lists/NAME/…). */
int
audit_tag_file(struct audit *a, const char *tag, const char *path, char **content, size_t *len,
    struct error *err)
{
	char *ref = xasprintf("refs/tags/%s", tag);
	git_object *obj = NULL;
	git_tree *tree = NULL;
	int rc;

	*content = NULL;
	*len = 0;
	rc = git_revparse_single(&obj, a->repo, ref);
	free(ref);
	if (rc == GIT_ENOTFOUND)
		return error_set(err, ST_REFUSED, _("the audit repository has no tag %s"), tag);
	if (rc == 0)
		rc = git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE);
	if (rc == 0)
		rc = tree_file(a->repo, tree, path, content, len);
	git_tree_free(tree);
	git_object_free(obj);
	return rc < 0 ? audit_git_error(err, rc, path) : 0;
}

int
audit_head_file(struct audit *a, const char *path, char **content, size_t *len,
    struct error *err)
{
	git_commit *head;
	git_tree *tree = NULL;
	int rc;

	*content = NULL;
	*len = 0;
	if (audit_head_commit(a, &head, err) != 0)
		return -1;
	if (head == NULL)
		return 0;
	if ((rc = git_commit_tree(&tree, head)) == 0)
		rc = tree_file(a->repo, tree, path, content, len);
	git_tree_free(tree);
	git_commit_free(head);
	return rc < 0 ? audit_git_error(err, rc, path) : 0;
}

/* Fills the path's before/after for a commit; 1 when the path did not change. */
static int
path_change(git_repository *repo, git_commit *c, const char *path, struct audit_entry *e,
    char **before, char **after)
{
	git_tree *tree = NULL, *ptree = NULL;
	git_commit *parent = NULL;
	int rc = git_commit_tree(&tree, c);

	if (rc == 0 && git_commit_parentcount(c) > 0 && (rc = git_commit_parent(&parent, c, 0)) == 0)
		rc = git_commit_tree(&ptree, parent);
	if (rc == 0)
		rc = tree_file(repo, tree, path, after, &e->after_len);
	if (rc == 0 && ptree != NULL)
		rc = tree_file(repo, ptree, path, before, &e->before_len);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	if (rc < 0)
		return rc;
	e->before = *before;
	e->after = *after;
	if (*before == NULL && *after == NULL)
		return 1;
	return *before != NULL && *after != NULL && e->before_len == e->after_len &&
	    memcmp(*before, *after, e->after_len) == 0;
}

/* Who, when and what of commit c; the strings live as long as c. */
static void
entry_header(git_commit *c, struct audit_entry *e)
{
	git_oid_tostr(e->oid, sizeof e->oid, git_commit_id(c));
	e->author_name = git_commit_author(c)->name;
	e->author_email = git_commit_author(c)->email;
	e->when = (time_t)git_commit_author(c)->when.time;
	e->message = git_commit_message(c);
}

static int
log_one(git_repository *repo, const git_oid *oid, const char *path, audit_log_fn fn, void *arg,
    struct error *err)
{
	struct audit_entry e;
	git_commit *c = NULL;
	char *before = NULL, *after = NULL;
	int rc = git_commit_lookup(&c, repo, oid), same = 0;

	memset(&e, 0, sizeof e);
	if (rc == 0 && path != NULL)
		rc = same = path_change(repo, c, path, &e, &before, &after);
	if (rc < 0) {
		git_commit_free(c);
		return audit_git_error(err, rc, _("reading the audit history"));
	}
	rc = 0;
	if (same == 0) {
		entry_header(c, &e);
		rc = fn(arg, &e);
	}
	free(before);
	free(after);
	git_commit_free(c);
	return rc;
}

int
audit_walk_main(struct audit *a, git_revwalk **out, struct error *err)
{
	git_revwalk *walk = NULL;
	int rc;

	*out = NULL;
	if ((rc = git_revwalk_new(&walk, a->repo)) < 0)
		return audit_git_error(err, rc, _("reading the audit history"));
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	rc = git_revwalk_push_ref(walk, AUDIT_BRANCH);
	if (rc == GIT_ENOTFOUND) {
		git_revwalk_free(walk);
		return 0;
	}
	if (rc < 0) {
		git_revwalk_free(walk);
		return audit_git_error(err, rc, _("reading the audit history"));
	}
	*out = walk;
	return 0;
}

int
audit_log(struct audit *a, const char *path, audit_log_fn fn, void *arg, struct error *err)
{
	git_revwalk *walk;
	git_oid oid;
	int rc;

	if (audit_walk_main(a, &walk, err) != 0)
		return -1;
	if (walk == NULL)
		return 0;
	rc = 0;
	while (rc == 0 && (rc = git_revwalk_next(&oid, walk)) == 0)
		rc = log_one(a->repo, &oid, path, fn, arg, err);
	git_revwalk_free(walk);
	if (rc == GIT_ITEROVER)
		return 0;
	if (rc < 0 && err->message == NULL)
		return audit_git_error(err, rc, _("reading the audit history"));
	return rc;
}

/* The commit rev names, when it is main's tip or an ancestor of it; refused otherwise. */
static int
main_commit(struct audit *a, const char *rev, git_commit **out, struct error *err)
{
	git_object *obj = NULL;
	git_oid head;
	int rc;

	*out = NULL;
	rc = git_revparse_single(&obj, a->repo, rev);
	if (rc == 0)
		rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC || rc == GIT_EPEEL)
		return error_set(err, ST_REFUSED, _("the audit record has no commit '%s'"), rev);
	if (rc == 0 && (rc = git_reference_name_to_id(&head, a->repo, AUDIT_BRANCH)) == 0 &&
	    !git_oid_equal(&head, git_commit_id(*out)))
		rc = git_graph_descendant_of(a->repo, &head, git_commit_id(*out));
	else if (rc == 0)
		rc = 1;
	if (rc == 1)
		return 0;
	git_commit_free(*out);
	*out = NULL;
	if (rc == 0)
		return error_set(err, ST_REFUSED, _("'%s' is not a commit of the audit branch main"), rev);
	return audit_git_error(err, rc, rev);
}

int
audit_show(struct audit *a, const char *rev, audit_log_fn head, audit_change_fn change,
    void *arg, struct error *err)
{
	struct audit_entry e;
	git_commit *c;
	int rc;

	if (main_commit(a, rev, &c, err) != 0)
		return -1;
	memset(&e, 0, sizeof e);
	entry_header(c, &e);
	rc = head(arg, &e);
	if (rc == 0 && change != NULL)
		rc = audit_commit_changes(a->repo, c, change, arg, err);
	git_commit_free(c);
	return rc;
}
