/*
 * view-table.c — the table of a record type: columns from the form, widths in display
 * columns, virtual scrolling (only the rows on screen are read from the store, in a read
 * transaction that lives for one repaint), "/" search with n/N, "l" limit by an expression,
 * sorting by a column with Chinese in pinyin order, and tags.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include "campaign/campaign.h"
#include "console/console-private.h"
#include "store/query.h"

struct table {
	const struct form *form;
	char **ids;		/* every id, in id order */
	size_t n;
	size_t *rows;		/* the rows shown: indexes into ids, after limit and sort */
	size_t n_rows;
	char **keys;		/* per id: its search key, made when first needed */
	bool *tagged;
	size_t n_tagged;
	size_t cursor, top;	/* indexes into rows */
	int *columns;		/* field indexes shown */
	size_t n_columns;
	size_t col;		/* the column under the cursor (sort) */
	int sort_col;		/* -1: id order */
	bool sort_desc;
	char *search;
	char *limit;
	char *title;
	bool on_tagged;		/* after ";": the next action applies to the tagged rows */
};

static int
page_rows(const struct app *app)
{
	return app->lines - 4;	/* title, header, status, message */
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
		int w = c + 1 == t->n_columns ? app->cols - x : f->column;
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
		int w = c + 1 == t->n_columns ? app->cols - x : f->column;

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

static void
table_draw(struct app *app, struct view *v)
{
	struct table *t = v->data;
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	int rows = page_rows(app);

	draw_header(app, t);
	if (store_txn_begin(app->store, false, &txn, &err) != 0)
		app_message(app, true, "%s", err.message);
	for (int i = 0; i < rows; i++) {
		size_t r = t->top + (size_t)i;
		struct record *rec = NULL;

		if (r >= t->n_rows) {
			move(2 + i, 0);
			clrtoeol();
			continue;
		}
		if (txn != NULL && store_get(txn, t->form, t->ids[t->rows[r]], &rec, &err) != 0)
			error_clear(&err);
		draw_row(app, t, 2 + i, t->rows[r], rec, r == t->cursor);
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

/* The search key of an id, made once; NULL only when the record cannot be read. */
static const char *
row_key(struct table *t, struct store_txn *txn, size_t id_index)
{
	struct record *rec;
	struct error err = ERROR_INIT;

	if (t->keys[id_index] == NULL && store_get(txn, t->form, t->ids[id_index], &rec, &err) == 0) {
		t->keys[id_index] = query_record_key(rec);
		record_free(rec);
	}
	error_clear(&err);
	return t->keys[id_index];
}

/* From the row after the cursor (before it, backwards), wrapping around. */
static void
search_step(struct app *app, struct table *t, bool forward)
{
	struct store_txn *txn;
	struct error err = ERROR_INIT;

	if (t->search == NULL || t->n_rows == 0)
		return;
	if (store_txn_begin(app->store, false, &txn, &err) != 0) {
		app_message(app, true, "%s", err.message);
		error_clear(&err);
		return;
	}
	for (size_t i = 1; i <= t->n_rows; i++) {
		size_t r = forward ? (t->cursor + i) % t->n_rows : (t->cursor + t->n_rows - i) % t->n_rows;
		const char *key = row_key(t, txn, t->rows[r]);

		if (key != NULL && query_word_matches(t->search, key)) {
			move_cursor(app, t, (long)r - (long)t->cursor);
			store_txn_abort(txn);
			return;
		}
	}
	store_txn_abort(txn);
	app_message(app, true, _("not found: %s"), t->search);
}

/* The rows matching a query (every row for NULL); tag instead of limiting when tag. */
static int
apply_query(struct app *app, struct table *t, struct query *q, bool tag)
{
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	size_t kept = 0;

	if (store_txn_begin(app->store, false, &txn, &err) != 0) {
		app_message(app, true, "%s", err.message);
		error_clear(&err);
		return -1;
	}
	for (size_t i = 0; i < (tag ? t->n_rows : t->n); i++) {
		size_t id = tag ? t->rows[i] : i;
		struct record *rec = NULL;
		bool match = q == NULL;

		if (!match && store_get(txn, t->form, t->ids[id], &rec, &err) == 0)
			match = query_match(q, rec, row_key(t, txn, id));
		error_clear(&err);
		record_free(rec);
		if (match && tag && !t->tagged[id]) {
			t->tagged[id] = true;
			t->n_tagged++;
		} else if (match && !tag)
			t->rows[kept++] = id;
	}
	store_txn_abort(txn);
	if (!tag) {
		t->n_rows = kept;
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
	qsort(items, t->n_rows, sizeof *items, compare_items);
	t->sort_desc = t->sort_col == (int)t->col ? !t->sort_desc : false;
	t->sort_col = (int)t->col;
	for (size_t i = 0; i < t->n_rows; i++) {
		t->rows[t->sort_desc ? t->n_rows - 1 - i : i] = items[i].id;
		free(items[i].key);
	}
	free(items);
	ucol_close(coll);
	t->cursor = t->top = 0;
}

static void
search(struct app *app, struct table *t)
{
	char *word = app_prompt(app, "/", NULL);

	if (word == NULL || *word == '\0') {
		free(word);
		return;
	}
	free(t->search);
	t->search = fold_text(word);
	free(word);
	search_step(app, t, true);
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
	for (size_t i = 0; tagged && i < t->n; i++)
		if (t->tagged[i])
			ids[(*n)++] = xstrdup(t->ids[i]);
	if (!tagged && t->n_rows > 0)
		ids[(*n)++] = xstrdup(t->ids[t->rows[t->cursor]]);
	return ids;
}

/* The search keys of changed records are made again when next needed. */
static void
forget_keys(struct table *t, bool tagged)
{
	for (size_t i = 0; i < t->n; i++)
		if (tagged ? t->tagged[i] : (t->n_rows > 0 && i == t->rows[t->cursor])) {
			free(t->keys[i]);
			t->keys[i] = NULL;
		}
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
			forget_keys(t, tagged);
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
	memset(t->tagged, 0, t->n * sizeof *t->tagged);
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
	case ACT_LAST:		move_cursor(app, t, (long)t->n_rows); break;
	case ACT_LEFT:		t->col = t->col > 0 ? t->col - 1 : 0; break;
	case ACT_RIGHT:		t->col = t->col + 1 < t->n_columns ? t->col + 1 : t->col; break;
	case ACT_SEARCH:	search(app, t); break;
	case ACT_SEARCH_NEXT:	search_step(app, t, true); break;
	case ACT_SEARCH_PREV:	search_step(app, t, false); break;
	case ACT_LIMIT:		limit(app, t); break;
	case ACT_SORT:		sort_rows(app, t); break;
	case ACT_TAG:		tagged ? untag_all(t) : toggle_tag(app, t); break;
	case ACT_APPLY_TAGGED:	apply_to_tagged(app, t); break;
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

	for (size_t i = 0; i < t->n; i++)
		free(t->keys[i]);
	free(t->keys);
	strv_free(t->ids);
	free(t->rows);
	free(t->tagged);
	free(t->columns);
	free(t->search);
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

	t->form = form;
	t->sort_col = -1;
	if (store_txn_begin(app->store, false, &txn, err) != 0 ||
	    store_list_ids(txn, form, &t->ids, &t->n, err) != 0) {
		if (txn != NULL)
			store_txn_abort(txn);
		free(t);
		return NULL;
	}
	store_txn_abort(txn);
	t->rows = xcalloc(t->n + 1, sizeof *t->rows);
	for (size_t i = 0; i < t->n; i++)
		t->rows[i] = i;
	t->n_rows = t->n;
	t->keys = xcalloc(t->n + 1, sizeof *t->keys);
	t->tagged = xcalloc(t->n + 1, sizeof *t->tagged);
	t->title = xasprintf("%s  (%s %s)", form_label(form), store_city_name(app->store),
	    store_city_code(app->store));
	choose_columns(t);
	v = xcalloc(1, sizeof *v);
	v->ops = &table_ops;
	v->data = t;
	return v;
}

struct view *
view_table_new_limited(struct app *app, const struct form *form, const char *limit,
    struct error *err)
{
	struct view *v = view_table_new(app, form, err);
	struct store_txn *txn;
	struct field_ctx ctx;
	struct query *q = NULL;
	struct table *t;
	int rc;

	if (v == NULL)
		return NULL;
	t = v->data;
	if ((rc = store_txn_begin(app->store, false, &txn, err)) == 0) {
		store_field_ctx(txn, NULL, &ctx);
		rc = query_parse(form, &ctx, limit, &q, NULL, err);
		store_txn_abort(txn);
	}
	if (rc == 0 && apply_query(app, t, q, false) == 0)
		t->limit = xstrdup(limit);
	query_free(q);
	if (rc != 0) {
		table_destroy(v);
		free(v);
		return NULL;
	}
	return v;
}
