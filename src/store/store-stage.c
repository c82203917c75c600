/*
 * store-stage.c — the bulk load of a write transaction (store_txn_bulk). New records and
 * their index keys wait here instead of going into LMDB one at a time in the order rows
 * come; before the commit (or a read that needs them in LMDB) they are written a database at
 * a time, sorted by key, with MDB_APPEND where they come after every key the database holds.
 * Appended pages are filled instead of split in half, and each put lands on the page the last
 * one touched; the sorts run on the other core while LMDB is written. Records and unique
 * values are found here by hash, so the transaction reads its own writes exactly as before
 * (txn_get); plain index keys are only written, never looked up.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

/* Without the input's size, each database's arena, entries and hash table start this large:
 * address space, mostly untouched, that xrealloc_big and xcalloc_big can put in huge pages
 * from the start. With it, they start at what the input needs. */
#define STAGE_START_BYTES ((size_t)8 << 20)
#define STAGE_MIN_ENTRIES 1024

struct stage_entry {
	size_t off;		/* key, then data, in the arena */
	uint32_t key_len;
	uint32_t data_len;
};

/* What waits for one database. */
struct stage_db {
	MDB_dbi dbi;
	bool lookup;		/* found by key: records and unique values */
	struct buf arena;
	struct stage_entry *entries;
	size_t n, cap;
	uint64_t *slots;	/* lookup: hash << 32 | entry index + 1; 0 when free */
	size_t n_slots;
};

struct stage {
	struct stage_db *dbs;
	size_t n_dbs;
	size_t arena_bytes;	/* each arena's first size */
	size_t first_entries;	/* each database's first room for entries */
};

/* A record stored takes about twice its CSV row (its field names are kept with it), and a
 * row about 128 bytes or more: arenas and entries that size are seldom copied to grow, the
 * part not filled is never touched, and a small import touches little. */
void
stage_begin(struct store_txn *txn, size_t input_bytes)
{
	struct stage *st;

	if (!txn->write || txn->stage != NULL)
		return;
	st = txn->stage = xcalloc(1, sizeof *txn->stage);
	st->arena_bytes = STAGE_START_BYTES;
	st->first_entries = STAGE_START_BYTES / sizeof(struct stage_entry);
	if (input_bytes > 0 && input_bytes < SIZE_MAX / 4) {
		st->arena_bytes = 2 * input_bytes + 4096;
		st->first_entries = input_bytes / 128 + STAGE_MIN_ENTRIES;
	}
}

static void
stage_clear(struct stage *st)
{
	for (size_t i = 0; i < st->n_dbs; i++) {
		buf_free(&st->dbs[i].arena);
		free(st->dbs[i].entries);
		free(st->dbs[i].slots);
	}
	free(st->dbs);
	st->dbs = NULL;
	st->n_dbs = 0;
}

void
stage_free(struct store_txn *txn)
{
	if (txn->stage == NULL)
		return;
	heap_release();
	stage_clear(txn->stage);
	free(txn->stage);
	txn->stage = NULL;
}

static struct stage_db *
db_find(const struct stage *st, MDB_dbi dbi)
{
	for (size_t i = 0; st != NULL && i < st->n_dbs; i++)
		if (st->dbs[i].dbi == dbi)
			return &st->dbs[i];
	return NULL;
}

static struct stage_db *
db_get(struct stage *st, MDB_dbi dbi, bool lookup)
{
	struct stage_db *db = db_find(st, dbi);

	if (db != NULL)
		return db;
	st->dbs = xrealloc(st->dbs, (st->n_dbs + 1) * sizeof *st->dbs);
	db = &st->dbs[st->n_dbs++];
	memset(db, 0, sizeof *db);
	db->dbi = dbi;
	db->lookup = lookup;
	buf_grow(&db->arena, st->arena_bytes);
	db->cap = st->first_entries;
	db->entries = xrealloc_big(NULL, 0, db->cap * sizeof *db->entries);
	return db;
}

