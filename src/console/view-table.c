/*
 * view-table.c — the table of a record type: columns from the form, widths in display
 * columns, virtual scrolling (only the rows on screen are read from the store, in a read
 * transaction that lives for one repaint), incremental "/" search with n/N, "l" limit by an
 * expression, sorting by a column with Chinese in pinyin order, and tags.
 *
 * How rows are read, limited and sorted is table-data.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "console/ask.h"
#include "console/table.h"
#include "console/freq.h"
#include "console/views.h"


int
table_rows(const struct app *app)
{
	return app->lines - 4;	/* title, header, status, message */
}

/* What a column needs whole: its label, and for an enum its longest option's label, a date
 * all ten digits; a gap of one after it. */
static int
column_need(const struct field *f)
{
	int w = (int)width_of(field_label(f));

	for (size_t i = 0; f->kind == FT_ENUM && i < f->n_options; i++) {
		int o = (int)width_of(field_option_label(f, f->options[i].value));

		w = o > w ? o : w;
	}
	if (f->kind == FT_DATE && w < 10)
		w = 10;
	return w + 1;
}

/* Free text (a name, a title) may be cut to make room; a code, a date or a label never. */
static bool
column_shrinks(const struct field *f)
{
	return f->kind == FT_TEXT || f->kind == FT_LONGTEXT || f->kind == FT_REF;
}

/* The narrowest a column may be: its whole value, or for free text two thirds of the form's
 * width (a name still tells the institution). Tight, when that shows a label column the
 * window left out (Status, in English at 80 columns), free text gives up half its width and an
 * id column takes its ids' own width. */
static int
column_min(const struct table *t, const struct field *f, bool tight)
{
	int need = column_need(f), part;

	if (f->kind == FT_ID && tight && t->n_ids > 0) {
		part = (int)width_of(t->ids[0]) + 1;
		return part > need ? part : need;
	}
	if (!column_shrinks(f))
		return f->column > need ? f->column : need;
	part = tight ? f->column / 2 : f->column * 2 / 3;
	return part > need ? part : need;
}

/* How many columns fit room at their narrowest, in order (widths set), and the room used. */
static size_t
fit_columns(struct table *t, int room, bool tight, int *used)
{
	size_t n = 0;

	*used = 0;
	for (; n < t->n_columns; n++) {
		int w = column_min(t, &t->form->fields[t->columns[n]], tight);

		if (*used + w > room && n > 0)
			break;
		t->widths[n] = w;
		*used += w;
	}
	return n;
}

/* The columns that fit the window and their widths: each at its narrowest, in order, while
 * they fit (tight when that shows the label column left out next); then free text grows towards the form's
 * width, the widest first, and what is left goes to the widest free-text column (the name),
 * else to the last column. */
static void
layout_columns(struct app *app, struct table *t)
{
	int room = app->cols - 2 - table_counts_width(t->counts), used, widest = -1;
	size_t n = fit_columns(t, room, false, &used);

	if (n < t->n_columns) {
		int tight_used;
		size_t tight = fit_columns(t, room, true, &tight_used);

		if (tight > n && t->form->fields[t->columns[n]].kind == FT_ENUM) {
			n = tight;
			used = tight_used;
		} else {
			fit_columns(t, room, false, &used);	/* no use cutting names for nothing */
		}
	}
	t->n_shown = n;
	for (bool grew = true; grew && used < room; ) {
		grew = false;
		for (size_t c = 0; c < n && used < room; c++) {
			const struct field *f = &t->form->fields[t->columns[c]];

			if (column_shrinks(f) && t->widths[c] < f->column) {
				t->widths[c]++;
				used++;
				grew = true;
			}
		}
	}
	for (size_t c = 0; c < n; c++)
		if (column_shrinks(&t->form->fields[t->columns[c]]) &&
		    (widest < 0 || t->form->fields[t->columns[c]].column >
		    t->form->fields[t->columns[widest]].column))
			widest = (int)c;
	if (n > 0 && used < room)
		t->widths[widest >= 0 ? (size_t)widest : n - 1] += room - used;
}

