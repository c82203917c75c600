/*
 * view-table.c — the table of a record type: columns from the form, widths in display
 * columns, virtual scrolling (only the rows on screen are read from the store, in a read
 * transaction that lives for one repaint), incremental "/" search with n/N, "l" limit by an
 * expression, sorting by a column with Chinese in pinyin order, and tags.
 *
 * Speed at 100,000 records: the first screen needs only the count and its own ids; the rest
 * of the ids, then every record's search key, are read between keystrokes a chunk at a time
 * (app_background), so a search or a limit matches keys in memory and a limit's equalities on
 * indexed fields come from the store's indexes, without decoding records.
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include "campaign/campaign.h"
#include "console/console-private.h"
#include "store/query.h"

#define ID_CHUNK 4096		/* ids read at a time, between keys */
#define KEY_CHUNK 256		/* records read for their search keys at a time */
#define SLICE_US 4000		/* background work stops for a key after this */
#define RELEASE_SLICES 2	/* read pages given back every so many slices (memory budget) */

struct table {
	struct app *app;
	const struct form *form;
	char **ids;		/* the ids read so far (n_ids), in id order */
	size_t n_ids, cap;	/* cap: the size of ids, rows, keys and tagged */
	size_t n;		/* how many there are: the store's count until all are read */
	bool ids_done;
	size_t *rows;		/* the rows shown: indexes into ids, after limit and sort */
	size_t n_rows;
	bool all_rows;		/* rows are every id in id order (no limit, no sort) */
	char **keys;		/* per id: its search key (query_record_key) */
	size_t keys_next;	/* keys are read in id order up to here */
	bool keys_done;
	bool *tagged;
	size_t n_tagged;
	size_t cursor, top;	/* indexes into rows */
	int *columns;		/* field indexes shown */
	size_t n_columns;
	size_t col;		/* the column under the cursor (sort) */
	int sort_col;		/* -1: id order */
	bool sort_desc;
	struct query_word *search;
	char *limit;
	char *title;
	bool on_tagged;		/* after ";": the next action applies to the tagged rows */
	unsigned slices;	/* background slices run, to give read pages back now and then */
};

static int
page_rows(const struct app *app)
{
	return app->lines - 4;	/* title, header, status, message */
}

/* A column's width: the form's, else as wide as its label (within reason). */
static int
column_width(const struct field *f)
{
	int w = (int)width_of(field_label(f)) + 2;

	return f->column > 0 ? f->column : w < 10 ? 10 : w > 24 ? 24 : w;
}

static void
choose_columns(struct table *t)
{
	t->columns = xcalloc(t->form->n_fields, sizeof *t->columns);
	for (size_t i = 0; i < t->form->n_fields; i++)
		if (t->form->fields[i].column > 0)
			t->columns[t->n_columns++] = (int)i;
}

