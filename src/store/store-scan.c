/*
 * store-scan.c — a few fields of every record, for counts over a whole city. When each wanted
 * field is indexed the values come from the indexes alone, one cursor pass per field and no
 * record decoded; otherwise every record is read, but only its wanted fields are found in it
 * and lent to the caller where the store keeps them (no value copied, nothing allocated).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

/* A slot of the ids' hash table: what to compare, so a look-up reads one slot and one id. */
struct scan_slot {
	const char *id;		/* NULL: empty */
	uint32_t len, row;
};

struct scan {
	char **ids;		/* every id, in id order, pointing into id_text */
	char *id_text;
	size_t *lens;		/* each id's length */
	size_t n;
	struct scan_slot *hash;	/* the ids by hash, n_hash a power of 2 */
	size_t n_hash;
	const struct form *form;
	size_t *slot;		/* per field: its column in cells, or SIZE_MAX */
	size_t n_slots;
	const char **cells;	/* n × n_slots; NULL where a record has no value */
	char **values;		/* the distinct values the cells point to */
	size_t n_values, cap_values;
};

/* Every id of the form, in id order, in one block of text (no allocation per id). */
static int
scan_ids(struct store_txn *txn, struct scan *s, struct error *err)
{
	struct buf text = BUF_INIT;
	size_t *at = NULL, cap = 0;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if (stage_flush(txn, err) != 0)
		return -1;
	if ((rc = mdb_cursor_open(txn->txn, store_form_dbs(txn->store, s->form)->records, &cur)) != 0)
		return store_lmdb_error(err, rc, s->form->name);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (s->n == cap) {
			cap = cap ? cap * 2 : 1024;
			at = xrealloc(at, cap * sizeof *at);
			s->lens = xrealloc(s->lens, cap * sizeof *s->lens);
		}
		at[s->n] = text.len;
		s->lens[s->n++] = k.mv_size;
		buf_add(&text, k.mv_data, k.mv_size);
		buf_addc(&text, '\0');
	}
	mdb_cursor_close(cur);
	s->id_text = buf_detach(&text);
	s->ids = xcalloc(s->n + 1, sizeof *s->ids);
	for (size_t i = 0; i < s->n; i++)
		s->ids[i] = s->id_text + at[i];
	free(at);
	return rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, s->form->name);
}

/* Index keys are cut to INDEX_VALUE_MAX bytes, so only short values are read from them. */
static bool
index_holds_values(const struct field *f)
{
	return (f->indexed || f->unique) && f->kind != FT_TEXT && f->kind != FT_LONGTEXT;
}

static bool
all_indexed(const struct form *form, const bool *wanted)
{
	for (size_t i = 1; i < form->n_fields; i++)
		if (wanted[i] && !index_holds_values(&form->fields[i]))
			return false;
	return true;
}

static int
id_cmp(const struct scan *s, size_t row, const char *id, size_t len)
{
	size_t mlen = s->lens[row];
	int c = memcmp(s->ids[row], id, mlen < len ? mlen : len);

	return c != 0 ? c : (mlen > len) - (mlen < len);
}

static size_t
id_hash(const char *id, size_t len)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)id[i]) * 1099511628211ULL;
	h ^= h >> 33;	/* the low bits, masked for a slot, from every byte */
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h;
}

/* The ids by hash, for a unique field's entries (value → id, in the values' order). */
static void
hash_build(struct scan *s)
{
	s->n_hash = 64;
	while (s->n_hash < 2 * s->n)
		s->n_hash *= 2;
	s->hash = xcalloc(s->n_hash, sizeof *s->hash);
	for (size_t r = 0; r < s->n; r++) {
		size_t at = id_hash(s->ids[r], s->lens[r]) & (s->n_hash - 1);

		while (s->hash[at].id != NULL)
			at = (at + 1) & (s->n_hash - 1);
		s->hash[at] = (struct scan_slot){ s->ids[r], (uint32_t)s->lens[r], (uint32_t)r };
	}
}

