/*
 * view-freq.c — the frequency view (F in a table, VisiData's Shift-F): the table's current
 * rows (its limit applies) counted by one column or a pair (状态 × 街道), each value or pair on
 * a line with its count, its share and a bar, the largest first; "s" sorts by value, again by
 * count. Enter opens the table limited to exactly the rows counted on that line. Counting is
 * freq-count.c's: from indexes where every field has one, else between keys with progress.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/freq.h"

#define COUNT_COLS 8		/* "  123456" */
#define SHARE_COLS 8		/* "  100.0%" */
#define PROGRESS_US 100000	/* progress repainted this often while counting */

struct freq_view {
	struct app *app;
	struct table *t;	/* the table counted, under this view on the stack */
	struct freq_count c;
	char *limit;		/* the table's limit when counted; NULL: none */
	char **ids;		/* counting from records: the rows' ids, done up to next */
	size_t n_ids, next;
	bool counting, by_value, from_index;
	uint64_t drawn_at;
	uint64_t started;	/* clock_us when F was answered, for --timings */
	struct list list;
	char *title;
};

static int
freq_rows(const struct app *app)
{
	return app->lines - 4;	/* title, header, status, message */
}

/* What a value shows: its words, "(empty)" for none. */
static const char *
freq_value_text(struct app *app, const struct field *f, const char *value)
{
	return *value == '\0' ? _("(empty)") : value_text(app, f, value);
}

/* The width of a value column: the widest value on the page or the label, within a share of
 * the window that leaves room for the count, the share and a bar (only the page is measured:
 * a count of 100,000 names repaints as quickly as one of six states). */
static int
value_cols(struct app *app, struct freq_view *fv, int f, bool second)
{
	int room = (app->cols - 2 - COUNT_COLS - SHARE_COLS - 10) / (fv->c.f2 >= 0 ? 2 : 1);
	int w = (int)width_of(field_label(&fv->c.form->fields[f]));
	size_t end = fv->list.top + (size_t)freq_rows(app);

	for (size_t i = fv->list.top; i < fv->c.n_lines && i < end && w < room; i++) {
		const struct freq_line *l = &fv->c.lines[i];
		int vw = (int)width_of(freq_value_text(app, &fv->c.form->fields[f],
		    second ? l->v2 : l->v1));

		w = vw > w ? vw : w;
	}
	return (w < room ? w : room) + 2;
}

/* A label right-aligned in a column of cols. */
static void
draw_right(int y, int x, int cols, const char *text)
{
	int w = (int)width_of(text);

	draw_text(stdscr, y, x + (w < cols ? cols - w : 0), cols, text, false);
}

static void
draw_line(struct app *app, struct freq_view *fv, int y, const struct freq_line *l, int w1,
    int w2, size_t max, bool current)
{
	const struct form *form = fv->c.form;
	int x = 2, bar = app->cols - 2 - w1 - w2 - COUNT_COLS - SHARE_COLS - 2;
	char num[32];

	if (current)
		attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
	draw_fill(stdscr, y, 0, app->cols);
	draw_text(stdscr, y, x, w1 - 2, freq_value_text(app, &form->fields[fv->c.f1], l->v1), false);
	x += w1;
	if (fv->c.f2 >= 0) {
		draw_text(stdscr, y, x, w2 - 2, freq_value_text(app, &form->fields[fv->c.f2], l->v2),
		    false);
		x += w2;
	}
	snprintf(num, sizeof num, "%zu", l->count);
	draw_right(y, x, COUNT_COLS, num);
	x += COUNT_COLS;
	snprintf(num, sizeof num, "%.1f%%", fv->c.total > 0 ?
	    100.0 * (double)l->count / (double)fv->c.total : 0.0);
	draw_right(y, x, SHARE_COLS, num);
	x += SHARE_COLS + 2;
	for (int i = 0; max > 0 && bar > 0 && i < (int)((double)bar * (double)l->count / (double)max);
	    i++)
		mvaddch(y, x + i, '#');
	if (current)
		attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
}

