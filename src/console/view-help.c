/*
 * view-help.c — the keys of a screen, generated from the keymap in force and the action
 * registry, so the help can never disagree with what the keys do.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/console-private.h"
#include "console/list.h"

struct help_line {
	char *text;		/* the key, the action's words, where it comes from */
	const char *id;		/* the action's name in keymap files, shown after when it fits */
};

struct help {
	char *context;
	struct help_line *lines;
	size_t n;
	struct list list;	/* a pager: its top is the first line shown */
	size_t n_own;		/* the screen's own bindings come first, then the global ones */
};

/* The contexts in words, for the title and the lines of keys that come from elsewhere. */
static const struct {
	const char *context, *words;
} context_words[] = {
	{ "global", N_("on every screen") },
	{ "table", N_("record table") },
	{ "form", N_("record form") },
	{ "help", N_("help") },
	{ "history", N_("record history") },
	{ "dashboard", N_("dashboard screen") },
	{ "board", N_("task board screen") },
	{ "review", N_("review queue") },
	{ "freq", N_("frequency view") },
	{ "views", N_("saved views") },
	{ "draw", N_("spot-check draw") },
	{ "lists", N_("black and white lists") },
};

static const char *
context_in_words(const char *context)
{
	for (size_t i = 0; i < sizeof context_words / sizeof context_words[0]; i++)
		if (str_eq(context_words[i].context, context))
			return _(context_words[i].words);
	return context;
}

/* In a form a printable key (Space too) is typed into the field or narrows its pick list, as
 * view-form.c's is_text_key says: a binding of one there never runs, so help leaves it out. */
static bool
key_works_in(const char *context, int key)
{
	bool text = key >= 0x20 && key != 0x7f && key < KEY_FUNCTION;

	return !(text && str_eq(context, VIEW_CONTEXT(form)));
}

static void
add_binding(void *arg, int key, enum action a, const char *context)
{
	struct help *h = arg;
	struct buf line = BUF_INIT, name = BUF_INIT;
	struct help_line hl;

	if (!key_works_in(h->context, key))
		return;
	key_to_name(key, &name);
	buf_printf(&line, "  %-10s %s", buf_str(&name), action_help(a));
	if (!str_eq(context, h->context))
		buf_printf(&line, _("  (%s)"), context_in_words(context));
	hl = (struct help_line){ buf_detach(&line), action_name(a) };
	h->lines = xrealloc(h->lines, (h->n + 1) * sizeof *h->lines);
	if (str_eq(context, h->context)) {	/* after the screen's own, before the global */
		memmove(h->lines + h->n_own + 1, h->lines + h->n_own,
		    (h->n - h->n_own) * sizeof *h->lines);
		h->lines[h->n_own++] = hl;
	} else
		h->lines[h->n] = hl;
	h->n++;
	buf_free(&name);
}

/* A line, with the action's name after its words when the width leaves room for it. */
static void
draw_line(struct app *app, int y, const struct help_line *hl)
{
	char *text = hl->text, *with_id = NULL;

	if (width_of(hl->text) + 4 + width_of(hl->id) <= (size_t)app->cols)
		text = with_id = xasprintf("%s  [%s]", hl->text, hl->id);
	draw_text(stdscr, y, 0, app->cols, text, false);
	free(with_id);
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
			draw_line(app, 1 + y, &h->lines[h->list.top + (size_t)y]);
	}
	title = xasprintf(_(" keys of the %s screen: %zu bindings; q goes back"),
	    context_in_words(h->context), h->n);
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

	for (size_t i = 0; i < h->n; i++)
		free(h->lines[i].text);
	free(h->lines);
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
	keymap_each(app->keymap, context, add_binding, h);
	v->ops = &help_ops;
	v->data = h;
	return v;
}