static long
hash_row(const struct scan *s, const char *id, size_t len)
{
	size_t at = id_hash(id, len) & (s->n_hash - 1);

	for (; s->hash[at].id != NULL; at = (at + 1) & (s->n_hash - 1))
		if (s->hash[at].len == len && memcmp(s->hash[at].id, id, len) == 0)
			return (long)s->hash[at].row;
	return -1;
}

/* The row of an id among rows [lo, hi), by bisection, or -1. */
static long
search_rows(const struct scan *s, const char *id, size_t len, size_t lo, size_t hi)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = id_cmp(s, mid, id, len);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * The row of an id, or -1 if it is not a record (an index entry never is without one). An
 * index's ids come in id order within a value, so the search gallops on from the last row
 * found (from), which costs a comparison or two in a long run of a value and twice the
 * logarithm of the gap in a sparse one; an id before it (a value's first) is bisected among
 * the rows before. No hash of a million ids is built for it.
 */
static long
scan_row(const struct scan *s, const char *id, size_t len, size_t from)
{
	size_t lo = from + 1, step = 1;

	if (lo >= s->n || id_cmp(s, lo, id, len) > 0)
		return search_rows(s, id, len, 0, lo < s->n ? lo : s->n);
	while (lo + step < s->n && id_cmp(s, lo + step, id, len) <= 0)
		lo += step, step *= 2;
	return search_rows(s, id, len, lo, lo + step < s->n ? lo + step : s->n);
}

/* Index keys come sorted by value, so a value repeats the last one kept or is new. */
static const char *
scan_value(struct scan *s, const char *value, size_t len)
{
	const char *last = s->n_values > 0 ? s->values[s->n_values - 1] : NULL;

	if (last != NULL && strlen(last) == len && memcmp(last, value, len) == 0)
		return last;
	if (s->n_values == s->cap_values) {
		s->cap_values = s->cap_values == 0 ? 64 : s->cap_values * 2;
		s->values = xrealloc(s->values, s->cap_values * sizeof *s->values);
	}
	return s->values[s->n_values++] = xstrndup(value, len);
}

/* One index's entries into the field's cells: "value NUL id" keys, or value → id if unique. */
static int
scan_index(struct store_txn *txn, struct scan *s, size_t field, struct error *err)
{
	const struct field *f = &s->form->fields[field];
	MDB_dbi dbi = store_form_dbs(txn->store, s->form)->field_dbi[field];
	MDB_cursor *cur;
	MDB_val k, v;
	size_t from = 0;	/* the last row found */
	int rc = mdb_cursor_open(txn->txn, dbi, &cur);

	if (rc != 0)
		return store_lmdb_error(err, rc, f->name);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const char *key = k.mv_data, *nul = f->unique ? NULL : memchr(key, '\0', k.mv_size);
		size_t vlen = f->unique ? k.mv_size : nul != NULL ? (size_t)(nul - key) : 0;
		long row = f->unique ? hash_row(s, v.mv_data, v.mv_size) : nul == NULL ? -1 :
		    scan_row(s, nul + 1, k.mv_size - vlen - 1, from);

		if (row >= 0) {
			s->cells[(size_t)row * s->n_slots + s->slot[field]] = scan_value(s, key, vlen);
			from = (size_t)row;
		}
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, f->name);
}

/* Each row as a record holding the wanted values; the others are "". */
static int
scan_emit(struct scan *s, int (*fn)(const struct record *rec, void *arg), void *arg)
{
	char **values = xcalloc(s->form->n_fields, sizeof *values);
	struct record rec = { s->form, 0, values, 0 };
	int stop = 0;

	for (size_t i = 0; i < s->form->n_fields; i++)
		values[i] = (char *)"";
	for (size_t r = 0; r < s->n && stop == 0; r++) {
		for (size_t i = 1; i < s->form->n_fields; i++)
			if (s->slot[i] != SIZE_MAX) {
				const char *cell = s->cells[r * s->n_slots + s->slot[i]];

				values[i] = (char *)(cell != NULL ? cell : "");
			}
		values[0] = s->ids[r];
		stop = fn(&rec, arg);
	}
	free(values);
	return stop;
}

