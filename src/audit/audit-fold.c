/*
 * audit-fold.c — folding the small packs that saves leave, so lookups never search hundreds
 * of packs. Only the smallest are folded: each pack kept is more than twice the size of the
 * packs below it together, as git's geometric repack keeps them, so an object is copied again
 * a few times in its life, not at every fold (folding everything rewrote the growing folded
 * pack each time).
 *
 * Each object is copied as its pack stores it, as git's repack reuses what it can: its zlib
 * stream is not inflated and deflated again (that was half of a writer's processor time).
 * Its bytes are checked against the CRC its pack's index gives, so damage is not copied on; a
 * delta against an offset in its pack (git's own packs have them) becomes a delta against its
 * base's id, as the offsets change; an object in two packs is kept once, a whole copy when
 * there is one, so a base is never a delta of its own delta. Runs once the audit lock is given
 * up; a pack removed under it (another fold, maintain) fails it before it removes anything.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "audit/audit-private.h"

#define SMALL_PACK_BYTES (4 << 20)
#define SMALL_PACKS_MAX 32
#define FOLD_FACTOR 2

#define IDX_HEAD (8 + 256 * 4)	/* magic, version, fan-out */
#define OBJ_OFS_DELTA 6
#define OBJ_REF_DELTA 7

struct small_pack {
	char *name;	/* without ".pack" */
	off_t size;
};

/* An object of a pack: where it starts, and its number in the index. */
struct placed {
	uint32_t offset, obj;
};

/* A pack read whole, with its version 2 index. */
struct source_pack {
	const char *name;
	struct buf idx, pack;
	size_t n;		/* objects */
	struct placed *order;	/* the objects by offset */
};

static int
compare_pack_sizes(const void *a, const void *b)
{
	const struct small_pack *x = a, *y = b;

	return (x->size > y->size) - (x->size < y->size);
}

/* Whether git was told to keep the pack as it is (a .keep file beside it). */
static bool
kept_by_git(const char *dir, const char *name, size_t len)
{
	char *keep = xasprintf("%s/%.*s.keep", dir, (int)(len - 5), name);
	bool kept = path_exists(keep);

	free(keep);
	return kept;
}

/* The small packs of dir, smallest first (not those git keeps). */
static struct small_pack *
small_packs(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct small_pack *packs = NULL;

	*n = 0;
	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		struct stat st;
		char *path;

		if (len < 10 || !str_starts(e->d_name, "pack-") || strcmp(e->d_name + len - 5, ".pack") != 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 && st.st_size < SMALL_PACK_BYTES &&
		    !kept_by_git(dir, e->d_name, len)) {
			packs = xrealloc(packs, (*n + 1) * sizeof *packs);
			packs[*n].name = xstrndup(e->d_name, len - 5);
			packs[(*n)++].size = st.st_size;
		}
		free(path);
	}
	if (d != NULL)
		closedir(d);
	if (*n > 1)
		qsort(packs, *n, sizeof *packs, compare_pack_sizes);
	return packs;
}

/* How many of the smallest packs to fold: up to the first one larger than FOLD_FACTOR times
 * those below it together. */
static size_t
packs_to_fold(const struct small_pack *packs, size_t n)
{
	off_t below = 0;
	size_t k = 0;

	while (k < n && (k == 0 || packs[k].size <= FOLD_FACTOR * below))
		below += packs[k++].size;
	return k;
}

static void
small_packs_free(struct small_pack *packs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(packs[i].name);
	free(packs);
}

static uint32_t
be32_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const unsigned char *
idx_bytes(const struct source_pack *sp)
{
	return (const unsigned char *)sp->idx.data;
}

static const unsigned char *
idx_oid(const struct source_pack *sp, uint32_t i)
{
	return idx_bytes(sp) + IDX_HEAD + 20 * (size_t)i;
}

static uint32_t
idx_crc(const struct source_pack *sp, uint32_t i)
{
	return be32_at(idx_bytes(sp) + IDX_HEAD + 20 * sp->n + 4 * (size_t)i);
}

static uint32_t
idx_offset(const struct source_pack *sp, uint32_t i)
{
	return be32_at(idx_bytes(sp) + IDX_HEAD + 24 * sp->n + 4 * (size_t)i);
}

static int
compare_offsets(const void *a, const void *b)
{
	uint32_t x = ((const struct placed *)a)->offset, y = ((const struct placed *)b)->offset;

	return (x > y) - (x < y);
}

static int
damaged(const struct source_pack *sp, const char *what, struct error *err)
{
	return error_set(err, ST_FAILED, _("the pack %s cannot be folded: %s"), sp->name, what);
}

