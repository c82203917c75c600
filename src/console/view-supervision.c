/*
 * view-supervision.c — the supervision screen (督导检查, in the picker S): the districts ×
 * the evaluation's measures, the score and the rank, with a bar of the score per district,
 * as "huitou report" counts them (src/campaign/evaluation.c). Left and Right choose a cell,
 * Enter opens exactly the records behind its number (a table limited to them); on the score
 * it says how the points were earned. p changes the period, C-l counts again when the store
 * has changed since (any write: its snapshot), else the figures stand as they are.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "campaign/evaluation.h"
#include "console/console-private.h"
#include "console/form-private.h"
#include "console/list.h"

/* The screen's columns: the measures but the orders due (the closure rate's line under the
 * table names them), then the score and the rank, so that a bar fits in 80 columns. */
#define COL_SCORE EVAL_N
#define COL_RANK (EVAL_N + 1)
static const size_t columns[] = {
	EVAL_INSTITUTIONS, EVAL_COVERAGE, EVAL_FINDINGS, EVAL_CLOSURE, EVAL_OVERDUE,
	EVAL_RESPONSE, EVAL_LATE, EVAL_PLATFORM, EVAL_PUBLICATION, COL_SCORE, COL_RANK,
};
#define N_COLS (sizeof columns / sizeof columns[0])
#define BAR_MIN 4		/* the bar is drawn when at least this many columns are left */

struct sup {
	struct eval_rules *rules;
	struct evaluation ev;
	bool counted;
	uint64_t snapshot;	/* the store's when counted (store_txn_snapshot) */
	char from[11], to[11];
	struct list list;
	size_t col;
	double ms;
	char *title;
	struct store *store;
	int width[N_COLS];
	int name_width;
};

static int
page_rows(const struct app *app)
{
	int n = app->lines - 7;	/* title, header, city-less table, two help lines, status, message */

	return n > 1 ? n : 1;
}

static const char *
col_label(size_t c)
{
	return c < EVAL_N ? eval_measure_short(c) : c == COL_SCORE ? _("Score") : _("Rank");
}

static void
col_text(const struct eval_district *d, size_t c, char *out, size_t size)
{
	if (c < EVAL_N)
		eval_format(d, c, out, size);
	else
		eval_format_score(d, c == COL_RANK, out, size);
}

/* Whether what is shown counts the same period on the same day from the store as it is now:
 * no write of any kind since (the snapshot changes with each), so counting again would give
 * the same figures. */
static bool
still_counted(const struct sup *s, struct store_txn *txn)
{
	char today[11];

	clock_format_date(clock_today(), today);
	return s->counted && store_txn_snapshot(txn) == s->snapshot &&
	    str_eq(s->ev.from, s->from) && str_eq(s->ev.to, s->to) && str_eq(s->ev.today, today);
}

/* Counts the period again, unless the store has not changed since (*same then true); on
 * failure what was shown stays. */
static int
sup_count(struct app *app, struct sup *s, bool *same, struct error *err)
{
	const struct casework *cw = app_casework(app);
	struct store_txn *txn = NULL;
	struct evaluation ev;
	uint64_t t0 = clock_us(), snapshot;
	int rc;

	*same = false;
	if (cw == NULL)
		return error_set(err, ST_FAILED, _("the casework could not be read (see above)"));
	if (store_txn_begin(app->store, false, &txn, err) != 0)
		return -1;
	if ((*same = still_counted(s, txn))) {
		store_txn_abort(txn);
		return 0;
	}
	snapshot = store_txn_snapshot(txn);
	rc = evaluation_compute(txn, app->store, cw, s->rules, s->from, s->to, &ev, err);
	store_txn_abort(txn);
	store_release_pages(app->store);
	if (rc != 0)
		return -1;
	if (s->counted)
		evaluation_clear(&s->ev);
	s->ev = ev;
	s->counted = true;
	s->snapshot = snapshot;
	s->ms = (double)(clock_us() - t0) / 1000.0;
	list_fit(&s->list, s->ev.n, page_rows(app));
	return 0;
}