static void
draw_header(struct app *app, struct table *t)
{
	int x = 2;

	attron(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
	draw_fill(stdscr, 1, 0, app->cols);
	for (size_t c = 0; c < t->n_columns && x < app->cols; c++) {
		const struct field *f = &t->form->fields[t->columns[c]];
		int w = c + 1 == t->n_columns ? app->cols - x : column_width(f);
		char *label = xasprintf("%s%s", field_label(f), (int)c == t->sort_col ?
		    (t->sort_desc ? " v" : " ^") : "");

		if (c == t->col)
			attron(A_UNDERLINE);
		draw_text(stdscr, 1, x, w - 1, label, false);
		if (c == t->col)
			attroff(A_UNDERLINE);
		free(label);
		x += w;
	}
	attroff(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
}

static void
draw_row(struct app *app, struct table *t, int y, size_t id_index, const struct record *rec,
    bool current)
{
	int x = 2;

	if (current)
		attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
	draw_fill(stdscr, y, 0, app->cols);
	mvaddstr(y, 0, t->tagged[id_index] ? "*" : " ");
	for (size_t c = 0; c < t->n_columns && x < app->cols; c++) {
		const struct field *f = &t->form->fields[t->columns[c]];
		int w = c + 1 == t->n_columns ? app->cols - x : column_width(f);

		draw_text(stdscr, y, x, w - 1, rec != NULL ? value_text(app, f,
		    rec->values[t->columns[c]]) : t->ids[id_index], false);
		x += w;
	}
	if (current)
		attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
}

/* The status line, the most useful first: counts, tags and limit, then who and where. */
static void
table_status(struct app *app, struct table *t)
{
	char now[6], *right;
	time_t clock = clock_now();
	struct buf left = BUF_INIT;
	struct tm tm;

	localtime_r(&clock, &tm);
	strftime(now, sizeof now, "%H:%M", &tm);
	buf_printf(&left, " %s %zu/%zu", form_label(t->form), t->n_rows, t->n);
	if (t->n_tagged > 0)
		buf_printf(&left, " | %s %zu", _("tagged"), t->n_tagged);
	if (t->limit != NULL)
		buf_printf(&left, " | l: %s", t->limit);
	buf_printf(&left, " | %s | %s", app->who.login, app->opt->dir);
	right = xasprintf("%s %s ", store_audit_pending(app->store) ? _("audit: pending") :
	    _("audit: in git"), now);
	draw_status(app, buf_str(&left), right);
	buf_free(&left);
	free(right);
}

/* Room for at least need ids; rows shown as all ids grow with them. */
static void
table_grow(struct table *t, size_t need)
{
	size_t old = t->cap;

	if (need <= t->cap)
		return;
	t->cap = need > 2 * old ? need : 2 * old;
	t->ids = xrealloc(t->ids, t->cap * sizeof *t->ids);
	t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
	t->keys = xrealloc(t->keys, t->cap * sizeof *t->keys);
	t->tagged = xrealloc(t->tagged, t->cap * sizeof *t->tagged);
	for (size_t i = old; i < t->cap; i++) {
		t->ids[i] = t->keys[i] = NULL;
		t->rows[i] = i;
		t->tagged[i] = false;
	}
}

static void
add_id(void *arg, const char *id, size_t len)
{
	struct table *t = arg;

	table_grow(t, t->n_ids + 2);
	t->ids[t->n_ids++] = xstrndup(id, len);
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
		if (t->cursor >= t->n_rows)
			t->cursor = t->n_rows > 0 ? t->n_rows - 1 : 0;
	}
}

/* Reads ids until there are upto (SIZE_MAX: all), a chunk per read transaction. */
static void
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
static size_t
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

/* The search key of id i made again from rec, if it was made before. */
static void
renew_key(struct table *t, size_t i, const struct record *rec)
{
	if (t->keys[i] == NULL)
		return;
	free(t->keys[i]);
	t->keys[i] = query_record_key(rec);
}

static int
add_key(const struct record *rec, void *arg)
{
	struct table *t = arg;
	size_t i = t->keys_next < t->n_ids && str_eq(t->ids[t->keys_next], record_id(rec)) ?
	    t->keys_next : id_index(t, record_id(rec));

	if (i < t->n_ids && t->keys[i] == NULL)
		t->keys[i] = query_record_key(rec);
	if (i < t->n_ids)
		t->keys_next = i + 1;
	return 0;
}

/* Makes the search keys of up to max more records, in id order, once every id is read. */
static void
load_keys(struct app *app, struct table *t, size_t max)
{
	struct error err = ERROR_INIT;
	struct store_txn *txn;

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
	t->keys_done = t->keys_done || t->keys_next >= t->n_ids;
}

/* Every key, now: what the background has not made yet is made at once. */
static void
make_keys(struct app *app, struct table *t)
{
	while (!t->keys_done)
		load_keys(app, t, SIZE_MAX);
}

/* Between keys: the ids, then the search keys, a slice of a few milliseconds at a time. */
static bool
table_background(struct app *app, void *arg)
{
	struct table *t = arg;
	uint64_t start = clock_us();

	while (!t->keys_done && clock_us() - start < SLICE_US) {
		if (!t->ids_done)
			load_ids(app, t, t->n_ids + ID_CHUNK);
		else
			load_keys(app, t, KEY_CHUNK);
	}
	if (t->keys_done || ++t->slices % RELEASE_SLICES == 0)
		store_release_pages(app->store);	/* the records read stay in the page cache */
	if (t->keys_done)
		timings_note(app, "keys-ready", NULL, app->opt->started);
	return !t->keys_done;
}

static void read_again(struct app *app, struct table *t, size_t n);

static void
table_draw(struct app *app, struct view *v)
{
	struct table *t = v->data;
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	int rows = page_rows(app);
	size_t count;

	if (store_txn_begin(app->store, false, &txn, &err) != 0)
		app_message(app, true, "%s", err.message);
	else if (t->ids_done && store_count(txn, t->form, &count, &err) == 0 && count != t->n) {
		store_txn_abort(txn);	/* a new snapshot after reading again */
		read_again(app, t, count);
		if (store_txn_begin(app->store, false, &txn, &err) != 0)
			app_message(app, true, "%s", err.message);
	}
	draw_header(app, t);
	load_ids(app, t, t->top + (size_t)rows);
	for (int i = 0; i < rows; i++) {
		size_t r = t->top + (size_t)i;
		struct record *rec = NULL;

		if (r >= t->n_rows || t->rows[r] >= t->n_ids) {
			move(2 + i, 0);
			clrtoeol();
			continue;
		}
		if (txn != NULL && store_get(txn, t->form, t->ids[t->rows[r]], &rec, &err) != 0)
			error_clear(&err);
		draw_row(app, t, 2 + i, t->rows[r], rec, r == t->cursor);
		if (r == t->cursor && rec != NULL)
			renew_key(t, t->rows[r], rec);	/* it may have been edited or undone */
		record_free(rec);
	}
	store_txn_abort(txn);
	error_clear(&err);
	if (t->n_rows == 0)
		draw_text(stdscr, 3, 2, app->cols - 4, t->n == 0 ? _("No records yet: import some with 'huitou import'.") :
		    _("No record matches the limit; l and an empty line shows them all."), false);
	table_status(app, t);
}

static void
move_cursor(struct app *app, struct table *t, long delta)
{
	long rows = page_rows(app), c = (long)t->cursor + delta;

	if (t->n_rows == 0)
		return;
	if (c < 0)
		c = 0;
	if (c >= (long)t->n_rows)
		c = (long)t->n_rows - 1;
	t->cursor = (size_t)c;
	if (t->cursor < t->top)
		t->top = t->cursor;
	if (t->cursor >= t->top + (size_t)rows)
		t->top = t->cursor - (size_t)rows + 1;
}

/* The first row matching w from row `from` (from itself too when inclusive), forward or
 * backward, wrapping around; n_rows when none does. */
static size_t
find_row(const struct table *t, const struct query_word *w, size_t from, bool forward,
    bool inclusive)
{
	for (size_t i = inclusive ? 0 : 1; i <= t->n_rows; i++) {
		size_t r = forward ? (from + i) % t->n_rows : (from + t->n_rows - i % t->n_rows) % t->n_rows;
		const char *key = t->keys[t->rows[r]];

		if (key != NULL && query_word_in(w, key))
			return r;
	}
	return t->n_rows;
}

/* From the row after the cursor (before it, backwards), wrapping around. */
static void
search_step(struct app *app, struct table *t, bool forward)
{
	size_t r;

	if (t->search == NULL || t->n_rows == 0)
		return;
	make_keys(app, t);
	if ((r = find_row(t, t->search, t->cursor, forward, false)) < t->n_rows)
		move_cursor(app, t, (long)r - (long)t->cursor);
	else
		app_message(app, true, _("not found: %s"), query_word_folded(t->search));
}

struct index_count {
	struct table *t;
	struct store_txn *txn;
	unsigned char *hits;	/* per id: how many index terms it satisfies */
	unsigned terms;
	struct error *err;
	size_t at;		/* where the pass through the table's ids has come to */
};

/* An id from the index: the index and the table are both in id order, so one pass
 * forward through the table finds each (no search, no copy). */
static void
hit_id(void *arg, const char *id, size_t len)
{
	struct index_count *c = arg;
	const struct table *t = c->t;

	while (c->at < t->n_ids) {
		const char *have = t->ids[c->at];
		size_t hl = strlen(have);
		int cmp = memcmp(have, id, hl < len ? hl : len);

		if (cmp == 0)
			cmp = (hl > len) - (hl < len);
		if (cmp >= 0) {
			if (cmp == 0)
				c->hits[c->at]++;
			return;
		}
		c->at++;
	}
}

/* One equality through the store's index: each id it names counts one hit. */
static int
count_index_term(void *arg, const struct field *f, const char *value)
{
	struct index_count *c = arg;

	if (c->terms == UCHAR_MAX)
		return 0;	/* enough terms: the rest are checked record by record */
	c->at = 0;
	if (store_each_by(c->txn, c->t->form, f->name, value, hit_id, c, c->err) != 0)
		return -1;
	c->terms++;
	return 0;
}

/* Whether record id matches: by the index counts and the key where they tell, else decoded. */
static bool
id_matches(struct table *t, const struct query *q, const struct index_count *c, size_t id)
{
	struct record *rec = NULL;
	struct error err = ERROR_INIT;
	enum query_answer a;
	bool match = false;

	if (q == NULL)
		return true;
	if (c->terms > 0 && c->hits[id] != c->terms)
		return false;
	if ((a = query_match_key(q, t->keys[id])) != QUERY_MAYBE)
		return a == QUERY_YES;
	if (store_get(c->txn, t->form, t->ids[id], &rec, &err) == 0)
		match = query_match(q, rec, t->keys[id]);
	error_clear(&err);
	record_free(rec);
	return match;
}

/* The rows matching a query (every row for NULL); tag instead of limiting when tag. */
static int
apply_query(struct app *app, struct table *t, struct query *q, bool tag)
{
	struct error err = ERROR_INIT;
	struct index_count c = { t, NULL, NULL, 0, &err, 0 };
	size_t kept = 0;

	load_ids(app, t, SIZE_MAX);
	if (store_txn_begin(app->store, false, &c.txn, &err) != 0 ||
	    (c.hits = xcalloc(t->n_ids + 1, 1), query_index_terms(q, count_index_term, &c)) != 0) {
		app_message(app, true, "%s", err.message != NULL ? err.message : "?");
		error_clear(&err);
		store_txn_abort(c.txn);
		free(c.hits);
		return -1;
	}
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
	store_release_pages(app->store);
	free(c.hits);
	if (!tag) {
		t->n_rows = kept;
		t->all_rows = q == NULL;
		t->cursor = t->top = 0;
	}
	return 0;
}

/* Asks for an expression until it parses or the user gives up; NULL for an empty line too. */
static struct query *
ask_query(struct app *app, struct table *t, const char *prompt, char **text)
{
	struct query *q = NULL;

	*text = app_prompt(app, prompt, NULL);
	while (*text != NULL && **text != '\0') {
		struct error err = ERROR_INIT;
		struct store_txn *txn;
		struct field_ctx ctx;
		char *before;
		size_t at = 0;
		int rc = store_txn_begin(app->store, false, &txn, &err);

		if (rc == 0) {
			store_field_ctx(txn, NULL, &ctx);
			rc = query_parse(t->form, &ctx, *text, &q, &at, &err);
			store_txn_abort(txn);
		}
		if (rc == 0)
			return q;
		before = xstrndup(*text, at);	/* the column on screen, Chinese counting two */
		app_message(app, true, _("%s (at column %zu)"), err.message, width_of(before) + 1);
		free(before);
		error_clear(&err);
		refresh();
		{
			char *again = app_prompt(app, prompt, *text);

			free(*text);
			*text = again;
		}
	}
	return NULL;
}

static void
limit(struct app *app, struct table *t)
{
	char *text;
	struct query *q = ask_query(app, t, _("limit: "), &text);

	if (text == NULL)
		return;
	if (apply_query(app, t, q, false) == 0) {
		free(t->limit);
		t->limit = *text != '\0' ? xstrdup(text) : NULL;
		t->sort_col = -1;
	}
	query_free(q);
	free(text);
}

static void
tag_pattern(struct app *app, struct table *t)
{
	char *text;
	struct query *q = ask_query(app, t, _("tag rows matching: "), &text);

	if (q != NULL && apply_query(app, t, q, true) == 0)
		app_message(app, false, _("%zu rows tagged"), t->n_tagged);
	query_free(q);
	free(text);
}

static void
toggle_tag(struct app *app, struct table *t)
{
	size_t id;

	if (t->n_rows == 0)
		return;
	id = t->rows[t->cursor];
	t->tagged[id] = !t->tagged[id];
	t->n_tagged += t->tagged[id] ? 1 : (size_t)-1;
	move_cursor(app, t, 1);
}

struct sort_item {
	size_t id;
	uint8_t *key;
	int32_t len;
};

static int
compare_items(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int c = memcmp(x->key, y->key, (size_t)(x->len < y->len ? x->len : y->len));

	if (c == 0)
		c = (x->len > y->len) - (x->len < y->len);
	return c != 0 ? c : (x->id > y->id) - (x->id < y->id);
}

/* An ICU sort key of s for the Chinese collator: Han characters in pinyin order. */
static uint8_t *
sort_key(UCollator *coll, const char *s, int32_t *len)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0;
	UChar *u;
	uint8_t *key;

	u_strFromUTF8(NULL, 0, &n, s, -1, &st);
	st = U_ZERO_ERROR;
	u = xcalloc((size_t)n + 1, sizeof *u);
	u_strFromUTF8(u, n + 1, NULL, s, -1, &st);
	*len = ucol_getSortKey(coll, u, U_FAILURE(st) ? 0 : n, NULL, 0);
	key = xmalloc((size_t)*len + 1);
	ucol_getSortKey(coll, u, U_FAILURE(st) ? 0 : n, key, *len + 1);
	free(u);
	return key;
}

