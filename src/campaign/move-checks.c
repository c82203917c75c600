/*
 * move-checks.c — the named checks a move of a states file may require ("check NAME"): a
 * table of {name, what it checks, what it needs of the forms}. A name not in the table is
 * refused when the casework is loaded (move_validate), never when a person moves. The
 * determination checks decide a filing's review (filing.states).
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

int
move_check_when(const struct machine *m, const char *words, const struct machine_guard *g,
    const struct record *rec, struct error *err)
{
	const struct field *f = form_field(m->form, g->arg);
	const char *now = record_get(rec, g->arg);
	struct buf wanted = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; g->values[i] != NULL; i++)
		if (str_eq(g->values[i], now))
			return 0;
	for (size_t i = 0; g->values[i] != NULL; i++)
		buf_printf(&wanted, "%s%s", i > 0 ? lang_pick("或", " or ") : "",
		    field_display(f, g->values[i]));
	rc = error_set(err, ST_REFUSED, _("%s only when %s (%s) is %s: %s is %s"), words,
	    field_label(f), f->name, buf_str(&wanted), record_id(rec),
	    *now != '\0' ? field_display(f, now) : _("(empty)"));
	buf_free(&wanted);
	return rc;
}

#define LEDGER_FORM "enforcement"
#define LEDGER_ACTIONS "actions"
#define LEDGER_SEALED "sealed"

/* The ledger's indexed ref field that names records of form (its target), or NULL. */
static const struct field *
ledger_ref_to(const struct formset *forms, const struct form *form)
{
	const struct form *ledger = formset_find(forms, LEDGER_FORM);
	const struct field *actions = ledger != NULL ? form_field(ledger, LEDGER_ACTIONS) : NULL;

	if (actions == NULL || actions->kind != FT_SET || field_option(actions, LEDGER_SEALED) == NULL)
		return NULL;
	for (size_t i = 0; i < ledger->n_fields; i++) {
		const struct field *f = &ledger->fields[i];

		if (f->kind == FT_REF && f->indexed && str_eq(f->ref_form, form->name))
			return f;
	}
	return NULL;
}

/* A ledger entry whose actions include sealed names the record. */
static int
sealed_by_ledger(struct move_ctx *ctx, const struct machine *m, const struct record *rec,
    struct error *err)
{
	const struct formset *forms = store_forms(ctx->store);
	const struct form *ledger = formset_find(forms, LEDGER_FORM);
	struct order_ids all = { NULL, 0 };
	bool sealed = false;
	int rc = store_each_by(ctx->txn, ledger, ledger_ref_to(forms, m->form)->name,
	    record_id(rec), collect_id, &all, err);

	for (size_t i = 0; rc == 0 && !sealed && i < all.n; i++) {
		struct record *e = NULL;

		if ((rc = store_get(ctx->txn, ledger, all.ids[i], &e, err)) == 0)
			sealed = field_set_has(record_get(e, LEDGER_ACTIONS), LEDGER_SEALED);
		record_free(e);
	}
	strv_free(all.ids);
	if (rc == 0 && !sealed)
		rc = error_set(err, ST_REFUSED, _("no entry of the enforcement ledger records %s as "
		    "sealed (查封): record the operation first"), record_id(rec));
	return rc;
}

static const char *
sealed_by_ledger_needs(const struct casework *cw, const struct machine *m,
    const struct formset *forms)
{
	(void)cw;
	if (ledger_ref_to(forms, m->form) == NULL)
		return _("form enforcement needs a set field 'actions' with the option 'sealed' and an "
		    "indexed ref field to this form");
	return NULL;
}

/* What a case (case.form) of each kind must record before it is decided. */
static const struct {
	const char *kind;
	const char *fields[4];
} case_needs[] = {
	{ "moonlighting", { "teacher", "public_school", "conduct", NULL } },
	{ "advertising", { "medium", "ad_content", NULL } },
};

/* case-complete: the fields the case's kind needs hold something; the refusal names them. */
static int
case_complete(struct move_ctx *ctx, const struct machine *m, const struct record *rec,
    struct error *err)
{
	struct buf left = BUF_INIT;
	int rc = 0;

