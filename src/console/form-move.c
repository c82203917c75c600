/*
 * form-move.c — casework in a record's form: the casework and the checklist read once per
 * console from DATA/forms, the checklist panel that shows the current check's sub-points, and
 * a move to another state through casework_move (the same as "huitou move"), its outcome on
 * the message line and the record read again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/form-private.h"

const struct casework *
app_casework(struct app *app)
{
	struct error err = ERROR_INIT;
	char *dir;

	if (app->casework_tried)
		return app->casework;
	app->casework_tried = true;
	dir = xasprintf("%s/forms", app->opt->dir);
	if (casework_load(dir, store_forms(app->store), &app->casework, &err) != 0) {
		app->casework = NULL;
		app_message(app, true, "%s", err.message);
	}
	free(dir);
	error_clear(&err);
	return app->casework;
}

const struct checklist *
app_checklist(struct app *app)
{
	struct error err = ERROR_INIT;
	char *dir;

	if (app->checklist_tried)
		return app->checklist;
	app->checklist_tried = true;
	dir = xasprintf("%s/forms", app->opt->dir);
	if (checklist_load(dir, store_forms(app->store), &app->checklist, &err) != 0) {
		app->checklist = NULL;	/* 1, none at all, is no error */
		if (err.message != NULL)
			app_message(app, true, "%s", err.message);
	}
	free(dir);
	error_clear(&err);
	return app->checklist;
}

const struct check *
form_current_check(struct app *app, const struct form_view *fv)
{
	return checklist_for_field(app_checklist(app), fv->form, form_current_field(fv)->name);
}

int
checklist_rows(const struct check *c)
{
	return 1 + (int)c->n_items;
}

void
checklist_draw(struct app *app, const struct check *c, int y, int rows)
{
	char *heading = xasprintf(_("Check %d of the ten: %s"), c->number, check_label(c));

	draw_heading(app, y, heading);
	free(heading);
	for (int k = 1; k < rows; k++) {
		char *line = (size_t)(k - 1) < c->n_items ?
		    xasprintf("%2d) %s", k, check_item(c, (size_t)(k - 1))) : NULL;

		move(y + k, 0);
		clrtoeol();
		if (line != NULL)
			draw_text(stdscr, y + k, 3, app->cols - 4, line, false);
		free(line);
	}
}

static const struct machine *
form_machine(struct app *app, const struct form_view *fv)
{
	return casework_machine(app_casework(app), fv->form);
}

bool
form_is_state_field(struct app *app, const struct form_view *fv, size_t i)
{
	const struct machine *m = form_machine(app, fv);

	return m != NULL && m->field == i;
}

/* Why no move can be made from this form now, or NULL. */
static const char *
move_refusal(const struct form_view *fv, const struct machine *m)
{
	if (m == NULL)
		return _("this kind of record has no states to move between");
	if (fv->base->version == 0)
		return _("save the new record before moving it");
	if (form_changed(fv))
		return _("save or cancel your changes before a move");
	return NULL;
}

/* The states reachable from the record's, in the machine's order, each with its words. */
struct targets {
	struct pick_item *items;
	char **labels;
	size_t n;
};

static void
find_targets(const struct machine *m, const char *from, struct targets *t)
{
	const struct field *state = &m->form->fields[m->field];

	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < m->n_states; i++) {
		const char *to = m->states[i].value;
		const struct machine_move *mv = str_eq(to, from) ? NULL : machine_find_move(m, from, to);

		if (mv == NULL)
			continue;
		t->items = xrealloc(t->items, (t->n + 1) * sizeof *t->items);
		t->labels = xrealloc(t->labels, (t->n + 1) * sizeof *t->labels);
		t->labels[t->n] = xasprintf("%s  %s", field_option_label(state, to),
		    lang_pick(mv->words_zh, mv->words_en));
		t->items[t->n].value = to;
		t->items[t->n].label = t->labels[t->n];
		t->n++;
	}
}

static void
free_targets(struct targets *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->labels[i]);
	free(t->labels);
	free(t->items);
}

static bool
needs_reason(const struct machine_move *mv)
{
	for (size_t i = 0; i < mv->n_guards; i++)
		if (mv->guards[i].kind == GUARD_REASON)
			return true;
	return false;
}

/* "; created ZG-…, ZG-…" for the message line (the related records list them all too). */
static void
name_ids(struct buf *b, const char *what, char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i == 0 ? what : ", ", ids[i]);
}

static void
report_move(struct app *app, const struct machine *m, const struct move_result *res)
{
	const struct machine_move *mv = machine_find_move(m, res->from, res->to);
	struct buf b = BUF_INIT;
	const char *warning = store_audit_warning(app->store);

	buf_printf(&b, "%s %s", res->id, mv != NULL ? lang_pick(mv->words_zh, mv->words_en) : res->to);
	name_ids(&b, _("; created "), res->created, res->n_created);
	name_ids(&b, _("; changed "), res->changed, res->n_changed);
	if (warning != NULL)
		buf_printf(&b, "; %s", warning);
	app_message(app, false, "%s", buf_str(&b));
	buf_free(&b);
}

/* The move to state to, asking for a reason first when it needs one. */
static void
make_move(struct app *app, struct form_view *fv, const struct machine *m, const char *to)
{
	const char *from = fv->rec->values[m->field];
	const struct machine_move *mv = machine_find_move(m, from, to);
	struct move_result res;
	struct error err = ERROR_INIT;
	char *reason = NULL;

	if (mv != NULL && needs_reason(mv) &&
	    (reason = app_prompt(app, _("Reason for the move: "), "")) == NULL) {
		app_message(app, false, _("no move made"));
		return;
	}
	if (casework_move_from(app->store, app_casework(app), record_id(fv->rec), from, to, reason,
	    &res, &err) == 0) {
		form_reload(app, fv);
		report_move(app, m, &res);
	} else
		app_message(app, true, "%s", err.message);
	move_result_clear(&res);
	error_clear(&err);
	free(reason);
}

void
form_move(struct app *app, struct form_view *fv)
{
	const struct machine *m = form_machine(app, fv);
	const char *why;
	struct targets t;
	char *title;
	int i;

	if (fv->read_only != NULL) {
		app_message(app, true, _("read only: %s"), fv->read_only);
		return;
	}
	if ((why = move_refusal(fv, m)) != NULL) {
		app_message(app, true, "%s", why);
		return;
	}
	find_targets(m, fv->rec->values[m->field], &t);
	if (t.n == 0) {
		app_message(app, true, _("%s has no move from %s"), record_id(fv->rec),
		    value_text(app, &fv->form->fields[m->field], fv->rec->values[m->field]));
		free_targets(&t);
		return;
	}
	title = xasprintf(_("Move %s to"), record_id(fv->rec));
	i = app_pick(app, title, t.items, t.n, "", 0);
	if (i >= 0)
		make_move(app, fv, m, t.items[i].value);
	free(title);
	free_targets(&t);
}