static void
sort_rows(struct app *app, struct table *t)
{
	UErrorCode st = U_ZERO_ERROR;
	UCollator *coll = ucol_open("zh", &st);
	struct sort_item *items;
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	const struct field *f = &t->form->fields[t->columns[t->col]];

	load_ids(app, t, SIZE_MAX);
	if (U_FAILURE(st) || store_txn_begin(app->store, false, &txn, &err) != 0) {
		app_message(app, true, _("cannot sort: %s"), err.message != NULL ? err.message : u_errorName(st));
		error_clear(&err);
		ucol_close(coll);
		return;
	}
	items = xcalloc(t->n_rows + 1, sizeof *items);
	for (size_t i = 0; i < t->n_rows; i++) {
		struct record *rec = NULL;

		items[i].id = t->rows[i];
		if (store_get(txn, t->form, t->ids[t->rows[i]], &rec, &err) != 0)
			error_clear(&err);
		items[i].key = sort_key(coll, rec != NULL ? value_text(app, f,
		    rec->values[t->columns[t->col]]) : "", &items[i].len);
		record_free(rec);
	}
	store_txn_abort(txn);
	store_release_pages(app->store);
	qsort(items, t->n_rows, sizeof *items, compare_items);
	t->sort_desc = t->sort_col == (int)t->col ? !t->sort_desc : false;
	t->sort_col = (int)t->col;
	t->all_rows = false;
	for (size_t i = 0; i < t->n_rows; i++) {
		t->rows[t->sort_desc ? t->n_rows - 1 - i : i] = items[i].id;
		free(items[i].key);
	}
	free(items);
	ucol_close(coll);
	t->cursor = t->top = 0;
}

