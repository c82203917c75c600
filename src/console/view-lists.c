/*
 * view-lists.c — the black and white lists (黑白名单, in the screen picker S): this month's
 * preview (what publishing it now would add to and remove from each list, with the reasons),
 * the past publications, and the difference between two of them, read from git. Tab switches
 * between the preview and the publications; Enter on a publication shows what changed since
 * the one before it, d on one and then d on another what changed between those two; P
 * publishes this month after a question (one commit and its tag, as "huitou publish"),
 * refused with the policy's sentence for a role other than the city's coordinators.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/lists.h"
#include "console/console-private.h"
#include "console/list.h"

#define LIST_COLS 8
#define SIGN_COLS 6
#define ID_COLS 18
#define NAME_COLS 24

enum lists_mode { MODE_PREVIEW, MODE_PUBLICATIONS, MODE_DIFF };

struct lists_screen {
	enum lists_mode mode;
	struct list list;
	char month[8];
	struct list_publish_plan plan;
	bool have_plan;
	char *plan_error;		/* why there is no preview (the month is published …) */
	struct list_publications pubs;
	struct list_membership a, b;	/* the two publications compared */
	struct list_diff diff;
	char *diff_title;
	size_t marked;			/* the publication d marked, or SIZE_MAX */
	char *title;
};

static int
lists_rows(const struct app *app)
{
	return app->lines - 5;	/* title, summary, header, status, message */
}

/* The preview and the publications again (after a publication, or C-l). */
static void
lists_load(struct app *app, struct lists_screen *s)
{
	struct error err = ERROR_INIT;
	struct store_txn *txn = NULL;

	list_publish_plan_free(&s->plan);
	lists_publications_free(&s->pubs);
	free(s->plan_error);
	s->plan_error = NULL;
	s->have_plan = lists_plan(app->store, app->opt->dir, s->month, false, NULL, NULL, NULL,
	    &s->plan, &err) == 0;
	if (!s->have_plan)
		s->plan_error = xstrdup(err.message != NULL ? err.message : "");
	error_clear(&err);
	if (store_txn_begin(app->store, false, &txn, &err) == 0 &&
	    lists_publications(app->store, txn, &s->pubs, &err) != 0)
		app_message(app, true, "%s", err.message);
	store_txn_abort(txn);
	store_release_pages(app->store);
	error_clear(&err);
}

static size_t
row_count(const struct lists_screen *s)
{
	if (s->mode == MODE_PUBLICATIONS)
		return s->pubs.n;
	if (s->mode == MODE_DIFF)
		return s->diff.n;
	return s->have_plan ? s->plan.diff.n : 0;
}

static void
draw_cursor(struct app *app, bool on)
{
	if (on)
		attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
	else
		attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
}

/* Cells at fixed display columns, the last taking what is left. */
static void
draw_cells(struct app *app, int y, const char *const *cells, const int *widths, size_t n)
{
	int x = 1;

	draw_fill(stdscr, y, 0, app->cols);
	for (size_t i = 0; i < n && x < app->cols - 1; i++) {
		int w = i + 1 < n ? widths[i] : app->cols - x - 1;

		draw_text(stdscr, y, x, w - (i + 1 < n ? 1 : 0), cells[i], false);
		x += w;
	}
}

static const int change_widths[] = { LIST_COLS, SIGN_COLS, ID_COLS, NAME_COLS, 0 };

static void
draw_change(struct app *app, int y, const struct list_change *c, bool current)
{
	const char *cells[] = { list_kind_label(c->member->list), c->added ? _("added") :
	    _("removed"), c->member->id, c->member->name, c->why };

	draw_cursor(app, current);
	draw_cells(app, y, cells, change_widths, 5);
	draw_cursor(app, false);
}

static const int pub_widths[] = { 14, 10, 12, 10, 10, 0 };

static void
draw_publication(struct app *app, int y, const struct list_publication *p, bool current,
    bool marked)
{
	char white[24], black[24], *name = xasprintf("%s%s", marked ? "* " : "", p->name);
	const char *cells[] = { name, p->id, p->published_on, white, black, p->corrects_name };

	snprintf(white, sizeof white, "%zu", p->white);
	snprintf(black, sizeof black, "%zu", p->black);
	draw_cursor(app, current);
	draw_cells(app, y, cells, pub_widths, 6);
	draw_cursor(app, false);
	free(name);
}

