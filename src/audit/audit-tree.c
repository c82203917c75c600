/*
 * audit-tree.c — the trees and the commit object of a commit, made in memory. As with
 * git_tree_create_updated, only the trees on the changed paths are read and written (a tree
 * left empty is dropped from its parent), but each new object goes straight into the writer's
 * object store: libgit2's git_odb_write first asks every backend whether the object exists
 * and, when none has it, reads the pack directory again, once per new tree (about a millisecond
 * a save here). The trees made or read last are kept by id, so a save on the tip this process
 * made reads no tree from disk; an id names its content, so a kept tree is never stale.
 */
#include "config.h"

#include <git2/sys/odb_backend.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit-private.h"

#define MODE_TREE 040000u

/* One entry of a tree being made; name points into the base tree or an update's path. */
struct tree_item {
	unsigned mode;		/* 0: removed */
	const char *name;
	size_t name_len;
	git_oid oid;
};

struct tree_items {
	struct tree_item *v;
	size_t n, cap;
};

struct tree_job {
	struct audit *a;
	git_odb *odb;			/* where base trees not kept are read */
	const git_tree_update **ups;	/* in path order */
	struct error *err;
};

void
audit_tree_cache_clear(struct audit *a)
{
	for (size_t i = 0; i < AUDIT_TREES_KEPT; i++) {
		free(a->trees[i].data);
		a->trees[i].data = NULL;
		a->trees[i].len = 0;
	}
}

static struct audit_tree_kept *
cache_find(struct audit *a, const git_oid *oid)
{
	for (size_t i = 0; i < AUDIT_TREES_KEPT; i++)
		if (a->trees[i].data != NULL && git_oid_equal(&a->trees[i].oid, oid)) {
			a->trees[i].used = ++a->tree_clock;
			return &a->trees[i];
		}
	return NULL;
}

/* Keeps a copy of a tree in place of the one used longest ago. */
static void
cache_put(struct audit *a, const git_oid *oid, const char *data, size_t len)
{
	struct audit_tree_kept *slot = &a->trees[0];

	if (cache_find(a, oid) != NULL)
		return;
	for (size_t i = 1; i < AUDIT_TREES_KEPT && slot->data != NULL; i++)
		if (a->trees[i].data == NULL || a->trees[i].used < slot->used)
			slot = &a->trees[i];
	free(slot->data);
	slot->data = xmalloc(len + 1);
	memcpy(slot->data, data, len);
	slot->len = len;
	git_oid_cpy(&slot->oid, oid);
	slot->used = ++a->tree_clock;
}

/* A copy of the tree's raw text (caller frees), from the kept trees or the object store. */
static int
tree_read(struct tree_job *j, const git_oid *oid, char **data, size_t *len)
{
	struct audit_tree_kept *kept = cache_find(j->a, oid);
	git_odb_object *obj = NULL;
	int rc;

	if (kept != NULL) {
		*data = xmalloc(kept->len + 1);
		memcpy(*data, kept->data, kept->len);
		*len = kept->len;
		return 0;
	}
	if ((rc = git_odb_read(&obj, j->odb, oid)) < 0)
		return audit_git_error(j->err, rc, _("reading the audit tree"));
	if (git_odb_object_type(obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(obj);
		return error_set(j->err, ST_FAILED, _("the audit record holds a file where a folder "
		    "belongs"));
	}
	*len = git_odb_object_size(obj);
	*data = xmalloc(*len + 1);
	memcpy(*data, git_odb_object_data(obj), *len);
	git_odb_object_free(obj);
	cache_put(j->a, oid, *data, *len);
	return 0;
}

static struct tree_item *
items_add(struct tree_items *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	memset(&t->v[t->n], 0, sizeof t->v[0]);
	return &t->v[t->n++];
}

/* Entries are "MODE NAME\0" and 20 bytes of id. */
static int
items_parse(struct tree_job *j, const char *data, size_t len, struct tree_items *t)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		struct tree_item *it = items_add(t);
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		char *after;

		it->mode = (unsigned)strtoul(p, &after, 8);
		if (nul == NULL || *after != ' ' || after >= nul || end - nul - 1 < GIT_OID_RAWSZ)
			return error_set(j->err, ST_FAILED, _("an audit tree is damaged"));
		it->name = after + 1;
		it->name_len = (size_t)(nul - it->name);
		git_oid_fromraw(&it->oid, (const unsigned char *)nul + 1);
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	return 0;
}