/* Incremental search: where the cursor was, and the last match while typing. */
struct live_search {
	struct table *t;
	size_t origin, origin_top;
	char *matched;		/* the folded text that matched at row `at`; NULL: none */
	size_t at;
};

static void
live_restore(struct live_search *ls)
{
	ls->t->cursor = ls->origin;
	ls->t->top = ls->origin_top;
}

/* The prompt's text changed: the cursor goes to its first match after where it was. A longer
 * text matches a subset of what the shorter one did, so the search goes on from that match. */
static bool
search_changed(struct app *app, const char *text, void *arg)
{
	struct live_search *ls = arg;
	struct table *t = ls->t;
	struct query_word *w;
	bool onward;
	size_t r;

	if (t->n_rows == 0)
		return false;
	make_keys(app, t);
	w = query_word_new(text);
	onward = ls->matched != NULL && str_starts(query_word_folded(w), ls->matched);
	r = *text == '\0' ? t->n_rows : find_row(t, w, onward ? ls->at : ls->origin, true, onward);
	free(ls->matched);
	ls->matched = NULL;
	live_restore(ls);
	if (r < t->n_rows) {
		ls->matched = xstrdup(query_word_folded(w));
		ls->at = r;
		move_cursor(app, t, (long)r - (long)t->cursor);
	}
	query_word_free(w);
	return true;
}

