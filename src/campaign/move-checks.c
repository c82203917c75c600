/*
 * move-checks.c — the named checks a move of a states file may require ("check NAME"): a
 * table of {name, what it checks, what it needs of the forms}. A name not in the table is
 * refused when the casework is loaded (move_validate), never when a person moves.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/move-private.h"

#define ORDER_FORM "rectification"
#define CHECK_FIELD "check"

struct named_check {
	const char *name;
	int (*run)(struct move_ctx *ctx, const struct machine *m, const struct record *rec,
	    struct error *err);
	/* What the check needs of machine m's form and the others; a sentence when missing. */
	const char *(*needs)(const struct casework *cw, const struct machine *m,
	    const struct formset *forms);
};

/* The check enum of the orders: its options name the checklist's fields. */
static const struct field *
order_check_field(const struct formset *forms)
{
	const struct form *orders = formset_find(forms, ORDER_FORM);
	const struct field *f = orders != NULL ? form_field(orders, CHECK_FIELD) : NULL;

	return f != NULL && f->kind == FT_ENUM ? f : NULL;
}

static int
checklist_complete(struct move_ctx *ctx, const struct machine *m, const struct record *rec,
    struct error *err)
{
	const struct field *checks = order_check_field(store_forms(ctx->store));
	struct buf left = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; checks != NULL && i < checks->n_options; i++) {
		const struct field *f = form_field(m->form, checks->options[i].value);

		if (f != NULL && *record_get(rec, f->name) == '\0')
			buf_printf(&left, "%s%s", left.len > 0 ? lang_pick("、", ", ") : "",
			    field_label(f));
	}
	if (left.len > 0)
		rc = error_set(err, ST_REFUSED, _("the checklist is not complete: %s not decided (pass, fail or n/a)"),
		    buf_str(&left));
	buf_free(&left);
	return rc;
}

static const char *
checklist_needs(const struct casework *cw, const struct machine *m, const struct formset *forms)
{
	const struct field *checks = order_check_field(forms);

	(void)cw;
	for (size_t i = 0; checks != NULL && i < checks->n_options; i++)
		if (form_field(m->form, checks->options[i].value) != NULL)
			return NULL;
	return _("form rectification's field 'check' names no field of this form");
}

/* The indexed ref field of the orders that names a record of form (institution …). */
static const struct field *
order_ref_to(const struct formset *forms, const struct form *form)
{
	const struct form *orders = formset_find(forms, ORDER_FORM);

	for (size_t i = 0; orders != NULL && i < orders->n_fields; i++) {
		const struct field *f = &orders->fields[i];

		if (f->kind == FT_REF && f->indexed && str_eq(f->ref_form, form->name))
			return f;
	}
	return NULL;
}

struct order_ids {
	char **ids;
	size_t n;
};

static void
collect_id(void *arg, const char *id, size_t len)
{
	struct order_ids *o = arg;
	char *copy = xstrndup(id, len);

	move_list_add(&o->ids, &o->n, copy);
	free(copy);
}

/* Appends to open the ids of orders that are not in a final state. */
static int
list_open_orders(struct move_ctx *ctx, const struct order_ids *all, struct buf *open,
    struct error *err)
{
	const struct form *orders = formset_find(store_forms(ctx->store), ORDER_FORM);
	const struct machine *om = casework_machine(ctx->cw, orders);

	for (size_t i = 0; i < all->n; i++) {
		struct record *o;
		const struct machine_state *s;

		if (store_get(ctx->txn, orders, all->ids[i], &o, err) != 0)
			return -1;
		s = om != NULL ? machine_state(om, o->values[om->field]) : NULL;
		if (s == NULL || !s->final)
			buf_printf(open, "%s%s", open->len > 0 ? ", " : "", all->ids[i]);
		record_free(o);
	}
	return 0;
}

static int
no_open_orders(struct move_ctx *ctx, const struct machine *m, const struct record *rec,
    struct error *err)
{
	const struct formset *forms = store_forms(ctx->store);
	const struct field *ref = order_ref_to(forms, m->form);
	struct order_ids all = { NULL, 0 };
	struct buf open = BUF_INIT;
	int rc = store_each_by(ctx->txn, formset_find(forms, ORDER_FORM), ref->name,
	    record_id(rec), collect_id, &all, err);

	if (rc == 0)
		rc = list_open_orders(ctx, &all, &open, err);
	if (rc == 0 && open.len > 0)
		rc = error_set(err, ST_REFUSED, _("%s still has rectification orders not verified: %s"),
		    record_id(rec), buf_str(&open));
	strv_free(all.ids);
	buf_free(&open);
	return rc;
}

static const char *
no_open_orders_needs(const struct casework *cw, const struct machine *m,
    const struct formset *forms)
{
	if (order_ref_to(forms, m->form) == NULL)
		return _("form rectification has no indexed ref field to this form");
	if (casework_machine(cw, formset_find(forms, ORDER_FORM)) == NULL)
		return _("rectification orders have no states file");
	return NULL;
}

static const struct named_check checks[] = {
	{ "checklist-complete", checklist_complete, checklist_needs },
	{ "no-open-orders", no_open_orders, no_open_orders_needs },
	{ "supervisor-named", check_supervisor_named, supervisor_named_needs },
};

static const struct named_check *
check_find(const char *name)
{
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
		if (str_eq(checks[i].name, name))
			return &checks[i];
	return NULL;
}

int
move_check_run(struct move_ctx *ctx, const struct machine *m, const char *name,
    const struct record *rec, struct error *err)
{
	const struct named_check *c = check_find(name);

	if (c == NULL)	/* move_validate refused it at load */
		return error_set(err, ST_FAILED, _("%s: unknown check '%s'"), m->path, name);
	return c->run(ctx, m, rec, err);
}

int
move_check_validate(const struct casework *cw, const struct machine *m,
    const struct machine_guard *g, const struct formset *forms, struct error *err)
{
	const struct named_check *c = check_find(g->arg);
	const char *why;

	if (c == NULL)
		return error_set(err, ST_FAILED, _("%s:%d: unknown check '%s' (known: %s)"), m->path,
		    g->line, g->arg, "checklist-complete, no-open-orders, supervisor-named");
	if ((why = c->needs(cw, m, forms)) != NULL)
		return error_set(err, ST_FAILED, _("%s:%d: check '%s': %s"), m->path, g->line,
		    g->arg, why);
	return 0;
}