static struct tree_item *
items_find(struct tree_items *t, const char *name, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].mode != 0 && t->v[i].name_len == len && memcmp(t->v[i].name, name, len) == 0)
			return &t->v[i];
	return NULL;
}

static void
items_set(struct tree_items *t, const char *name, size_t len, unsigned mode, const git_oid *oid)
{
	struct tree_item *it = items_find(t, name, len);

	if (it == NULL) {
		it = items_add(t);
		it->name = name;
		it->name_len = len;
	}
	it->mode = mode;
	git_oid_cpy(&it->oid, oid);
}

/* Git's order: names bytewise, a folder's name as if it ended in '/'. */
static int
compare_items(const void *pa, const void *pb)
{
	const struct tree_item *a = pa, *b = pb;
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int c = memcmp(a->name, b->name, n);
	unsigned char ca, cb;

	if (c != 0)
		return c;
	ca = a->name_len > n ? (unsigned char)a->name[n] : a->mode == MODE_TREE ? '/' : '\0';
	cb = b->name_len > n ? (unsigned char)b->name[n] : b->mode == MODE_TREE ? '/' : '\0';
	return (ca > cb) - (ca < cb);
}

/* Writes the tree the items make (none when empty and not the root) to the writer's store. */
static int
items_write(struct tree_job *j, struct tree_items *t, bool root, git_oid *out, bool *empty)
{
	struct buf text = BUF_INIT;
	size_t kept = 0;
	int rc;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].mode != 0)
			t->v[kept++] = t->v[i];
	t->n = kept;
	*empty = kept == 0 && !root;
	if (*empty)
		return 0;
	qsort(t->v, t->n, sizeof *t->v, compare_items);
	for (size_t i = 0; i < t->n; i++) {
		buf_printf(&text, "%o ", t->v[i].mode);
		buf_add(&text, t->v[i].name, t->v[i].name_len);
		buf_add(&text, "", 1);
		buf_add(&text, t->v[i].oid.id, GIT_OID_RAWSZ);
	}
	rc = git_odb_hash(out, text.data != NULL ? text.data : "", text.len, GIT_OBJECT_TREE);
	if (rc == 0)
		rc = j->a->mempack->write(j->a->mempack, out, text.data != NULL ? text.data : "",
		    text.len, GIT_OBJECT_TREE);
	if (rc == 0)
		cache_put(j->a, out, text.data != NULL ? text.data : "", text.len);
	buf_free(&text);
	return rc < 0 ? audit_git_error(j->err, rc, _("writing the audit tree")) : 0;
}

static int update_tree(struct tree_job *j, const git_oid *base, size_t lo, size_t hi,
    size_t plen, git_oid *out, bool *empty);

/* The updates lo..hi whose paths, after plen bytes, go on into the folder at lo. */
static size_t
folder_end(struct tree_job *j, size_t lo, size_t hi, size_t plen, size_t name_len)
{
	const char *first = j->ups[lo]->path + plen;
	size_t end = lo + 1;

	while (end < hi && strncmp(j->ups[end]->path + plen, first, name_len + 1) == 0)
		end++;
	return end;
}

/* Applies one folder's updates (lo..end) to the items of its parent. */
static int
update_folder(struct tree_job *j, struct tree_items *t, size_t lo, size_t end, size_t plen,
    size_t name_len)
{
	const char *name = j->ups[lo]->path + plen;
	struct tree_item *it = items_find(t, name, name_len);
	git_oid sub;
	bool empty;

	if (it != NULL && it->mode != MODE_TREE)
		return error_set(j->err, ST_FAILED, _("%s: a file of the audit record stands where a "
		    "folder belongs"), j->ups[lo]->path);
	if (update_tree(j, it != NULL ? &it->oid : NULL, lo, end, plen + name_len + 1, &sub,
	    &empty) != 0)
		return -1;
	if (empty && it != NULL)
		it->mode = 0;
	else if (!empty)
		items_set(t, name, name_len, MODE_TREE, &sub);
	return 0;
}