static void
search(struct app *app, struct table *t)
{
	struct live_search ls = { t, t->cursor, t->top, NULL, 0 };
	char *word = app_prompt_live(app, "/", NULL, search_changed, &ls);

	if (word != NULL && *word != '\0' && ls.matched == NULL)
		search_changed(app, word, &ls);	/* given whole, as ":search WORD" does */
	if (word == NULL || *word == '\0')
		live_restore(&ls);	/* Esc: back where it was */
	else {
		query_word_free(t->search);
		t->search = query_word_new(word);
		if (ls.matched == NULL)
			app_message(app, true, _("not found: %s"), query_word_folded(t->search));
	}
	free(ls.matched);
	free(word);
}

/* "c": the columns shown, by field ids or labels, as the prompt offers them. */
static void
set_columns(struct app *app, struct table *t)
{
	struct buf now = BUF_INIT;
	int *cols = xcalloc(t->form->n_fields, sizeof *cols);
	size_t n = 0;
	char *line, *word, *save = NULL;

	for (size_t c = 0; c < t->n_columns; c++)
		buf_printf(&now, "%s%s", c > 0 ? " " : "", t->form->fields[t->columns[c]].name);
	line = app_prompt(app, _("columns: "), buf_str(&now));
	for (word = line != NULL ? strtok_r(line, " ,", &save) : NULL; word != NULL;
	    word = strtok_r(NULL, " ,", &save)) {
		const struct field *f = form_field_by_header(t->form, word);

		if (f == NULL) {
			app_message(app, true, _("%s has no field '%s'"), form_label(t->form), word);
			n = 0;
			break;
		}
		if (n < t->form->n_fields)
			cols[n++] = (int)(f - t->form->fields);
	}
	if (n > 0) {
		free(t->columns);
		t->columns = cols;
		t->n_columns = n;
		t->col = t->col < n ? t->col : n - 1;
		t->sort_col = -1;	/* the rows keep their order; the mark would be on another column */
	} else
		free(cols);
	buf_free(&now);
	free(line);
}

