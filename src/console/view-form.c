/*
 * view-form.c — a record's form: a field a line, labels from the form file, and the field with
 * the caret edited in place. Text is typed with get_wch (Chinese through an input method, the
 * hardware cursor at the caret); enums, yes/no, divisions and references are chosen from a pick
 * list. A field is checked when the caret leaves it and the record when it is saved, the
 * message naming the field and keeping what was typed. Saving writes the store and its audit
 * commit, asking first why a field marked "reason" changed (no reason, no save; what was typed
 * stays); a record saved by someone else meanwhile opens the conflict chooser. Enter on a
 * reference opens the record it names; below the fields a panel shows the related records
 * (form-related.c) or the current check's sub-points, and a state changes only by a move
 * (form-move.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "console/ask.h"
#include "console/form-private.h"

#define LONGTEXT_ROWS 5		/* rows a multi-line field takes while it is edited */

const struct field *
form_current_field(const struct form_view *fv)
{
	return &fv->form->fields[fv->cur];
}

static bool
is_pick(const struct field *f)
{
	return f->kind == FT_ENUM || f->kind == FT_BOOL || f->kind == FT_DIVISION || f->kind == FT_REF ||
	    f->kind == FT_SET;
}

static bool
is_typed(const struct field *f)
{
	return f->kind != FT_ID && !is_pick(f);
}

static int
label_width(const struct form *form)
{
	int w = 0;

	for (size_t i = 0; i < form->n_fields; i++) {
		int lw = (int)width_of(field_label(&form->fields[i]));

		w = lw > w ? lw : w;
	}
	return w > 24 ? 24 : w;
}

static int
field_rows(const struct form_view *fv, size_t i)
{
	return i == fv->cur && fv->form->fields[i].kind == FT_LONGTEXT ? LONGTEXT_ROWS : 1;
}

static int
form_rows(const struct app *app)
{
	return app->lines - 4;	/* title, help line, status, message */
}

/* The rows of the panel below the fields: the current check's points on a check field, an
 * institution's credit tier on its credit and funds fields, else the related records (0: no
 * panel). */
static int
panel_rows(struct app *app, const struct form_view *fv)
{
	const struct check *c = fv->in_related ? NULL : form_current_check(app, fv);
	int credit = c != NULL ? 0 : credit_panel_rows(app, fv);

	return c != NULL ? checklist_rows(c) : credit > 0 ? credit : related_rows(app, fv);
}

/* The rows the fields have: what the panel leaves, a few at least. */
static int
fields_rows(struct app *app, const struct form_view *fv)
{
	int rows = form_rows(app) - panel_rows(app, fv);

	return rows < 3 ? 3 : rows;
}

/* Whether anything differs from what was read or last saved, the field being typed included. */
bool
form_changed(const struct form_view *fv)
{
	const struct field *f = form_current_field(fv);

	if (is_typed(f) && !str_eq(edit_text(&fv->edit), fv->rec->values[fv->cur]))
		return true;
	for (size_t i = 0; i < fv->form->n_fields; i++)
		if (!str_eq(fv->base->values[i], fv->rec->values[i]))
			return true;
	return false;
}

/* The caret's field in view, and the rows above it filled. */
static void
keep_in_view(struct app *app, struct form_view *fv)
{
	int used = 0;

	if (fv->cur < fv->top)
		fv->top = fv->cur;
	for (size_t i = fv->top; i <= fv->cur; i++)
		used += field_rows(fv, i);
	while (used > fields_rows(app, fv) && fv->top < fv->cur)
		used -= field_rows(fv, fv->top++);
}

