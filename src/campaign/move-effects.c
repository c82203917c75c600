/*
 * move-effects.c — what a move does besides changing a state ("effect NAME ARGS…" in a states
 * file): a table of {name, arguments, validation, run}. set and stamp change the moved record;
 * open-orders and verify-order write rectification orders in the move's own transaction.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/move-private.h"

#define ORDER_FORM "rectification"
#define VERIFIED_STATE "verified"
#define REOPENED_STATE "in_progress"
#define VERIFICATION_METHOD "verification"

struct effect {
	const char *name;
	size_t n_args;		/* after the name */
	int (*run)(struct move_ctx *ctx, const struct machine *m, const struct machine_effect *e,
	    struct record *rec, struct error *err);
	/* What the effect needs of machine m's form and the others; a sentence when missing. */
	const char *(*needs)(const struct casework *cw, const struct machine *m,
	    const struct machine_effect *e, const struct formset *forms);
};

/* set FIELD VALUE */
static int
effect_set(struct move_ctx *ctx, const struct machine *m, const struct machine_effect *e,
    struct record *rec, struct error *err)
{
	struct field_ctx fctx;

	store_field_ctx(ctx->txn, rec, &fctx);
	(void)m;
	return record_set_input(rec, e->args[1], e->args[2], &fctx, err);
}

static const char *
set_needs(const struct casework *cw, const struct machine *m, const struct machine_effect *e,
    const struct formset *forms)
{
	int i = form_field_index(m->form, e->args[1]);
	char *value = NULL;
	struct error err = ERROR_INIT;
	const struct field_ctx none = { 0 };

	(void)cw, (void)forms;
	if (i <= 0 || (size_t)i == m->field)
		return _("'set' names a field of the form, not its id or state field");
	if (m->form->fields[i].kind == FT_ENUM && field_option(&m->form->fields[i], e->args[2]) == NULL)
		return _("the value is not an option of that field");
	if (record_parse_input(m->form, (size_t)i, e->args[2], &none, &value, &err) != 0) {
		error_clear(&err);
		return _("the value is not one that field takes");
	}
	free(value);
	return NULL;
}

/* stamp PERSON_FIELD DATE_FIELD: who decided (the actor's person record) and when. */
static int
effect_stamp(struct move_ctx *ctx, const struct machine *m, const struct machine_effect *e,
    struct record *rec, struct error *err)
{
	const struct store_actor *actor = store_actor(ctx->store);

	if (actor == NULL || actor->id == NULL)
		return error_set(err, ST_REFUSED,
		    _("this move records who decided: register your login as a person first (huitou new user login=…)"));
	record_set_raw(rec, (size_t)form_field_index(m->form, e->args[1]), actor->id);
	record_set_raw(rec, (size_t)form_field_index(m->form, e->args[2]), ctx->today);
	return 0;
}

static const char *
stamp_needs(const struct casework *cw, const struct machine *m, const struct machine_effect *e,
    const struct formset *forms)
{
	const struct field *who = form_field(m->form, e->args[1]);
	const struct field *when = form_field(m->form, e->args[2]);

	(void)cw, (void)forms;
	if (who == NULL || who->kind != FT_REF)
		return _("'stamp' needs a ref field to a person first");
	if (when == NULL || when->kind != FT_DATE)
		return _("'stamp' needs a date field second");
	return NULL;
}

/* keep-reason FIELD: the move's reason is also kept in a field of the record (a review's). */
static int
effect_keep_reason(struct move_ctx *ctx, const struct machine *m, const struct machine_effect *e,
    struct record *rec, struct error *err)
{
	(void)err;
	if (ctx->reason != NULL && *ctx->reason != '\0')
		record_set_raw(rec, (size_t)form_field_index(m->form, e->args[1]), ctx->reason);
	return 0;
}

static const char *
keep_reason_needs(const struct casework *cw, const struct machine *m,
    const struct machine_effect *e, const struct formset *forms)
{
	const struct field *f = form_field(m->form, e->args[1]);

	(void)cw, (void)forms;
	if (f == NULL || (f->kind != FT_TEXT && f->kind != FT_LONGTEXT))
		return _("'keep-reason' names a text or longtext field of the form");
	return NULL;
}

/* The order's check in words, for a finding without a note. */
static char *
default_finding(const struct formset *forms, const char *check)
{
	const struct field *f = form_field(formset_find(forms, ORDER_FORM), "check");
	const struct enum_option *o = field_option(f, check);

	return xasprintf("检查项「%s」不合格", o != NULL ? o->label_zh : check);
}

/* Who answers for the orders: the institution's responsible person, else the inspector (of
 * an inspection), else the person who makes the move (of another record). */
