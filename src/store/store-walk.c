/*
 * store-walk.c — an index read as it lies, for the task board's counts and cards at 300,000
 * records: each entry's value and id in value order without a record decoded, a count of one
 * value's entries, and one value's ids a page at a time from either end.
 */
#include "config.h"

#include <string.h>

#include "store/store-private.h"

/* The index of an indexed (not unique) field, or -1 with err set. */
static int
walk_index_of(const struct form *form, const char *field, struct error *err)
{
	int i = form_field_index(form, field);

	if (i < 0 || !form->fields[i].indexed || form->fields[i].unique)
		return error_set(err, ST_FAILED, _("%s.%s has no index of values"), form->name,
		    field);
	return i;
}

/* A cursor on field i's index (pairs: its index-by pairs), staged entries written first. */
static int
index_cursor(struct store_txn *txn, const struct form *form, int i, bool pairs,
    MDB_cursor **cur, struct error *err)
{
	const struct form_dbs *dbs = store_form_dbs(txn->store, form);
	int rc;

	if (stage_flush(txn, err) != 0)
		return -1;
	rc = mdb_cursor_open(txn->txn, pairs ? dbs->pair_dbi[i] : dbs->field_dbi[i], cur);
	return rc == 0 ? 0 : store_lmdb_error(err, rc, form->fields[i].name);
}

int
store_walk_index(struct store_txn *txn, const struct form *form, const char *field,
    store_walk_fn fn, void *arg, struct error *err)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int i = walk_index_of(form, field, err), rc, stop = 0;

	if (i < 0 || index_cursor(txn, form, i, false, &cur, err) != 0)
		return -1;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && stop == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const char *key = k.mv_data, *nul = memchr(key, '\0', k.mv_size);

		if (nul != NULL)
			stop = fn(arg, key, (size_t)(nul - key), nul + 1,
			    k.mv_size - (size_t)(nul + 1 - key));
	}
	mdb_cursor_close(cur);
	if (stop != 0)
		return stop;
	return rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, field);
}

int
store_index_holds(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, const char *id, bool *holds, struct error *err)
{
	struct buf key = BUF_INIT;
	MDB_val k, v;
	int i = walk_index_of(form, field, err), rc;

	*holds = false;
	if (i < 0 || stage_flush(txn, err) != 0)
		return -1;
	index_key(&key, value, id);
	k.mv_size = key.len;
	k.mv_data = key.data;
	rc = mdb_get(txn->txn, store_form_dbs(txn->store, form)->field_dbi[i], &k, &v);
	buf_free(&key);
	*holds = rc == 0;
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, field);
}

/* Whether k is an entry of the value prefix ("value NUL"). */
static bool
of_value(const MDB_val *k, const struct buf *prefix)
{
	return k->mv_size > prefix->len && memcmp(k->mv_data, prefix->data, prefix->len) == 0;
}

/* Calls fn with the part after "value NUL" of each entry of the value prefix, in key order;
 * the cursor is closed. An LMDB failure is named by field. */
static int
each_of_value(MDB_cursor *cur, const char *value, const char *field,
    void (*fn)(const char *rest, size_t len, void *arg), void *arg, struct error *err)
{
	struct buf prefix = BUF_INIT;
	MDB_val k, v;
	int rc;

	index_key(&prefix, value, "");
	k.mv_size = prefix.len;
	k.mv_data = prefix.data;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && of_value(&k, &prefix);
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		fn((const char *)k.mv_data + prefix.len, k.mv_size - prefix.len, arg);
	mdb_cursor_close(cur);
	buf_free(&prefix);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, field);
}

static void
count_one(const char *rest, size_t len, void *arg)
{
	(void)rest, (void)len;
	(*(size_t *)arg)++;
}

int
store_count_by(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, size_t *n, struct error *err)
{
	MDB_cursor *cur;
	int i = walk_index_of(form, field, err);

	*n = 0;
	if (i < 0 || index_cursor(txn, form, i, false, &cur, err) != 0)
		return -1;
	return each_of_value(cur, value, field, count_one, n, err);
}

/* The cursor on the last entry of the value prefix; MDB_NOTFOUND when it has none. */
static int
last_of_value(MDB_cursor *cur, const struct buf *prefix, MDB_val *k, MDB_val *v)
{
	struct buf past = BUF_INIT;
	int rc;

	buf_add(&past, prefix->data, prefix->len - 1);
	buf_addc(&past, '\x01');	/* "value \x01" sorts after every "value NUL id" */
	k->mv_size = past.len;
	k->mv_data = past.data;
	rc = mdb_cursor_get(cur, k, v, MDB_SET_RANGE);
	rc = rc == 0 ? mdb_cursor_get(cur, k, v, MDB_PREV) :
	    rc == MDB_NOTFOUND ? mdb_cursor_get(cur, k, v, MDB_LAST) : rc;
	buf_free(&past);
	if (rc == 0 && !of_value(k, prefix))
		rc = MDB_NOTFOUND;
	return rc;
}