/* The form of the record id, or of a new record when id is NULL. */
static void
open_form(struct app *app, struct table *t, const char *id)
{
	struct error err = ERROR_INIT;
	struct view *form;

	if ((form = view_form_new(app, t->form, id, &err)) != NULL)
		app_push(app, form);
	else
		app_message(app, true, "%s", err.message);
	error_clear(&err);
}

/* The ids an action applies to: the tagged rows, or the row under the cursor. */
static char **
target_ids(const struct table *t, bool tagged, size_t *n)
{
	char **ids = xcalloc((tagged ? t->n_tagged : 1) + 1, sizeof *ids);

	*n = 0;
	for (size_t i = 0; tagged && i < t->n_ids; i++)
		if (t->tagged[i])
			ids[(*n)++] = xstrdup(t->ids[i]);
	if (!tagged && t->n_rows > 0)
		ids[(*n)++] = xstrdup(t->ids[t->rows[t->cursor]]);
	return ids;
}

/* The search keys of the tagged rows made again after a change to them. */
static void
renew_tagged_keys(struct app *app, struct table *t)
{
	struct store_txn *txn;
	struct error err = ERROR_INIT;

	if (store_txn_begin(app->store, false, &txn, &err) == 0) {
		for (size_t i = 0; i < t->n_ids; i++) {
			struct record *rec = NULL;

			if (t->tagged[i] && t->keys[i] != NULL &&
			    store_get(txn, t->form, t->ids[i], &rec, &err) == 0)
				renew_key(t, i, rec);
			record_free(rec);
			error_clear(&err);
		}
		store_txn_abort(txn);
	}
	error_clear(&err);
}