static int
order_responsible(struct move_ctx *ctx, const struct record *rec, char **out,
    struct error *err)
{
	const struct field *inst_ref = form_field(rec->form, "institution");
	const struct form *inst_form = formset_find(store_forms(ctx->store), inst_ref->ref_form);
	struct record *inst;

	if (store_get(ctx->txn, inst_form, record_get(rec, "institution"), &inst, err) != 0)
		return -1;
	if (form_field(inst_form, "responsible") != NULL && *record_get(inst, "responsible") != '\0')
		*out = xstrdup(record_get(inst, "responsible"));
	else if (record_get(rec, "inspector") != NULL && *record_get(rec, "inspector") != '\0')
		*out = xstrdup(record_get(rec, "inspector"));
	else if (record_get(rec, "inspector") == NULL && store_actor(ctx->store)->id != NULL)
		*out = xstrdup(store_actor(ctx->store)->id);	/* not an inspection: who refers it */
	else
		*out = NULL;
	record_free(inst);
	if (*out == NULL)
		return error_set(err, ST_REFUSED,
		    _("no one answers for the orders: set the institution's responsible person or the inspection's inspector first"));
	return 0;
}

/* The severity and deadline of a failed check, counted from the date of rec's field from,
 * from the deadline rules. */
static int
order_deadline(struct move_ctx *ctx, const struct record *rec, const char *from,
    const char *check, const struct field *sev_field, const char **severity, char deadline[11],
    struct error *err)
{
	const struct deadline_rules *r = ctx->cw->deadlines;
	int days;

	*severity = deadline_severity(r, check);
	if (*severity == NULL)
		*severity = sev_field->default_value;
	if (*severity == NULL || **severity == '\0')
		return error_set(err, ST_REFUSED, _("deadlines.rules gives no severity for check %s"),
		    check);
	if ((days = deadline_days(r, check, *severity)) < 0)
		return error_set(err, ST_REFUSED,
		    _("deadlines.rules gives no deadline for check %s of severity %s"), check,
		    *severity);
	if (move_date_add(from, days, deadline) != 0)
		return error_set(err, ST_REFUSED, _("%s has no date to count the deadline from"),
		    record_id(rec));
	return 0;
}

/* One order for the failed check of rec, an inspection (note field CHECK_note, deadline from
 * its date) or another record of the institution (note_field, deadline from today). */
static int
open_order_of(struct move_ctx *ctx, const struct record *rec, const char *check,
    const char *note_field, const char *responsible, struct error *err)
{
	const struct form *orders = formset_find(store_forms(ctx->store), ORDER_FORM);
	struct record *o = record_new(orders);
	bool inspection = note_field == NULL;
	char *note = inspection ? xasprintf("%s_note", check) : xstrdup(note_field);
	char *finding, deadline[11];
	const char *severity;
	int rc = -1;

	if (order_deadline(ctx, rec, inspection ? record_get(rec, "date") : ctx->today, check,
	    form_field(orders, "severity"), &severity, deadline, err) != 0)
		goto out;
	finding = form_field(rec->form, note) != NULL && *record_get(rec, note) != '\0' ?
	    xstrdup(record_get(rec, note)) : default_finding(store_forms(ctx->store), check);
	record_set_raw(o, (size_t)form_field_index(orders, "institution"),
	    record_get(rec, "institution"));
	if (inspection)
		record_set_raw(o, (size_t)form_field_index(orders, "inspection"), record_id(rec));
	record_set_raw(o, (size_t)form_field_index(orders, "check"), check);
	record_set_raw(o, (size_t)form_field_index(orders, "finding"), finding);
	record_set_raw(o, (size_t)form_field_index(orders, "severity"), severity);
	record_set_raw(o, (size_t)form_field_index(orders, "deadline"), deadline);
	record_set_raw(o, (size_t)form_field_index(orders, "responsible"), responsible);
	free(finding);
	if ((rc = store_insert(ctx->txn, o, err)) == 0)
		move_list_add(&ctx->out->created, &ctx->out->n_created, record_id(o));
out:
	free(note);
	record_free(o);
	return rc;
}

static int
open_order(struct move_ctx *ctx, const struct record *rec, const char *check,
    const char *responsible, struct error *err)
{
	return open_order_of(ctx, rec, check, NULL, responsible, err);
}

/* The check a verification inspection decides for its order ("" when it is none). */
static int
verified_check(struct move_ctx *ctx, const struct record *rec, char **check,
    struct error *err)
{
	struct record *o;

	*check = NULL;
	if (!str_eq(record_get(rec, "method"), VERIFICATION_METHOD) ||
	    *record_get(rec, "order") == '\0')
		return 0;
	if (store_get(ctx->txn, formset_find(store_forms(ctx->store), ORDER_FORM),
	    record_get(rec, "order"), &o, err) != 0)
		return -1;
	if (!str_eq(record_get(o, "institution"), record_get(rec, "institution"))) {
		error_set(err, ST_REFUSED, _("order %s is not of institution %s"), record_id(o),
		    record_get(rec, "institution"));
		record_free(o);
		return -1;
	}
	*check = xstrdup(record_get(o, "check"));
	record_free(o);
	return 0;
}