/* The index is version 2, of this pack, with 32-bit offsets inside it, in order. */
static int
check_index(struct source_pack *sp, struct error *err)
{
	const unsigned char *idx = idx_bytes(sp), *pack = (const unsigned char *)sp->pack.data;
	size_t pack_len = sp->pack.len;

	if (sp->idx.len < IDX_HEAD + 40 || memcmp(idx, "\377tOc\0\0\0\2", 8) != 0)
		return damaged(sp, _("its index is not of version 2"), err);
	sp->n = be32_at(idx + IDX_HEAD - 4);
	if (sp->idx.len != IDX_HEAD + 28 * sp->n + 40)
		return damaged(sp, _("its index has a size its count does not give"), err);
	if (pack_len < 32 || memcmp(pack, "PACK", 4) != 0 || be32_at(pack + 8) != sp->n ||
	    memcmp(pack + pack_len - 20, idx + sp->idx.len - 40, 20) != 0)
		return damaged(sp, _("its index is not of this pack"), err);
	sp->order = xcalloc(sp->n + 1, sizeof *sp->order);
	for (uint32_t i = 0; i < sp->n; i++) {
		if (idx_offset(sp, i) < 12 || idx_offset(sp, i) >= pack_len - 20)
			return damaged(sp, _("its index names an offset outside it"), err);
		sp->order[i].offset = idx_offset(sp, i);
		sp->order[i].obj = i;
	}
	qsort(sp->order, sp->n, sizeof *sp->order, compare_offsets);
	return 0;
}

static int
read_source(const char *dir, struct source_pack *sp, struct error *err)
{
	char *idx = xasprintf("%s/%s.idx", dir, sp->name), *pack = xasprintf("%s/%s.pack", dir, sp->name);
	int rc = file_read_all(idx, &sp->idx, err) == 0 && file_read_all(pack, &sp->pack, err) == 0 ?
	    check_index(sp, err) : -1;

	free(idx);
	free(pack);
	return rc;
}

