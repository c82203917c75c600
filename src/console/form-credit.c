/*
 * form-credit.c — an institution's credit tier in its form: while the caret is on a credit
 * field (credit_tier, credit_override) or a funds field (prepaid, funds_*), the lower part
 * shows the effective tier, each contribution to the computed score (forms/credit.rules, the
 * same engine as "huitou credit") and whether prepaid fees are collected without supervised
 * funds. Read from the store when drawn: one institution's orders and complaints.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/credit.h"
#include "console/form-private.h"

#define PANEL_MAX 12		/* rows at most, the heading included */

static const char *const panel_fields[] = {
	CREDIT_TIER_FIELD, CREDIT_OVERRIDE_FIELD, "prepaid", "funds_bank", "funds_account",
	"funds_status", NULL,
};

static const struct credit_rules *
app_credit_rules(struct app *app)
{
	struct error err = ERROR_INIT;
	char *dir;

	if (app->credit_tried)
		return app->credit_rules;
	app->credit_tried = true;
	dir = xasprintf("%s/forms", app->opt->dir);
	if (credit_rules_load(dir, store_forms(app->store), &app->credit_rules, &err) != 0) {
		app->credit_rules = NULL;	/* 1, none at all, is no error */
		if (err.message != NULL)
			app_message(app, true, "%s", err.message);
	}
	free(dir);
	error_clear(&err);
	return app->credit_rules;
}

static bool
on_panel_field(const struct form_view *fv)
{
	const char *name = form_current_field(fv)->name;

	if (fv->in_related || !str_eq(fv->form->name, CREDIT_INSTITUTION_FORM))
		return false;
	for (size_t i = 0; panel_fields[i] != NULL; i++)
		if (str_eq(panel_fields[i], name))
			return true;
	return false;
}

static const char *
tier_label(const struct form *form, const char *value)
{
	const struct field *f = form_field(form, CREDIT_TIER_FIELD);

	return f != NULL ? field_option_label(f, value) : value;
}

/* The heading: the effective tier, whether it is the override, and the stored one if stale. */
static char *
tier_heading(const struct form_view *fv, const char *computed)
{
	const char *override = record_get(fv->rec, CREDIT_OVERRIDE_FIELD);
	const char *stored = record_get(fv->rec, CREDIT_TIER_FIELD);
	const char *effective = *override != '\0' ? override : computed;
	char *head = *override != '\0' ?
	    xasprintf(_("Credit tier %s (override; computed %s)"), tier_label(fv->form, effective),
	    tier_label(fv->form, computed)) :
	    xasprintf(_("Credit tier %s (computed)"), tier_label(fv->form, effective));
	char *with;

	if (str_eq(stored, effective))
		return head;
	with = xasprintf(_("%s; stored %s"), head,
	    *stored != '\0' ? tier_label(fv->form, stored) : "-");
	free(head);
	return with;
}

static void
add(char ***lines, size_t *n, char *line)
{
	*lines = xrealloc(*lines, (*n + 2) * sizeof **lines);
	(*lines)[(*n)++] = line;
	(*lines)[*n] = NULL;
}

/* The funds supervision line: flagged when prepaid fees are taken without supervision. */
static char *
funds_line(const struct form_view *fv, bool *flagged)
{
	const char *prepaid = record_get(fv->rec, "prepaid");
	const char *status = record_get(fv->rec, "funds_status");
	const struct field *f = form_field(fv->form, "funds_status");

	*flagged = false;
	if (prepaid == NULL || !str_eq(prepaid, "yes"))
		return NULL;
	if (status != NULL && str_eq(status, "supervised"))
		return xasprintf(_("Funds: prepaid fees, supervised"));
	*flagged = true;
	return xasprintf(_("Funds: FLAGGED, prepaid fees without supervised funds (%s)"),
	    status != NULL && *status != '\0' && f != NULL ? field_option_label(f, status) : "-");
}

/* The panel's lines, the heading first; NULL when there is no panel here. */
static char **
panel_lines(struct app *app, const struct form_view *fv, size_t *n, size_t *flagged_at)
{
	const struct credit_rules *r = on_panel_field(fv) ? app_credit_rules(app) : NULL;
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	struct credit_facts facts;
	char today[11], **lines = NULL, **why, *funds;
	size_t n_why = 0;
	bool flagged;
	int rc;

	*n = *flagged_at = 0;
	if (r == NULL)
		return NULL;
	clock_format_date(clock_today(), today);
	credit_facts_init(r, &facts);
	rc = store_txn_begin(app->store, false, &txn, &err);
	if (rc == 0)
		rc = credit_facts_of(app->store, txn, app_casework(app), r, today, fv->rec,
		    &facts, &err);
	if (txn != NULL)
		store_txn_abort(txn);
	if (rc != 0)
		add(&lines, n, xasprintf("%s", err.message));
	else {
		add(&lines, n, tier_heading(fv, credit_tier_of(r, credit_score(r, facts.counts))));
		why = credit_explain(r, &facts, &n_why);
		for (size_t i = 0; i < n_why; i++)
			add(&lines, n, why[i]);
		free(why);	/* its strings are the panel's now */
	}
	if ((funds = funds_line(fv, &flagged)) != NULL) {
		*flagged_at = flagged ? *n : 0;
		add(&lines, n, funds);
	}
	credit_facts_free(&facts);
	error_clear(&err);
	return lines;
}

int
credit_panel_rows(struct app *app, const struct form_view *fv)
{
	size_t n, flagged_at;
	char **lines = on_panel_field(fv) ? panel_lines(app, fv, &n, &flagged_at) : NULL;

	strv_free(lines);
	if (lines == NULL)
		return 0;
	return n > PANEL_MAX ? PANEL_MAX : (int)n;
}

void
credit_panel_draw(struct app *app, const struct form_view *fv, int y, int rows)
{
	size_t n, flagged_at;
	char **lines = panel_lines(app, fv, &n, &flagged_at);

	if (lines == NULL)
		return;
	draw_heading(app, y, lines[0]);
	for (int k = 1; k < rows; k++) {
		const char *line = (size_t)k < n ? lines[k] : NULL;
		bool flagged = flagged_at > 0 && (size_t)k == flagged_at;

		move(y + k, 0);
		clrtoeol();
		if (line == NULL)
			continue;
		if (flagged)
			attron(app->colors ? COLOR_PAIR(PAIR_ERROR) : A_BOLD);
		draw_text(stdscr, y + k, 3, app->cols - 4, line, false);
		if (flagged)
			attroff(app->colors ? COLOR_PAIR(PAIR_ERROR) : A_BOLD);
	}
	strv_free(lines);
}
