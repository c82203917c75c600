/*
 * move-complaints.c — the effects and the check of a complaint's moves (complaint.states):
 * response-deadline (the deadline from the received date and responses.rules),
 * open-institution (a suspected site becomes an unlicensed institution), open-inspection (the
 * follow-up inspection, planned for today) and the check supervisor-named. The records they
 * make are written in the move's own transaction, so the policy and the one commit hold.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/move-private.h"

#define INSTITUTION_FORM "institution"
#define INSPECTION_FORM "inspection"
#define UNLICENSED "unlicensed"
#define SUPERVISOR_CHANNEL "supervisor"

/* Sets field name of rec (a field its form has, checked at load) to value, as stored. */
static void
put(struct record *rec, const char *name, const char *value)
{
	record_set_raw(rec, (size_t)form_field_index(rec->form, name), value);
}

/* Whether form has a field name of kind (and, for a ref, to form ref). */
static bool
has_field(const struct form *form, const char *name, enum field_kind kind, const char *ref)
{
	const struct field *f = form != NULL ? form_field(form, name) : NULL;

	return f != NULL && f->kind == kind && (ref == NULL || str_eq(f->ref_form, ref));
}

/* response-deadline: deadline = received + the days responses.rules gives the channel. */
int
effect_response_deadline(struct move_ctx *ctx, const struct machine *m,
    const struct machine_effect *e, struct record *rec, struct error *err)
{
	const char *channel = record_get(rec, "channel");
	int days = response_days(ctx->cw->responses, channel);
	char deadline[11];

	(void)e;
	if (days < 0)
		return error_set(err, ST_REFUSED, _("responses.rules gives no days for channel '%s'"),
		    channel);
	if (move_date_add(record_get(rec, "received"), days, deadline) != 0)
		return error_set(err, ST_REFUSED,
		    _("%s has no received date to count the response deadline from"), record_id(rec));
	record_set_raw(rec, (size_t)m->deadline_field, deadline);
	return 0;
}

const char *
response_deadline_needs(const struct casework *cw, const struct machine *m,
    const struct machine_effect *e, const struct formset *forms)
{
	(void)cw, (void)e, (void)forms;
	if (!has_field(m->form, "channel", FT_ENUM, NULL) ||
	    !has_field(m->form, "received", FT_DATE, NULL) || m->deadline_field < 0)
		return _("only a complaint (channel, received and the states file's deadline) has this effect");
	return NULL;
}

/* The new institution's notes: where it came from. */
static char *
site_note(const struct record *rec)
{
	const char *kind = record_get(rec, "site_kind");
	const struct enum_option *o = field_option(form_field(rec->form, "site_kind"), kind);

	return xasprintf("据举报 %s 登记的疑似无证场所%s%s%s", record_id(rec),
	    o != NULL ? "（" : "", o != NULL ? o->label_zh : "", o != NULL ? "）" : "");
}

/* open-institution: a complaint about a suspected site (no institution yet) registers the
 * site as an institution with status unlicensed and names it; one with an institution keeps
 * it. */
int
effect_open_institution(struct move_ctx *ctx, const struct machine *m,
    const struct machine_effect *e, struct record *rec, struct error *err)
{
	const struct form *insts = formset_find(store_forms(ctx->store), INSTITUTION_FORM);
	struct record *inst;
	char *note;
	int rc;

	(void)m, (void)e;
	if (*record_get(rec, "institution") != '\0')
		return 0;
	if (*record_get(rec, "site_name") == '\0')
		return error_set(err, ST_REFUSED,
		    _("%s names neither an institution nor a suspected site: fill in the institution or the site's name (site_name) first"),
		    record_id(rec));
	if (*record_get(rec, "site_category") == '\0')
		return error_set(err, ST_REFUSED,
		    _("to register the site, say what it teaches first (site_category: subject or non-subject)"));
	inst = record_new(insts);
	note = site_note(rec);
	put(inst, "name", record_get(rec, "site_name"));
	put(inst, "district", record_get(rec, "district"));
	put(inst, "street", record_get(rec, "street"));
	put(inst, "address", record_get(rec, "site_address"));
	put(inst, "category", record_get(rec, "site_category"));
	put(inst, "status", UNLICENSED);
	put(inst, "notes", note);
	free(note);
	if ((rc = store_insert(ctx->txn, inst, err)) == 0) {
		move_list_add(&ctx->out->created, &ctx->out->n_created, record_id(inst));
		put(rec, "institution", record_id(inst));
	}
	record_free(inst);
	return rc;
}