/* FNV-1a. */
static uint32_t
key_hash(const MDB_val *key)
{
	return str_hash(key->mv_data, key->mv_size);
}

static const char *
entry_key(const struct stage_db *db, const struct stage_entry *e)
{
	return db->arena.data + e->off;
}

/* The slot that holds the key, or the free slot where it would go. */
static uint64_t *
slot_find(const struct stage_db *db, uint32_t hash, const MDB_val *key)
{
	size_t mask = db->n_slots - 1, i = hash & mask;

	for (;; i = (i + 1) & mask) {
		uint64_t s = db->slots[i];
		const struct stage_entry *e;

		if (s == 0)
			return &db->slots[i];
		e = &db->entries[(uint32_t)s - 1];
		if ((s >> 32) == hash && e->key_len == key->mv_size &&
		    memcmp(entry_key(db, e), key->mv_data, key->mv_size) == 0)
			return &db->slots[i];
	}
}

static void
slots_grow(struct stage_db *db)
{
	size_t old = db->n_slots, mask;
	uint64_t *from = db->slots;

	if (old == 0)	/* a power of two, at least twice the first room for entries */
		for (db->n_slots = STAGE_MIN_ENTRIES; db->n_slots < 2 * db->cap; db->n_slots *= 2)
			;
	else
		db->n_slots = old * 2;
	db->slots = xcalloc_big(db->n_slots, sizeof *db->slots);
	mask = db->n_slots - 1;
	for (size_t k = 0; k < old; k++) {
		size_t i = (from[k] >> 32) & mask;

		if (from[k] == 0)
			continue;
		while (db->slots[i] != 0)
			i = (i + 1) & mask;
		db->slots[i] = from[k];
	}
	free(from);
}

/* 0 and the data when the stage holds the key, else MDB_NOTFOUND. The data lives in the
 * stage: it is good until the next put. */
int
stage_get(const struct store_txn *txn, MDB_dbi dbi, const MDB_val *key, MDB_val *data)
{
	const struct stage_db *db = db_find(txn->stage, dbi);
	const struct stage_entry *e;
	uint64_t slot;

	if (db == NULL || !db->lookup || db->n == 0)
		return MDB_NOTFOUND;
	if ((slot = *slot_find(db, key_hash(key), key)) == 0)
		return MDB_NOTFOUND;
	e = &db->entries[(uint32_t)slot - 1];
	data->mv_size = e->data_len;
	data->mv_data = db->arena.data + e->off + e->key_len;
	return 0;
}

static void
entry_fill(struct stage_db *db, struct stage_entry *e, const MDB_val *key, const MDB_val *data)
{
	if (key->mv_size > UINT32_MAX || data->mv_size > UINT32_MAX)
		fatal("a staged key or value of %zu bytes", key->mv_size + data->mv_size);
	e->off = db->arena.len;
	e->key_len = (uint32_t)key->mv_size;
	e->data_len = (uint32_t)data->mv_size;
	buf_add(&db->arena, key->mv_data, key->mv_size);
	buf_add(&db->arena, data->mv_data, data->mv_size);
}

/* Holds key → data for the flush; a key put again (lookup only) replaces its data. */
void
stage_put(struct store_txn *txn, MDB_dbi dbi, const MDB_val *key, const MDB_val *data,
    bool lookup)
{
	struct stage_db *db = db_get(txn->stage, dbi, lookup);
	uint32_t hash = 0;
	uint64_t *slot = NULL;

	if (db->lookup) {
		if ((db->n + 1) * 2 > db->n_slots)
			slots_grow(db);
		hash = key_hash(key);
		slot = slot_find(db, hash, key);
		if (*slot != 0) {
			entry_fill(db, &db->entries[(uint32_t)*slot - 1], key, data);
			return;
		}
	}
	if (db->n == db->cap) {
		db->cap *= 2;
		db->entries = xrealloc_big(db->entries, db->n * sizeof *db->entries,
		    db->cap * sizeof *db->entries);
	}
	if (db->n >= UINT32_MAX)
		fatal("too many staged keys");
	entry_fill(db, &db->entries[db->n++], key, data);
	if (slot != NULL)
		*slot = (uint64_t)hash << 32 | (uint32_t)db->n;
}