static void
scan_free(struct scan *s)
{
	free(s->ids);
	free(s->id_text);
	free(s->lens);
	free(s->hash);
	for (size_t i = 0; i < s->n_values; i++)
		free(s->values[i]);
	free(s->values);
	free(s->cells);
	free(s->slot);
}

/* Every record, its wanted fields read in place (record_decode_borrowed): one record whose
 * values point into the store's pages, "" where not wanted, handed to fn in turn. */
static int
scan_records(struct store_txn *txn, const struct form *form, const bool *wanted,
    int (*fn)(const struct record *rec, void *arg), void *arg, struct error *err)
{
	int *fields = xcalloc(form->n_fields, sizeof *fields), rc, stop = 0;
	const char **found = xcalloc(form->n_fields, sizeof *found);
	struct record rec = { form, 0, xcalloc(form->n_fields, sizeof *rec.values), 0 };
	struct buf id = BUF_INIT;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = 0;

	for (size_t i = 1; i < form->n_fields; i++) {
		rec.values[i] = (char *)"";
		if (wanted[i])
			fields[n++] = (int)i;
	}
	rc = stage_flush(txn, err) != 0 ? -1 : mdb_cursor_open(txn->txn,
	    store_form_dbs(txn->store, form)->records, &cur);
	if (rc > 0)
		rc = store_lmdb_error(err, rc, form->name);
	if (rc == 0) {
		int got;

		for (got = mdb_cursor_get(cur, &k, &v, MDB_FIRST); got == 0 && stop == 0;
		    got = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			buf_reset(&id);
			buf_add(&id, k.mv_data, k.mv_size);
			rec.values[0] = (char *)buf_str(&id);
			stop = record_decode_borrowed(form, rec.values[0], v.mv_data, v.mv_size,
			    fields, n, found, err);
			for (size_t j = 0; stop == 0 && j < n; j++)
				rec.values[fields[j]] = (char *)found[j];
			if (stop == 0)
				stop = fn(&rec, arg);
		}
		if (stop == 0 && got != MDB_NOTFOUND)
			rc = store_lmdb_error(err, got, form->name);
		mdb_cursor_close(cur);
	}
	buf_free(&id);
	free(rec.values);
	free(found);
	free(fields);
	return rc != 0 ? rc : stop;
}

int
store_scan_fields(struct store_txn *txn, const struct form *form, const bool *wanted,
    int (*fn)(const struct record *rec, void *arg), void *arg, struct error *err)
{
	struct scan s = { .form = form };
	int rc;

	if (!all_indexed(form, wanted))
		return scan_records(txn, form, wanted, fn, arg, err);
	if (scan_ids(txn, &s, err) != 0) {
		scan_free(&s);
		return -1;
	}
	for (size_t i = 1; i < form->n_fields; i++)
		if (wanted[i] && form->fields[i].unique && s.hash == NULL)
			hash_build(&s);
	s.slot = xcalloc(form->n_fields, sizeof *s.slot);
	for (size_t i = 0; i < form->n_fields; i++)
		s.slot[i] = i > 0 && wanted[i] ? s.n_slots++ : SIZE_MAX;
	s.cells = xcalloc(s.n * s.n_slots + 1, sizeof *s.cells);
	rc = 0;
	for (size_t i = 1; i < form->n_fields && rc == 0; i++)
		if (wanted[i])
			rc = scan_index(txn, &s, i, err);
	if (rc == 0)
		rc = scan_emit(&s, fn, arg);
	scan_free(&s);
	return rc;
}
