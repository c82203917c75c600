/*
 * view-dashboard.c — the dashboard (screen 2): a table of districts by status with a total,
 * the named counts of views/dashboard.view (open, overdue …) and a bar per district scaled to
 * the largest total. Counted when it opens and on view.redraw, never per keystroke. Left and
 * Right choose a cell of the row; Enter opens the records it counts (雁塔区 × 逾期), the total's
 * cell the district's. The casework counts (screen 8) are the same screen on
 * views/casework.view, whose counts count other forms ("-" when a form is not in force) and
 * whose Enter on a district's total opens the district's streets. A "summary" count is a line
 * under the table (预付费未监管: the row's number and the city's), reached by Right past the
 * last column; Enter on either number opens the records it counts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "console/console-private.h"
#include "console/list.h"

#define VIEW_FILE "views/dashboard.view"
#define CASEWORK_FILE "views/casework.view"
#define MISSING ((size_t)-1)	/* a count of a form not in force: shown as "-" */
#define GAP 2		/* columns between the table's columns */
#define BAR_MIN 10	/* columns narrowed (labels cut) until the bar has this many */

struct dash {
	struct dashboard *d;
	struct list list;	/* the cursor on a row of d, and the first row on screen */
	size_t col;		/* the cell of the row: a status, the total (the start), a count */
	double ms;		/* how long the last count took */
	char today[11];
	char *title;
	struct store *store;	/* for the title, which is asked without the app */
	char *file;		/* views/NAME.view */
	char *within;		/* a district's code: its streets are the rows; else NULL */
};

static int page_rows(const struct app *app, const struct dashboard *d);

/* The table's columns after the row names: each status, the total, each named count. */
struct layout {
	size_t n;
	const char **labels;
	int *width;
	int name_width;
	int bar_x, bar_width;
};

static double
now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The data directory's own dashboard file, else the shipped one; caller frees. */
static char *
view_path(struct app *app, const char *file)
{
	char *own = xasprintf("%s/%s", app->opt->dir, file);

	if (path_exists(own))
		return own;
	free(own);
	return datafile_find(file);
}

/* Reads the file again and counts; on failure the dashboard shown so far stays. */
static int
dash_count(struct app *app, struct dash *s, struct error *err)
{
	char *path = view_path(app, s->file);
	struct dashboard *d = NULL;
	double t0 = now_ms();

	if (path == NULL)
		return error_set(err, ST_FAILED, _("the dashboard file %s is not installed"), s->file);
	if (dashboard_load_within(app->store, path, s->within, &d, err) != 0 ||
	    dashboard_compute(app->store, d, err) != 0) {
		free(path);
		dashboard_free(d);
		return -1;
	}
	free(path);
	store_release_pages(app->store);
	s->ms = now_ms() - t0;
	clock_format_date(clock_now(), s->today);
	dashboard_free(s->d);
	s->d = d;
	list_fit(&s->list, d->n_rows, page_rows(app, d));
	return 0;
}

/* The count of a cell after the total: a column's, then each summary's row cell, then each
 * summary's city cell; NULL for a status or the total. */
static const struct dashboard_count *
col_count(const struct dashboard *d, size_t col)
{
	size_t k = col - d->n_columns - 1;

	if (col <= d->n_columns)
		return NULL;
	if (k >= d->n_counts)	/* a summary's city cell */
		k = d->n_table_counts + (k - d->n_counts);
	return &d->counts[k];
}

/* Whether col is a summary's city cell. */
static bool
col_is_city(const struct dashboard *d, size_t col)
{
	return col >= d->n_columns + 1 + d->n_counts;
}

/* The cells the cursor moves over: the table's, then two for each summary. */
static size_t
n_cells(const struct dashboard *d)
{
	return d->n_columns + 1 + d->n_counts + (d->n_counts - d->n_table_counts);
}

/* The number in column c of row r (r == n_rows: the city). */
static size_t
cell_value(const struct dashboard *d, size_t r, size_t c)
{
	bool city = r == d->n_rows;

	if (c < d->n_columns)
		return city ? d->column_totals[c] : d->cells[r * d->n_columns + c];
	if (c == d->n_columns)
		return city ? d->total : d->row_totals[r];
	c -= d->n_columns + 1;
	if (d->counts[c].missing)
		return MISSING;
	return city ? d->counts[c].total : d->counts[c].per_row[r];
}