static void
choose_columns(struct table *t)
{
	t->columns = xcalloc(t->form->n_fields, sizeof *t->columns);
	t->widths = xcalloc(t->form->n_fields, sizeof *t->widths);
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
	for (size_t c = 0; c < t->n_shown; c++) {
		const struct field *f = &t->form->fields[t->columns[c]];
		int w = t->widths[c];
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
	table_counts_header(app, t->counts, app->cols - table_counts_width(t->counts),
	    t->col >= t->n_columns ? (long)(t->col - t->n_columns) : -1);
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
	for (size_t c = 0; c < t->n_shown; c++) {
		const struct field *f = &t->form->fields[t->columns[c]];
		int w = t->widths[c];

		draw_text(stdscr, y, x, w - 1, rec != NULL ? value_text(app, f,
		    rec->values[t->columns[c]]) : t->ids[id_index], false);
		x += w;
	}
	table_counts_row(t->counts, y, app->cols - table_counts_width(t->counts), t->ids[id_index]);
	if (current)
		attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
}

/* The status line, the most useful first: counts, tags and limit, then who and where. */
static void
table_status(struct app *app, struct table *t)
{
	char now[6], *right, *count, *tagged = NULL, *limit = NULL, *left;
	time_t clock = clock_real();	/* a wall clock: HUITOU_NOW pins only "today" */
	struct tm tm;

	localtime_r(&clock, &tm);
	strftime(now, sizeof now, "%H:%M", &tm);
	right = xasprintf("%s%s%s %s ", replica_note(app) != NULL ? replica_note(app) : "",
	    replica_note(app) != NULL ? " " : "", store_audit_pending(app->store) ?
	    _("audit: pending") : _("audit: in git"), now);
	count = limit_scanning(t) ? limit_progress(t) : NULL;	/* the count is not final yet */
	if (count != NULL) {
		char *progress = count;

		count = xasprintf(" %s %s", form_label(t->form), progress);
		free(progress);
	} else
		count = xasprintf(" %s %zu/%zu", form_label(t->form), t->n_rows, t->n);
	if (t->n_tagged > 0)
		tagged = xasprintf("%s %zu", _("tagged"), t->n_tagged);
	if (t->limit != NULL)
		limit = xasprintf("l: %s", t->limit);
	left = status_join((const char *const[]){ count, tagged, limit, app->who_text,
	    app->opt->dir }, 5, app->cols - (int)width_of(right) - 1);
	draw_status(app, left, right);
	free(left);
	free(right);
	free(count);
	free(tagged);
	free(limit);
}

static void
table_draw(struct app *app, struct view *v)
{
	struct table *t = v->data;
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	int rows = table_rows(app);
	size_t count;

	if (limit_scanning(t) && app->background_arg != t)
		app_background(app, table_background, t);	/* back on top: it goes on */
	if (store_txn_begin(app->store, false, &txn, &err) != 0)
		app_message(app, true, "%s", err.message);
	else if (t->ids_done && store_count(txn, t->form, &count, &err) == 0 && count != t->n) {
		store_txn_abort(txn);	/* a new snapshot after reading again */
		read_again(app, t, count);
		if (store_txn_begin(app->store, false, &txn, &err) != 0)
			app_message(app, true, "%s", err.message);
	}
	list_fit(&t->list, t->n_rows, rows);	/* the window may have changed size */
	load_ids(app, t, t->list.top + (size_t)rows);
	layout_columns(app, t);		/* after the ids: an id column may take their width */
	draw_header(app, t);
	for (int i = 0; i < rows; i++) {
		size_t r = t->list.top + (size_t)i;
		struct record *rec = NULL;

		if (r >= t->n_rows || t->rows[r] >= t->n_ids) {
			move(2 + i, 0);
			clrtoeol();
			continue;
		}
		if (txn != NULL && store_get(txn, t->form, t->ids[t->rows[r]], &rec, &err) != 0)
			error_clear(&err);
		if (rec != NULL)
			store_mask_record(app->store, rec);	/* private values: 〔不公开〕 */
		draw_row(app, t, 2 + i, t->rows[r], rec, r == t->list.cursor);
		if (r == t->list.cursor && rec != NULL)
			renew_key(t, t->rows[r], rec);	/* it may have been edited or undone */
		record_free(rec);
	}
	store_txn_abort(txn);
	error_clear(&err);
	if (t->n_rows == 0 && limit_scanning(t))
		draw_text(stdscr, 3, 2, app->cols - 4, _("Filtering: no row found yet."), false);
	else if (t->n_rows == 0)
		draw_text(stdscr, 3, 2, app->cols - 4, t->n == 0 ? _("No records yet: import some with 'huitou import'.") :
		    _("No record matches the limit; l and an empty line shows them all."), false);
	table_status(app, t);
}

void
move_cursor(struct app *app, struct table *t, long delta)
{
	list_move(&t->list, t->n_rows, table_rows(app), delta);
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
	r = find_row(t, t->search, t->list.cursor, forward, false);
	key_file_release(&t->key_file);	/* the keys read: the memory budget */
	if (r < t->n_rows)
		list_goto(&t->list, t->n_rows, table_rows(app), r);
	else
		app_message(app, true, _("not found: %s"), query_word_folded(t->search));
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
		{	/* the error shows over the prompt, which keeps the text to put right */
			char *again = app_prompt(app, prompt, *text);

			free(*text);
			*text = again;
			free(app->message);	/* put right or given up: the error is past */
			app->message = NULL;
		}
	}
	return NULL;
}

