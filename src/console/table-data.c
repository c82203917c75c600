/*
 * table-data.c — the rows of a table of 100,000 records kept quick. The first screen needs
 * only the count and its own ids; the rest of the ids, then every record's search key, are read
 * between keystrokes a chunk at a time (app_background), so a search or a limit matches keys
 * in memory, and a limit's equalities on indexed fields come from the store's indexes without
 * decoding records. Also sorting in pinyin order, and reading the ids again when records were
 * added. Pages of the store read on the way are given back (store_release_pages).
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include "console/table.h"

static void
shared_ptrs_unref(struct shared_ptrs *p)
{
	if (--p->refs == 0) {
		free(p->v);
		free(p);
	}
}

/* An array of pointers as this table's own, before it changes one: a copy when shared. */
static void
own_ptrs(char ***v, struct shared_ptrs **shared, size_t cap, size_t n)
{
	char **mine;

	if (*shared == NULL)
		return;
	mine = xcalloc(cap, sizeof *mine);
	memcpy(mine, *v, n * sizeof *mine);
	shared_ptrs_unref(*shared);
	*shared = NULL;
	*v = mine;
}

static void
own_ids(struct table *t)
{
	own_ptrs(&t->ids, &t->ids_shared, t->cap, t->n_ids);
}

static void
own_keys(struct table *t)
{
	own_ptrs(&t->keys, &t->keys_shared, t->cap, t->n_ids);
}

/* *v becomes from's array, one for both (what *v held is dropped). */
static void
share_ptrs(char ***v, struct shared_ptrs **shared, char **from_v, struct shared_ptrs **from_shared)
{
	if (*from_shared == NULL) {
		*from_shared = xcalloc(1, sizeof **from_shared);
		(*from_shared)->v = from_v;
		(*from_shared)->refs = 1;
	}
	(*from_shared)->refs++;
	if (*shared != NULL)
		shared_ptrs_unref(*shared);
	else
		free(*v);
	*shared = *from_shared;
	*v = from_v;
}

static void
free_ptrs(char ***v, struct shared_ptrs **shared)
{
	if (*shared != NULL)
		shared_ptrs_unref(*shared);
	else
		free(*v);
	*shared = NULL;
	*v = NULL;
}

/* Room for at least need ids. The first time the arrays are calloc'd, so a million rows cost
 * no page until their ids are read (a start writing 25 MB took 100 ms); rows shown as all
 * ids are filled as the ids are read (add_id). */
void
table_grow(struct table *t, size_t need)
{
	size_t old = t->cap;

	if (need <= t->cap)
		return;
	t->cap = need > 2 * old ? need : 2 * old;
	if (old == 0) {
		t->ids = xcalloc(t->cap, sizeof *t->ids);
		t->rows = xcalloc(t->cap, sizeof *t->rows);
		t->keys = xcalloc(t->cap, sizeof *t->keys);
		t->tagged = xcalloc(t->cap, sizeof *t->tagged);
		return;
	}
	own_ids(t);
	own_keys(t);
	t->ids = xrealloc(t->ids, t->cap * sizeof *t->ids);
	t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
	t->keys = xrealloc(t->keys, t->cap * sizeof *t->keys);
	t->tagged = xrealloc(t->tagged, t->cap * sizeof *t->tagged);
	memset(t->ids + old, 0, (t->cap - old) * sizeof *t->ids);
	memset(t->rows + old, 0, (t->cap - old) * sizeof *t->rows);
	memset(t->keys + old, 0, (t->cap - old) * sizeof *t->keys);
	memset(t->tagged + old, 0, (t->cap - old) * sizeof *t->tagged);
}

static void
add_id(void *arg, const char *id, size_t len)
{
	struct table *t = arg;

	table_grow(t, t->n_ids + 2);
	own_ids(t);
	if (t->all_rows)
		t->rows[t->n_ids] = t->n_ids;	/* what the screen shows of it is read first */
	t->ids[t->n_ids++] = id_text_add(&t->id_text, id, len);
}