/* A typed field being edited: one line scrolled to the caret, or wrapped rows. */
static void
draw_editing(struct app *app, struct form_view *fv, int y, int x, int width)
{
	int row = 0, col = 0;

	if (form_current_field(fv)->kind == FT_LONGTEXT) {
		size_t starts[LONGTEXT_ROWS + 1];
		const char *s = edit_text(&fv->edit);
		size_t n = edit_wrap(s, width, starts, LONGTEXT_ROWS + 1);
		int first;

		edit_caret_at(&fv->edit, width, &row, &col);
		first = row >= LONGTEXT_ROWS ? row - LONGTEXT_ROWS + 1 : 0;
		for (int r = 0; r < LONGTEXT_ROWS; r++) {
			size_t at = (size_t)(first + r), end;
			char *part;

			draw_fill(stdscr, y + r, x, width);
			if (at >= n && first + r > row)
				continue;
			end = at + 1 < n ? starts[at + 1] : strlen(s);
			part = at < n ? xstrndup(s + starts[at], end - starts[at]) : xstrdup("");
			if (*part != '\0' && part[strlen(part) - 1] == '\n')
				part[strlen(part) - 1] = '\0';
			draw_text(stdscr, y + r, x, width, part, false);
			free(part);
		}
		app->caret_y = y + row - first;
		app->caret_x = x + col;
		return;
	}
	{
		size_t start = edit_scroll(&fv->edit, width, &col);

		draw_fill(stdscr, y, x, width);
		draw_text(stdscr, y, x, width, edit_text(&fv->edit) + start, false);
		app->caret_y = y;
		app->caret_x = x + col;
	}
}

static void
draw_value(struct app *app, struct form_view *fv, size_t i, int y, int x, int width)
{
	const struct field *f = &fv->form->fields[i];
	const char *v = fv->rec->values[i];

	if (f->kind == FT_ID && *v == '\0') {
		draw_text(stdscr, y, x, width, _("(assigned when saved)"), false);
	} else if (f->kind == FT_LONGTEXT && strchr(v, '\n') != NULL) {
		char *first = xstrndup(v, (size_t)(strchr(v, '\n') - v));
		char *shown = xasprintf("%s ...", first);

		draw_text(stdscr, y, x, width, shown, false);
		free(first);
		free(shown);
	} else if (f->kind == FT_REF && *v != '\0') {
		char *shown = ref_value_text(app, f, v);

		draw_text(stdscr, y, x, width, shown, false);
		free(shown);
	} else {
		draw_text(stdscr, y, x, width, value_text(app, f, v), false);
	}
}

static void
draw_field(struct app *app, struct form_view *fv, size_t i, int y, int label_w)
{
	const struct field *f = &fv->form->fields[i];
	int x = label_w + 4, width = app->cols - x - 1;
	bool current = i == fv->cur && !fv->in_related;

	move(y, 0);
	clrtoeol();
	if (current)
		mvaddstr(y, 0, ">");
	attron(A_BOLD);
	draw_text(stdscr, y, 2 + label_w - (int)width_of(field_label(f)), label_w, field_label(f), false);
	attroff(A_BOLD);
	if (f->required)
		mvaddstr(y, 2 + label_w, "*");
	if (current)
		attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_UNDERLINE);
	if (current && is_typed(f))
		draw_editing(app, fv, y, x, width);
	else {
		if (current)
			draw_fill(stdscr, y, x, width);
		draw_value(app, fv, i, y, x, width);
	}
	if (current)
		attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_UNDERLINE);
}

/* The line above the status: the keys that matter here on the right, the current field's help
 * in what is left. */