static void
draw_header(struct app *app, const struct lists_screen *s)
{
	const char *changes[] = { _("list"), _("change"), _("id"), _("name"), _("reason") };
	const char *pubs[] = { _("publication"), _("id"), _("published"), _("white"),
	    _("black"), _("corrects") };

	attron(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
	if (s->mode == MODE_PUBLICATIONS)
		draw_cells(app, 2, pubs, pub_widths, 6);
	else
		draw_cells(app, 2, changes, change_widths, 5);
	attroff(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
}

/* Line 1: what the rows are, with the counts. */
static char *
summary(const struct lists_screen *s)
{
	const struct list_publish_plan *p = &s->plan;
	char *against, *line;

	if (s->mode == MODE_PUBLICATIONS)
		return xasprintf(_("%zu publications; Enter: changes since the one before, d d: "
		    "between two"), s->pubs.n);
	if (s->mode == MODE_DIFF)
		return xstrdup(s->diff_title);
	if (!s->have_plan)
		return xasprintf(_("This month %s: %s"), s->month, s->plan_error);
	against = p->last_name != NULL ? xasprintf(_(" against %s"), p->last_name) : xstrdup("");
	line = xasprintf(_("Preview of %s%s: white %zu (+%zu -%zu), black %zu (+%zu -%zu)"),
	    p->name, against, p->now.n_white, p->diff.added[LIST_WHITE],
	    p->diff.removed[LIST_WHITE], p->now.n_black, p->diff.added[LIST_BLACK],
	    p->diff.removed[LIST_BLACK]);
	free(against);
	return line;
}

static void
lists_draw(struct app *app, struct view *v)
{
	struct lists_screen *s = v->data;
	size_t n = row_count(s);
	int rows = lists_rows(app);
	char *line = summary(s), *left;

	draw_fill(stdscr, 1, 0, app->cols);
	draw_text(stdscr, 1, 1, app->cols - 2, line, false);
	free(line);
	draw_header(app, s);
	list_fit(&s->list, n, rows);
	for (int i = 0; i < rows; i++) {
		size_t r = s->list.top + (size_t)i;
		bool cur = r == s->list.cursor;

		if (r >= n) {
			move(3 + i, 0);
			clrtoeol();
		} else if (s->mode == MODE_PUBLICATIONS)
			draw_publication(app, 3 + i, &s->pubs.p[r], cur, r == s->marked);
		else
			draw_change(app, 3 + i, s->mode == MODE_DIFF ? &s->diff.changes[r] :
			    &s->plan.diff.changes[r], cur);
	}
	if (n == 0 && s->mode != MODE_PUBLICATIONS && (s->have_plan || s->mode == MODE_DIFF))
		draw_text(stdscr, 3, 2, app->cols - 4, _("No change."), false);
	left = xasprintf(_(" Tab: preview or publications  P: publish  q: back"));
	draw_status(app, left, "");
	free(left);
}

/* The difference from publication i to j, read from their tags. */
static void
show_diff(struct app *app, struct lists_screen *s, size_t i, size_t j)
{
	struct error err = ERROR_INIT;

	list_diff_free(&s->diff);
	list_membership_free(&s->a);
	list_membership_free(&s->b);
	if (lists_read_published(app->store, s->pubs.p[i].name, &s->a, &err) != 0 ||
	    lists_read_published(app->store, s->pubs.p[j].name, &s->b, &err) != 0) {
		app_message(app, true, "%s", err.message);
		error_clear(&err);
		return;
	}
	list_diff_make(&s->a, &s->b, &s->diff);
	free(s->diff_title);
	s->diff_title = xasprintf(_("From %s to %s: white +%zu -%zu, black +%zu -%zu"),
	    s->pubs.p[i].name, s->pubs.p[j].name, s->diff.added[LIST_WHITE],
	    s->diff.removed[LIST_WHITE], s->diff.added[LIST_BLACK], s->diff.removed[LIST_BLACK]);
	s->mode = MODE_DIFF;
	s->list.cursor = s->list.top = 0;
}

static void
open_publication(struct app *app, struct lists_screen *s)
{
	size_t i = s->list.cursor;

	if (s->pubs.n == 0)
		return;
	if (i == 0) {
		app_message(app, false, _("%s is the first publication"), s->pubs.p[0].name);
		return;
	}
	show_diff(app, s, i - 1, i);
}

static void
mark_or_compare(struct app *app, struct lists_screen *s)
{
	size_t i = s->list.cursor;

	if (s->mode != MODE_PUBLICATIONS || s->pubs.n == 0)
		return;
	if (s->marked == SIZE_MAX || s->marked == i) {
		s->marked = s->marked == i ? SIZE_MAX : i;
		if (s->marked != SIZE_MAX)
			app_message(app, false, _("%s marked: d on another publication compares them"),
			    s->pubs.p[i].name);
		return;
	}
	show_diff(app, s, s->marked, i);
	s->marked = SIZE_MAX;
}

static void
publish(struct app *app, struct lists_screen *s)
{
	const struct form *form = formset_find(store_forms(app->store), "publication");
	struct error err = ERROR_INIT;
	char *question, *id = NULL;

	if (form == NULL || store_may_create(app->store, form, &err) != 0 || !s->have_plan) {
		app_message(app, true, "%s", err.message != NULL ? err.message : s->plan_error != NULL ?
		    s->plan_error : _("no publication form in force"));
		error_clear(&err);
		return;
	}
	question = xasprintf(_("Publish %s (white %zu, black %zu) in one commit with the tag "
	    "lists/%s?"), s->plan.name, s->plan.now.n_white, s->plan.now.n_black, s->plan.name);
	if (app_confirm(app, question)) {
		if (lists_publish(app->store, app->opt->dir, &s->plan, &id, &err) != 0)
			app_message(app, true, "%s", err.message);
		else
			app_message(app, false, _("published %s as %s with the tag lists/%s"),
			    s->plan.name, id, s->plan.name);
		lists_load(app, s);
	}
	free(question);
	free(id);
	error_clear(&err);
}

static int
lists_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct lists_screen *s = v->data;

	(void)key;
	if (list_action(&s->list, row_count(s), lists_rows(app), a))
		return R_DRAW;
	switch (a) {
	case ACT_LISTS_SWITCH:
		s->mode = s->mode == MODE_PREVIEW ? MODE_PUBLICATIONS : MODE_PREVIEW;
		s->list.cursor = s->list.top = 0;
		break;
	case ACT_OPEN:
		if (s->mode == MODE_PUBLICATIONS)
			open_publication(app, s);
		break;
	case ACT_LISTS_DIFF:	mark_or_compare(app, s); break;
	case ACT_LISTS_PUBLISH:	publish(app, s); break;
	case ACT_BACK:
		if (s->mode != MODE_DIFF)
			return R_UNHANDLED;
		s->mode = MODE_PUBLICATIONS;
		s->list.cursor = s->list.top = 0;
		break;
	case ACT_REDRAW:
		lists_load(app, s);
		return R_UNHANDLED;
	default:
		return R_UNHANDLED;
	}
	return R_DRAW;
}

static const char *
lists_title(struct view *v)
{
	struct lists_screen *s = v->data;

	free(s->title);
	s->title = xasprintf(_("Black and white lists  (%s)"), s->month);
	return s->title;
}

static void
lists_destroy(struct view *v)
{
	struct lists_screen *s = v->data;

	list_publish_plan_free(&s->plan);
	lists_publications_free(&s->pubs);
	list_diff_free(&s->diff);
	list_membership_free(&s->a);
	list_membership_free(&s->b);
	free(s->plan_error);
	free(s->diff_title);
	free(s->title);
	free(s);
}

static const struct view_ops lists_ops = {
	VIEW_CONTEXT(lists), lists_draw, lists_handle, lists_destroy, lists_title,
};

struct view *
view_lists_new(struct app *app, struct error *err)
{
	struct lists_screen *s = xcalloc(1, sizeof *s);
	struct view *v;

	if (formset_find(store_forms(app->store), "publication") == NULL) {
		free(s);
		error_set(err, ST_FAILED, _("this data directory has no publications: copy the "
		    "shipped forms/publication.form and listing.form into its forms/"));
		return NULL;
	}
	s->marked = SIZE_MAX;
	lists_this_month(s->month);
	lists_load(app, s);
	v = xcalloc(1, sizeof *v);
	v->ops = &lists_ops;
	v->data = s;
	return v;
}