/* Every id is read: the count is exact now (others may have added records since). */
static void
ids_finished(struct table *t)
{
	t->ids_done = true;
	t->n = t->n_ids;
	if (t->all_rows) {
		for (size_t i = 0; i < t->n_ids; i++)
			t->rows[i] = i;
		t->n_rows = t->n_ids;
		list_fit(&t->list, t->n_rows, table_rows(t->app));
	}
}

/* The ids of another table of the same form, every one read, as if read here. */
void
table_copy_ids(struct table *t, struct table *from)
{
	table_grow(t, from->n_ids + 1);
	id_text_share(&t->id_text, &from->id_text);	/* the same strings, not copies */
	share_ptrs(&t->ids, &t->ids_shared, from->ids, &from->ids_shared);	/* not a copy */
	t->n_ids = from->n_ids;
	ids_finished(t);
}

/* The same, for a table whose limit is set next (a dashboard's Enter): its rows are the
 * limit's, so they are not written for every id first (8 MB at a million). */
void
table_copy_ids_to_limit(struct table *t, struct table *from)
{
	t->all_rows = false;
	t->n_rows = 0;
	table_copy_ids(t, from);
	if (!from->keys_done || !key_file_borrow(&t->key_file, &from->key_file))
		return;
	t->keys_done = true;	/* its keys too, not made again (25 s at a million) */
	for (size_t i = 0; i < t->n_ids && t->keys_done; i++)
		t->keys_done = from->keys[i] != NULL && key_file_holds(&from->key_file, from->keys[i]);
	if (t->keys_done) {	/* their pointers too, one array for both (8 MB at a million) */
		share_ptrs(&t->keys, &t->keys_shared, from->keys, &from->keys_shared);
		return;
	}
	for (size_t i = 0; i < t->n_ids; i++)
		if (from->keys[i] != NULL && key_file_holds(&from->key_file, from->keys[i]))
			t->keys[i] = from->keys[i];	/* the background makes what is missing */
}

/* Reads ids until there are upto (SIZE_MAX: all), a chunk per read transaction. */
void
load_ids(struct app *app, struct table *t, size_t upto)
{
	struct error err = ERROR_INIT;

	while (!t->ids_done && t->n_ids < upto) {
		struct store_txn *txn;
		size_t before = t->n_ids;

		if (store_txn_begin(app->store, false, &txn, &err) != 0 ||
		    store_scan_ids(txn, t->form, before > 0 ? t->ids[before - 1] : NULL, ID_CHUNK,
		    add_id, t, &err) != 0) {
			app_message(app, true, "%s", err.message);
			error_clear(&err);
			store_txn_abort(txn);
			ids_finished(t);
			return;
		}
		store_txn_abort(txn);
		if (t->n_ids - before < ID_CHUNK) {
			ids_finished(t);
			store_release_pages(app->store);	/* reading ids walked every page */
		}
	}
}

/* The index of id among the ids read, by binary search; n_ids when it is not one. */
size_t
id_index(const struct table *t, const char *id)
{
	size_t lo = 0, hi = t->n_ids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->ids[mid], id);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return t->n_ids;
}

/* The search key of id i made again from rec, if it was made before and has changed. */
void
renew_key(struct table *t, size_t i, const struct record *rec)
{
	char *key;

	if (t->keys[i] == NULL)
		return;
	key = query_record_key(rec);
	if (key_file_written(&t->key_file, t->keys[i]) && str_eq(t->keys[i], key)) {
		free(key);	/* the same: the file does not grow at each repaint */
		return;
	}
	own_keys(t);
	if (!key_file_holds(&t->key_file, t->keys[i]))
		free(t->keys[i]);
	t->keys[i] = key_file_add(&t->key_file, key);
	if (!key_file_flush(&t->key_file))
		t->keys[i] = NULL;	/* made again when wanted */
}