static void
draw_help_line(struct app *app, struct form_view *fv)
{
	static const struct key_hint hints[] = {
		{ ACT_NEXT_FIELD, N_("next") }, { ACT_SAVE, N_("save") },
		{ ACT_CANCEL, N_("cancel") }, { ACT_HISTORY, N_("history") },
		{ ACT_MOVE, N_("move") },	/* only where the record has states */
	};
	size_t n_hints = sizeof hints / sizeof *hints - (app_casework(app) != NULL &&
	    casework_machine(app_casework(app), fv->form) != NULL ? 0 : 1);
	const struct field *f = form_current_field(fv);
	const char *help = fv->in_related ? NULL : lang_is_zh() ? f->help_zh : f->help_en;
	char *keys = keys_hint(app, VIEW_CONTEXT(form), hints, n_hints);
	const char *how = fv->in_related ? _("Enter opens the record; Esc comes back") :
	    form_is_state_field(app, fv, fv->cur) ? _("only a move changes it: Enter") :
	    f->kind == FT_REF && *fv->rec->values[fv->cur] != '\0' ?
	    _("Enter opens it, Space chooses another") : is_pick(f) ? _("Space chooses") :
	    f->kind == FT_DATE ? _("a date as YYYY-MM-DD") : NULL;
	char *line = xasprintf("%s%s%s", help != NULL ? help : "",
	    how != NULL && help != NULL ? "; " : "", how != NULL ? how : "");
	int y = app->lines - 3, kw = (int)width_of(keys) + 1;

	move(y, 0);
	clrtoeol();
	attron(A_DIM);
	draw_text(stdscr, y, 1, app->cols - kw - 3, line, false);
	draw_text(stdscr, y, app->cols - kw > 0 ? app->cols - kw : 0, kw, keys, false);
	attroff(A_DIM);
	free(keys);
	free(line);
}

static void
form_draw(struct app *app, struct view *v)
{
	struct form_view *fv = v->data;
	int label_w = label_width(fv->form), y = 1, last, panel;
	const struct check *check;
	char *left;

	if (fv->related.stale && fv->base->version > 0 && !form_changed(fv))
		form_reload(app, fv);	/* back from a record opened here: as it is now */
	else if (fv->related.stale)
		related_load(app, fv);
	check = fv->in_related ? NULL : form_current_check(app, fv);
	last = fields_rows(app, fv);
	panel = form_rows(app) - last;	/* what the fields leave, however tall the panel */
	keep_in_view(app, fv);
	for (size_t i = fv->top; i < fv->form->n_fields && y + field_rows(fv, i) <= last + 1; i++) {
		for (int r = 1; r < field_rows(fv, i); r++) {
			move(y + r, 0);
			clrtoeol();
		}
		draw_field(app, fv, i, y, label_w);
		y += field_rows(fv, i);
	}
	for (; y <= last; y++) {
		move(y, 0);
		clrtoeol();
	}
	if (check != NULL)
		checklist_draw(app, check, last + 1, panel);
	else if (panel > 0 && credit_panel_rows(app, fv) > 0)
		credit_panel_draw(app, fv, last + 1, panel);
	else if (panel > 0)
		related_draw(app, fv, last + 1, panel);
	draw_help_line(app, fv);
	left = xasprintf(" %s  %s %" PRIu64 "%s", fv->title, _("version"), fv->rec->version,
	    fv->read_only != NULL ? _("  | read only") : form_changed(fv) ? _("  | changed, not saved") : "");
	draw_status(app, left, app->who_text);
	free(left);
}

/* What a person gave for the current field, through its type, into the record; a refusal
 * goes to the message line, naming the field. */
static int
set_input(struct app *app, struct form_view *fv, const char *input)
{
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	struct field_ctx ctx;
	int rc;

	if ((rc = store_txn_begin(app->store, false, &txn, &err)) == 0) {
		store_field_ctx(txn, fv->rec, &ctx);
		rc = record_set_input_at(fv->rec, fv->cur, input, &ctx, &err);
		store_txn_abort(txn);
	}
	if (rc != 0)
		app_message(app, true, "%s", err.message);
	error_clear(&err);
	return rc;
}

/* The typed text of the current field into the record, then shown as stored (trimmed,
 * canonical). */
static int
accept_field(struct app *app, struct form_view *fv)
{
	if (!is_typed(form_current_field(fv)) || str_eq(edit_text(&fv->edit), fv->rec->values[fv->cur]))
		return 0;
	if (set_input(app, fv, edit_text(&fv->edit)) != 0)
		return -1;
	edit_set(&fv->edit, fv->rec->values[fv->cur]);
	return 0;
}

static void
enter_field(struct form_view *fv, size_t i)
{
	fv->cur = i;
	edit_set(&fv->edit, fv->rec->values[i]);
}

