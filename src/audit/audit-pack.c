/*
 * audit-pack.c — the pack of a commit, written by huitou itself. libgit2's packbuilder
 * searches deltas among every pair in a window, which takes seconds for 100,000 records; here
 * the structure is known: record files of one shard directory differ only in some values, so
 * each is stored as a delta against the first file of its directory (depth 1, cheap to read),
 * trees and the commit whole. Blobs come straight from the commit's texts (they never pass
 * through an object store). Deltas are stored in zlib's uncompressed form: they are mostly
 * the Chinese values that differ, which deflate makes larger, not smaller, at 12 us a record.
 * The pack and its version 2 index are written to temporary files, synced, and renamed into
 * objects/pack, index last, as git does. Runs under the audit lock.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <git2/sys/odb_backend.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "audit/audit-private.h"
#include "audit/delta.h"
#include "audit/sha1.h"

struct pack_entry {
	git_oid oid;
	git_object_t type;
	git_odb_object *obj;	/* holds the data when read from an object store, else NULL */
	const char *data;	/* the object's bytes: obj's, or a file text of the commit */
	size_t len;
	const char *path;	/* blobs: for grouping by directory */
	bool duplicate;		/* the same blob is written once, by another entry */
	const struct pack_copy *copy; /* an entry of another pack, written as it is (the fold) */
	struct pack_entry *base; /* delta base, or NULL */
	uint64_t offset;
	uint32_t crc;
};

struct pack_writer {
	struct audit *spares;	/* whose spare files to take, or NULL */
	int fd;
	char *tmp;
	struct sha1_ctx sum;
	uint64_t offset;
	z_stream z;
	struct buf out;		/* written to fd a megabyte at a time: syscalls are dear */
	uint64_t written;	/* bytes in the file so far */
	struct buf chunk;	/* compressed bytes of the entry being written */
	struct buf delta;
	struct error *err;
};


static int
write_fd(struct pack_writer *w, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return error_set(w->err, ST_FAILED, _("cannot write %s: %s"), w->tmp,
			    strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Each megabyte is handed to the disk as it is written (advice: errors show at the fsync),
 * so the fsync at the end waits for the last one rather than for all 28 MB of an import. */
static int
write_flush(struct pack_writer *w)
{
	int rc = write_fd(w, w->out.data, w->out.len);

#ifdef SYNC_FILE_RANGE_WRITE
	if (rc == 0)
		(void)sync_file_range(w->fd, (off_t)w->written, (off_t)w->out.len,
		    SYNC_FILE_RANGE_WRITE);
#endif
	w->written += w->out.len;
	buf_reset(&w->out);
	return rc;
}

static int
write_all(struct pack_writer *w, const void *data, size_t len)
{
	sha1_update(&w->sum, len, data);
	w->offset += len;
	buf_add(&w->out, data, len);
	return w->out.len >= (1 << 20) ? write_flush(w) : 0;
}

static int
deflate_into(struct pack_writer *w, const void *data, size_t len)
{
	int zr;

	buf_reset(&w->chunk);
	if (deflateReset(&w->z) != Z_OK)
		return error_set(w->err, ST_FAILED, _("zlib cannot compress"));
	w->z.next_in = (Bytef *)data;
	w->z.avail_in = (uInt)len;
	do {
		buf_grow(&w->chunk, len / 2 + 64);
		w->z.next_out = (Bytef *)w->chunk.data + w->chunk.len;
		w->z.avail_out = (uInt)(w->chunk.cap - w->chunk.len - 1);
		zr = deflate(&w->z, Z_FINISH);
		w->chunk.len = w->chunk.cap - 1 - w->z.avail_out;
	} while (zr == Z_OK || zr == Z_BUF_ERROR);
	return zr == Z_STREAM_END ? 0 : error_set(w->err, ST_FAILED, _("zlib cannot compress"));
}

/* data as a zlib stream of stored (uncompressed) blocks, for what deflate cannot shrink. */
static void
store_into(struct pack_writer *w, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t adler = (uint32_t)adler32(adler32(0, NULL, 0), p, (uInt)len);
	unsigned char head[5], sum[4] = { (unsigned char)(adler >> 24), (unsigned char)(adler >> 16),
	    (unsigned char)(adler >> 8), (unsigned char)adler };

	buf_reset(&w->chunk);
	buf_add(&w->chunk, "\x78\x01", 2);	/* deflate, 32 KB window, no dictionary */
	do {
		size_t n = len > 0xffff ? 0xffff : len;

		head[0] = n == len;	/* the last block; type 00: stored */
		head[1] = (unsigned char)n, head[2] = (unsigned char)(n >> 8);
		head[3] = (unsigned char)~n, head[4] = (unsigned char)(~n >> 8);
		buf_add(&w->chunk, head, 5);
		buf_add(&w->chunk, p, n);
		p += n;
		len -= n;
	} while (len > 0);
	buf_add(&w->chunk, sum, 4);
}

/* Type and size header; then the base id for a delta; then the data, compressed (deflated)
 * or stored as it is. */
static int
write_entry(struct pack_writer *w, struct pack_entry *e, int type, const void *data,
    size_t len, bool deflated)
{
	unsigned char head[32];
	size_t n = 0, size = len;

	if (!deflated)
		store_into(w, data, len);
	else if (deflate_into(w, data, len) != 0)
		return -1;
	head[n++] = (unsigned char)((type << 4) | (size & 0x0f) | (size >= 16 ? 0x80 : 0));
	for (size >>= 4; size > 0; size >>= 7)
		head[n++] = (unsigned char)((size & 0x7f) | (size >= 128 ? 0x80 : 0));
	if (type == GIT_OBJECT_REF_DELTA) {
		memcpy(head + n, e->base->oid.id, GIT_OID_RAWSZ);
		n += GIT_OID_RAWSZ;
	}
	e->offset = w->offset;
	e->crc = (uint32_t)crc32(crc32(0, head, (uInt)n), (Bytef *)w->chunk.data, (uInt)w->chunk.len);
	return write_all(w, head, n) == 0 && write_all(w, w->chunk.data, w->chunk.len) == 0 ? 0 : -1;
}

static int
write_object(struct pack_writer *w, struct pack_entry *e)
{
	if (e->copy != NULL) {
		e->offset = w->offset;
		e->crc = e->copy->crc;
		return write_all(w, e->copy->head, e->copy->head_len) == 0 &&
		    write_all(w, e->copy->body, e->copy->body_len) == 0 ? 0 : -1;
	}
	if (e->base != NULL && delta_encode(e->base->data, e->base->len, e->data, e->len,
	    &w->delta) == 0 && w->delta.len < e->len * 3 / 4)
		return write_entry(w, e, GIT_OBJECT_REF_DELTA, w->delta.data, w->delta.len, false);
	e->base = NULL;
	return write_entry(w, e, (int)e->type, e->data, e->len, true);
}

static int
compare_oids(const void *a, const void *b)
{
	const struct pack_entry *x = *(struct pack_entry *const *)a;
	const struct pack_entry *y = *(struct pack_entry *const *)b;

	return git_oid_cmp(&x->oid, &y->oid);
}

static void
put_be32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
	    (unsigned char)(v >> 8), (unsigned char)v };

	buf_add(b, p, 4);
}