static void
draw_header(struct app *app, struct freq_view *fv, int w1, int w2)
{
	const struct form *form = fv->c.form;
	int x = 2;

	attron(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
	draw_fill(stdscr, 1, 0, app->cols);
	draw_text(stdscr, 1, x, w1 - 2, field_label(&form->fields[fv->c.f1]), false);
	x += w1;
	if (fv->c.f2 >= 0) {
		draw_text(stdscr, 1, x, w2 - 2, field_label(&form->fields[fv->c.f2]), false);
		x += w2;
	}
	draw_right(1, x, COUNT_COLS, _("count"));
	draw_right(1, x + COUNT_COLS, SHARE_COLS, _("share"));
	attroff(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
}

static void
freq_status(struct app *app, struct freq_view *fv)
{
	char *count, *where = NULL, *left, *progress = NULL;

	count = xasprintf(_(" %zu values, %zu rows"), fv->c.n_lines, fv->c.total);
	if (fv->counting)
		progress = xasprintf(_("counting %zu/%zu"), fv->next, fv->n_ids);
	if (fv->limit != NULL)
		where = xasprintf("l: %s", fv->limit);
	left = status_join((const char *const[]){ count, progress, where,
	    fv->by_value ? _("by value") : _("by count") }, 4, app->cols - 1);
	draw_status(app, left, "");
	free(left);
	free(count);
	free(where);
	free(progress);
}

static void
freq_draw(struct app *app, struct view *v)
{
	struct freq_view *fv = v->data;
	int rows = freq_rows(app), w1, w2;
	size_t max = 0;

	list_fit(&fv->list, fv->c.n_lines, rows);
	w1 = value_cols(app, fv, fv->c.f1, false);
	w2 = fv->c.f2 >= 0 ? value_cols(app, fv, fv->c.f2, true) : 0;
	for (size_t i = 0; i < fv->c.n_lines; i++)
		max = fv->c.lines[i].count > max ? fv->c.lines[i].count : max;
	draw_header(app, fv, w1, w2);
	for (int i = 0; i < rows; i++) {
		size_t r = fv->list.top + (size_t)i;

		if (r < fv->c.n_lines)
			draw_line(app, fv, 2 + i, &fv->c.lines[r], w1, w2, max, r == fv->list.cursor);
		else {
			move(2 + i, 0);
			clrtoeol();
		}
	}
	if (fv->c.n_lines == 0 && !fv->counting)
		draw_text(stdscr, 3, 2, app->cols - 4, _("No rows to count."), false);
	freq_status(app, fv);
	fv->drawn_at = clock_us();
}

/* The table gets back the background work counting took over (its search keys). */
static void
give_back_background(struct app *app, struct freq_view *fv)
{
	if (app->background_arg == fv)
		app_background(app, fv->t->keys_done ? NULL : table_background, fv->t);
}

/* Between keys: records counted for a few milliseconds, the count repainted now and then. */
static bool
freq_background(struct app *app, void *arg)
{
	struct freq_view *fv = arg;
	struct store_txn *txn;
	struct error err = ERROR_INIT;

	if (store_txn_begin(app->store, false, &txn, &err) != 0 ||
	    freq_count_records(txn, &fv->c, fv->ids, fv->n_ids, &fv->next, clock_us() + SLICE_US,
	    &err) != 0) {
		app_message(app, true, _("counting stopped: %s"), err.message);
		fv->next = fv->n_ids;
	}
	store_txn_abort(txn);
	error_clear(&err);
	fv->counting = fv->next < fv->n_ids;
	if (!fv->counting || clock_us() - fv->drawn_at >= PROGRESS_US) {
		freq_sort(&fv->c, fv->by_value);
		store_release_pages(app->store);
		if (app->top != NULL && app->top->data == fv)
			app_draw(app);
	}
	if (fv->counting)
		return true;
	timings_note(app, "freq-counted", "records", fv->started);
	give_back_background(app, fv);
	return app->background != NULL;
}

/* field="value", quoted; NULL when the value holds a quote no expression can spell. */
static char *
equals_term(const struct field *f, const char *value)
{
	return strchr(value, '"') != NULL ? NULL : xasprintf("%s=\"%s\"", f->name, value);
}

/* Enter: the table limited to the line's rows — the limit counted under, and its values. */
static void
drill_down(struct app *app, struct freq_view *fv)
{
	const struct freq_line *l;
	const struct form *form = fv->c.form;
	char *t1, *t2 = NULL, *limit;
	struct error err = ERROR_INIT;
	struct view *v;

	if (fv->counting || fv->c.n_lines == 0) {
		if (fv->counting)
			app_message(app, false, _("still counting; Enter works once the count is done"));
		return;
	}
	l = &fv->c.lines[fv->list.cursor];
	t1 = equals_term(&form->fields[fv->c.f1], l->v1);
	if (fv->c.f2 >= 0)
		t2 = equals_term(&form->fields[fv->c.f2], l->v2);
	if (t1 == NULL || (fv->c.f2 >= 0 && t2 == NULL)) {
		app_message(app, true, _("a value with a double quote cannot be shown as a limit"));
		free(t1);
		free(t2);
		return;
	}
	limit = xasprintf("%s%s%s%s%s%s", fv->limit != NULL ? "(" : "",
	    fv->limit != NULL ? fv->limit : "", fv->limit != NULL ? ") and " : "", t1,
	    t2 != NULL ? " and " : "", t2 != NULL ? t2 : "");
	if ((v = view_table_new_limited(app, form, limit, &err)) != NULL)
		app_push(app, v);
	else
		app_message(app, true, "%s", err.message);
	error_clear(&err);
	free(limit);
	free(t1);
	free(t2);
}

static int
freq_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct freq_view *fv = v->data;

	(void)key;
	if (list_action(&fv->list, fv->c.n_lines, freq_rows(app), a))
		return R_DRAW;
	switch (a) {
	case ACT_SORT:
		fv->by_value = !fv->by_value;
		freq_sort(&fv->c, fv->by_value);
		fv->list.cursor = fv->list.top = 0;
		break;
	case ACT_OPEN:
		drill_down(app, fv);
		break;
	default:
		return R_UNHANDLED;
	}
	return R_DRAW;
}

static const char *
freq_title(struct view *v)
{
	return ((struct freq_view *)v->data)->title;
}

static void
freq_destroy(struct view *v)
{
	struct freq_view *fv = v->data;

	give_back_background(fv->app, fv);
	freq_count_free(&fv->c);
	for (size_t i = 0; i < fv->n_ids; i++)
		free(fv->ids[i]);
	free(fv->ids);
	free(fv->limit);
	free(fv->title);
	free(fv);
}

static const struct view_ops freq_ops = {
	VIEW_CONTEXT(freq), freq_draw, freq_handle, freq_destroy, freq_title,
};

/* Counting from records: the rows' ids copied (the table may read its ids again). */
static void
start_counting(struct app *app, struct freq_view *fv, struct table *t)
{
	load_ids(app, t, SIZE_MAX);
	fv->ids = xcalloc(t->n_rows + 1, sizeof *fv->ids);
	for (size_t r = 0; r < t->n_rows; r++)
		fv->ids[fv->n_ids++] = xstrdup(t->ids[t->rows[r]]);
	fv->counting = fv->n_ids > 0;
	if (fv->counting)
		app_background(app, freq_background, fv);
}

static struct view *
freq_new(struct app *app, struct table *t, int f1, int f2)
{
	struct freq_view *fv = xcalloc(1, sizeof *fv);
	struct error err = ERROR_INIT;
	struct view *v;

	fv->app = app;
	fv->t = t;
	fv->started = clock_us();
	freq_count_init(&fv->c, t->form, f1, f2);
	fv->limit = t->limit != NULL ? xstrdup(t->limit) : NULL;
	fv->title = f2 < 0 ? xasprintf(_("%s: rows by %s"), form_label(t->form),
	    field_label(&t->form->fields[f1])) : xasprintf(_("%s: rows by %s and %s"),
	    form_label(t->form), field_label(&t->form->fields[f1]),
	    field_label(&t->form->fields[f2]));
	fv->from_index = freq_field_indexed(t->form, f1) && freq_field_indexed(t->form, f2);
	if (fv->from_index && freq_count_indexes(app, t, &fv->c, &err) != 0) {
		app_message(app, true, "%s", err.message);
		error_clear(&err);
		freq_count_free(&fv->c);
		freq_count_init(&fv->c, t->form, f1, f2);
		fv->from_index = false;
	}
	if (!fv->from_index)
		start_counting(app, fv, t);
	else
		timings_note(app, "freq-counted", "indexes", fv->started);
	freq_sort(&fv->c, false);
	v = xcalloc(1, sizeof *v);
	v->ops = &freq_ops;
	v->data = fv;
	return v;
}

/* The field to count by: from a pick list of the form's fields (the id left out), the one
 * of `current` first; with `none`, a first line that stands for no second field. -1: none,
 * -2: Esc. */
static int
pick_field(struct app *app, const struct form *form, const char *title, int current, bool none)
{
	struct pick_item *items = xcalloc(form->n_fields + 1, sizeof *items);
	char **labels = xcalloc(form->n_fields + 2, sizeof *labels);
	int *fields = xcalloc(form->n_fields + 1, sizeof *fields);
	size_t n = 0, at = 0;
	int chosen;

	if (none) {
		labels[n] = xstrdup(_("(none: one column)"));
		items[n] = (struct pick_item){ "-", labels[n] };
		fields[n++] = -1;
	}
	for (size_t i = 1; i < form->n_fields; i++) {
		if (form->fields[i].private_)
			continue;	/* no reader counts the values kept from some */
		if ((int)i == current)
			at = n;
		labels[n] = xasprintf("%s  (%s)", field_label(&form->fields[i]), form->fields[i].name);
		items[n] = (struct pick_item){ form->fields[i].name, labels[n] };
		fields[n++] = (int)i;
	}
	chosen = app_pick(app, title, items, n, NULL, at);
	chosen = chosen < 0 ? -2 : fields[chosen];
	strv_free(labels);
	free(items);
	free(fields);
	return chosen;
}

/* ":frequency status street": the fields given by name or label; -2 when one is unknown. */
static int
typed_field(struct app *app, const struct form *form, const char *word)
{
	const struct field *f = form_field_by_header(form, word);

	if (f == NULL || f == &form->fields[0]) {
		app_message(app, true, _("%s has no field '%s'"), form_label(form), word);
		return -2;
	}
	return (int)(f - form->fields);
}

static void
typed_fields(struct app *app, const struct form *form, const char *text, int *f1, int *f2)
{
	char *copy = xstrdup(text), *save = NULL;
	char *w1 = strtok_r(copy, " ,", &save), *w2 = strtok_r(NULL, " ,", &save);

	*f1 = w1 != NULL ? typed_field(app, form, w1) : -2;
	*f2 = w2 != NULL && *f1 >= 0 ? typed_field(app, form, w2) : -1;
	free(copy);
}

void
freq_open(struct app *app, struct table *t)
{
	int current = t->col < t->n_columns ? t->columns[t->col] : 1, f1, f2;

	if (app->pending_input != NULL)
		typed_fields(app, t->form, app->pending_input, &f1, &f2);
	else if ((f1 = pick_field(app, t->form, _("count the rows by"), current, false)) >= 0)
		f2 = pick_field(app, t->form, _("and by (a pair), or none"), -1, true);
	else
		return;
	if (f1 < 0 || f2 == -2 || f1 == f2)
		return;
	app_push(app, freq_new(app, t, f1, f2));
}