/* open-orders: every failed check becomes an order, but the one a verification decides. */
static int
effect_open_orders(struct move_ctx *ctx, const struct machine *m, const struct machine_effect *e,
    struct record *rec, struct error *err)
{
	const struct field *checks = form_field(formset_find(store_forms(ctx->store), ORDER_FORM),
	    "check");
	char *responsible = NULL, *skip = NULL;
	int rc = verified_check(ctx, rec, &skip, err);

	(void)m, (void)e;
	for (size_t i = 0; rc == 0 && i < checks->n_options; i++) {
		const char *c = checks->options[i].value;

		if (form_field(rec->form, c) == NULL || !str_eq(record_get(rec, c), "fail") ||
		    (skip != NULL && str_eq(skip, c)))
			continue;
		if (responsible == NULL && (rc = order_responsible(ctx, rec, &responsible, err)) != 0)
			break;
		rc = open_order(ctx, rec, c, responsible, err);
	}
	free(responsible);
	free(skip);
	return rc;
}

static const char *
orders_needs(const struct casework *cw, const struct machine *m, const struct machine_effect *e,
    const struct formset *forms)
{
	static const char *const order_fields[] = { "institution", "inspection", "check",
	    "finding", "severity", "deadline", "responsible", "relapses", "verified_by",
	    "verified_on", NULL };
	const struct form *orders = formset_find(forms, ORDER_FORM);
	const struct machine *om = casework_machine(cw, orders);

	(void)e;
	if (orders == NULL || om == NULL)
		return _("rectification orders need a form and a states file");
	for (size_t i = 0; order_fields[i] != NULL; i++)
		if (form_field(orders, order_fields[i]) == NULL)
			return _("form rectification lacks a field this effect writes");
	if (form_field(m->form, "institution") == NULL || form_field(m->form, "date") == NULL ||
	    form_field(m->form, "method") == NULL || form_field(m->form, "order") == NULL ||
	    form_field(m->form, "inspector") == NULL)
		return _("only an inspection (institution, date, method, order, inspector) has this effect");
	if (machine_state(om, VERIFIED_STATE) == NULL || machine_state(om, REOPENED_STATE) == NULL)
		return _("the orders' states file lacks verified or in_progress");
	return NULL;
}

/* open-order CHECK NOTE_FIELD: one order of check CHECK for the institution of the moved
 * record (a filing's rejection becomes a finding), its finding the record's NOTE_FIELD. */
static int
effect_open_order(struct move_ctx *ctx, const struct machine *m, const struct machine_effect *e,
    struct record *rec, struct error *err)
{
	char *responsible = NULL;
	int rc = order_responsible(ctx, rec, &responsible, err);

	(void)m;
	if (rc == 0)
		rc = open_order_of(ctx, rec, e->args[1], e->args[2], responsible, err);
	free(responsible);
	return rc;
}

static const char *
order_needs(const struct casework *cw, const struct machine *m, const struct machine_effect *e,
    const struct formset *forms)
{
	const struct form *orders = formset_find(forms, ORDER_FORM);
	const struct field *check = orders != NULL ? form_field(orders, "check") : NULL;
	const struct field *inst = form_field(m->form, "institution");
	const struct field *note = form_field(m->form, e->args[2]);

	(void)cw;
	if (check == NULL || field_option(check, e->args[1]) == NULL)
		return _("the check is not an option of rectification's field 'check'");
	if (inst == NULL || inst->kind != FT_REF)
		return _("only a record with a ref field 'institution' has this effect");
	if (note == NULL || (note->kind != FT_TEXT && note->kind != FT_LONGTEXT))
		return _("the finding's field is not a text or longtext field of the form");
	return NULL;
}

struct verify_stamp {
	const char *inspection, *date;
	bool passed;
};

static void
stamp_verification(struct record *o, void *arg)
{
	const struct verify_stamp *v = arg;
	char num[24];

	if (v->passed) {
		record_set_raw(o, (size_t)form_field_index(o->form, "verified_by"), v->inspection);
		record_set_raw(o, (size_t)form_field_index(o->form, "verified_on"), v->date);
		return;
	}
	snprintf(num, sizeof num, "%lld", strtoll(record_get(o, "relapses"), NULL, 10) + 1);
	record_set_raw(o, (size_t)form_field_index(o->form, "relapses"), num);
}