/* Whether a put belongs in the stage: a new key (an insert) in a bulk transaction, or a key
 * the stage holds already (a staged record written again). */
bool
stage_takes(const struct store_txn *txn, MDB_dbi dbi, const MDB_val *key, bool is_new)
{
	MDB_val v;

	return txn->stage != NULL && (is_new || stage_get(txn, dbi, key, &v) == 0);
}

/* Reads through the stage: what this transaction wrote, staged or in LMDB. */
int
txn_get(struct store_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data)
{
	if (stage_get(txn, dbi, key, data) == 0)
		return 0;
	return mdb_get(txn->txn, dbi, key, data);
}

/* LMDB's default order: bytes, then the shorter first. */
static int
key_cmp(const void *a, size_t alen, const void *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c != 0 ? c : (alen > blen) - (alen < blen);
}

/*
 * What the sort moves: the first 28 bytes of an entry's key, zero-padded, as big-endian
 * numbers, and a copy of the entry. Prefixes that differ order their keys as LMDB does (a
 * key that ends early pads with zeros and so sorts first, as the shorter does); equal ones
 * send the comparison to the whole keys. Keys here are mostly shorter than that, so the sort
 * compares numbers, and the puts then read the slots in order and each entry's bytes once.
 */
struct sort_slot {
	uint64_t k[3];
	uint32_t k3;
	struct stage_entry e;
};

static uint64_t
prefix_word(const unsigned char *p, size_t len, size_t from, size_t width)
{
	uint64_t v = 0;

	for (size_t i = from; i < from + width; i++)
		v = v << 8 | (i < len ? p[i] : 0);
	return v;
}

static void
slot_make(const struct stage_db *db, size_t i, struct sort_slot *s)
{
	const unsigned char *key = (const unsigned char *)entry_key(db, &db->entries[i]);
	size_t len = db->entries[i].key_len;

	for (size_t w = 0; w < 3; w++)
		s->k[w] = prefix_word(key, len, w * 8, 8);
	s->k3 = (uint32_t)prefix_word(key, len, 24, 4);
	s->e = db->entries[i];
}

static int
slot_cmp(const struct stage_db *db, const struct sort_slot *x, const struct sort_slot *y)
{
	for (size_t w = 0; w < 3; w++)
		if (x->k[w] != y->k[w])
			return x->k[w] < y->k[w] ? -1 : 1;
	if (x->k3 != y->k3)
		return x->k3 < y->k3 ? -1 : 1;
	return key_cmp(entry_key(db, &x->e), x->e.key_len, entry_key(db, &y->e), y->e.key_len);
}

static void
slot_swap(struct sort_slot *a, struct sort_slot *b)
{
	struct sort_slot t = *a;

	*a = *b;
	*b = t;
}

/* Hoare's partition around the median of three; both sides come back non-empty. */
static size_t
slots_partition(const struct stage_db *db, struct sort_slot *v, size_t n)
{
	size_t i = 0, j = n - 1, mid = n / 2;
	struct sort_slot pivot;

	if (slot_cmp(db, &v[mid], &v[0]) < 0)
		slot_swap(&v[mid], &v[0]);
	if (slot_cmp(db, &v[j], &v[mid]) < 0) {
		slot_swap(&v[j], &v[mid]);
		if (slot_cmp(db, &v[mid], &v[0]) < 0)
			slot_swap(&v[mid], &v[0]);
	}
	pivot = v[mid];
	for (;;) {
		while (slot_cmp(db, &v[i], &pivot) < 0)
			i++;
		while (slot_cmp(db, &pivot, &v[j]) < 0)
			j--;
		if (i >= j)
			return j + 1;
		slot_swap(&v[i++], &v[j--]);
	}
}