static void
layout(struct sup *s)
{
	char text[32];

	s->name_width = (int)width_of(_("District"));
	for (size_t c = 0; c < N_COLS; c++)
		s->width[c] = (int)width_of(col_label(columns[c]));
	for (size_t i = 0; i < s->ev.n; i++) {
		if ((int)width_of(s->ev.d[i].name) > s->name_width)
			s->name_width = (int)width_of(s->ev.d[i].name);
		for (size_t c = 0; c < N_COLS; c++) {
			col_text(&s->ev.d[i], columns[c], text, sizeof text);
			if ((int)width_of(text) > s->width[c])
				s->width[c] = (int)width_of(text);
		}
	}
}

/* Right-aligned in width columns at x. */
static void
draw_right(int y, int x, int width, const char *text)
{
	int w = (int)width_of(text);

	draw_text(stdscr, y, x + (w < width ? width - w : 0), width, text, false);
}

/* x of the bar, after the table; its width (0: no room). */
static int
bar_x(const struct app *app, const struct sup *s, int *width)
{
	int x = 1 + s->name_width;

	for (size_t c = 0; c < N_COLS; c++)
		x += 1 + s->width[c];
	x += 1;
	*width = app->cols - x - 1 >= BAR_MIN ? app->cols - x - 1 : 0;
	return x;
}