/* The tree at the common prefix (plen bytes) of updates lo..hi, made from base (or none). */
static int
update_tree(struct tree_job *j, const git_oid *base, size_t lo, size_t hi, size_t plen,
    git_oid *out, bool *empty)
{
	struct tree_items t = { NULL, 0, 0 };
	char *data = NULL;
	size_t len = 0, i = lo;
	int rc = 0;

	if (base != NULL && (tree_read(j, base, &data, &len) != 0 ||
	    items_parse(j, data, len, &t) != 0))
		rc = -1;
	while (rc == 0 && i < hi) {
		const git_tree_update *u = j->ups[i];
		const char *name = u->path + plen, *slash = strchr(name, '/');

		if (slash != NULL) {
			size_t end = folder_end(j, i, hi, plen, (size_t)(slash - name));

			rc = update_folder(j, &t, i, end, plen, (size_t)(slash - name));
			i = end;
			continue;
		}
		if (u->action == GIT_TREE_UPDATE_UPSERT)
			items_set(&t, name, strlen(name), (unsigned)u->filemode, &u->id);
		else if (items_find(&t, name, strlen(name)) != NULL)
			items_find(&t, name, strlen(name))->mode = 0;
		i++;
	}
	if (rc == 0)
		rc = items_write(j, &t, plen == 0, out, empty);
	free(t.v);
	free(data);
	return rc;
}

/* Path order; of two updates of one path the later stays later (it wins). */
static int
compare_updates(const void *pa, const void *pb)
{
	const git_tree_update *a = *(const git_tree_update *const *)pa;
	const git_tree_update *b = *(const git_tree_update *const *)pb;
	int c = strcmp(a->path, b->path);

	return c != 0 ? c : (a > b) - (a < b);
}

/* A path of files and folders: not empty, no empty name, no leading or trailing '/'. */
static bool
path_usable(const char *path)
{
	size_t len = strlen(path);

	return len > 0 && path[0] != '/' && path[len - 1] != '/' && strstr(path, "//") == NULL;
}

int
audit_tree_update(struct audit *a, const git_oid *base, const git_tree_update *ups, size_t n,
    git_oid *out, struct error *err)
{
	struct tree_job j = { a, NULL, xcalloc(n + 1, sizeof *j.ups), err };
	bool empty;
	int rc;

	for (size_t i = 0; i < n; i++)
		j.ups[i] = &ups[i];
	qsort(j.ups, n, sizeof *j.ups, compare_updates);
	for (size_t i = 0; i < n; i++)
		if (!path_usable(j.ups[i]->path)) {
			rc = error_set(err, ST_FAILED, _("%s: not a path for the audit record"),
			    j.ups[i]->path);
			free(j.ups);
			return rc;
		}
	if ((rc = git_repository_odb(&j.odb, a->repo)) < 0)
		rc = audit_git_error(err, rc, _("reading the audit tree"));
	else
		rc = update_tree(&j, base, 0, n, 0, out, &empty);
	git_odb_free(j.odb);
	free(j.ups);
	return rc;
}

/* A signature line as libgit2 writes it (git_signature__writebuf). */
static void
put_signature(struct buf *b, const char *header, const git_signature *sig)
{
	int offset = sig->when.offset < 0 ? -sig->when.offset : sig->when.offset;
	char sign = sig->when.offset < 0 || sig->when.sign == '-' ? '-' : '+';

	buf_printf(b, "%s%s <%s> %u %c%02d%02d\n", header, sig->name, sig->email,
	    (unsigned)sig->when.time, sign, offset / 60, offset % 60);
}

int
audit_commit_object(struct audit *a, const git_oid *tree, const git_oid *parent,
    const git_signature *author, const git_signature *committer, const char *message,
    git_oid *out, struct error *err)
{
	struct buf text = BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	buf_printf(&text, "tree %s\n", git_oid_tostr(hex, sizeof hex, tree));
	if (parent != NULL)
		buf_printf(&text, "parent %s\n", git_oid_tostr(hex, sizeof hex, parent));
	put_signature(&text, "author ", author);
	put_signature(&text, "committer ", committer);
	buf_adds(&text, "encoding UTF-8\n\n");
	buf_adds(&text, message);
	rc = git_odb_hash(out, text.data, text.len, GIT_OBJECT_COMMIT);
	if (rc == 0)
		rc = a->mempack->write(a->mempack, out, text.data, text.len, GIT_OBJECT_COMMIT);
	buf_free(&text);
	return rc < 0 ? audit_git_error(err, rc, _("writing the audit commit")) : 0;
}