/* To another field, if the current one is accepted; the id is never a stop. Past the last
 * field, down to the related records. */
static void
go_field(struct app *app, struct form_view *fv, long delta)
{
	long i = (long)fv->cur + delta, n = (long)fv->form->n_fields;

	if (accept_field(app, fv) != 0)
		return;
	if (i >= n && fv->cur + 1 == (size_t)n && fv->related.n > 0) {
		fv->in_related = true;
		fv->related.list.cursor = 0;
		return;
	}
	i = i < 0 ? 0 : i >= n ? n - 1 : i;
	if (fv->form->fields[i].kind == FT_ID)
		i = i + 1 < n ? i + 1 : (long)fv->cur;
	enter_field(fv, (size_t)i);
}

/* A district changed: streets that no longer lie in it are cleared, and the user told. */
static void
clear_streets_outside(struct app *app, struct form_view *fv, const struct field *district)
{
	for (size_t j = 0; j < fv->form->n_fields; j++) {
		const struct field *s = &fv->form->fields[j];
		const char *d = fv->rec->values[fv->cur];

		if (s->kind != FT_DIVISION || s->within == NULL || !str_eq(s->within, district->name) ||
		    *fv->rec->values[j] == '\0' ||
		    store_division_find(app->store, fv->rec->values[j], DIV_STREET, d) != NULL)
			continue;
		record_set_raw(fv->rec, j, "");
		app_message(app, false, _("%s was cleared: it is not in the new %s"), field_label(s),
		    field_label(district));
	}
}

static int
set_choice(struct app *app, struct form_view *fv, const char *value)
{
	if (set_input(app, fv, value) != 0)
		return -1;
	clear_streets_outside(app, fv, form_current_field(fv));
	return 0;
}

/* A set field: its options marked one by one, then taken together. */
static void
choose_set(struct app *app, struct form_view *fv, const char *typed)
{
	char *value = NULL;

	if (form_pick_set(app, form_current_field(fv), fv->rec->values[fv->cur], typed,
	    &value) == 0)
		set_choice(app, fv, value);
	free(value);
}

/* Space or a typed character: the pick list, already narrowed by what was typed. On the
 * state field, the moves instead: a state changes only by a move. */
static void
choose(struct app *app, struct form_view *fv, const char *typed)
{
	struct form_choices c;
	int i;

	if (form_is_state_field(app, fv, fv->cur)) {
		form_move(app, fv);
		return;
	}
	if (form_current_field(fv)->kind == FT_SET) {
		choose_set(app, fv, typed);
		return;
	}
	form_choices_make(app, fv, form_current_field(fv), &c);
	i = app_pick(app, field_label(form_current_field(fv)), c.items, c.n, typed,
	    form_choices_index(&c, fv->rec->values[fv->cur]));
	if (i >= 0)
		set_choice(app, fv, c.items[i].value);
	form_choices_free(&c);
}

/* Left and Right step through the choices in place. */
static void
step_choice(struct app *app, struct form_view *fv, int delta)
{
	struct form_choices c;
	size_t i;

	if (form_is_state_field(app, fv, fv->cur)) {
		app_message(app, true, _("%s changes only by a move: Enter on it"),
		    field_label(form_current_field(fv)));
		return;
	}
	form_choices_make(app, fv, form_current_field(fv), &c);
	if (c.n > 0) {
		i = form_choices_index(&c, fv->rec->values[fv->cur]);
		i = i == c.n ? 0 : delta < 0 ? (i + c.n - 1) % c.n : (i + 1) % c.n;
		set_choice(app, fv, c.items[i].value);
	}
	form_choices_free(&c);
}

/* The record as the store has it now, or NULL. */
static struct record *
read_current(struct app *app, const struct form_view *fv)
{
	struct store_txn *txn = NULL;
	struct record *cur = NULL;
	struct error err = ERROR_INIT;

	if (store_txn_begin(app->store, false, &txn, &err) == 0)
		store_get(txn, fv->form, record_id(fv->rec), &cur, &err);
	store_txn_abort(txn);
	if (cur != NULL)
		store_mask_record(app->store, cur);	/* as the form first showed it */
	error_clear(&err);
	return cur;
}