static void
limit(struct app *app, struct table *t)
{
	char *text;
	struct query *q = ask_query(app, t, _("limit: "), &text);
	struct error err = ERROR_INIT;

	if (text == NULL)
		return;
	if (limit_begin(app, t, q, text, &err) != 0)	/* the scan's query from now */
		app_message(app, true, "%s", err.message);
	error_clear(&err);
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
	id = t->rows[t->list.cursor];
	t->tagged[id] = !t->tagged[id];
	t->n_tagged += t->tagged[id] ? 1 : (size_t)-1;
	move_cursor(app, t, 1);
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
	ls->t->list.cursor = ls->origin;
	ls->t->list.top = ls->origin_top;
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
	key_file_release(&t->key_file);
	free(ls->matched);
	ls->matched = NULL;
	live_restore(ls);
	if (r < t->n_rows) {
		ls->matched = xstrdup(query_word_folded(w));
		ls->at = r;
		list_goto(&t->list, t->n_rows, table_rows(app), r);
	}
	query_word_free(w);
	return true;
}

static void
search(struct app *app, struct table *t)
{
	struct live_search ls = { t, t->list.cursor, t->list.top, NULL, 0 };
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
		views_remember_columns(app, t);	/* the user's default for this form from now on */
	} else
		free(cols);
	buf_free(&now);
	free(line);
}

/* The form of the record id, or of a new record when id is NULL and the policy lets the user
 * make one. */
static void
open_form(struct app *app, struct table *t, const char *id)
{
	struct error err = ERROR_INIT;
	struct view *form;

	if (id == NULL && store_may_create(app->store, t->form, &err) != 0)
		app_message(app, true, "%s", err.message);
	else if ((form = view_form_new(app, t->form, id, &err)) != NULL)
		app_push(app, form);
	else
		app_message(app, true, "%s", err.message);
	error_clear(&err);
}

/* "m" on a row: its form, then the form's list of moves (Esc there leaves the form open). */
static void
move_row(struct app *app, struct table *t)
{
	struct view *was = app->top;

	if (t->n_rows == 0)
		return;
	open_form(app, t, t->ids[t->rows[t->list.cursor]]);
	if (app->top != was) {
		app_draw(app);	/* the form under the list of moves */
		app_dispatch(app, ACT_MOVE, 0);
	}
}

/* Right: the next column; past the last shown, the counts when the table has them. */
static size_t
next_column(const struct table *t)
{
	if (t->counts != NULL && t->col + 1 >= t->n_shown && t->col < t->n_columns)
		return t->n_columns;
	if (t->col + 1 < t->n_columns + (t->counts != NULL ? TABLE_COUNTS : 0))
		return t->col + 1;
	return t->col;
}

