/*
 * view-views.c — the list of saved views (":view", or the screen "视图 / Views"): the user's
 * own, then those shared with their district, each with its form, who sees it, its limit and
 * its sort. Enter opens one on the screen of its form; d deletes one (asked first).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/views.h"

#define NAME_COLS 18
#define FORM_COLS 14
#define SCOPE_COLS 14

struct views_list {
	struct saved_views vs;
	struct list list;
};

static int
views_rows(const struct app *app)
{
	return app->lines - 4;	/* title, header, status, message */
}

static const char *
form_words(struct app *app, const char *name)
{
	const struct form *form = formset_find(store_forms(app->store), name);

	return form != NULL ? form_label(form) : name;
}

static void
draw_view_line(struct app *app, int y, const struct saved_view *v, bool current)
{
	int x = 2;
	char *sort = v->sort != NULL ? xasprintf("  s: %s%s", v->sort, v->sort_desc ? " v" : " ^") :
	    xstrdup("");
	char *rest = xasprintf("%s%s", v->limit != NULL ? v->limit : "", sort);
	const struct division *d = v->district != NULL ?
	    store_division_find(app->store, v->district, DIV_DISTRICT, NULL) : NULL;
	char *scope = v->district != NULL ? xasprintf(_("shared: %s"), d != NULL ? d->name :
	    v->district) : xstrdup(_("mine"));

	if (current)
		attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
	draw_fill(stdscr, y, 0, app->cols);
	draw_text(stdscr, y, x, NAME_COLS - 1, v->name, false);
	draw_text(stdscr, y, x + NAME_COLS, FORM_COLS - 1, form_words(app, v->form), false);
	draw_text(stdscr, y, x + NAME_COLS + FORM_COLS, SCOPE_COLS - 1, scope, false);
	x += NAME_COLS + FORM_COLS + SCOPE_COLS;
	draw_text(stdscr, y, x, app->cols - x - 1, rest, false);
	if (current)
		attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
	free(sort);
	free(rest);
	free(scope);
}

static void
views_draw(struct app *app, struct view *view)
{
	struct views_list *vl = view->data;
	int rows = views_rows(app), x = 2;
	char *left;

	attron(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
	draw_fill(stdscr, 1, 0, app->cols);
	draw_text(stdscr, 1, x, NAME_COLS - 1, _("name"), false);
	draw_text(stdscr, 1, x + NAME_COLS, FORM_COLS - 1, _("records"), false);
	draw_text(stdscr, 1, x + NAME_COLS + FORM_COLS, SCOPE_COLS - 1, _("seen by"), false);
	x += NAME_COLS + FORM_COLS + SCOPE_COLS;
	draw_text(stdscr, 1, x, app->cols - x - 1, _("limit and sort"), false);
	attroff(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
	list_fit(&vl->list, vl->vs.n, rows);
	for (int i = 0; i < rows; i++) {
		size_t r = vl->list.top + (size_t)i;

		if (r < vl->vs.n)
			draw_view_line(app, 2 + i, &vl->vs.views[r], r == vl->list.cursor);
		else {
			move(2 + i, 0);
			clrtoeol();
		}
	}
	if (vl->vs.n == 0)
		draw_text(stdscr, 3, 2, app->cols - 4,
		    _("No saved views yet: in a table, :view save NAME keeps its limit, sort and columns."),
		    false);
	left = xasprintf(_(" %zu saved views"), vl->vs.n);
	draw_status(app, left, "");
	free(left);
}

static void
views_reload(struct app *app, struct views_list *vl)
{
	saved_views_free(&vl->vs);
	views_load_all(app, &vl->vs);
}

static int
views_handle(struct app *app, struct view *view, enum action a, int key)
{
	struct views_list *vl = view->data;
	struct saved_view *v = vl->vs.n > 0 ? &vl->vs.views[vl->list.cursor] : NULL;

	(void)key;
	if (list_action(&vl->list, vl->vs.n, views_rows(app), a))
		return R_DRAW;
	switch (a) {
	case ACT_OPEN:
		if (v != NULL)
			views_show(app, v);
		break;
	case ACT_VIEW_DELETE:
		if (v != NULL && v->district != NULL)
			views_unshare(app, v);
		else if (v != NULL)
			views_delete(app, v->name);
		views_reload(app, vl);
		break;
	case ACT_REDRAW:
		views_reload(app, vl);
		return R_UNHANDLED;	/* and the app repaints the whole screen */
	default:
		return R_UNHANDLED;
	}
	return R_DRAW;
}

static const char *
views_title(struct view *view)
{
	(void)view;
	return _("Saved views");
}

static void
views_destroy(struct view *view)
{
	struct views_list *vl = view->data;

	saved_views_free(&vl->vs);
	free(vl);
}

static const struct view_ops views_ops = {
	VIEW_CONTEXT(views), views_draw, views_handle, views_destroy, views_title,
};

struct view *
view_views_new(struct app *app, struct error *err)
{
	struct views_list *vl = xcalloc(1, sizeof *vl);
	struct view *view = xcalloc(1, sizeof *view);

	(void)err;
	views_load_all(app, &vl->vs);
	view->ops = &views_ops;
	view->data = vl;
	return view;
}
