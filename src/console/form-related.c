/*
 * form-related.c — a record's related records, below its form: the records of every form
 * with an indexed reference to this record's form that names it (an institution's inspections
 * and orders, a person's …), found from the forms, never from a list in code. Enter opens one
 * on top; Esc comes back. A reference field's Enter opens the record it names the same way.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/form-private.h"

#define RELATED_ROWS 6		/* rows of records shown at once, below the heading */
#define LABEL_COLUMNS 14	/* the widest form label kept in a row */
#define OTHER_VALUES 3		/* values shown of a record whose form has no states */

void
related_free(struct related *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->rows[i].id);
		free(r->rows[i].text);
	}
	free(r->rows);
	r->rows = NULL;
	r->n = 0;
}

/* The ids of one form and field naming the record: the first cap kept, all counted. */
struct found {
	char **ids;
	size_t n, total, cap;
};

static void
collect_id(void *arg, const char *id, size_t len)
{
	struct found *f = arg;

	if (f->n < f->cap) {
		f->ids = xrealloc(f->ids, (f->n + 1) * sizeof *f->ids);
		f->ids[f->n++] = xstrndup(id, len);
	}
	f->total++;
}

/* s, then blanks up to width display columns (s cut to fit). */
static void
add_column(struct buf *b, const char *s, int width)
{
	size_t used, n = width_fit_bytes(s, (size_t)width, &used);

	buf_add(b, s, n);
	for (size_t i = used; i < (size_t)width; i++)
		buf_addc(b, ' ');
	buf_addc(b, ' ');
}

/* A record of a form with states: its date or deadline, its state and whether overdue. */
static void
describe_casework(struct app *app, const struct machine *m, const struct record *rec,
    struct buf *b, bool *overdue)
{
	const struct field *state = &m->form->fields[m->field];
	char today[11];

	clock_format_date(clock_today(), today);
	add_column(b, m->deadline_field >= 0 ? rec->values[m->deadline_field] : "", 10);
	add_column(b, value_text(app, state, rec->values[m->field]), 8);
	*overdue = machine_overdue(m, rec, today);
	if (*overdue)
		buf_adds(b, _("OVERDUE"));
}

/* A record of a form without states: the values of its first table columns. */
static void
describe_other(struct app *app, const struct record *rec, struct buf *b)
{
	const struct form *form = rec->form;
	int shown = 0;

	for (size_t k = 1; k < form->n_fields && shown < OTHER_VALUES; k++) {
		const struct field *f = &form->fields[k];

		if (f->column > 0 && f->kind != FT_REF && *rec->values[k] != '\0') {
			buf_printf(b, "%s  ", value_text(app, f, rec->values[k]));
			shown++;
		}
	}
}

static void
add_row(struct related *r, const struct form *form, const struct field *ref, char *id,
    char *text, bool overdue)
{
	r->rows = xrealloc(r->rows, (r->n + 1) * sizeof *r->rows);
	r->rows[r->n++] = (struct related_row){ form, ref, id, text, overdue };
}

/* The label a row of that form and field starts with: the form's, and the field's when the
 * form names this record's form through more than one field. */
static bool names_form(const struct field *f, const struct form *target);

static char *
group_label(const struct form *form, const struct field *ref, const struct form *target)
{
	size_t refs = 0;

	for (size_t k = 0; k < form->n_fields; k++)
		if (names_form(&form->fields[k], target))
			refs++;
	return refs > 1 ? xasprintf("%s/%s", form_label(form), field_label(ref)) :
	    xstrdup(form_label(form));
}

static void
add_found(struct app *app, struct form_view *fv, struct store_txn *txn, const struct form *form,
    const struct field *ref, struct found *found, int label_w)
{
	const struct machine *m = casework_machine(app_casework(app), form);
	char *label = group_label(form, ref, fv->form);

	for (size_t i = 0; i < found->n; i++) {
		struct buf text = BUF_INIT;
		struct record *rec = NULL;
		struct error err = ERROR_INIT;
		bool overdue = false;

		add_column(&text, label, label_w);
		add_column(&text, found->ids[i], 18);
		if (store_get(txn, form, found->ids[i], &rec, &err) == 0) {
			store_mask_record(app->store, rec);
			if (m != NULL)
				describe_casework(app, m, rec, &text, &overdue);
			else
				describe_other(app, rec, &text);
		}
		error_clear(&err);
		record_free(rec);
		add_row(&fv->related, form, ref, found->ids[i], buf_detach(&text), overdue);
	}
	if (found->total > found->n)
		add_row(&fv->related, form, ref, NULL,
		    xasprintf(_("%s: ... and %zu more (Enter lists them all)"), label,
		    found->total - found->n), false);
	free(found->ids);
	free(label);
}

/* The records of form whose field ref names this record, a screenful at most. */
static int
find_related(struct app *app, struct form_view *fv, struct store_txn *txn,
    const struct form *form, const struct field *ref, int label_w, struct error *err)
{
	struct found found = { NULL, 0, 0, (size_t)(app->lines > 8 ? app->lines - 4 : 4) };

	if (store_each_by(txn, form, ref->name, record_id(fv->rec), collect_id, &found, err) != 0) {
		for (size_t i = 0; i < found.n; i++)
			free(found.ids[i]);
		free(found.ids);
		return -1;
	}
	add_found(app, fv, txn, form, ref, &found, label_w);
	return 0;
}

static bool
names_form(const struct field *f, const struct form *target)
{
	return f->kind == FT_REF && f->indexed && str_eq(f->ref_form, target->name);
}