/* The version 2 index of the pack whose checksum is pack_sum. */
static void
build_index(struct pack_entry *entries, size_t all, const unsigned char pack_sum[20],
    struct buf *idx)
{
	struct pack_entry **sorted = xcalloc(all + 1, sizeof *sorted);
	uint32_t fanout[256] = { 0 };
	unsigned char sum[20];
	struct sha1_ctx s;
	size_t n = 0;

	for (size_t i = 0; i < all; i++)
		if (!entries[i].duplicate) {
			sorted[n++] = &entries[i];
			fanout[entries[i].oid.id[0]]++;
		}
	qsort(sorted, n, sizeof *sorted, compare_oids);
	buf_add(idx, "\377tOc", 4);
	put_be32(idx, 2);
	for (uint32_t i = 0, total = 0; i < 256; i++)
		put_be32(idx, total += fanout[i]);
	for (size_t i = 0; i < n; i++)
		buf_add(idx, sorted[i]->oid.id, GIT_OID_RAWSZ);
	for (size_t i = 0; i < n; i++)
		put_be32(idx, sorted[i]->crc);
	for (size_t i = 0; i < n; i++)
		put_be32(idx, (uint32_t)sorted[i]->offset);	/* packs here stay far below 2 GB */
	buf_add(idx, pack_sum, 20);
	sha1_init(&s);
	sha1_update(&s, idx->len, (const uint8_t *)idx->data);
	sha1_digest(&s, sizeof sum, sum);
	buf_add(idx, sum, 20);
	free(sorted);
}

struct collect {
	git_repository *repo;
	git_odb *odb;
	git_odb_backend *fresh;	/* the mempack: what this commit wrote */
	struct pack_entry *v;
	size_t n, cap;
};

static int
add_entry(struct collect *c, const git_oid *oid, const char *path)
{
	struct pack_entry *e;
	int rc;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->v = xrealloc_big(c->v, c->n * sizeof *c->v, c->cap * sizeof *c->v);
	}
	e = &c->v[c->n];
	memset(e, 0, sizeof *e);
	git_oid_cpy(&e->oid, oid);
	e->path = path;
	if ((rc = git_odb_read(&e->obj, c->odb, oid)) < 0)
		return rc;
	e->type = git_odb_object_type(e->obj);
	e->data = git_odb_object_data(e->obj);
	e->len = git_odb_object_size(e->obj);
	c->n++;
	return 0;
}