/* The update with the private values the form showed as 〔不公开〕 and left alone taken from
 * the store, so a reader who may not see them can still save the other fields; the form keeps
 * showing the mark. */
static int
update_unmasked(struct store_txn *txn, struct record *rec, struct error *err)
{
	struct record *whole = record_copy(rec);
	int rc = store_unmask_record(txn, whole, err);

	if (rc == 0 && (rc = store_update(txn, whole, err)) == 0)
		rec->version = whole->version;
	record_free(whole);
	return rc;
}

/* One write transaction and its audit commit: an update, or the insert of a new record; a
 * reason (or NULL) goes to the commit's Reason trailer. */
static int
write_record(struct app *app, struct form_view *fv, const char *reason, struct error *err)
{
	struct store_txn *txn = NULL;
	bool is_new = fv->base->version == 0;
	int rc = store_txn_begin(app->store, true, &txn, err);

	if (rc == 0)
		rc = is_new ? store_insert(txn, fv->rec, err) : update_unmasked(txn, fv->rec, err);
	if (rc == 0) {
		store_txn_describe(txn, is_new ? "record.create" : "record.update", NULL, NULL);
		if (reason != NULL)
			store_txn_add_trailer(txn, "Reason", reason);
		rc = store_txn_commit(txn, err);
		txn = NULL;
	}
	store_txn_abort(txn);
	if (rc != 0 && is_new && !store_txn_stored(app->store))
		record_set_raw(fv->rec, 0, "");	/* the id it was given died with the transaction */
	return rc;
}

static void save(struct app *app, struct form_view *fv);

/* Refused: a conflict when the store's version moved on since the form was read. */
static void
after_refusal(struct app *app, struct form_view *fv, struct error *err)
{
	struct record *theirs = fv->base->version > 0 ? read_current(app, fv) : NULL, *merged;

	if (theirs == NULL || theirs->version == fv->rec->version) {
		app_message(app, true, "%s", err->message);
		record_free(theirs);
		return;
	}
	if (form_resolve_conflict(app, fv->base, fv->rec, theirs, &merged) == 1) {
		record_free(fv->rec);
		record_free(fv->base);
		fv->rec = merged;
		fv->base = theirs;
		edit_set(&fv->edit, fv->rec->values[fv->cur]);
		save(app, fv);
		return;
	}
	app_message(app, true, _("not saved: %s changed meanwhile (now version %" PRIu64 "); save again to choose"),
	    record_id(fv->rec), theirs->version);
	record_free(theirs);
}

/* Why a field marked "reason" changed, asked when one did (a new record is no change);
 * *reason NULL when none was needed. -1: none was given, nothing is saved. */
static int
save_reason(struct app *app, const struct form_view *fv, char **reason)
{
	char *fields = fv->base->version > 0 ? reason_fields_changed(fv->base, fv->rec) : NULL;
	int rc = fields != NULL ? reason_ask(app, fields, reason) : 0;

	free(fields);
	return rc;
}

static void
save(struct app *app, struct form_view *fv)
{
	struct error err = ERROR_INIT;
	char *reason = NULL;

	if (accept_field(app, fv) != 0)
		return;
	if (!form_changed(fv) && fv->base->version > 0) {
		app_message(app, false, _("nothing to save: %s is as it was"), record_id(fv->rec));
		return;
	}
	if (record_check_required(fv->rec, &err) == 0 && save_reason(app, fv, &reason) != 0)
		return;		/* the message says why; the form keeps what was typed */
	if (err.message == NULL && write_record(app, fv, reason, &err) == 0) {
		record_free(fv->base);
		fv->base = record_copy(fv->rec);
		free(fv->title);
		fv->title = xasprintf("%s %s", form_label(fv->form), record_id(fv->rec));
		edit_set(&fv->edit, fv->rec->values[fv->cur]);
		app_message(app, false, _("saved %s (version %" PRIu64 ")%s%s"), record_id(fv->rec),
		    fv->rec->version, store_audit_warning(app->store) != NULL ? "; " : "",
		    store_audit_warning(app->store) != NULL ? store_audit_warning(app->store) : "");
	} else if (err.status == ST_REFUSED)
		after_refusal(app, fv, &err);
	else {
		if (store_txn_stored(app->store)) {	/* stored, not acknowledged: never saved twice */
			record_free(fv->base);
			fv->base = record_copy(fv->rec);
		}
		app_message(app, true, "%s", err.message);
	}
	error_clear(&err);
	free(reason);
}