/* The widest label the rows start with, so their ids line up. */
static int
labels_width(const struct formset *forms, const struct form *target)
{
	int w = 0;

	for (size_t i = 0; i < forms->n; i++)
		for (size_t k = 0; k < forms->forms[i]->n_fields; k++)
			if (names_form(&forms->forms[i]->fields[k], target)) {
				char *label = group_label(forms->forms[i], &forms->forms[i]->fields[k],
				    target);
				int lw = (int)width_of(label);

				w = lw > w ? lw : w;
				free(label);
			}
	return w > LABEL_COLUMNS ? LABEL_COLUMNS : w;
}

void
related_load(struct app *app, struct form_view *fv)
{
	const struct formset *forms = store_forms(app->store);
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	int rc, label_w = labels_width(forms, fv->form);

	related_free(&fv->related);
	fv->related.stale = false;
	if (*record_id(fv->rec) == '\0')
		return;
	rc = store_txn_begin(app->store, false, &txn, &err);
	for (size_t i = 0; rc == 0 && i < forms->n; i++) {
		const struct form *form = forms->forms[i];

		for (size_t k = 0; rc == 0 && k < form->n_fields; k++) {
			const struct field *f = &form->fields[k];

			if (names_form(f, fv->form))
				rc = find_related(app, fv, txn, form, f, label_w, &err);
		}
	}
	store_txn_abort(txn);
	if (rc != 0)
		app_message(app, true, "%s", err.message);
	error_clear(&err);
	if (fv->related.n == 0)
		fv->in_related = false;
	list_fit(&fv->related.list, fv->related.n, RELATED_ROWS);
}

int
related_rows(struct app *app, const struct form_view *fv)
{
	(void)app;
	if (fv->related.n == 0)
		return 0;
	return 1 + (fv->related.n < RELATED_ROWS ? (int)fv->related.n : RELATED_ROWS);
}

/* "Related records: 检查 2, 整改 3", from the rows. */
static char *
related_heading(const struct related *r)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s:", _("Related records"));
	for (size_t i = 0; i < r->n; ) {
		size_t j = i, n = 0;

		for (; j < r->n && r->rows[j].form == r->rows[i].form && r->rows[j].ref == r->rows[i].ref; j++)
			n += r->rows[j].id != NULL;
		buf_printf(&b, " %s %zu%s", form_label(r->rows[i].form), n, j < r->n ? "," : "");
		i = j;
	}
	return buf_detach(&b);
}

void
related_draw(struct app *app, struct form_view *fv, int y, int rows)
{
	struct related *r = &fv->related;
	char *heading = related_heading(r);

	draw_heading(app, y, heading);
	free(heading);
	list_fit(&r->list, r->n, rows - 1);
	for (int k = 1; k < rows; k++) {
		size_t i = r->list.top + (size_t)(k - 1);
		bool current = fv->in_related && i == r->list.cursor;
		attr_t at = current ? (app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE) :
		    i < r->n && r->rows[i].overdue ? (app->colors ? COLOR_PAIR(PAIR_ERROR) : A_BOLD) : 0;

		move(y + k, 0);
		clrtoeol();
		if (i >= r->n)
			continue;
		if (current)
			mvaddstr(y + k, 0, ">");
		attron(at);
		draw_text(stdscr, y + k, 2, app->cols - 3, r->rows[i].text, true);
		attroff(at);
	}
}

/* The record of the row under the cursor on top; a "more" line lists them all in a table. */
static void
open_row(struct app *app, struct form_view *fv)
{
	const struct related_row *row = &fv->related.rows[fv->related.list.cursor];
	struct error err = ERROR_INIT;
	struct view *v;
	char *limit = NULL;

	if (row->id != NULL)
		v = view_form_new(app, row->form, row->id, &err);
	else {
		limit = xasprintf("%s=%s", row->ref->name, record_id(fv->rec));
		v = view_table_new_limited(app, row->form, limit, &err);
	}
	if (v != NULL) {
		app_push(app, v);
		fv->related.stale = true;	/* it may change there: read again on return */
	} else
		app_message(app, true, "%s", err.message);
	free(limit);
	error_clear(&err);
}

int
related_handle(struct app *app, struct form_view *fv, enum action a)
{
	struct related *r = &fv->related;

	switch (a) {
	case ACT_UP: case ACT_PREV_FIELD:
		if (r->list.cursor == 0)
			fv->in_related = false;	/* back to the last field */
		else
			list_move(&r->list, r->n, RELATED_ROWS, -1);
		break;
	case ACT_DOWN: case ACT_NEXT_FIELD:
		list_move(&r->list, r->n, RELATED_ROWS, 1);
		break;
	case ACT_PAGE_UP: case ACT_PAGE_DOWN: case ACT_FIRST: case ACT_LAST:
		list_action(&r->list, r->n, RELATED_ROWS, a);
		break;
	case ACT_OPEN:
		if (r->n > 0)
			open_row(app, fv);
		break;
	case ACT_LEFT: case ACT_RIGHT:
		break;
	default:
		return R_UNHANDLED;
	}
	return R_DRAW;
}

bool
form_open_ref(struct app *app, struct form_view *fv)
{
	const struct field *f = form_current_field(fv);
	const char *id = fv->rec->values[fv->cur];
	const struct form *ref;
	struct error err = ERROR_INIT;
	struct view *v;

	if (f->kind != FT_REF || *id == '\0' ||
	    (ref = formset_find(store_forms(app->store), f->ref_form)) == NULL)
		return false;
	if ((v = view_form_new(app, ref, id, &err)) != NULL) {
		app_push(app, v);
		fv->related.stale = true;
	} else
		app_message(app, true, "%s", err.message);
	error_clear(&err);
	return true;
}