	(void)ctx;
	for (size_t i = 0; i < sizeof case_needs / sizeof case_needs[0]; i++) {
		if (!str_eq(record_get(rec, "kind"), case_needs[i].kind))
			continue;
		for (size_t j = 0; case_needs[i].fields[j] != NULL; j++) {
			const struct field *f = form_field(m->form, case_needs[i].fields[j]);

			if (f != NULL && *record_get(rec, f->name) == '\0')
				buf_printf(&left, "%s%s", left.len > 0 ? lang_pick("、", ", ") : "",
				    field_label(f));
		}
	}
	if (left.len > 0)
		rc = error_set(err, ST_REFUSED, _("the case is not complete for its kind: %s empty"),
		    buf_str(&left));
	buf_free(&left);
	return rc;
}

static const char *
case_complete_needs(const struct casework *cw, const struct machine *m,
    const struct formset *forms)
{
	const struct field *kind = form_field(m->form, "kind");

	(void)cw;
	(void)forms;
	if (kind == NULL || kind->kind != FT_ENUM)
		return _("the form has no enum field 'kind'");
	for (size_t i = 0; i < sizeof case_needs / sizeof case_needs[0]; i++)
		for (size_t j = 0; case_needs[i].fields[j] != NULL; j++)
			if (form_field(m->form, case_needs[i].fields[j]) == NULL)
				return _("the form lacks a field a kind of case needs");
	return NULL;
}

#define DETERMINATION_FIELD "determination"
#define COMPLIANT "compliant"

/* A filing's review decides it: approved only when compliant (未超前超标), rejected only when
 * it is not (超前, 超标 or both). An empty determination is the "require" guard's refusal. */
static int
check_determination(const struct machine *m, const struct record *rec, bool compliant,
    struct error *err)
{
	const struct field *f = form_field(m->form, DETERMINATION_FIELD);
	const char *v = record_get(rec, DETERMINATION_FIELD);

	if (*v == '\0')
		return error_set(err, ST_REFUSED, _("%s needs %s (%s) first"), record_id(rec),
		    field_label(f), f->name);
	if (compliant && !str_eq(v, COMPLIANT))
		return error_set(err, ST_REFUSED, _("%s is determined %s: it cannot be approved"),
		    record_id(rec), field_option_label(f, v));
	if (!compliant && str_eq(v, COMPLIANT))
		return error_set(err, ST_REFUSED, _("%s is determined %s: a rejection needs %s ahead of or beyond the curriculum"),
		    record_id(rec), field_option_label(f, v), field_label(f));
	return 0;
}

static int
determination_compliant(struct move_ctx *ctx, const struct machine *m, const struct record *rec,
    struct error *err)
{
	(void)ctx;
	return check_determination(m, rec, true, err);
}

static int
determination_not_compliant(struct move_ctx *ctx, const struct machine *m,
    const struct record *rec, struct error *err)
{
	(void)ctx;
	return check_determination(m, rec, false, err);
}

static const char *
determination_needs(const struct casework *cw, const struct machine *m,
    const struct formset *forms)
{
	const struct field *f = form_field(m->form, DETERMINATION_FIELD);

	(void)cw, (void)forms;
	if (f == NULL || f->kind != FT_ENUM || field_option(f, COMPLIANT) == NULL)
		return _("the form needs an enum field 'determination' with the option 'compliant'");
	return NULL;
}

static const struct named_check checks[] = {
	{ "checklist-complete", checklist_complete, checklist_needs },
	{ "no-open-orders", no_open_orders, no_open_orders_needs },
	{ "sealed-by-ledger", sealed_by_ledger, sealed_by_ledger_needs },
	{ "case-complete", case_complete, case_complete_needs },
	{ "determination-compliant", determination_compliant, determination_needs },
	{ "determination-not-compliant", determination_not_compliant, determination_needs },
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

	if (c == NULL) {
		struct buf known = BUF_INIT;

		for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
			buf_adds(&known, i > 0 ? ", " : "");
			buf_adds(&known, checks[i].name);
		}
		buf_addc(&known, '\0');
		error_set(err, ST_FAILED, _("%s:%d: unknown check '%s' (known: %s)"), m->path,
		    g->line, g->arg, known.data);
		buf_free(&known);
		return -1;
	}
	if ((why = c->needs(cw, m, forms)) != NULL)
		return error_set(err, ST_FAILED, _("%s:%d: check '%s': %s"), m->path, g->line,
		    g->arg, why);
	return 0;
}
