/*
 * view-help.c — the keys of a screen, generated from the keymap in force and the action
 * registry, so the help can never disagree with what the keys do.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/console-private.h"
#include "console/list.h"

struct help {
	char *context;
	char **lines;
	size_t n;
	struct list list;	/* a pager: its top is the first line shown */
	size_t n_own;		/* the screen's own bindings come first, then the global ones */
};

static void
add_binding(void *arg, int key, enum action a, const char *context)
{
	struct help *h = arg;
	struct buf line = BUF_INIT, name = BUF_INIT;

	key_to_name(key, &name);
	buf_printf(&line, "  %-10s %-22s %s", buf_str(&name), action_name(a), action_help(a));
	if (!str_eq(context, h->context))
		buf_printf(&line, "  (%s)", context);
	h->lines = xrealloc(h->lines, (h->n + 2) * sizeof *h->lines);
	if (str_eq(context, h->context)) {	/* after the screen's own, before the global */
		memmove(h->lines + h->n_own + 1, h->lines + h->n_own,
		    (h->n - h->n_own) * sizeof *h->lines);
		h->lines[h->n_own++] = buf_detach(&line);
	} else
		h->lines[h->n] = buf_detach(&line);
	h->lines[++h->n] = NULL;
	buf_free(&name);
}

/* The lines between the title and the status line. */
static int
help_rows(const struct app *app)
{
	return app->lines - 3;
}

static void
help_draw(struct app *app, struct view *v)
{
	struct help *h = v->data;
	int rows = help_rows(app);
	char *title;

	list_pager_fit(&h->list, h->n, rows);	/* the window may have changed size */
	for (int y = 0; y < rows; y++) {
		move(1 + y, 0);
		clrtoeol();
		if (h->list.top + (size_t)y < h->n)
			draw_text(stdscr, 1 + y, 0, app->cols, h->lines[h->list.top + (size_t)y], false);
	}
	title = xasprintf(_(" keys of the %s screen: %zu bindings; q goes back"), h->context, h->n);
	draw_status(app, title, "");
	free(title);
}

static int
help_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct help *h = v->data;

	(void)key;
	if (list_pager_action(&h->list, h->n, help_rows(app), a))
		return R_DRAW;
	switch (a) {
	case ACT_HELP:
	case ACT_CANCEL:
		return R_BACK;
	default:
		return R_UNHANDLED;
	}
}

static const char *
help_title(struct view *v)
{
	(void)v;
	return _("[?] help");
}

static void
help_destroy(struct view *v)
{
	struct help *h = v->data;

	strv_free(h->lines);
	free(h->context);
	free(h);
}

static const struct view_ops help_ops = {
	VIEW_CONTEXT(help), help_draw, help_handle, help_destroy, help_title,
};

struct view *
view_help_new(struct app *app, const char *context)
{
	struct help *h = xcalloc(1, sizeof *h);
	struct view *v = xcalloc(1, sizeof *v);

	h->context = xstrdup(context);
	h->lines = xcalloc(1, sizeof *h->lines);
	keymap_each(app->keymap, context, add_binding, h);
	v->ops = &help_ops;
	v->data = h;
	return v;
}