/* The keys made since the last flush, written so they can be read. */
static void
keys_written(struct app *app, struct table *t, size_t from)
{
	if (key_file_flush(&t->key_file))
		return;
	app_message(app, true, _("cannot write the search keys to a temporary file"));
	own_keys(t);
	for (size_t i = from; i < t->n_ids; i++)
		if (t->keys[i] != NULL && key_file_unwritten(&t->key_file, t->keys[i]))
			t->keys[i] = NULL;
}

/* The ids, keys, rows and tags, as a table holds them (its destroy, read_again). */
void
table_data_free(struct table *t)
{
	limit_scan_free(t);
	for (size_t i = 0; t->keys_shared == NULL && i < t->n_ids; i++)
		if (t->keys[i] != NULL && !key_file_holds(&t->key_file, t->keys[i]))
			free(t->keys[i]);	/* a shared array's keys are all in a file */
	key_file_close(&t->key_file);
	id_text_free(&t->id_text);
	free_ptrs(&t->keys, &t->keys_shared);
	free_ptrs(&t->ids, &t->ids_shared);
	free(t->rows);
	free(t->tagged);
	t->rows = NULL;
	t->tagged = NULL;
	t->n_ids = t->cap = 0;
}

void
table_release_pages(struct app *app, struct table *t)
{
	store_release_pages(app->store);
	key_file_release(&t->key_file);
}

static int
add_key(const struct record *rec, void *arg)
{
	struct table *t = arg;
	size_t i = t->keys_next < t->n_ids && str_eq(t->ids[t->keys_next], record_id(rec)) ?
	    t->keys_next : id_index(t, record_id(rec));

	if (i < t->n_ids && t->keys[i] == NULL) {
		own_keys(t);
		t->keys[i] = key_file_add(&t->key_file, query_record_key(rec));
	}
	if (i < t->n_ids)
		t->keys_next = i + 1;
	return 0;
}

/* Makes the search keys of up to max more records, in id order, once every id is read. */
void
load_keys(struct app *app, struct table *t, size_t max)
{
	struct error err = ERROR_INIT;
	struct store_txn *txn;
	size_t from = t->keys_next;

	load_ids(app, t, SIZE_MAX);
	if (t->keys_done)
		return;
	if (t->keys_next >= t->n_ids || store_txn_begin(app->store, false, &txn, &err) != 0) {
		t->keys_done = true;
		error_clear(&err);
		return;
	}
	if (store_scan_records(txn, t->form, t->keys_next > 0 ? t->ids[t->keys_next - 1] : NULL,
	    max, add_key, t, &err) != 0) {
		app_message(app, true, "%s", err.message);
		t->keys_done = true;
	}
	store_txn_abort(txn);
	error_clear(&err);
	keys_written(app, t, from);
	t->keys_done = t->keys_done || t->keys_next >= t->n_ids;
	if (t->keys_done)
		key_file_mark_ordered(&t->key_file);	/* keys made again go after them */
}

/* Every key, now: what the background has not made yet is made at once. */
void
make_keys(struct app *app, struct table *t)
{
	while (!t->keys_done)
		load_keys(app, t, SIZE_MAX);
}

/* Between keys: the ids, then the search keys, a slice of a few milliseconds at a time. */
bool
table_background(struct app *app, void *arg)
{
	struct table *t = arg;
	uint64_t start = clock_us();

	if (t->scan != NULL)	/* a limit filtering comes first: the keys it needs with it */
		return limit_step(app, t, SLICE_US) || !t->keys_done;
	while (!t->keys_done && clock_us() - start < SLICE_US) {
		if (!t->ids_done)
			load_ids(app, t, t->n_ids + ID_CHUNK);
		else
			load_keys(app, t, KEY_CHUNK);
	}
	if (t->keys_done || ++t->slices % RELEASE_SLICES == 0)
		table_release_pages(app, t);	/* the records and keys stay in the page cache */
	if (t->keys_done)
		timings_note(app, "keys-ready", NULL, app->opt->started);
	return !t->keys_done;
}

/* An id from the index: the index and the table are both in id order, so one pass
 * forward through the table finds each (no search, no copy). */