/* The object number at offset, or n. */
static uint32_t
object_at(const struct source_pack *sp, uint64_t offset)
{
	size_t lo = 0, hi = sp->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sp->order[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sp->n && sp->order[lo].offset == offset ? sp->order[lo].obj : (uint32_t)sp->n;
}

/* The entry from p to end: its header parsed into c (an offset delta made a delta by id),
 * its CRC checked. */
static int
copy_entry(const struct source_pack *sp, uint32_t obj, const unsigned char *p,
    const unsigned char *end, struct pack_copy *c, struct error *err)
{
	const unsigned char *q = p;
	int type = (*p >> 4) & 7;
	uint64_t back, base;
	uint32_t body_crc;

	do	/* type and size: a byte, then more while the high bit is set */
		if (q >= end || q - p >= 10)
			return damaged(sp, _("an object's header runs past its end"), err);
	while (*q++ & 0x80);
	memcpy(c->head, p, (size_t)(q - p));
	c->head_len = (size_t)(q - p);
	c->delta = type == OBJ_OFS_DELTA || type == OBJ_REF_DELTA;
	if (type == OBJ_OFS_DELTA) {	/* how far back its base starts, in git's varint */
		if (q >= end)
			return damaged(sp, _("an object's header runs past its end"), err);
		for (back = *q & 0x7f; *q & 0x80; back = ((back + 1) << 7) | (*q & 0x7f))
			if (++q >= end || back >= (uint64_t)1 << 32)
				return damaged(sp, _("an object's header runs past its end"), err);
		q++;
		if (back == 0 || back > idx_offset(sp, obj) ||
		    (base = object_at(sp, idx_offset(sp, obj) - back)) == sp->n)
			return damaged(sp, _("a delta names no object of the pack as its base"), err);
		c->head[0] = (unsigned char)((c->head[0] & 0x8f) | OBJ_REF_DELTA << 4);
		memcpy(c->head + c->head_len, idx_oid(sp, (uint32_t)base), 20);
		c->head_len += 20;
	} else if (type == OBJ_REF_DELTA) {
		if (end - q < 20)
			return damaged(sp, _("an object's header runs past its end"), err);
		memcpy(c->head + c->head_len, q, 20);
		c->head_len += 20;
		q += 20;
	}
	c->body = q;
	c->body_len = (size_t)(end - q);
	body_crc = (uint32_t)crc32(0, q, (uInt)c->body_len);
	if ((uint32_t)crc32_combine(crc32(0, p, (uInt)(q - p)), body_crc, (z_off_t)c->body_len) !=
	    idx_crc(sp, obj))
		return damaged(sp, _("an object's bytes do not match its index's CRC"), err);
	c->crc = (uint32_t)crc32_combine(crc32(0, c->head, (uInt)c->head_len), body_crc,
	    (z_off_t)c->body_len);
	memcpy(c->oid.id, idx_oid(sp, obj), 20);
	return 0;
}

/* Every object of sp appended to *copies, in the order the pack holds them. */
static int
add_copies(const struct source_pack *sp, struct pack_copy **copies, size_t *n, struct error *err)
{
	const unsigned char *pack = (const unsigned char *)sp->pack.data;
	int rc = 0;

	*copies = xrealloc(*copies, (*n + sp->n + 1) * sizeof **copies);
	for (size_t k = 0; k < sp->n && rc == 0; k++) {
		size_t end = k + 1 < sp->n ? sp->order[k + 1].offset : sp->pack.len - 20;

		memset(&(*copies)[*n], 0, sizeof **copies);
		rc = copy_entry(sp, sp->order[k].obj, pack + sp->order[k].offset, pack + end,
		    &(*copies)[*n], err);
		*n += rc == 0;
	}
	return rc;
}

/* Whole copies first among the same ids, so the one kept is whole if any is. */
static int
compare_copy_ids(const void *a, const void *b)
{
	const struct pack_copy *x = *(const struct pack_copy *const *)a;
	const struct pack_copy *y = *(const struct pack_copy *const *)b;
	int d = git_oid_cmp(&x->oid, &y->oid);

	return d != 0 ? d : (int)x->delta - (int)y->delta;
}

static int
compare_copies(const void *a, const void *b)
{
	return git_oid_cmp(&(*(const struct pack_copy *const *)a)->oid,
	    &(*(const struct pack_copy *const *)b)->oid);
}

/* The copy kept of the object id among kept (n of them, by id), or NULL. */
static const struct pack_copy *
kept_copy(struct pack_copy *const *kept, size_t n, const unsigned char *id)
{
	struct pack_copy key;
	const struct pack_copy *k = &key, *const *found;

	memcpy(key.oid.id, id, 20);
	found = bsearch(&k, kept, n, sizeof *kept, compare_copies);
	return found != NULL ? *found : NULL;
}

/* One copy of each object is kept, a whole one if any is (a save may write a blob a pack has);
 * the others are marked duplicates. Then every delta kept must have its base kept, and no chain
 * of bases may come back on itself (two of git's packs could each hold one object as a delta
 * of the other). */
static int
choose_copies(struct pack_copy *copies, size_t n, struct error *err)
{
	struct pack_copy **kept = xcalloc(n + 1, sizeof *kept);
	size_t n_kept = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		kept[i] = &copies[i];
	qsort(kept, n, sizeof *kept, compare_copy_ids);
	for (size_t i = 0; i < n; i++) {	/* the first of each id's run stays, in id order */
		kept[i]->duplicate = n_kept > 0 && git_oid_equal(&kept[i]->oid, &kept[n_kept - 1]->oid);
		if (!kept[i]->duplicate)
			kept[n_kept++] = kept[i];
	}
	for (size_t i = 0; i < n_kept && rc == 0; i++) {
		const struct pack_copy *c = kept[i];

		for (size_t depth = 0; c != NULL && c->delta && rc == 0; depth++) {
			c = kept_copy(kept, n_kept, c->head + c->head_len - 20);
			if (c == NULL || depth > n_kept)
				rc = error_set(err, ST_FAILED, _("the small packs cannot be folded: a delta's base is not among them, or a chain of deltas comes back on itself"));
		}
	}
	free(kept);
	return rc;
}

/* A pack's files, the index first, as git removes them (its reverse index and bitmap, if git
 * made them, too). */
static void
remove_pack(const char *dir, const char *name)
{
	static const char *const ext[] = { ".idx", ".pack", ".rev", ".bitmap", ".mtimes", ".promisor" };

	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
		char *path = xasprintf("%s/%s%s", dir, name, ext[i]);

		unlink(path);
		free(path);
	}
}

/* The first fold packs copied into one new pack, synced with its folder before they go. */
static int
fold_packs(const char *dir, const struct small_pack *packs, size_t fold, struct error *err)
{
	struct source_pack *src = xcalloc(fold, sizeof *src);
	struct pack_copy *copies = NULL;
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < fold && rc == 0; i++) {
		src[i].name = packs[i].name;
		if ((rc = read_source(dir, &src[i], err)) == 0)
			rc = add_copies(&src[i], &copies, &n, err);
	}
	if (rc == 0) {
		if ((rc = choose_copies(copies, n, err)) == 0 &&
		    (rc = audit_pack_write_copies(copies, n, dir, err)) == 0 &&
		    (rc = dir_sync(dir, err)) == 0)
			for (size_t i = 0; i < fold; i++)
				remove_pack(dir, packs[i].name);
	}
	for (size_t i = 0; i < fold; i++) {
		buf_free(&src[i].idx);
		buf_free(&src[i].pack);
		free(src[i].order);
	}
	free(src);
	free(copies);
	return rc;
}

int
audit_fold_small_packs(struct audit *a, struct error *err)
{
	char *dir = xasprintf("%s/objects/pack", a->path);
	size_t n, fold;
	struct small_pack *packs = small_packs(dir, &n);
	int rc = 0;

	if (n > SMALL_PACKS_MAX && (fold = packs_to_fold(packs, n)) > 1)
		rc = fold_packs(dir, packs, fold, err);
	small_packs_free(packs, n);
	free(dir);
	return rc;
}