/* "=" (or ":set"): FIELD=VALUE… on the row, or after ";" on every tagged row, as one commit. */
static void
set_fields(struct app *app, struct table *t, bool tagged)
{
	struct assignments a;
	struct error err = ERROR_INIT;
	size_t n, changed;
	char **ids = target_ids(t, tagged, &n);
	char *prompt = tagged ? xasprintf(_("set on %zu tagged rows: "), n) :
	    xasprintf(_("set on %s: "), n > 0 ? ids[0] : "");
	char *line = n > 0 ? app_prompt(app, prompt, NULL) : NULL;

	if (line != NULL && *line != '\0' &&
	    assignments_parse_line(t->form, line, &a, &err) == 0) {
		if (bulk_set(app->store, t->form, ids, n, &a, &changed, &err) == 0) {
			if (tagged)
				renew_tagged_keys(app, t);
			app_message(app, false, _("%zu of %zu records changed, in one commit"), changed, n);
		}
		assignments_free(&a);
	}
	if (err.message != NULL)
		app_message(app, true, "%s", err.message);
	error_clear(&err);
	strv_free(ids);
	free(prompt);
	free(line);
}

static void
untag_all(struct table *t)
{
	memset(t->tagged, 0, t->n_ids * sizeof *t->tagged);
	t->n_tagged = 0;
}

static void
apply_to_tagged(struct app *app, struct table *t)
{
	if (t->n_tagged == 0) {
		app_message(app, true, _("no rows are tagged: t tags a row, T rows matching an expression"));
		return;
	}
	t->on_tagged = true;
	app_message(app, false, _("; the next action applies to the %zu tagged rows (= set, t untag)"),
	    t->n_tagged);
}

static int
table_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct table *t = v->data;
	long page = page_rows(app);

	bool tagged = t->on_tagged;

	(void)key;
	if (a != ACT_COMMAND)
		t->on_tagged = false;
	switch (a) {
	case ACT_UP:		move_cursor(app, t, -1); break;
	case ACT_DOWN:		move_cursor(app, t, 1); break;
	case ACT_PAGE_UP:	move_cursor(app, t, -page); break;
	case ACT_PAGE_DOWN:	move_cursor(app, t, page); break;
	case ACT_FIRST:		move_cursor(app, t, -(long)t->n_rows); break;
	case ACT_LAST:		load_ids(app, t, SIZE_MAX); move_cursor(app, t, (long)t->n_rows); break;
	case ACT_LEFT:		t->col = t->col > 0 ? t->col - 1 : 0; break;
	case ACT_RIGHT:		t->col = t->col + 1 < t->n_columns ? t->col + 1 : t->col; break;
	case ACT_SEARCH:	search(app, t); break;
	case ACT_SEARCH_NEXT:	search_step(app, t, true); break;
	case ACT_SEARCH_PREV:	search_step(app, t, false); break;
	case ACT_LIMIT:		limit(app, t); break;
	case ACT_SORT:		sort_rows(app, t); break;
	case ACT_TAG:		tagged ? untag_all(t) : toggle_tag(app, t); break;
	case ACT_APPLY_TAGGED:	apply_to_tagged(app, t); break;
	case ACT_COLUMNS:	set_columns(app, t); break;
	case ACT_SET:		set_fields(app, t, tagged); break;
	case ACT_TAG_PATTERN:	tag_pattern(app, t); break;
	case ACT_OPEN:		open_form(app, t, t->n_rows > 0 ? t->ids[t->rows[t->cursor]] : NULL); break;
	case ACT_NEW:		open_form(app, t, NULL); break;
	case ACT_HISTORY:
		if (t->n_rows > 0)
			app_push(app, view_history_new(app, t->form, t->ids[t->rows[t->cursor]]));
		break;
	case ACT_UNDO:
		if (t->n_rows > 0)
			undo_newest_change(app, t->form, t->ids[t->rows[t->cursor]]);
		break;
	default:
		return R_UNHANDLED;
	}
	return R_DRAW;
}