static void
hit_id(void *arg, const char *id, size_t len)
{
	struct index_count *c = arg;
	const struct table *t = c->t;

	if (str_seek_sorted(t->ids, t->n_ids, &c->at, id, len))
		c->hits[c->at]++;
}

/* An id from an index range, which gives them in value order: found by its position. */
static void
hit_id_anywhere(void *arg, const char *id, size_t len)
{
	struct index_count *c = arg;
	size_t at = str_index_find(&c->t->by_id, id, len);

	if (at < c->t->n_ids)
		c->hits[at]++;
}

/* One term through the store's index: each id it names counts one hit. */
static int
count_index_term(void *arg, const struct field *f, enum store_cmp cmp, const char *value)
{
	struct index_count *c = arg;
	struct table *t = c->t;

	if (c->terms == UCHAR_MAX)
		return 0;	/* enough terms: the rest are checked record by record */
	c->at = 0;
	if (cmp != STORE_EQ && (t->by_id.strs != t->ids || t->by_id.n != t->n_ids))
		str_index_build(&t->by_id, t->ids, t->n_ids);
	if (store_each_in_range(c->txn, t->form, f->name, cmp, value,
	    cmp == STORE_EQ ? hit_id : hit_id_anywhere, c, c->err) != 0)
		return -1;
	c->terms++;
	return 0;
}

/* Whether record id matches: by the index counts and the key where they tell, else decoded. */
bool
id_matches(struct table *t, const struct query *q, struct index_count *c, size_t id)
{
	const char *key;
	struct record *rec = NULL;
	struct error err = ERROR_INIT;
	enum query_answer a;
	bool match = false;

	if (q == NULL)
		return true;
	if (c->terms > 0 && c->hits[id] != c->terms)
		return false;
	key = key_read(&t->key_file, c->keys, t->keys[id]);
	if ((a = query_match_key(q, key)) != QUERY_MAYBE)
		return a == QUERY_YES;
	if (store_get(c->txn, t->form, t->ids[id], &rec, &err) == 0)
		match = query_match(q, rec, key);
	error_clear(&err);
	record_free(rec);
	return match;
}

/* Every id read, a read transaction begun (c->txn) and the ids counted through q's index
 * terms (c->hits, c->terms); -1 with the error shown, nothing left to free. */
int
count_index_terms(struct app *app, struct table *t, struct query *q, struct index_count *c)
{
	load_ids(app, t, SIZE_MAX);
	if (store_txn_begin(app->store, false, &c->txn, c->err) != 0 ||
	    (c->hits = xcalloc(t->n_ids + 1, 1), query_index_terms(q, count_index_term, c)) != 0) {
		app_message(app, true, "%s", c->err->message != NULL ? c->err->message : "?");
		error_clear(c->err);
		store_txn_abort(c->txn);
		c->txn = NULL;
		free(c->hits);
		c->hits = NULL;
		return -1;
	}
	return 0;
}

/* The rows matching a query (every row for NULL); tag instead of limiting when tag. */
int
apply_query(struct app *app, struct table *t, struct query *q, bool tag)
{
	struct error err = ERROR_INIT;
	struct key_reader keys = { NULL, NULL, 0, 0, NULL, 0 };
	struct index_count c = { t, &keys, NULL, NULL, 0, &err, 0 };
	size_t kept = 0;

	limit_finish(app, t);	/* tags are set among the rows a limit finds */
	if (count_index_terms(app, t, q, &c) != 0)
		return -1;
	if (q != NULL && !query_by_index(q))
		make_keys(app, t);	/* the indexes alone do not answer it */
	for (size_t i = 0; i < (tag ? t->n_rows : t->n_ids); i++) {
		size_t id = tag ? t->rows[i] : i;
		bool match = id_matches(t, q, &c, id);

		if (match && tag && !t->tagged[id]) {
			t->tagged[id] = true;
			t->n_tagged++;
		} else if (match && !tag)
			t->rows[kept++] = id;
	}
	store_txn_abort(c.txn);
	table_release_pages(app, t);
	key_reader_free(&keys);
	free(c.hits);
	if (!tag) {
		t->n_rows = kept;
		t->all_rows = q == NULL;
		t->list.cursor = t->list.top = 0;
	}
	return 0;
}