static void
draw_header(struct app *app, const struct sup *s)
{
	int x = 1 + s->name_width;

	attron(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
	draw_fill(stdscr, 1, 0, app->cols);
	draw_text(stdscr, 1, 1, s->name_width, _("District"), false);
	for (size_t c = 0; c < N_COLS; c++) {
		draw_right(1, x + 1, s->width[c], col_label(columns[c]));
		x += 1 + s->width[c];
	}
	attroff(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
}

/* A bar of '#' as long as the score is to 100. */
static void
draw_bar(const struct app *app, const struct sup *s, int y, double score)
{
	int width, x = bar_x(app, s, &width);
	int n = (int)(score * width / 100 + 0.5);

	move(y, x);
	for (int i = 0; i < n && i < width; i++)
		addch('#');
}

static void
draw_row(struct app *app, const struct sup *s, int y, size_t r)
{
	const struct eval_district *d = &s->ev.d[r];
	bool current = r == s->list.cursor;
	int x = 1 + s->name_width;
	char text[32];

	if (current)
		attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
	draw_fill(stdscr, y, 0, app->cols);
	draw_text(stdscr, y, 1, s->name_width, d->name, false);
	for (size_t c = 0; c < N_COLS; c++) {
		col_text(d, columns[c], text, sizeof text);
		if (current && c == s->col) {	/* the chosen cell stands out of its row */
			attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
			attron(A_BOLD | A_UNDERLINE);
		}
		draw_right(y, x + 1, s->width[c], text);
		if (current && c == s->col) {
			attroff(A_BOLD | A_UNDERLINE);
			attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
		}
		x += 1 + s->width[c];
	}
	draw_bar(app, s, y, d->score);
	if (current)
		attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
}

/* What a measure's number is made of, for the line under the table; "" when plain. */
static char *
cell_detail(const struct evaluation *ev, const struct eval_district *d, size_t m)
{
	switch (m) {
	case EVAL_COVERAGE:
		return xasprintf(_(" (%zu of %zu inspected, %zu inspections)"), d->covered,
		    d->institutions, d->inspections);
	case EVAL_FINDINGS:
		return xasprintf(_(" (failed checks of %zu inspections)"), d->inspections);
	case EVAL_CLOSURE:
		return xasprintf(_(" (%zu of %zu orders due closed)"), d->closed, d->due);
	case EVAL_OVERDUE:
		return xasprintf(_(" (of %zu orders due)"), d->due);
	case EVAL_RESPONSE:
		return xasprintf(_(" (%zu complaints replied)"), d->replied);
	case EVAL_PLATFORM:
		return xasprintf(_(" (%zu of %zu entered)"), d->platform_yes, d->institutions);
	case EVAL_PUBLICATION:
		return ev->publication_known ? xasprintf(_(" (%zu of %zu months on time)"),
		    ev->months_on_time, ev->months_due) : xstrdup(_(" (no lists published here)"));
	default:
		return xstrdup("");
	}
}

/* Under the table: the chosen cell in words, then the keys. */
static void
draw_help(struct app *app, const struct sup *s)
{
	const struct eval_district *d = s->ev.n > 0 ? &s->ev.d[s->list.cursor] : NULL;
	size_t m = columns[s->col];
	char text[32], *line, *detail;

	if (d == NULL)
		return;
	col_text(d, m, text, sizeof text);
	detail = cell_detail(&s->ev, d, m);
	line = xasprintf("%s · %s %s%s", d->name, m < EVAL_N ? eval_measure_label(m) :
	    col_label(m), text, detail);
	move(app->lines - 4, 0);
	clrtoeol();
	draw_text(stdscr, app->lines - 4, 1, app->cols - 2, line, false);
	free(line);
	free(detail);
	move(app->lines - 3, 0);
	clrtoeol();
	draw_text(stdscr, app->lines - 3, 1, app->cols - 2, _("Left/Right: a cell  Enter: "
	    "its records  p: period  C-l: count again  ?: keys"), false);
}

static void
sup_status(struct app *app, const struct sup *s)
{
	char *period = xasprintf(_("period %s..%s"), s->ev.from, s->ev.to);
	char *today = xasprintf(_("today %s"), s->ev.today);
	char *took = xasprintf(_("counted in %.0f ms"), s->ms);
	char *left = status_join((const char *const[]){ period, app->who_text, today, took },
	    4, app->cols - 1);

	draw_status(app, left, "");
	free(left);
	free(period);
	free(today);
	free(took);
}

static void
sup_draw(struct app *app, struct view *v)
{
	struct sup *s = v->data;
	int rows = page_rows(app), y = 2;

	list_fit(&s->list, s->ev.n, rows);
	layout(s);
	draw_header(app, s);
	for (int i = 0; i < rows && s->list.top + (size_t)i < s->ev.n; i++, y++)
		draw_row(app, s, y, s->list.top + (size_t)i);
	for (; y < app->lines - 2; y++) {
		move(y, 0);
		clrtoeol();
	}
	draw_help(app, s);
	sup_status(app, s);
}

/* On the score: its points measure by measure, in the message line. */
static void
explain_score(struct app *app, const struct sup *s)
{
	const struct eval_district *d = &s->ev.d[s->list.cursor];
	struct buf b = BUF_INIT;

	if (!d->scored) {
		app_message(app, false, _("%s: nothing to score in this period"), d->name);
		return;
	}
	buf_printf(&b, _("%s: score %.1f ="), d->name, d->score);
	for (size_t m = 0; m < EVAL_N; m++) {
		if (s->rules->w[m].weight == 0)
			continue;
		if (d->applicable[m])
			buf_printf(&b, " %s %.1f/%g", eval_measure_short(m), d->points[m],
			    s->rules->w[m].weight);
		else
			buf_printf(&b, " %s -", eval_measure_short(m));
	}
	app_message(app, false, "%s", buf_str(&b));
	buf_free(&b);
}

/* The late complaints' ids of the district under the cursor, read now when the count came
 * from the complaints' tally. */
static int
late_ids(struct app *app, struct sup *s, struct error *err)
{
	const struct casework *cw = app_casework(app);
	struct store_txn *txn = NULL;
	int rc;

	if (cw == NULL)
		return error_set(err, ST_FAILED, _("the casework could not be read (see above)"));
	if (store_txn_begin(app->store, false, &txn, err) != 0)
		return -1;
	rc = eval_late_ids(txn, store_forms(app->store), cw, &s->ev, s->list.cursor, err);
	store_txn_abort(txn);
	return rc;
}

/* The records behind the cell under the cursor, in a table limited to them. */
static void
open_cell(struct app *app, struct sup *s)
{
	const struct form *form = NULL;
	struct error err = ERROR_INIT;
	struct view *table;
	size_t m = columns[s->col];
	char *where;

	if (s->ev.n == 0)
		return;
	if (m >= EVAL_N) {
		explain_score(app, s);
		return;
	}
	if (m == EVAL_LATE && late_ids(app, s, &err) != 0) {
		app_message(app, true, "%s", err.message);
		error_clear(&err);
		return;
	}
	where = eval_cell_where(&s->ev, s->rules, store_forms(app->store), s->list.cursor, m,
	    &form);
	if (form == NULL) {
		app_message(app, true, _("no form in force keeps the records of %s"),
		    eval_measure_label(m));
	} else if (where == NULL) {
		app_message(app, false, _("no records behind %s"), eval_measure_label(m));
	} else if ((table = view_table_new_limited(app, form, where, &err)) != NULL) {
		app_push(app, table);
	} else {
		app_message(app, true, "%s", err.message);
	}
	error_clear(&err);
	free(where);
}

/* p: another period, typed FROM..TO. */
static void
change_period(struct app *app, struct sup *s)
{
	char *initial = xasprintf("%s..%s", s->from, s->to);
	char *text = app_prompt(app, _("period (FROM..TO): "), initial);
	char from[11], to[11];
	struct error err = ERROR_INIT;
	bool same;

	free(initial);
	if (text == NULL)
		return;
	if (strlen(text) != 22 || strncmp(text + 10, "..", 2) != 0) {
		app_message(app, true, _("'%s' is not FROM..TO (2026-09-01..2026-11-30)"), text);
		free(text);
		return;
	}
	memcpy(from, text, 10), from[10] = '\0';
	memcpy(to, text + 12, 11);
	free(text);
	if (!eval_date_ok(from) || !eval_date_ok(to) || strcmp(from, to) > 0) {
		app_message(app, true, _("'%s..%s' is not a period of two dates"), from, to);
		return;
	}
	memcpy(s->from, from, 11);
	memcpy(s->to, to, 11);
	if (sup_count(app, s, &same, &err) != 0)
		app_message(app, true, "%s", err.message);
	error_clear(&err);
	clearok(stdscr, TRUE);
}

static void
recount(struct app *app, struct sup *s)
{
	struct error err = ERROR_INIT;
	bool same;

	if (sup_count(app, s, &same, &err) != 0)
		app_message(app, true, "%s", err.message);
	else if (same)
		app_message(app, false, _("nothing changed since the count: the figures stand"));
	else
		app_message(app, false, _("counted again in %.0f ms"), s->ms);
	error_clear(&err);
	clearok(stdscr, TRUE);
}

static int
sup_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct sup *s = v->data;

	if (list_action(&s->list, s->ev.n, page_rows(app), a))
		return R_DRAW;
	switch (a) {
	case ACT_OPEN:		open_cell(app, s); break;
	case ACT_REDRAW:	recount(app, s); break;
	case ACT_LEFT:		s->col = s->col > 0 ? s->col - 1 : 0; break;
	case ACT_RIGHT:		s->col = s->col + 1 < N_COLS ? s->col + 1 : s->col; break;
	case ACT_NONE:
		if (key != 'p')
			return R_UNHANDLED;
		change_period(app, s);
		break;
	default:
		return R_UNHANDLED;
	}
	return R_DRAW;
}

static const char *
sup_title(struct view *v)
{
	struct sup *s = v->data;

	free(s->title);
	s->title = xasprintf(_("Supervision %s..%s  (%s %s)"), s->ev.from, s->ev.to,
	    store_city_name(s->store), store_city_code(s->store));
	return s->title;
}

static void
sup_destroy(struct view *v)
{
	struct sup *s = v->data;

	if (s->counted)
		evaluation_clear(&s->ev);
	eval_rules_free(s->rules);
	free(s->title);
	free(s);
}

static const struct view_ops sup_ops = {
	VIEW_CONTEXT(dashboard), sup_draw, sup_handle, sup_destroy, sup_title,
};

struct view *
view_supervision_new(struct app *app, struct error *err)
{
	struct sup *s = xcalloc(1, sizeof *s);
	char *dir = xasprintf("%s/forms", app->opt->dir), today[11];
	struct view *v;
	bool same;
	int rc = eval_rules_load(dir, &s->rules, err);

	free(dir);
	s->store = app->store;
	clock_format_date(clock_today(), today);
	if (rc == 0)
		eval_default_period(s->rules, today, s->from, s->to);
	if (rc != 0 || sup_count(app, s, &same, err) != 0) {
		eval_rules_free(s->rules);
		free(s);
		return NULL;
	}
	s->col = 1;	/* the coverage */
	v = xcalloc(1, sizeof *v);
	v->ops = &sup_ops;
	v->data = s;
	return v;
}