const char *
open_institution_needs(const struct casework *cw, const struct machine *m,
    const struct machine_effect *e, const struct formset *forms)
{
	static const char *const texts[] = { "name", "address", "notes", NULL };
	const struct form *insts = formset_find(forms, INSTITUTION_FORM);
	const struct field *status = insts != NULL ? form_field(insts, "status") : NULL;

	(void)cw, (void)e;
	if (!has_field(m->form, "institution", FT_REF, INSTITUTION_FORM) ||
	    !has_field(m->form, "site_name", FT_TEXT, NULL) ||
	    !has_field(m->form, "site_address", FT_TEXT, NULL) ||
	    !has_field(m->form, "site_kind", FT_ENUM, NULL) ||
	    !has_field(m->form, "site_category", FT_ENUM, NULL) ||
	    !has_field(m->form, "district", FT_DIVISION, NULL) ||
	    !has_field(m->form, "street", FT_DIVISION, NULL))
		return _("only a complaint (institution, site_name, site_address, site_kind, site_category, district, street) has this effect");
	for (size_t i = 0; texts[i] != NULL; i++)
		if (insts == NULL || form_field(insts, texts[i]) == NULL)
			return _("form institution lacks a field this effect writes");
	if (!has_field(insts, "district", FT_DIVISION, NULL) ||
	    !has_field(insts, "street", FT_DIVISION, NULL) ||
	    !has_field(insts, "category", FT_ENUM, NULL) || status == NULL ||
	    field_option(status, UNLICENSED) == NULL)
		return _("form institution needs district, street, category and a status 'unlicensed'");
	return NULL;
}

/* open-inspection METHOD: the follow-up inspection of the complaint's institution, planned
 * for today, its inspector the assignee; named in the complaint's inspection field. */
int
effect_open_inspection(struct move_ctx *ctx, const struct machine *m,
    const struct machine_effect *e, struct record *rec, struct error *err)
{
	const struct form *insps = formset_find(store_forms(ctx->store), INSPECTION_FORM);
	struct record *insp;
	char *summary;
	int rc;

	(void)m;
	if (*record_get(rec, "inspection") != '\0')
		return 0;
	if (*record_get(rec, "institution") == '\0')
		return error_set(err, ST_REFUSED,
		    _("%s names no institution to inspect: fill in the institution or the suspected site first"),
		    record_id(rec));
	insp = record_new(insps);
	summary = xasprintf("举报 %s：%s", record_id(rec), record_get(rec, "summary"));
	put(insp, "institution", record_get(rec, "institution"));
	put(insp, "date", ctx->today);
	put(insp, "method", e->args[1]);
	put(insp, "inspector", record_get(rec, "assignee"));
	put(insp, "summary", summary);
	free(summary);
	if ((rc = store_insert(ctx->txn, insp, err)) == 0) {
		move_list_add(&ctx->out->created, &ctx->out->n_created, record_id(insp));
		put(rec, "inspection", record_id(insp));
	}
	record_free(insp);
	return rc;
}

const char *
open_inspection_needs(const struct casework *cw, const struct machine *m,
    const struct machine_effect *e, const struct formset *forms)
{
	const struct form *insps = formset_find(forms, INSPECTION_FORM);
	const struct field *method = insps != NULL ? form_field(insps, "method") : NULL;

	(void)cw;
	if (!has_field(m->form, "inspection", FT_REF, INSPECTION_FORM) ||
	    !has_field(m->form, "institution", FT_REF, INSTITUTION_FORM) ||
	    !has_field(m->form, "assignee", FT_REF, NULL) ||
	    form_field(m->form, "summary") == NULL)
		return _("only a complaint (inspection, institution, assignee, summary) has this effect");
	if (!has_field(insps, "institution", FT_REF, INSTITUTION_FORM) ||
	    !has_field(insps, "date", FT_DATE, NULL) || !has_field(insps, "inspector", FT_REF, NULL) ||
	    form_field(insps, "summary") == NULL || method == NULL || method->kind != FT_ENUM)
		return _("form inspection lacks a field this effect writes");
	if (field_option(method, e->args[1]) == NULL)
		return _("the method is not an option of the inspection's field method");
	return NULL;
}

/* check supervisor-named: a complaint from a social supervisor names the supervisor. */
int
check_supervisor_named(struct move_ctx *ctx, const struct machine *m, const struct record *rec,
    struct error *err)
{
	(void)ctx, (void)m;
	if (str_eq(record_get(rec, "channel"), SUPERVISOR_CHANNEL) &&
	    *record_get(rec, "supervisor") == '\0')
		return error_set(err, ST_REFUSED,
		    _("a complaint from a social supervisor needs the supervisor (supervisor) first"));
	return 0;
}

const char *
supervisor_named_needs(const struct casework *cw, const struct machine *m,
    const struct formset *forms)
{
	const struct field *channel = form_field(m->form, "channel");

	(void)cw, (void)forms;
	if (channel == NULL || channel->kind != FT_ENUM ||
	    field_option(channel, SUPERVISOR_CHANNEL) == NULL ||
	    !has_field(m->form, "supervisor", FT_REF, NULL))
		return _("only a complaint (a channel 'supervisor' and a ref field supervisor) has this check");
	return NULL;
}
