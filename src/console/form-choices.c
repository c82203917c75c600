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
	if (f->kind == FT_SET)
		return;	/* several at once: form_pick_set, not one choice */
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

/* The set's options, each marked [x] when chosen, after a first line that takes the marks. */
static struct pick_item *
set_items(const struct field *f, const bool *chosen, char **labels)
{
	struct pick_item *items = xcalloc(f->n_options + 1, sizeof *items);

	items[0].value = "";
	items[0].label = labels[0];
	for (size_t i = 0; i < f->n_options; i++) {
		free(labels[i + 1]);
		labels[i + 1] = xasprintf("[%c] %s", chosen[i] ? 'x' : ' ',
		    field_option_label(f, f->options[i].value));
		items[i + 1].value = f->options[i].value;
		items[i + 1].label = labels[i + 1];
	}
	return items;
}

/* The chosen options as a set's value, in option order (caller frees). */
static char *
set_value(const struct field *f, const bool *chosen)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < f->n_options; i++)
		if (chosen[i])
			buf_printf(&b, "%s%s", b.len > 0 ? "," : "", f->options[i].value);
	return buf_detach(&b);
}

int
form_pick_set(struct app *app, const struct field *f, const char *value, const char *typed,
    char **out)
{
	bool *chosen = xcalloc(f->n_options + 1, sizeof *chosen);
	char **labels = xcalloc(f->n_options + 2, sizeof *labels);
	size_t current = 1;
	int i;

	for (size_t k = 0; k < f->n_options; k++)
		chosen[k] = field_set_has(value, f->options[k].value);
	labels[0] = xstrdup(_("(done: take the marked ones)"));
	for (;;) {
		struct pick_item *items = set_items(f, chosen, labels);

		i = app_pick(app, field_label(f), items, f->n_options + 1, typed, current);
		free(items);
		typed = NULL;
		if (i <= 0)
			break;
		chosen[i - 1] = !chosen[i - 1];
		current = (size_t)i;
		app_draw(app);	/* the screen under the list, before the list again */
	}
	*out = i == 0 ? set_value(f, chosen) : NULL;
	strv_free(labels);
	free(chosen);
	return i == 0 ? 0 : -1;
}