/* verify-order: a verification inspection's result for its order's check decides the order. */
static int
effect_verify_order(struct move_ctx *ctx, const struct machine *m, const struct machine_effect *e,
    struct record *rec, struct error *err)
{
	struct move_ctx by = *ctx;
	struct verify_stamp v = { record_id(rec), record_get(rec, "date"), false };
	const char *order = record_get(rec, "order"), *result;
	char *check = NULL;
	int rc;

	(void)e;
	if (verified_check(ctx, rec, &check, err) != 0)
		return -1;
	if (check == NULL)
		return 0;	/* not a verification of an order */
	result = form_field(m->form, check) != NULL ? record_get(rec, check) : "";
	by.by = "verify-order";
	if (str_eq(result, "pass") || str_eq(result, "fail")) {
		v.passed = str_eq(result, "pass");
		rc = move_by_effect(&by, order, v.passed ? VERIFIED_STATE : REOPENED_STATE,
		    v.passed ? NULL : "复查不合格", stamp_verification, &v, err);
	} else
		rc = error_set(err, ST_REFUSED,
		    _("the verification must decide check %s of order %s (pass or fail)"), check,
		    order);
	free(check);
	return rc;
}

static const struct effect effects[] = {
	{ "set", 2, effect_set, set_needs },
	{ "stamp", 2, effect_stamp, stamp_needs },
	{ "open-orders", 0, effect_open_orders, orders_needs },
	{ "verify-order", 0, effect_verify_order, orders_needs },
	{ "keep-reason", 1, effect_keep_reason, keep_reason_needs },
	{ "open-order", 2, effect_open_order, order_needs },
	{ "response-deadline", 0, effect_response_deadline, response_deadline_needs },
	{ "open-institution", 0, effect_open_institution, open_institution_needs },
	{ "open-inspection", 1, effect_open_inspection, open_inspection_needs },
};

static const struct effect *
effect_find(const char *name)
{
	for (size_t i = 0; i < sizeof effects / sizeof effects[0]; i++)
		if (str_eq(effects[i].name, name))
			return &effects[i];
	return NULL;
}

bool
move_effect_known(const char *name)
{
	return effect_find(name) != NULL;
}

int
move_effect_run(struct move_ctx *ctx, const struct machine *m, const struct machine_effect *e,
    struct record *rec, struct error *err)
{
	const struct effect *fx = effect_find(e->args[0]);

	if (fx == NULL)	/* move_validate refused it at load */
		return error_set(err, ST_FAILED, _("%s:%d: unknown effect '%s'"), m->path, e->line,
		    e->args[0]);
	return fx->run(ctx, m, e, rec, err);
}

static int
validate_effect(const struct casework *cw, const struct machine *m,
    const struct machine_effect *e, const struct formset *forms, struct error *err)
{
	const struct effect *fx = effect_find(e->args[0]);
	const char *why;

	if (fx == NULL) {
		struct buf known = BUF_INIT;

		for (size_t i = 0; i < sizeof effects / sizeof effects[0]; i++) {
			buf_adds(&known, i > 0 ? ", " : "");
			buf_adds(&known, effects[i].name);
		}
		buf_addc(&known, '\0');
		error_set(err, ST_FAILED, _("%s:%d: unknown effect '%s' (known: %s)"), m->path,
		    e->line, e->args[0], known.data);
		buf_free(&known);
		return -1;
	}
	if (e->n_args - 1 != fx->n_args)
		return error_set(err, ST_FAILED, _("%s:%d: effect '%s' takes %zu arguments, not %zu"),
		    m->path, e->line, fx->name, fx->n_args, e->n_args - 1);
	if ((why = fx->needs(cw, m, e, forms)) != NULL)
		return error_set(err, ST_FAILED, _("%s:%d: effect '%s': %s"), m->path, e->line,
		    fx->name, why);
	return 0;
}

static int
validate_move(const struct casework *cw, const struct machine *m, const struct machine_move *mv,
    const struct formset *forms, struct error *err)
{
	for (size_t i = 0; i < mv->n_guards; i++) {
		const struct machine_guard *g = &mv->guards[i];

		if (g->kind == GUARD_CHECK && move_check_validate(cw, m, g, forms, err) != 0)
			return -1;
		if (g->kind == GUARD_BY && !move_effect_known(g->arg))
			return error_set(err, ST_FAILED, _("%s:%d: 'by' names an effect, not '%s'"),
			    m->path, g->line, g->arg);
	}
	for (size_t i = 0; i < mv->n_effects; i++)
		if (validate_effect(cw, m, &mv->effects[i], forms, err) != 0)
			return -1;
	return 0;
}

int
move_validate(const struct casework *cw, const struct formset *forms, struct error *err)
{
	for (size_t i = 0; i < cw->n_machines; i++)
		for (size_t j = 0; j < cw->machines[i]->n_moves; j++)
			if (validate_move(cw, cw->machines[i], &cw->machines[i]->moves[j], forms,
			    err) != 0)
				return -1;
	return 0;
}
