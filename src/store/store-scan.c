/*
 * store-scan.c — a few fields of every record, for counts over a whole city. When each wanted
 * field is indexed the values come from the indexes alone, one cursor pass per field and no
 * record decoded; otherwise every record is read, as store_foreach does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

struct scan {
	char **ids;		/* every id, in id order */
	size_t n;
	const struct form *form;
	size_t *slot;		/* per field: its column in cells, or SIZE_MAX */
	size_t n_slots;
	const char **cells;	/* n × n_slots; NULL where a record has no value */
	char **values;		/* the distinct values the cells point to */
	size_t n_values, cap_values;
};

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

/* The row of an id, or -1 if it is not a record (an index entry never is without one). */
static long
scan_row(const struct scan *s, const char *id, size_t len)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *m = s->ids[mid];
		size_t mlen = strlen(m);
		int c = memcmp(m, id, mlen < len ? mlen : len);

		if (c == 0)
			c = (mlen > len) - (mlen < len);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
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
	int rc = mdb_cursor_open(txn->txn, dbi, &cur);

	if (rc != 0)
		return store_lmdb_error(err, rc, f->name);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const char *key = k.mv_data, *nul = f->unique ? NULL : memchr(key, '\0', k.mv_size);
		size_t vlen = f->unique ? k.mv_size : nul != NULL ? (size_t)(nul - key) : 0;
		long row = f->unique ? scan_row(s, v.mv_data, v.mv_size) : nul == NULL ? -1 :
		    scan_row(s, nul + 1, k.mv_size - vlen - 1);

		if (row >= 0)
			s->cells[(size_t)row * s->n_slots + s->slot[field]] = scan_value(s, key, vlen);
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

	for (size_t r = 0; r < s->n && stop == 0; r++) {
		for (size_t i = 0; i < s->form->n_fields; i++) {
			const char *cell = s->slot[i] == SIZE_MAX ? NULL :
			    s->cells[r * s->n_slots + s->slot[i]];

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
	strv_free(s->ids);
	for (size_t i = 0; i < s->n_values; i++)
		free(s->values[i]);
	free(s->values);
	free(s->cells);
	free(s->slot);
}

int
store_scan_fields(struct store_txn *txn, const struct form *form, const bool *wanted,
    int (*fn)(const struct record *rec, void *arg), void *arg, struct error *err)
{
	struct scan s = { .form = form };
	int rc;

	if (!all_indexed(form, wanted))
		return store_foreach(txn, form, fn, arg, err);
	if (store_list_ids(txn, form, &s.ids, &s.n, err) != 0) {
		strv_free(s.ids);
		return -1;
	}
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