/* Quicksort with the comparison inlined (qsort's calls cost more than comparing here). */
static void
slots_sort(const struct stage_db *db, struct sort_slot *v, size_t n)
{
	while (n > 16) {
		size_t left = slots_partition(db, v, n);

		if (left < n - left) {
			slots_sort(db, v, left);
			v += left;
			n -= left;
		} else {
			slots_sort(db, v + left, n - left);
			n = left;
		}
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && slot_cmp(db, &v[j], &v[j - 1]) < 0; j--)
			slot_swap(&v[j], &v[j - 1]);
}

/* The database's entries in key order, in slots that hold db->n. */
static void
sort_entries(const struct stage_db *db, struct sort_slot *slots)
{
	for (size_t i = 0; i < db->n; i++)
		slot_make(db, i, &slots[i]);
	slots_sort(db, slots, db->n);
}

static void
entry_vals(const struct stage_db *db, const struct stage_entry *e, MDB_val *k, MDB_val *v)
{
	k->mv_size = e->key_len;
	k->mv_data = (char *)entry_key(db, e);
	v->mv_size = e->data_len;
	v->mv_data = (char *)entry_key(db, e) + e->key_len;
}

/* How many of the sorted keys do not come after the database's last key; those are put in
 * place, the rest appended. */
static int
append_from(MDB_cursor *cur, const struct stage_db *db, const struct sort_slot *slots,
    size_t *split)
{
	MDB_val last, v;
	int rc = mdb_cursor_get(cur, &last, &v, MDB_LAST);

	*split = 0;
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	while (*split < db->n) {
		const struct stage_entry *e = &slots[*split].e;

		if (key_cmp(entry_key(db, e), e->key_len, last.mv_data, last.mv_size) > 0)
			break;
		(*split)++;
	}
	return 0;
}

/* A key already there is fine only with the same data (an index key put twice). */
static int
put_one(MDB_cursor *cur, const struct stage_db *db, const struct stage_entry *e, bool append,
    struct error *err)
{
	MDB_val k, v, want;
	int rc;

	entry_vals(db, e, &k, &v);
	want = v;
	rc = mdb_cursor_put(cur, &k, &v, append ? MDB_APPEND : MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST && !append && v.mv_size == want.mv_size &&
	    memcmp(v.mv_data, want.mv_data, v.mv_size) == 0)
		return 0;
	if (rc == MDB_KEYEXIST)
		return error_set(err, ST_FAILED, _("internal error: the bulk load met a key twice"));
	return rc == 0 ? 0 : store_lmdb_error(err, rc, _("writing records in key order"));
}

/* A plain index key staged twice (sorted next to each other): one put is enough. Keys
 * looked up are staged once. */
static bool
same_entry(const struct stage_db *db, const struct stage_entry *a, const struct stage_entry *b)
{
	return !db->lookup && a->key_len == b->key_len && a->data_len == b->data_len &&
	    memcmp(entry_key(db, a), entry_key(db, b), (size_t)a->key_len + a->data_len) == 0;
}

/* One database's sorted entries: in place up to the last key it holds, then appended. */
static int
flush_db(struct store_txn *txn, const struct stage_db *db, const struct sort_slot *slots,
    struct error *err)
{
	MDB_cursor *cur;
	size_t split;
	int rc = mdb_cursor_open(txn->txn, db->dbi, &cur);

	if (rc == 0 && (rc = append_from(cur, db, slots, &split)) != 0)
		mdb_cursor_close(cur);
	if (rc != 0)
		return store_lmdb_error(err, rc, _("writing records in key order"));
	for (size_t i = 0; rc == 0 && i < db->n; i++)
		if (i == 0 || !same_entry(db, &slots[i - 1].e, &slots[i].e))
			rc = put_one(cur, db, &slots[i].e, i >= split, err);
	mdb_cursor_close(cur);
	return rc;
}

