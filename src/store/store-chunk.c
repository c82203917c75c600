/*
 * store-chunk.c — reading a form's records a chunk at a time, in id order, from where the last
 * chunk stopped: what lets the console show its first screen at once and read the rest (ids,
 * then records for their search keys) between keystrokes, each chunk in a short read
 * transaction of its own.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

/* Positions cur on the first key after `after` (on the first key for NULL). */
static int
cursor_after(MDB_cursor *cur, const char *after, MDB_val *k, MDB_val *v)
{
	int rc;

	if (after == NULL)
		return mdb_cursor_get(cur, k, v, MDB_FIRST);
	k->mv_size = strlen(after);
	k->mv_data = (void *)after;
	rc = mdb_cursor_get(cur, k, v, MDB_SET_RANGE);
	if (rc == 0 && k->mv_size == strlen(after) && memcmp(k->mv_data, after, k->mv_size) == 0)
		rc = mdb_cursor_get(cur, k, v, MDB_NEXT);
	return rc;
}

/* Calls each for up to max records after `after`, with the id and the encoded record. */
static int
scan(struct store_txn *txn, const struct form *form, const char *after, size_t max,
    int (*each)(void *ctx, const MDB_val *k, const MDB_val *v), void *ctx, struct error *err)
{
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = 0;
	int rc, stop = 0;

	if (stage_flush(txn, err) != 0)	/* a bulk transaction's new records, into LMDB first */
		return -1;
	if ((rc = mdb_cursor_open(txn->txn, store_form_dbs(txn->store, form)->records, &cur)) != 0)
		return store_lmdb_error(err, rc, form->name);
	for (rc = cursor_after(cur, after, &k, &v); rc == 0 && n < max && stop == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT), n++)
		stop = each(ctx, &k, &v);
	mdb_cursor_close(cur);
	if (stop != 0)
		return stop;
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, form->name);
}

struct id_scan {
	void (*fn)(void *arg, const char *id, size_t len);
	void *arg;
};

static int
each_id(void *ctx, const MDB_val *k, const MDB_val *v)
{
	struct id_scan *s = ctx;

	(void)v;
	s->fn(s->arg, k->mv_data, k->mv_size);
	return 0;
}

int
store_scan_ids(struct store_txn *txn, const struct form *form, const char *after, size_t max,
    void (*fn)(void *arg, const char *id, size_t len), void *arg, struct error *err)
{
	struct id_scan s = { fn, arg };

	return scan(txn, form, after, max, each_id, &s, err);
}

struct record_scan {
	const struct form *form;
	int (*fn)(const struct record *rec, void *arg);
	void *arg;
	struct error *err;
};

static int
each_record(void *ctx, const MDB_val *k, const MDB_val *v)
{
	struct record_scan *s = ctx;
	char *id = xstrndup(k->mv_data, k->mv_size);
	struct record *rec;
	int stop = record_decode(s->form, id, v->mv_data, v->mv_size, &rec, s->err);

	free(id);
	if (stop == 0) {
		stop = s->fn(rec, s->arg);
		record_free(rec);
	}
	return stop;
}

int
store_scan_records(struct store_txn *txn, const struct form *form, const char *after,
    size_t max, int (*fn)(const struct record *rec, void *arg), void *arg, struct error *err)
{
	struct record_scan s = { form, fn, arg, err };

	return scan(txn, form, after, max, each_record, &s, err);
}
