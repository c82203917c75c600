/*
 * form-choices.c — what a pick field of a record's form offers: an enum's options, yes and
 * no, the districts or the streets of the district chosen, or every record a reference may
 * name, each shown with the values a person recognises it by.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/form-private.h"

#define REF_LABEL_COLUMNS 4	/* values shown after a referred record's id */

static void
add_choice(struct form_choices *c, const char *value, char *label_owned)
{
	c->items = xrealloc(c->items, (c->n + 1) * sizeof *c->items);
	c->owned = xrealloc(c->owned, (c->n_owned + 1) * sizeof *c->owned);
	c->owned[c->n_owned++] = label_owned;
	c->items[c->n].value = value;
	c->items[c->n++].label = label_owned;
}

static void
add_division_choices(struct app *app, struct form_view *fv, const struct field *f,
    struct form_choices *c)
{
	const char *parent = NULL;
	int within = f->within != NULL ? form_field_index(fv->form, f->within) : -1;

	if (within >= 0 && *fv->rec->values[within] != '\0')
		parent = fv->rec->values[within];
	for (size_t i = 0; i < store_division_count(app->store, f->level); i++) {
		const struct division *d = store_division_at(app->store, f->level, i);

		if (parent == NULL || str_eq(d->parent, parent))
			add_choice(c, d->code, xasprintf("%s  %s", d->name, d->code));
	}
}

/* What a pick list shows of a record referred to: its id and the values of its form's first
 * few table columns (a person's login, name, role and district), which typing narrows by. */
char *
ref_choice_label(struct app *app, const struct form *ref, const char *id,
    const struct record *r)
{
	struct buf label = BUF_INIT;
	int shown = 0;

	buf_adds(&label, id);
	for (size_t k = 1; r != NULL && k < ref->n_fields && shown < REF_LABEL_COLUMNS; k++) {
		const struct field *f = &ref->fields[k];

		if (f->column > 0 && r->values[k][0] != '\0') {
			buf_printf(&label, "  %s", value_text(app, f, r->values[k]));
			shown++;
		}
	}
	return buf_detach(&label);
}

/* A reference: every record of the other form. */
static void
add_ref_choices(struct app *app, const struct field *f, struct form_choices *c)
{
	const struct form *ref = formset_find(store_forms(app->store), f->ref_form);
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	char **ids = NULL;
	size_t n = 0;

	if (ref == NULL || store_txn_begin(app->store, false, &txn, &err) != 0 ||
	    store_list_ids(txn, ref, &ids, &n, &err) != 0) {
		store_txn_abort(txn);
		app_message(app, true, "%s", err.message != NULL ? err.message : f->ref_form);
		error_clear(&err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct record *r = NULL;

		if (store_get(txn, ref, ids[i], &r, &err) != 0)
			error_clear(&err);
		c->owned = xrealloc(c->owned, (c->n_owned + 1) * sizeof *c->owned);
		c->owned[c->n_owned++] = ids[i];
		add_choice(c, ids[i], ref_choice_label(app, ref, ids[i], r));
		record_free(r);
	}
	free(ids);
	store_txn_abort(txn);
}

void
form_choices_make(struct app *app, struct form_view *fv, const struct field *f, struct form_choices *c)
{
	memset(c, 0, sizeof *c);
	if (!f->required)
		add_choice(c, "", xstrdup(_("(empty)")));
	if (f->kind == FT_ENUM)
		for (size_t i = 0; i < f->n_options; i++)
			add_choice(c, f->options[i].value, xstrdup(field_option_label(f, f->options[i].value)));
	else if (f->kind == FT_BOOL) {
		add_choice(c, "yes", xstrdup(field_display(f, "yes")));
		add_choice(c, "no", xstrdup(field_display(f, "no")));
	} else if (f->kind == FT_DIVISION)
		add_division_choices(app, fv, f, c);
	else if (f->kind == FT_REF)
		add_ref_choices(app, f, c);
}

void
form_choices_free(struct form_choices *c)
{
	for (size_t i = 0; i < c->n_owned; i++)
		free(c->owned[i]);
	free(c->owned);
	free(c->items);
}

size_t
form_choices_index(const struct form_choices *c, const char *value)
{
	for (size_t i = 0; i < c->n; i++)
		if (str_eq(c->items[i].value, value))
			return i;
	return c->n;
}

char *
ref_value_text(struct app *app, const struct field *f, const char *id)
{
	const struct form *ref = formset_find(store_forms(app->store), f->ref_form);
	struct store_txn *txn = NULL;
	struct record *r = NULL;
	struct error err = ERROR_INIT;
	char *text;

	if (ref != NULL && store_txn_begin(app->store, false, &txn, &err) == 0)
		store_get(txn, ref, id, &r, &err);
	store_txn_abort(txn);
	error_clear(&err);
	text = ref != NULL ? ref_choice_label(app, ref, id, r) : xstrdup(id);
	record_free(r);
	return text;
}