/* A blob of the commit, from its text (which must outlive the collection). */
static void
add_blob(struct collect *c, const git_oid *oid, const struct audit_file *f)
{
	struct pack_entry *e;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->v = xrealloc_big(c->v, c->n * sizeof *c->v, c->cap * sizeof *c->v);
	}
	e = &c->v[c->n++];
	memset(e, 0, sizeof *e);
	git_oid_cpy(&e->oid, oid);
	e->type = GIT_OBJECT_BLOB;
	e->data = f->content;
	e->len = f->len;
	e->path = f->path;
}

/* The trees this commit made: those of the new tree that are in the mempack. */
static int
add_new_trees(struct collect *c, const git_oid *oid)
{
	git_tree *tree = NULL;
	int rc;

	if (!c->fresh->exists(c->fresh, oid))
		return 0;
	if ((rc = add_entry(c, oid, NULL)) < 0 || (rc = git_tree_lookup(&tree, c->repo, oid)) < 0)
		return rc;
	for (size_t i = 0; i < git_tree_entrycount(tree) && rc == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);

		if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
			rc = add_new_trees(c, git_tree_entry_id(e));
	}
	git_tree_free(tree);
	return rc;
}

static int
compare_paths(const void *a, const void *b)
{
	return strcmp(((const struct pack_entry *)a)->path, ((const struct pack_entry *)b)->path);
}

static size_t
dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? (size_t)(slash - path) : 0;
}

/* Blobs in path order, each based on the first blob of its directory. */
static void
choose_bases(struct pack_entry *blobs, size_t n)
{
	struct pack_entry *first = NULL;

	qsort(blobs, n, sizeof *blobs, compare_paths);
	for (size_t i = 0; i < n; i++) {
		size_t len = dir_len(blobs[i].path);

		if (first == NULL || dir_len(first->path) != len ||
		    strncmp(first->path, blobs[i].path, len) != 0)
			first = &blobs[i];
		else
			blobs[i].base = first;
	}
}

/* Whole blobs first among the same ids, so the one kept is a delta base if any is. */
static int
compare_blob_ids(const void *a, const void *b)
{
	const struct pack_entry *x = *(struct pack_entry *const *)a;
	const struct pack_entry *y = *(struct pack_entry *const *)b;
	int d = git_oid_cmp(&x->oid, &y->oid);

	return d != 0 ? d : (x->base != NULL) - (y->base != NULL);
}

/* Two files with the same text are one blob: it is written once (a pack holds each object
 * once); a delta against the other copy finds the one kept by its id. */
static void
mark_duplicates(struct pack_entry *blobs, size_t n)
{
	struct pack_entry **sorted = xcalloc(n + 1, sizeof *sorted);

	for (size_t i = 0; i < n; i++)
		sorted[i] = &blobs[i];
	qsort(sorted, n, sizeof *sorted, compare_blob_ids);
	for (size_t i = 1; i < n; i++)
		sorted[i]->duplicate = git_oid_equal(&sorted[i]->oid, &sorted[i - 1]->oid);
	free(sorted);
}

static int
collect_objects(struct collect *c, const git_oid *tree, const git_oid *commit,
    const struct audit_file *files, const git_oid *blob_ids, size_t n)
{
	size_t first_blob;
	int rc;

	if ((rc = add_entry(c, commit, NULL)) < 0 || (rc = add_new_trees(c, tree)) < 0)
		return rc;
	first_blob = c->n;
	for (size_t i = 0; i < n; i++)
		if (files[i].content != NULL)
			add_blob(c, &blob_ids[i], &files[i]);
	choose_bases(c->v + first_blob, c->n - first_blob);
	mark_duplicates(c->v + first_blob, c->n - first_blob);
	return 0;
}

/* The pack and its index synced together (in parallel: one wait, not two), then renamed,
 * the index last. */
static int
sync_and_rename(struct pack_writer *w, int idx_fd, const char *tmp_idx, const char *pack,
    const char *idx)
{
	int fds[2] = { w->fd, idx_fd };

	if (fchmod(w->fd, 0444) != 0 || fchmod(idx_fd, 0444) != 0 || file_sync_together(fds, 2) != 0 ||
	    rename(w->tmp, pack) != 0 || rename(tmp_idx, idx) != 0)
		return error_set(w->err, ST_FAILED, _("cannot write %s: %s"), pack, strerror(errno));
	return 0;
}