struct sort_item {
	size_t id;
	size_t key;		/* where its sort key starts in the arena */
	int32_t len;
};

struct sorting {
	UCollator *coll;
	struct buf keys;	/* every sort key, one after another: freed at once */
	UChar *text;		/* scratch for the value in UTF-16 */
	int32_t text_cap;
	struct sort_item *items;
};

static int
compare_items(const void *a, const void *b, void *arg)
{
	const struct sort_item *x = a, *y = b;
	const uint8_t *keys = arg;
	int c = memcmp(keys + x->key, keys + y->key, (size_t)(x->len < y->len ? x->len : y->len));

	if (c == 0)
		c = (x->len > y->len) - (x->len < y->len);
	return c != 0 ? c : (x->id > y->id) - (x->id < y->id);
}

/* Adds the ICU sort key of text for the Chinese collator (Han characters in pinyin order). */
static void
add_sort_key(struct sorting *s, const char *text, struct sort_item *item)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0;

	u_strFromUTF8(NULL, 0, &n, text, -1, &st);
	if (n + 1 > s->text_cap) {
		s->text_cap = 2 * (n + 1);
		s->text = xrealloc(s->text, (size_t)s->text_cap * sizeof *s->text);
	}
	st = U_ZERO_ERROR;
	u_strFromUTF8(s->text, s->text_cap, NULL, text, -1, &st);
	if (U_FAILURE(st))
		n = 0;
	item->key = s->keys.len;
	item->len = ucol_getSortKey(s->coll, s->text, n, NULL, 0);
	buf_grow(&s->keys, (size_t)item->len + 1);
	ucol_getSortKey(s->coll, s->text, n, (uint8_t *)s->keys.data + s->keys.len, item->len + 1);
	s->keys.len += (size_t)item->len;
}

/* Every row's sort key, reading the rows' records in id order (the store's order, whatever
 * the rows' order now), so their pages are read once and given back as it goes. */
static void
make_sort_keys(struct app *app, struct table *t, struct store_txn *txn, struct sorting *s)
{
	const struct field *f = &t->form->fields[t->columns[t->col]];
	struct error err = ERROR_INIT;
	bool *shown = xcalloc(t->n_ids + 1, sizeof *shown);
	size_t id = 0;

	for (size_t r = 0; r < t->n_rows; r++)
		shown[t->rows[r]] = true;
	for (size_t i = 0; i < t->n_rows; i++, id++) {
		struct record *rec = NULL;

		while (!shown[id])
			id++;
		s->items[i].id = id;
		if (store_get(txn, t->form, t->ids[id], &rec, &err) != 0)
			error_clear(&err);
		if (rec != NULL)	/* sorted as shown: a withheld value gives no order away */
			store_mask_record(app->store, rec);
		add_sort_key(s, rec != NULL ? value_text(app, f, rec->values[t->columns[t->col]]) :
		    "", &s->items[i]);
		record_free(rec);
		if ((i + 1) % SORT_RELEASE_ROWS == 0)
			store_release_pages(app->store);	/* the memory budget, as it goes */
	}
	free(shown);
}