/*
 * The sorts of a flush, on the other core while this one grows the heap for LMDB's pages and
 * writes the databases sorted before: each database has its own slots, and is written once
 * the sorter has done it. A small stage (an update flushing a few staged records), or one
 * without a second thread, is sorted here, a database at a time.
 */
#define SORTER_MIN_ENTRIES 4096
struct sorter {
	const struct stage *st;
	size_t n_entries;
	struct sort_slot **slots;	/* per database */
	size_t n_sorted;		/* databases done, in order */
	pthread_mutex_t lock;
	pthread_cond_t sorted;
	pthread_t thread;
	bool threaded;
};

static void *
sorter_run(void *arg)
{
	struct sorter *s = arg;

	for (size_t i = 0; i < s->st->n_dbs; i++) {
		sort_entries(&s->st->dbs[i], s->slots[i]);
		pthread_mutex_lock(&s->lock);
		s->n_sorted = i + 1;
		pthread_cond_signal(&s->sorted);
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

static void
sorter_start(struct sorter *s, const struct stage *st)
{
	s->st = st;
	s->slots = xcalloc(st->n_dbs, sizeof *s->slots);
	s->n_entries = 0;
	for (size_t i = 0; i < st->n_dbs; i++) {
		s->slots[i] = xrealloc_big(NULL, 0, (st->dbs[i].n + 1) * sizeof **s->slots);
		s->n_entries += st->dbs[i].n;
	}
	s->n_sorted = 0;
	s->threaded = s->n_entries >= SORTER_MIN_ENTRIES && pthread_mutex_init(&s->lock, NULL) == 0;
	if (s->threaded && pthread_cond_init(&s->sorted, NULL) != 0) {
		pthread_mutex_destroy(&s->lock);
		s->threaded = false;
	}
	if (s->threaded && pthread_create(&s->thread, NULL, sorter_run, s) != 0) {
		pthread_cond_destroy(&s->sorted);
		pthread_mutex_destroy(&s->lock);
		s->threaded = false;
	}
}

/* Database i's entries in key order. */
static const struct sort_slot *
sorter_wait(struct sorter *s, size_t i)
{
	if (!s->threaded) {
		sort_entries(&s->st->dbs[i], s->slots[i]);
		return s->slots[i];
	}
	pthread_mutex_lock(&s->lock);
	while (s->n_sorted <= i)
		pthread_cond_wait(&s->sorted, &s->lock);
	pthread_mutex_unlock(&s->lock);
	return s->slots[i];
}

static void
sorter_finish(struct sorter *s)
{
	if (s->threaded) {
		if (pthread_join(s->thread, NULL) != 0)
			fatal("cannot wait for the bulk load's sorter");
		pthread_cond_destroy(&s->sorted);
		pthread_mutex_destroy(&s->lock);
	}
	for (size_t i = 0; i < s->st->n_dbs; i++)
		free(s->slots[i]);
	free(s->slots);
}

/* Writes what the stage holds into LMDB, a database at a time in key order, and empties it. */
int
stage_flush(struct store_txn *txn, struct error *err)
{
	struct stage *st = txn->stage;
	struct sorter sorter;
	size_t bytes = 0;
	int rc = 0;

	if (st == NULL || st->n_dbs == 0)
		return 0;
	sorter_start(&sorter, st);
	for (size_t i = 0; i < st->n_dbs; i++)
		bytes += st->dbs[i].arena.len + st->dbs[i].n * 16;	/* and LMDB's node headers */
	heap_reserve(bytes + bytes / 8);	/* LMDB's dirty pages, a malloc each (released at free) */
	for (size_t i = 0; i < st->n_dbs && rc == 0; i++)
		rc = flush_db(txn, &st->dbs[i], sorter_wait(&sorter, i), err);
	sorter_finish(&sorter);	/* after an error, the sorts not waited for end first */
	stage_clear(st);
	return rc;
}