static int
write_pack_files(struct pack_writer *w, struct collect *c, const char *dir)
{
	unsigned char sum[20], head[12] = { 'P', 'A', 'C', 'K', 0, 0, 0, 2 };
	char hex[41], *pack = NULL, *idx = NULL, *tmp_idx = NULL;
	struct buf index = BUF_INIT;
	int fd = -1, rc = -1;
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += !c->v[i].duplicate;
	for (int i = 0; i < 4; i++)
		head[8 + i] = (unsigned char)(n >> (24 - 8 * i));
	if (write_all(w, head, sizeof head) != 0)
		goto out;
	for (size_t i = 0; i < c->n; i++)
		if (!c->v[i].duplicate && write_object(w, &c->v[i]) != 0)
			goto out;
	sha1_digest(&w->sum, sizeof sum, sum);
	buf_add(&w->out, sum, sizeof sum);
	if (write_flush(w) != 0)
		goto out;
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	pack = xasprintf("%s/pack-%s.pack", dir, hex);
	idx = xasprintf("%s/pack-%s.idx", dir, hex);
	build_index(c->v, c->n, sum, &index);
	if ((fd = audit_spare_take(w->spares, AUDIT_SPARE_IDX, dir, &tmp_idx)) < 0 ||
	    write(fd, index.data, index.len) != (ssize_t)index.len) {
		error_set(w->err, ST_FAILED, _("cannot write %s: %s"), tmp_idx, strerror(errno));
		goto out;
	}
	if (sync_and_rename(w, fd, tmp_idx, pack, idx) == 0)
		rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0 && tmp_idx != NULL)
		unlink(tmp_idx);
	buf_free(&index);
	free(tmp_idx);
	free(pack);
	free(idx);
	return rc;
}

/* Writes the collected objects as one pack (and index) into dir, into spares' temporary files
 * when it has them (spares may be NULL). */
static int
write_pack(struct collect *c, const char *dir, struct audit *spares, struct error *err)
{
	struct pack_writer w;
	int rc;

	memset(&w, 0, sizeof w);
	w.spares = spares;
	w.err = err;
	w.fd = -1;
	sha1_init(&w.sum);
	if (deflateInit(&w.z, Z_BEST_SPEED) != Z_OK)
		rc = error_set(err, ST_FAILED, _("zlib cannot compress"));
	else {
		if ((w.fd = audit_spare_take(spares, AUDIT_SPARE_PACK, dir, &w.tmp)) < 0)
			rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), w.tmp, strerror(errno));
		else if ((rc = write_pack_files(&w, c, dir)) != 0)
			unlink(w.tmp);
		deflateEnd(&w.z);
	}
	if (w.fd >= 0)
		close(w.fd);
	buf_free(&w.chunk);
	buf_free(&w.out);
	buf_free(&w.delta);
	free(w.tmp);
	return rc;
}

static void
collect_free(struct collect *c)
{
	for (size_t i = 0; i < c->n; i++)
		git_odb_object_free(c->v[i].obj);
	free(c->v);
	git_odb_free(c->odb);
}

int
audit_pack_new_objects(struct audit *a, const git_oid *tree, const git_oid *commit,
    const struct audit_file *files, const git_oid *blob_ids, size_t n, struct error *err)
{
	struct collect c = { a->writer, NULL, a->mempack, NULL, 0, 0 };
	int rc;

	if ((rc = git_repository_odb(&c.odb, a->writer)) < 0 ||
	    (rc = collect_objects(&c, tree, commit, files, blob_ids, n)) < 0)
		rc = audit_git_error(err, rc, _("packing a commit"));
	else
		rc = write_pack(&c, a->pack_dir, a, err);
	collect_free(&c);
	return rc;
}

int
audit_blobs_write(struct audit *a, struct audit_file *files, size_t n, struct error *err)
{
	struct collect c = { NULL, NULL, NULL, NULL, 0, 0 };
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		struct audit_file *f = &files[i];
		git_oid id;

		if (!f->ahead || f->content == NULL)
			continue;
		sha1_blob_id(f->content, f->len, id.id);
		memcpy(f->id, id.id, sizeof f->id);
		add_blob(&c, &id, f);
	}
	if (c.n > 0) {	/* whole and deflated: no delta among texts of megabytes */
		mark_duplicates(c.v, c.n);
		rc = write_pack(&c, a->pack_dir, a, err);
	}
	free(c.v);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (files[i].ahead && files[i].content != NULL) {
			free(files[i].content);
			files[i].content = NULL;
			files[i].by_id = true;
		}
	return rc;
}

int
audit_pack_write_copies(const struct pack_copy *copies, size_t n, const char *dir,
    struct error *err)
{
	struct collect c = { NULL, NULL, NULL, NULL, 0, n };
	int rc;

	c.v = xcalloc(n + 1, sizeof *c.v);
	for (size_t i = 0; i < n; i++) {
		git_oid_cpy(&c.v[i].oid, &copies[i].oid);
		c.v[i].duplicate = copies[i].duplicate;
		c.v[i].copy = &copies[i];
	}
	c.n = n;
	rc = write_pack(&c, dir, NULL, err);
	free(c.v);
	return rc;
}