/* The cell as shown: its number, or "-" for a count of a form not in force. */
static void
cell_text(const struct dashboard *d, size_t r, size_t c, char *out, size_t size)
{
	size_t v = cell_value(d, r, c);

	if (v == MISSING)
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%zu", v);
}

static int
digits(size_t v)
{
	int n = 1;

	if (v == MISSING)
		return 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* The name of the totals' row: the city's, or on a district's screen the district's. */
static const char *
total_name(struct app *app, const struct dashboard *d)
{
	const struct division *district = d->within != NULL ?
	    store_division_find(app->store, d->within, DIV_DISTRICT, NULL) : NULL;

	return district != NULL ? district->name : store_city_name(app->store);
}

/* Widths from the labels and the largest numbers (the city's), narrowed for the bar. */
static void
layout_make(struct app *app, const struct dashboard *d, struct layout *l)
{
	int x, widest;

	l->n = d->n_columns + 1 + d->n_table_counts;	/* the summaries are lines below */
	l->labels = xcalloc(l->n, sizeof *l->labels);
	l->width = xcalloc(l->n, sizeof *l->width);
	l->name_width = (int)width_of(field_label(&d->form->fields[d->row_field]));
	if ((int)width_of(total_name(app, d)) > l->name_width)
		l->name_width = (int)width_of(total_name(app, d));
	for (size_t r = 0; r < d->n_rows; r++)
		if ((int)width_of(d->row_labels[r]) > l->name_width)
			l->name_width = (int)width_of(d->row_labels[r]);
	for (size_t c = 0; c < l->n; c++) {
		const struct field *f = &d->form->fields[d->column_field];

		l->labels[c] = c < d->n_columns ? lang_pick(f->options[c].label_zh,
		    f->options[c].label_en) : c == d->n_columns ? (d->column_field != 0 ?
		    _("Total") : form_label(d->form)) :
		    lang_pick(d->counts[c - d->n_columns - 1].label_zh,
		    d->counts[c - d->n_columns - 1].label_en);
		l->width[c] = (int)width_of(l->labels[c]);
		if (digits(cell_value(d, d->n_rows, c)) > l->width[c])
			l->width[c] = digits(cell_value(d, d->n_rows, c));
	}
	do {
		x = 1 + l->name_width;
		widest = -1;
		for (size_t c = 0; c < l->n; c++) {
			x += GAP + l->width[c];
			if (l->width[c] > digits(cell_value(d, d->n_rows, c)) &&
			    (widest < 0 || l->width[c] > l->width[widest]))
				widest = (int)c;
		}
		l->bar_x = x + GAP;
		l->bar_width = app->cols - l->bar_x - 1;
	} while (l->bar_width < BAR_MIN && widest >= 0 && l->width[widest]-- > 0);
}

static void
layout_free(struct layout *l)
{
	free((void *)l->labels);
	free(l->width);
}

/* Right-aligned in width columns at x. */
static void
draw_right(int y, int x, int width, const char *s)
{
	int w = (int)width_of(s);

	draw_text(stdscr, y, x + (w < width ? width - w : 0), width, s, false);
}

static void
draw_header(struct app *app, const struct dashboard *d, const struct layout *l)
{
	int x = 1 + l->name_width;

	attron(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
	draw_fill(stdscr, 1, 0, app->cols);
	draw_text(stdscr, 1, 1, l->name_width, field_label(&d->form->fields[d->row_field]), false);
	for (size_t c = 0; c < l->n; c++) {
		x += GAP;
		draw_right(1, x, l->width[c], l->labels[c]);
		x += l->width[c];
	}
	attroff(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
}

static size_t
largest_total(const struct dashboard *d)
{
	size_t max = 0;

	for (size_t r = 0; r < d->n_rows; r++)
		if (d->row_totals[r] > max)
			max = d->row_totals[r];
	return max;
}

/* A bar of '#' as long as the row's total is to the largest, one at least for any. */
static void
draw_bar(int y, const struct layout *l, size_t total, size_t max)
{
	size_t n = max == 0 ? 0 : (total * (size_t)l->bar_width + max / 2) / max;

	if (n == 0 && total > 0)
		n = 1;
	move(y, l->bar_x);
	for (size_t i = 0; i < n && i < (size_t)l->bar_width; i++)
		addch('#');
}

/* Row r of the table (r == n_rows: the city's totals). */
/* cell: the column drawn as the cursor's cell, or (size_t)-1. */
static void
draw_row(struct app *app, const struct dashboard *d, const struct layout *l, int y, size_t r,
    bool current, size_t cell)
{
	int x = 1 + l->name_width;
	bool city = r == d->n_rows;

	if (current)
		attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
	if (city)
		attron(A_BOLD);
	draw_fill(stdscr, y, 0, app->cols);
	draw_text(stdscr, y, 1, l->name_width, city ? total_name(app, d) : d->row_labels[r],
	    false);
	for (size_t c = 0; c < l->n; c++) {
		char num[32];

		cell_text(d, r, c, num, sizeof num);
		x += GAP;
		if (c == cell)	/* the chosen cell stands out of its reversed row */
			attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
		if (c == cell)
			attron(A_BOLD | A_UNDERLINE);
		draw_right(y, x, l->width[c], num);
		if (c == cell) {
			attroff(A_BOLD | A_UNDERLINE);
			attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
		}
		x += l->width[c];
	}
	if (!city)
		draw_bar(y, l, d->row_totals[r], largest_total(d));
	if (city)
		attroff(A_BOLD);
	if (current)
		attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
}

/* Lines for the district rows: the screen less title, header, city, legend, status, message. */
static int
page_rows(const struct app *app, const struct dashboard *d)
{
	int n = app->lines - 5 - (int)(d->n_counts > 0 ? d->n_counts + 1 : 0);

	return n > 1 ? n : 1;
}

/* "雁塔区 5" of a summary line at x, the number underlined when chosen; the next x. */
static int
summary_cell(struct app *app, int y, int x, const char *name, const char *num, bool chosen)
{
	if (x >= app->cols - 1)
		return x;
	x += draw_text(stdscr, y, x, app->cols - x - 1, name, false) + 1;
	if (x >= app->cols - 1)
		return x;
	if (chosen)
		attron(A_BOLD | A_UNDERLINE | (app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE));
	x += draw_text(stdscr, y, x, app->cols - x - 1, num, false);
	if (chosen)
		attroff(A_BOLD | A_UNDERLINE | (app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE));
	return x + GAP + 1;
}

/* Each summary count on its line: its label, the number of the cursor's row and the city's
 * (on a district's screen, the district's), then what it counts; the chosen one underlined. */
static void
draw_summaries(struct app *app, const struct dash *s, int y)
{
	const struct dashboard *d = s->d;

	for (size_t k = d->n_table_counts; k < d->n_counts && y < app->lines - 2; k++, y++) {
		size_t at = d->n_columns + 1 + k, city = d->n_columns + 1 + d->n_counts +
		    (k - d->n_table_counts);
		char row_num[32], city_num[32];
		const char *parts[3];
		int x = 1;

		cell_text(d, s->list.cursor < d->n_rows ? s->list.cursor : d->n_rows, at, row_num,
		    sizeof row_num);
		cell_text(d, d->n_rows, at, city_num, sizeof city_num);
		parts[0] = lang_pick(d->counts[k].label_zh, d->counts[k].label_en);
		parts[1] = d->n_rows > 0 ? d->row_labels[s->list.cursor] : "";
		parts[2] = total_name(app, d);
		move(y, 0);
		clrtoeol();
		attron(A_BOLD);
		x += draw_text(stdscr, y, x, app->cols - x - 1, parts[0], false) + GAP;
		attroff(A_BOLD);
		x = summary_cell(app, y, x, parts[1], row_num, s->col == at);
		x = summary_cell(app, y, x, parts[2], city_num, s->col == city);
		if (x < app->cols - 1)
			draw_text(stdscr, y, x, app->cols - x - 1, d->counts[k].missing ?
			    "-" : d->counts[k].where, false);
	}
}

/* What each named count of the table counts, under it. */
static void
draw_legend(struct app *app, const struct dashboard *d, int y)
{
	for (size_t i = 0; i < d->n_table_counts && y < app->lines - 2; i++, y++) {
		const struct dashboard_count *c = &d->counts[i];
		bool other = c->form != NULL && c->form != d->form;
		char *missing = c->missing ? xasprintf(c->form == NULL ?
		    _("- (no form '%s' in force)") : _("- (form '%s' has no field to count by)"),
		    c->form_name) : NULL;
		char *line = xasprintf("%s: %s%s%s", lang_pick(c->label_zh, c->label_en),
		    other ? form_label(c->form) : "", other ? " " : "",
		    missing != NULL ? missing : c->where);

		move(y, 0);
		clrtoeol();
		draw_text(stdscr, y, 1, app->cols - 2, line, false);
		free(line);
		free(missing);
	}
}

static void
dash_status(struct app *app, const struct dash *s)
{
	char *count = xasprintf(" %s %zu", form_label(s->d->form), s->d->total);
	char *today = xasprintf(_("today %s"), s->today);
	char *took = xasprintf(_("counted in %.0f ms"), s->ms);
	char *left = status_join((const char *const[]){ count, app->who_text, today, took,
	    app->opt->dir }, 5, app->cols - 1);

	draw_status(app, left, "");
	free(left);
	free(count);
	free(today);
	free(took);
}

static void
dash_draw(struct app *app, struct view *v)
{
	struct dash *s = v->data;
	const struct dashboard *d = s->d;
	struct layout l;
	int rows = page_rows(app, d), y = 2;

	list_fit(&s->list, d->n_rows, rows);	/* the window may have changed size */
	layout_make(app, d, &l);
	draw_header(app, d, &l);
	for (int i = 0; i < rows && s->list.top + (size_t)i < d->n_rows; i++, y++)
		draw_row(app, d, &l, y, s->list.top + (size_t)i, s->list.top + (size_t)i == s->list.cursor,
		    s->list.top + (size_t)i == s->list.cursor ? s->col : (size_t)-1);
	draw_row(app, d, &l, y++, d->n_rows, false, (size_t)-1);
	draw_summaries(app, s, y);
	for (y += (int)(d->n_counts - d->n_table_counts); y < app->lines - 2; y++) {
		move(y, 0);
		clrtoeol();
	}
	draw_legend(app, d, app->lines - 2 - (int)d->n_table_counts);
	layout_free(&l);
	dash_status(app, s);
}

/* On a district's screen: the district, the street (none: its records without one) and the
 * count's condition. */
static char *
street_limit(const struct dash *s)
{
	const struct dashboard *d = s->d;
	const char *street = d->row_values[s->list.cursor];
	const char *sf = d->form->fields[d->row_field].name;
	const char *df = d->form->fields[d->district_field].name;
	char *row = *street != '\0' ? xasprintf("%s=%s and %s=%s", df, d->within, sf, street) :
	    xasprintf("%s=%s and %s=\"\"", df, d->within, sf);
	char *limit;

	if (col_is_city(d, s->col))	/* the district's, whatever the street */
		limit = xasprintf("%s=%s and (%s)", df, d->within, col_count(d, s->col)->where);
	else if (s->col > d->n_columns)
		limit = xasprintf("%s and (%s)", row, col_count(d, s->col)->where);
	else
		limit = xstrdup(row);
	free(row);
	return limit;
}

/* What the cell under the cursor counts, as a limit: the row's condition, and the status of
 * its column or the named count's expression (the total's cell: the row alone). */
static char *
cell_limit(const struct dash *s)
{
	const struct dashboard *d = s->d;
	const struct field *f = &d->form->fields[d->row_field];
	const char *row = f->kind == FT_DIVISION ? d->row_labels[s->list.cursor] :
	    d->row_values[s->list.cursor];

	if (d->within != NULL)	/* street names repeat across districts: by code */
		return street_limit(s);
	if (col_is_city(d, s->col))	/* a summary's city cell: the city's, every row */
		return xasprintf("(%s)", col_count(d, s->col)->where);
	if (s->col < d->n_columns)
		return xasprintf("%s=%s and %s=%s", f->name, row,
		    d->form->fields[d->column_field].name,
		    d->form->fields[d->column_field].options[s->col].value);
	if (s->col > d->n_columns)
		return xasprintf("%s=%s and (%s)", f->name, row, col_count(d, s->col)->where);
	return xasprintf("%s=%s", f->name, row);
}

static struct view *dash_new(struct app *app, const char *file, const char *within,
    struct error *err);

/* The district under the cursor's streets, the same counts per street, on top. */
static void
open_streets(struct app *app, struct dash *s)
{
	struct error err = ERROR_INIT;
	struct view *v = dash_new(app, s->file, s->d->row_values[s->list.cursor], &err);

	if (v != NULL)
		app_push(app, v);
	else
		app_message(app, true, "%s", err.message);
	error_clear(&err);
}

/* The records of the cell under the cursor, as "l district=雁塔区 and …" shows them. */
static void
open_row(struct app *app, struct dash *s)
{
	const struct dashboard *d = s->d;
	struct error err = ERROR_INIT;
	char *limit;
	struct view *table;

	if (d->n_rows == 0)
		return;
	if (s->col == d->n_columns && d->streets && d->within == NULL &&
	    d->form->fields[d->row_field].kind == FT_DIVISION) {
		open_streets(app, s);
		return;
	}
	if (s->col > d->n_columns && col_count(d, s->col)->missing) {
		app_message(app, true, _("no form '%s' is in force"),
		    col_count(d, s->col)->form_name);
		return;
	}
	limit = cell_limit(s);
	if ((table = view_table_new_limited(app, s->col > d->n_columns ? dashboard_count_form(d,
	    col_count(d, s->col)) : d->form, limit, &err)) != NULL)
		app_push(app, table);
	else
		app_message(app, true, "%s", err.message);
	error_clear(&err);
	free(limit);
}

static void
recount(struct app *app, struct dash *s)
{
	struct error err = ERROR_INIT;

	if (dash_count(app, s, &err) != 0)
		app_message(app, true, "%s", err.message);
	else
		app_message(app, false, _("counted again: %zu in %.0f ms"), s->d->total, s->ms);
	error_clear(&err);
	clearok(stdscr, TRUE);
}

static int
dash_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct dash *s = v->data;

	(void)key;
	if (list_action(&s->list, s->d->n_rows, page_rows(app, s->d), a))
		return R_DRAW;
	switch (a) {
	case ACT_OPEN:		open_row(app, s); break;
	case ACT_REDRAW:	recount(app, s); break;
	case ACT_LEFT:		s->col = s->col > 0 ? s->col - 1 : 0; break;
	case ACT_RIGHT:
		if (s->col + 1 < n_cells(s->d))
			s->col++;
		break;
	default:
		return R_UNHANDLED;
	}
	return R_DRAW;
}

static const char *
dash_title(struct view *v)
{
	struct dash *s = v->data;

	const struct division *district = s->within != NULL ?
	    store_division_find(s->store, s->within, DIV_DISTRICT, NULL) : NULL;

	free(s->title);
	s->title = xasprintf("%s%s%s  (%s %s)", s->d->label_zh != NULL ?
	    lang_pick(s->d->label_zh, s->d->label_en) : _("Dashboard"),
	    district != NULL ? " · " : "", district != NULL ? district->name : "",
	    store_city_name(s->store), store_city_code(s->store));
	return s->title;
}

static void
dash_destroy(struct view *v)
{
	struct dash *s = v->data;

	dashboard_free(s->d);
	free(s->title);
	free(s->file);
	free(s->within);
	free(s);
}

static const struct view_ops dash_ops = {
	VIEW_CONTEXT(dashboard), dash_draw, dash_handle, dash_destroy, dash_title,
};

/* The screen of views/FILE, per district, or per street of the district within. */
static struct view *
dash_new(struct app *app, const char *file, const char *within, struct error *err)
{
	struct dash *s = xcalloc(1, sizeof *s);
	struct view *v;

	s->store = app->store;
	s->file = xstrdup(file);
	s->within = within != NULL ? xstrdup(within) : NULL;
	if (dash_count(app, s, err) != 0) {
		free(s->file);
		free(s->within);
		free(s);
		return NULL;
	}
	s->col = s->d->n_columns;	/* the total: Enter opens the district, as before */
	v = xcalloc(1, sizeof *v);
	v->ops = &dash_ops;
	v->data = s;
	return v;
}

struct view *
view_dashboard_new(struct app *app, struct error *err)
{
	return dash_new(app, VIEW_FILE, NULL, err);
}

struct view *
view_casework_new(struct app *app, struct error *err)
{
	return dash_new(app, CASEWORK_FILE, NULL, err);
}
