/*
 * form-private.h — what the files of a record's form share: the form view itself
 * (view-form.c), the records that refer to it (form-related.c), and the checklist panel and
 * the moves between states (form-move.c).
 */
#ifndef HUITOU_FORM_PRIVATE_H
#define HUITOU_FORM_PRIVATE_H

#include "campaign/casework.h"
#include "console/console-private.h"
#include "console/edit.h"
#include "console/list.h"

/* One line of the related records: a record, or "... and N more" of one form and field. */
struct related_row {
	const struct form *form;	/* the form of the record(s) */
	const struct field *ref;	/* its field that names this record */
	char *id;			/* NULL on a "more" line */
	char *text;			/* what the line shows */
	bool overdue;
};

struct related {
	struct related_row *rows;
	size_t n;
	struct list list;	/* the cursor and top among rows */
	bool stale;		/* read again before the next draw (a view opened from here) */
};

struct form_view {
	const struct form *form;
	struct record *base;	/* as read when opened, or as last saved */
	struct record *rec;	/* with every change accepted so far */
	struct edit edit;	/* what is typed into the current field */
	size_t cur, top;	/* field indexes: the caret's, the first shown */
	char *title;
	char *read_only;	/* why the policy lets this user only read the record, or NULL */
	struct related related;	/* the records whose references name this one */
	bool in_related;	/* the cursor is on the related records, not on a field */
};

/* form-choices.c: the choices of a pick field; strings made there are kept in owned, which
 * form_choices_free frees. */
struct form_choices {
	struct pick_item *items;
	size_t n;
	char **owned;
	size_t n_owned;
};
void form_choices_make(struct app *app, struct form_view *fv, const struct field *f,
    struct form_choices *c);
void form_choices_free(struct form_choices *c);
/* A set field's pick list: Enter marks or unmarks an option and the list stays, its first
 * line takes the marks into *out (caller frees); -1 (Esc) leaves the value as it was. */
int form_pick_set(struct app *app, const struct field *f, const char *value, const char *typed,
    char **out);
size_t form_choices_index(const struct form_choices *c, const char *value);	/* n: none */
/* A referred record as a pick list shows it: its id and its first table columns' values.
 * Caller frees. */
char *ref_choice_label(struct app *app, const struct form *ref, const char *id,
    const struct record *r);
/* The same for the record a reference field names, read now (the id alone when it is gone). */
char *ref_value_text(struct app *app, const struct field *f, const char *id);

/* view-form.c */
const struct field *form_current_field(const struct form_view *fv);
bool form_changed(const struct form_view *fv);
/* The record read again from the store (after a move), the caret kept on its field. */
void form_reload(struct app *app, struct form_view *fv);

/* form-related.c: the records of every form with an indexed reference to this record's. */
void related_load(struct app *app, struct form_view *fv);
void related_free(struct related *r);
/* Rows the panel takes at the bottom of the form (0: none), its heading included. */
int related_rows(struct app *app, const struct form_view *fv);
void related_draw(struct app *app, struct form_view *fv, int y, int rows);
/* A key on the related records; R_* as a view's handler returns. */
int related_handle(struct app *app, struct form_view *fv, enum action a);
/* Opens the record that the current field (a reference) names; false when it is no reference
 * or holds nothing. */
bool form_open_ref(struct app *app, struct form_view *fv);

/* form-move.c: the casework and the checklist, loaded once per console (NULL: none). */
const struct casework *app_casework(struct app *app);
const struct checklist *app_checklist(struct app *app);
/* The check the current field shows (its field or note), or NULL. */
const struct check *form_current_check(struct app *app, const struct form_view *fv);
int checklist_rows(const struct check *c);	/* the panel's height, its heading included */
void checklist_draw(struct app *app, const struct check *c, int y, int rows);
/* The move pick list, a reason when the move needs one, the move, and its outcome on the
 * message line. */
void form_move(struct app *app, struct form_view *fv);
/* Whether field i of the form is its machine's state field, which only a move changes. */
bool form_is_state_field(struct app *app, const struct form_view *fv, size_t i);

/* form-credit.c: an institution's credit tier, its explanation and the funds flag, below
 * the form while the caret is on a credit or funds field (0 rows: not shown). */
int credit_panel_rows(struct app *app, const struct form_view *fv);
void credit_panel_draw(struct app *app, const struct form_view *fv, int y, int rows);

#endif