static const char *
table_title(struct view *v)
{
	struct table *t = v->data;

	return t->title;
}

static void
table_destroy(struct view *v)
{
	struct table *t = v->data;

	app_background(t->app, NULL, NULL);
	for (size_t i = 0; i < t->n_ids; i++) {
		free(t->keys[i]);
		free(t->ids[i]);
	}
	free(t->keys);
	free(t->ids);
	free(t->rows);
	free(t->tagged);
	free(t->columns);
	query_word_free(t->search);
	free(t->limit);
	free(t->title);
	free(t);
}

static const struct view_ops table_ops = {
	"table", table_draw, table_handle, table_destroy, table_title,
};

struct view *
view_table_new(struct app *app, const struct form *form, struct error *err)
{
	struct table *t = xcalloc(1, sizeof *t);
	struct store_txn *txn = NULL;
	struct view *v;

	t->app = app;
	t->form = form;
	t->sort_col = -1;
	if (store_txn_begin(app->store, false, &txn, err) != 0 ||
	    store_count(txn, form, &t->n, err) != 0) {
		store_txn_abort(txn);
		free(t);
		return NULL;
	}
	store_txn_abort(txn);
	table_grow(t, t->n + 1);
	t->n_rows = t->n;
	t->all_rows = true;
	t->title = xasprintf("%s  (%s %s)", form_label(form), store_city_name(app->store),
	    store_city_code(app->store));
	choose_columns(t);
	app_background(app, table_background, t);
	v = xcalloc(1, sizeof *v);
	v->ops = &table_ops;
	v->data = t;
	return v;
}

/* Limits the table to the rows the expression text matches; -1 with err if it is not one. */
static int
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
	if (rc == 0 && (rc = apply_query(app, t, q, false)) == 0) {
		free(t->limit);
		t->limit = xstrdup(text);
	}
	query_free(q);
	return rc;
}

/* The ids of the tagged rows, to tag them again after the ids are read anew. */
static char **
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
static void
read_again(struct app *app, struct table *t, size_t n)
{
	char *at = t->n_rows > 0 ? xstrdup(t->ids[t->rows[t->cursor]]) : NULL, *lim = t->limit;
	char **tags = tagged_ids(t);
	struct error err = ERROR_INIT;

	for (size_t i = 0; i < t->n_ids; i++) {
		free(t->keys[i]);
		free(t->ids[i]);
		t->keys[i] = t->ids[i] = NULL;
		t->tagged[i] = false;
	}
	t->n_ids = t->n_tagged = t->keys_next = 0;
	t->ids_done = t->keys_done = false;
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
			t->cursor = r;
	move_cursor(app, t, 0);
	app_background(app, table_background, t);
	error_clear(&err);
	strv_free(tags);
	free(lim);
	free(at);
}

struct view *
view_table_new_limited(struct app *app, const struct form *form, const char *limit,
    struct error *err)
{
	struct view *v = view_table_new(app, form, err);

	if (v != NULL && limit_to(app, v->data, limit, err) != 0) {
		table_destroy(v);
		free(v);
		return NULL;
	}
	return v;
}
