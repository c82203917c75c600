/*
 * view-record.c — one record, a field a line: the label (in the user's language) in a column
 * as wide as the widest label, then the value as people read it. Values are re-read from the
 * store on every repaint, so a change saved elsewhere shows at the next key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/console-private.h"

struct record_view {
	const struct form *form;
	char *id;
	size_t top;
	char *title;
};

static void
record_draw(struct app *app, struct view *v)
{
	struct record_view *r = v->data;
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	struct error err = ERROR_INIT;
	int label_w = 0, rows = app->lines - 3;

	for (size_t i = 0; i < r->form->n_fields; i++) {
		int w = (int)width_of(field_label(&r->form->fields[i]));

		label_w = w > label_w ? w : label_w;
	}
	if (store_txn_begin(app->store, false, &txn, &err) == 0)
		store_get(txn, r->form, r->id, &rec, &err);
	store_txn_abort(txn);
	for (int y = 0; y < rows; y++) {
		size_t i = r->top + (size_t)y;

		move(1 + y, 0);
		clrtoeol();
		if (rec == NULL || i > r->form->n_fields)
			continue;
		if (i == r->form->n_fields) {
			char *ver = xasprintf("%*s  %llu", label_w, _("version"), (unsigned long long)rec->version);

			draw_text(stdscr, 1 + y, 1, app->cols - 2, ver, false);
			free(ver);
			continue;
		}
		attron(A_BOLD);
		draw_text(stdscr, 1 + y, 1, label_w, field_label(&r->form->fields[i]), false);
		attroff(A_BOLD);
		draw_text(stdscr, 1 + y, label_w + 3, app->cols - label_w - 4,
		    value_text(app, &r->form->fields[i], rec->values[i]), false);
	}
	if (rec == NULL)
		app_message(app, true, "%s", err.message != NULL ? err.message : r->id);
	record_free(rec);
	error_clear(&err);
	draw_status(app, r->title, "");
}

static int
record_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct record_view *r = v->data;

	(void)key;
	(void)app;
	switch (a) {
	case ACT_UP:
		r->top = r->top > 0 ? r->top - 1 : 0;
		return R_DRAW;
	case ACT_DOWN:
		r->top = r->top + 1 < r->form->n_fields ? r->top + 1 : r->top;
		return R_DRAW;
	case ACT_CANCEL:
		return R_BACK;
	default:
		return R_UNHANDLED;
	}
}

static const char *
record_title(struct view *v)
{
	struct record_view *r = v->data;

	return r->title;
}

static void
record_destroy(struct view *v)
{
	struct record_view *r = v->data;

	free(r->id);
	free(r->title);
	free(r);
}

static const struct view_ops record_ops = {
	"form", record_draw, record_handle, record_destroy, record_title,
};

struct view *
view_record_new(struct app *app, const struct form *form, const char *id)
{
	struct record_view *r = xcalloc(1, sizeof *r);
	struct view *v = xcalloc(1, sizeof *v);

	(void)app;
	r->form = form;
	r->id = xstrdup(id);
	r->title = xasprintf(" %s %s", form_label(form), id);
	v->ops = &record_ops;
	v->data = r;
	return v;
}