void
sort_rows(struct app *app, struct table *t)
{
	UErrorCode st = U_ZERO_ERROR;
	struct sorting s = { ucol_open("zh", &st), BUF_INIT, NULL, 0, NULL };
	struct store_txn *txn;
	struct error err = ERROR_INIT;

	load_ids(app, t, SIZE_MAX);
	if (U_FAILURE(st) || store_txn_begin(app->store, false, &txn, &err) != 0) {
		app_message(app, true, _("cannot sort: %s"), err.message != NULL ? err.message : u_errorName(st));
		error_clear(&err);
		ucol_close(s.coll);
		return;
	}
	limit_finish(app, t);	/* every row the limit keeps, sorted */
	s.items = xcalloc(t->n_rows + 1, sizeof *s.items);
	make_sort_keys(app, t, txn, &s);
	store_txn_abort(txn);
	store_release_pages(app->store);
	qsort_r(s.items, t->n_rows, sizeof *s.items, compare_items, s.keys.data);
	t->sort_desc = t->sort_col == (int)t->col ? !t->sort_desc : false;
	t->sort_col = (int)t->col;
	t->all_rows = false;
	for (size_t i = 0; i < t->n_rows; i++)
		t->rows[t->sort_desc ? t->n_rows - 1 - i : i] = s.items[i].id;
	free(s.items);
	free(s.text);
	buf_free(&s.keys);
	ucol_close(s.coll);
	t->list.cursor = t->list.top = 0;
}

/* Limits the table to the rows the expression text matches (a scan between keys when it
 * reads the search keys); -1 with err if it is not one. */
int
limit_to(struct app *app, struct table *t, const char *text, struct error *err)
{
	struct store_txn *txn;
	struct field_ctx ctx;
	struct query *q = NULL;
	int rc;

	if ((rc = store_txn_begin(app->store, false, &txn, err)) == 0) {
		store_field_ctx(txn, NULL, &ctx);
		rc = query_parse(t->form, &ctx, text, &q, NULL, err);
		store_txn_abort(txn);
	}
	return rc == 0 ? limit_begin(app, t, q, text, err) : rc;
}

/* The ids of the tagged rows, to tag them again after the ids are read anew. */
char **
tagged_ids(const struct table *t)
{
	char **ids = xcalloc(t->n_tagged + 1, sizeof *ids);
	size_t n = 0;

	for (size_t i = 0; i < t->n_ids && n < t->n_tagged; i++)
		if (t->tagged[i])
			ids[n++] = xstrdup(t->ids[i]);
	return ids;
}

/*
 * Records were added since the ids were read (a new record saved here, an import elsewhere):
 * read them again, keeping the cursor's record, the tags and the limit. The search keys are
 * made again between keys.
 */
void
read_again(struct app *app, struct table *t, size_t n)
{
	char *at = t->n_rows > 0 ? xstrdup(t->ids[t->rows[t->list.cursor]]) : NULL, *lim = t->limit;
	char **tags = tagged_ids(t);
	struct error err = ERROR_INIT;

	limit_scan_free(t);	/* its hits are for the ids read before: begun again below */
	own_ids(t);
	own_keys(t);
	for (size_t i = 0; i < t->n_ids; i++) {
		if (t->keys[i] != NULL && !key_file_holds(&t->key_file, t->keys[i]))
			free(t->keys[i]);
		t->keys[i] = t->ids[i] = NULL;
		t->tagged[i] = false;
	}
	key_file_reset(&t->key_file);
	id_text_free(&t->id_text);	/* at, lim and tags are copies */
	t->n_ids = t->n_tagged = t->keys_next = 0;
	t->ids_done = t->keys_done = false;
	str_index_free(&t->by_id);
	t->n = t->n_rows = n;
	t->all_rows = true;
	t->sort_col = -1;
	t->limit = NULL;
	table_grow(t, n + 1);
	load_ids(app, t, SIZE_MAX);
	for (size_t i = 0; tags[i] != NULL; i++) {
		size_t k = id_index(t, tags[i]);

		if (k < t->n_ids && !t->tagged[k])
			t->tagged[k] = true, t->n_tagged++;
	}
	if (lim != NULL && limit_to(app, t, lim, &err) != 0)
		app_message(app, true, "%s", err.message);
	for (size_t r = 0; at != NULL && r < t->n_rows; r++)
		if (str_eq(t->ids[t->rows[r]], at))
			t->list.cursor = r;
	list_fit(&t->list, t->n_rows, table_rows(app));
	app_background(app, table_background, t);
	error_clear(&err);
	strv_free(tags);
	free(lim);
	free(at);
}