int
store_each_by_page(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, bool newest_first, const char *after, store_walk_fn fn, void *arg,
    struct error *err)
{
	struct buf prefix = BUF_INIT, start = BUF_INIT;
	MDB_cursor *cur;
	MDB_val k, v;
	int i = walk_index_of(form, field, err), rc, stop = 0;
	MDB_cursor_op step = newest_first ? MDB_PREV : MDB_NEXT;

	if (i < 0 || index_cursor(txn, form, i, false, &cur, err) != 0)
		return -1;
	index_key(&prefix, value, "");
	if (after != NULL) {
		index_key(&start, value, after);
		k.mv_size = start.len;
		k.mv_data = start.data;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		if (rc == 0 && k.mv_size == start.len && memcmp(k.mv_data, start.data, start.len) == 0)
			rc = mdb_cursor_get(cur, &k, &v, step);	/* past the entry `after` itself */
		else if (newest_first)
			rc = rc == 0 ? mdb_cursor_get(cur, &k, &v, MDB_PREV) :
			    rc == MDB_NOTFOUND ? mdb_cursor_get(cur, &k, &v, MDB_LAST) : rc;
	} else if (newest_first) {
		rc = last_of_value(cur, &prefix, &k, &v);
	} else {
		k.mv_size = prefix.len;
		k.mv_data = prefix.data;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	}
	for (; rc == 0 && stop == 0 && of_value(&k, &prefix); rc = mdb_cursor_get(cur, &k, &v, step))
		stop = fn(arg, value, prefix.len - 1, (char *)k.mv_data + prefix.len,
		    k.mv_size - prefix.len);
	mdb_cursor_close(cur);
	buf_free(&prefix);
	buf_free(&start);
	if (stop != 0)
		return stop;
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, field);
}

/* The pair index of field (index-by), or -1 with err set. */
static int
pair_index_of(const struct form *form, const char *field, struct error *err)
{
	int i = form_field_index(form, field);

	if (i < 0 || form->fields[i].index_by == NULL)
		return error_set(err, ST_FAILED, _("%s.%s has no index-by"), form->name, field);
	return i;
}

struct pair_count {
	const char *below;
	size_t blen;
	size_t n, n_below;
};

/* An entry "second NUL id": counted, and apart when its second value sorts before below. */
static void
count_pair_entry(const char *second, size_t rest, void *arg)
{
	struct pair_count *pc = arg;
	const char *nul = memchr(second, '\0', rest);
	size_t slen = nul != NULL ? (size_t)(nul - second) : rest;
	int c = memcmp(second, pc->below, slen < pc->blen ? slen : pc->blen);

	pc->n++;
	if (slen > 0 && (c < 0 || (c == 0 && slen < pc->blen)))
		pc->n_below++;
}

int
store_count_pair(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, const char *below, size_t *n, size_t *n_below, struct error *err)
{
	struct pair_count pc = { below, strlen(below), 0, 0 };
	MDB_cursor *cur;
	int i = pair_index_of(form, field, err), rc;

	*n = *n_below = 0;
	if (i < 0 || index_cursor(txn, form, i, true, &cur, err) != 0)
		return -1;
	rc = each_of_value(cur, value, field, count_pair_entry, &pc, err);
	*n = pc.n;
	*n_below = pc.n_below;
	return rc;
}

int
store_walk_pair(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, const char *second, const char *after_id, store_walk_fn fn, void *arg,
    struct error *err)
{
	struct buf prefix = BUF_INIT, start = BUF_INIT;
	MDB_cursor *cur;
	MDB_val k, v;
	int i = pair_index_of(form, field, err), rc, stop = 0;

	if (i < 0 || index_cursor(txn, form, i, true, &cur, err) != 0)
		return -1;
	index_key(&prefix, value, "");
	if (second != NULL)
		pair_key(&start, value, second, after_id != NULL ? after_id : "");
	else
		buf_add(&start, prefix.data, prefix.len);
	if (second != NULL && after_id == NULL)
		start.len--;	/* "value NUL second": the entries of that second from the first */
	k.mv_size = start.len;
	k.mv_data = start.data;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && after_id != NULL && k.mv_size == start.len &&
	    memcmp(k.mv_data, start.data, start.len) == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);	/* past (second, after_id) itself */
	for (; rc == 0 && stop == 0 && of_value(&k, &prefix);
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const char *s = (const char *)k.mv_data + prefix.len;
		size_t rest = k.mv_size - prefix.len;
		const char *nul = memchr(s, '\0', rest);

		if (nul != NULL)
			stop = fn(arg, s, (size_t)(nul - s), nul + 1, rest - (size_t)(nul + 1 - s));
	}
	mdb_cursor_close(cur);
	buf_free(&prefix);
	buf_free(&start);
	if (stop != 0)
		return stop;
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, field);
}

uint64_t
store_txn_snapshot(const struct store_txn *txn)
{
	return (uint64_t)mdb_txn_id(txn->txn);
}