static size_t
prev_column(const struct table *t)
{
	if (t->counts != NULL && t->col == t->n_columns && t->n_shown > 0)
		return t->n_shown - 1;
	return t->col > 0 ? t->col - 1 : 0;
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

/* Whether action a works on the limit's rows as a set (so a limit filtering ends first), not
 * only on the row under the cursor or the view. */
static bool
reads_limited_rows(enum action a, bool tagged)
{
	switch (a) {
	case ACT_UP: case ACT_DOWN: case ACT_LEFT: case ACT_RIGHT: case ACT_PAGE_UP:
	case ACT_PAGE_DOWN: case ACT_FIRST: case ACT_LIMIT: case ACT_LIMIT_STOP: case ACT_OPEN:
	case ACT_NEW: case ACT_HISTORY: case ACT_MOVE: case ACT_UNDO: case ACT_COLUMNS:
	case ACT_BACK: case ACT_QUIT: case ACT_HELP: case ACT_REDRAW: case ACT_COMMAND:
	case ACT_APPLY_TAGGED: case ACT_NONE: case ACT_SCREEN_1: case ACT_SCREEN_2:
	case ACT_SCREEN_3: case ACT_SCREEN_4: case ACT_SCREEN_5: case ACT_SCREEN_6:
	case ACT_SCREEN_7: case ACT_SCREEN_8: case ACT_SCREEN_9: case ACT_SCREEN_PICK:
		return false;
	case ACT_TAG: case ACT_SET:
		return tagged;	/* the row under the cursor, or every tagged row */
	default:
		return true;	/* G, a sort, a search, T, F, =, R, and anything new */
	}
}

static int
table_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct table *t = v->data;
	bool tagged = t->on_tagged;

	(void)key;
	if (a != ACT_COMMAND)
		t->on_tagged = false;
	if (a == ACT_LIMIT_STOP && limit_scanning(t)) {
		limit_cancel(t);
		app_message(app, false, _("limit stopped: every row is shown"));
		return R_DRAW;
	}
	if (limit_scanning(t) && reads_limited_rows(a, tagged))
		limit_finish(app, t);	/* never on part of the rows */
	if (a == ACT_LAST)
		load_ids(app, t, SIZE_MAX);
	if (list_action(&t->list, t->n_rows, table_rows(app), a))
		return R_DRAW;
	switch (a) {
	case ACT_LEFT:		t->col = prev_column(t); break;
	case ACT_RIGHT:		t->col = next_column(t); break;
	case ACT_SEARCH:	search(app, t); break;
	case ACT_SEARCH_NEXT:	search_step(app, t, true); break;
	case ACT_SEARCH_PREV:	search_step(app, t, false); break;
	case ACT_LIMIT:		limit(app, t); break;
	case ACT_SORT:
		if (t->col < t->n_columns)
			sort_rows(app, t);
		break;
	case ACT_TAG:		tagged ? untag_all(t) : toggle_tag(app, t); break;
	case ACT_APPLY_TAGGED:	apply_to_tagged(app, t); break;
	case ACT_COLUMNS:	set_columns(app, t); break;
	case ACT_FREQUENCY:	freq_open(app, t); break;
	case ACT_SET:		table_set_fields(app, t, tagged); break;
	case ACT_TAG_PATTERN:	tag_pattern(app, t); break;
	case ACT_REVIEW:	review_from_table(app, t); break;
	case ACT_OPEN:
		if (t->col >= t->n_columns && t->n_rows > 0)
			table_counts_drill(app, t->counts, t->ids[t->rows[t->list.cursor]], t->col - t->n_columns);
		else
			open_form(app, t, t->n_rows > 0 ? t->ids[t->rows[t->list.cursor]] : NULL);
		break;
	case ACT_MOVE:		move_row(app, t); break;
	case ACT_NEW:		open_form(app, t, NULL); break;
	case ACT_HISTORY:
		if (t->n_rows > 0)
			app_push(app, view_history_new(app, t->form, t->ids[t->rows[t->list.cursor]]));
		break;
	case ACT_UNDO:
		if (t->n_rows > 0)
			undo_newest_change(app, t->form, t->ids[t->rows[t->list.cursor]]);
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
	table_data_free(t);	/* ids, keys, rows, tags */
	str_index_free(&t->by_id);
	free(t->columns);
	free(t->widths);
	query_word_free(t->search);
	free(t->limit);
	free(t->title);
	table_counts_free(t->counts);
	free(t);
}

static const struct view_ops table_ops = {
	VIEW_CONTEXT(table), table_draw, table_handle, table_destroy, table_title,
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
	views_default_columns(app, t);	/* the columns this user chose last with "c" */
	t->counts = table_counts_new(app, form);
	app_background(app, table_background, t);
	v = xcalloc(1, sizeof *v);
	v->ops = &table_ops;
	v->data = t;
	return v;
}

struct table *
view_table_of(struct view *v)
{
	return v != NULL && v->ops == &table_ops ? v->data : NULL;
}

/* A table of form on any screen whose ids are all read and still the store's count. */
static struct table *
table_with_ids(struct app *app, const struct table *like)
{
	for (size_t i = 0; i <= app->n_screens; i++)
		for (struct view *v = i < app->n_screens ? app->screens[i] : app->top; v != NULL;
		    v = v->below) {
			struct table *t = v->data;

			if (v->ops == &table_ops && t != like && t->form == like->form &&
			    t->ids_done && t->n_ids == like->n)
				return t;
		}
	return NULL;
}

struct view *
view_table_new_limited(struct app *app, const struct form *form, const char *limit,
    struct error *err)
{
	struct view *v = view_table_new(app, form, err);
	struct table *read;

	if (v != NULL && (read = table_with_ids(app, v->data)) != NULL)
		table_copy_ids_to_limit(v->data, read);	/* not read again: 100,000 take tens of ms */
	if (v != NULL && limit_to(app, v->data, limit, err) != 0) {
		table_destroy(v);
		free(v);
		return NULL;
	}
	return v;
}