static int
cancel(struct app *app, struct form_view *fv)
{
	char *q;
	bool leave;

	if (!form_changed(fv))
		return R_BACK;
	q = xasprintf(_("Discard your changes to %s?"), fv->title);
	leave = app_confirm(app, q);
	free(q);
	return leave ? R_BACK : R_DRAW;
}

static bool
is_text_key(int key)
{
	return key >= 0x20 && key != 0x7f && key < KEY_FUNCTION;
}

/* Keys that edit the current field; true when the key was one. */
static bool
edit_key(struct app *app, struct form_view *fv, enum action a, int key)
{
	const struct field *f = form_current_field(fv);
	char mb[8] = { 0 };

	if (is_pick(f) && is_text_key(key)) {
		if (key != ' ' && wctomb(mb, (wchar_t)key) <= 0)
			mb[0] = '\0';
		choose(app, fv, mb);
	} else if (!is_typed(f))
		return false;
	else if (is_text_key(key)) {
		if (wctomb(mb, (wchar_t)key) > 0)
			edit_insert(&fv->edit, mb);
	} else if (key == 127 || key == 8 || key == (KEY_FUNCTION | KEY_BACKSPACE))
		edit_backspace(&fv->edit);
	else if (key == (KEY_FUNCTION | KEY_DC))
		edit_delete(&fv->edit);
	else if (f->kind == FT_LONGTEXT && (key == '\r' || key == '\n') && a != ACT_SAVE)
		edit_insert(&fv->edit, "\n");
	else if (a == ACT_LEFT)
		edit_left(&fv->edit);
	else if (a == ACT_RIGHT)
		edit_right(&fv->edit);
	else if (a == ACT_FIRST)
		edit_home(&fv->edit);
	else if (a == ACT_LAST)
		edit_end(&fv->edit);
	else
		return false;
	return true;
}

static void
open_history(struct app *app, struct form_view *fv)
{
	if (fv->base->version == 0)
		app_message(app, true, _("a new record has no history until it is saved"));
	else {
		fv->related.stale = true;	/* an undo there changes the record: read again on return */
		app_push(app, view_history_new(app, fv->form, record_id(fv->rec)));
	}
}

/* Whether a key would change the record: typing, choosing, saving, moving. */
static bool
changes_record(const struct form_view *fv, enum action a, int key)
{
	const struct field *f = form_current_field(fv);

	if (fv->in_related)
		return false;
	if (a == ACT_OPEN)	/* Enter on a reference opens it, elsewhere goes on */
		return false;
	return is_text_key(key) || a == ACT_MOVE || key == 127 || key == 8 || key == (KEY_FUNCTION | KEY_BACKSPACE) ||
	    key == (KEY_FUNCTION | KEY_DC) || a == ACT_SAVE ||
	    (f->kind == FT_LONGTEXT && (key == '\r' || key == '\n')) ||
	    (is_pick(f) && (a == ACT_LEFT || a == ACT_RIGHT));
}

/* Enter: a reference's record opens, the state field offers the moves; elsewhere the next
 * field, as Tab. */
static void
open_or_next(struct app *app, struct form_view *fv)
{
	if (form_is_state_field(app, fv, fv->cur))
		form_move(app, fv);
	else if (!form_open_ref(app, fv))
		go_field(app, fv, 1);
}

static int
form_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct form_view *fv = v->data;
	long page = form_rows(app) - 1;

	if (fv->read_only != NULL && changes_record(fv, a, key)) {
		app_message(app, true, _("read only: %s"), fv->read_only);
		return R_DRAW;
	}
	if (fv->in_related) {
		int r = related_handle(app, fv, a);

		if (!(r & R_UNHANDLED))
			return r;
	} else if (edit_key(app, fv, a, key))
		return R_DRAW;
	switch (a) {
	case ACT_NEXT_FIELD: case ACT_DOWN:	go_field(app, fv, 1); break;
	case ACT_PREV_FIELD: case ACT_UP:	go_field(app, fv, -1); break;
	case ACT_PAGE_DOWN:	go_field(app, fv, page); break;
	case ACT_PAGE_UP:	go_field(app, fv, -page); break;
	case ACT_FIRST:		go_field(app, fv, -(long)fv->form->n_fields); break;
	case ACT_LAST:		go_field(app, fv, (long)fv->form->n_fields); break;
	case ACT_LEFT:		step_choice(app, fv, -1); break;
	case ACT_RIGHT:		step_choice(app, fv, 1); break;
	case ACT_OPEN:		open_or_next(app, fv); break;
	case ACT_MOVE:		form_move(app, fv); break;
	case ACT_SAVE:		save(app, fv); break;
	case ACT_HISTORY:	open_history(app, fv); break;
	case ACT_CANCEL: case ACT_BACK:
		return cancel(app, fv);
	default:
		return R_UNHANDLED;
	}
	return R_DRAW;
}

static const char *
form_title(struct view *v)
{
	struct form_view *fv = v->data;

	return fv->title;
}

static void
form_destroy(struct view *v)
{
	struct form_view *fv = v->data;

	record_free(fv->base);
	record_free(fv->rec);
	edit_free(&fv->edit);
	free(fv->title);
	free(fv->read_only);
	related_free(&fv->related);
	free(fv);
}

void
form_reload(struct app *app, struct form_view *fv)
{
	struct record *now = read_current(app, fv);

	if (now == NULL)
		return;
	record_free(fv->rec);
	record_free(fv->base);
	fv->rec = now;
	fv->base = record_copy(now);
	edit_set(&fv->edit, fv->rec->values[fv->cur]);
	related_load(app, fv);
}

static const struct view_ops form_ops = {
	VIEW_CONTEXT(form), form_draw, form_handle, form_destroy, form_title,
};

struct view *
view_form_new(struct app *app, const struct form *form, const char *id, struct error *err)
{
	struct form_view *fv = xcalloc(1, sizeof *fv);
	struct store_txn *txn = NULL;
	struct view *v;

	fv->form = form;
	if (id == NULL)
		fv->rec = record_new(form);
	else if (store_txn_begin(app->store, false, &txn, err) != 0 ||
	    store_get(txn, form, id, &fv->rec, err) != 0) {
		store_txn_abort(txn);
		free(fv);
		return NULL;
	}
	store_txn_abort(txn);
	if (id != NULL && store_may_write(app->store, fv->rec, fv->rec, err) != 0) {
		fv->read_only = xstrdup(err->message);	/* opened to read; the note says why */
		app_message(app, false, _("read only: %s"), fv->read_only);
		error_clear(err);
	}
	/* Private values the reader may not see show as 〔不公开〕; a save that would write the
	 * mark is refused by the store. */
	store_mask_record(app->store, fv->rec);
	fv->base = record_copy(fv->rec);
	fv->title = id != NULL ? xasprintf("%s %s", form_label(form), id) :
	    xasprintf(_("new %s"), form_label(form));
	enter_field(fv, form->n_fields > 1 ? 1 : 0);
	if (id != NULL)
		related_load(app, fv);
	v = xcalloc(1, sizeof *v);
	v->ops = &form_ops;
	v->data = fv;
	return v;
}
