/*
 * table-set.c — "=" and ";=" in a table: FIELD=VALUE… set on the row under the cursor or on
 * every tagged row as one commit, asked first (the batch's count and a sample, the records the
 * policy leaves out), with a reason where the form marks a field as needing one.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "console/ask.h"
#include "console/table.h"

/* The ids an action applies to: the tagged rows, or the row under the cursor. */
static char **
target_ids(const struct table *t, bool tagged, size_t *n)
{
	char **ids;

	if (tagged) {
		*n = t->n_tagged;
		return tagged_ids(t);
	}
	ids = xcalloc(2, sizeof *ids);
	*n = 0;
	if (t->n_rows > 0)
		ids[(*n)++] = xstrdup(t->ids[t->rows[t->list.cursor]]);
	return ids;
}

/* The search keys of the tagged rows made again after a change to them. */
static void
renew_tagged_keys(struct app *app, struct table *t)
{
	struct store_txn *txn;
	struct error err = ERROR_INIT;

	if (store_txn_begin(app->store, false, &txn, &err) == 0) {
		for (size_t i = 0; i < t->n_ids; i++) {
			struct record *rec = NULL;

			if (t->tagged[i] && t->keys[i] != NULL &&
			    store_get(txn, t->form, t->ids[i], &rec, &err) == 0)
				renew_key(t, i, rec);
			record_free(rec);
			error_clear(&err);
		}
		store_txn_abort(txn);
	}
	error_clear(&err);
}

/* What the message line says when a batch did not run (answered n, or nothing to change). */
static void
tagged_not_set(struct app *app, const struct bulk_split *s, bool none, const struct error *err)
{
	if (err->message != NULL)
		return;
	if (none)
		app_message(app, false, _("nothing to change: the %zu records already hold it"), s->n_allowed);
	else if (s->n_refused > 0)
		app_message(app, false, _("nothing was changed; %zu of the tagged records are refused: %s"),
		    s->n_refused, s->why);
	else
		app_message(app, false, _("nothing was changed"));
}

/* ";=": how many records change and a sample of them, the records the policy refuses named
 * and left out, a reason when a field needs one (ask.h); then the others set in one commit. */
static void
set_tagged(struct app *app, struct table *t, char **ids, size_t n, const struct assignments *a,
    struct error *err)
{
	struct bulk_split s;
	char *fields = reason_fields_assigned(a), *reason = NULL;
	size_t changed;
	bool none;

	if (bulk_split_allowed(app->store, t->form, ids, n, a, &s, err) != 0) {
		free(fields);
		return;
	}
	if (s.n_refused > 0 && s.n_allowed == 0)
		error_set(err, ST_REFUSED, _("none of the %zu tagged records may be changed: %s"), n,
		    s.why);
	else if (!batch_confirm(app, &s, a, &none))
		tagged_not_set(app, &s, none, err);
	else if (fields != NULL && reason_ask(app, fields, &reason) != 0)
		;	/* the message says that a reason is needed */
	else if (bulk_set_reason(app->store, t->form, s.allowed, s.n_allowed, a, reason, &changed, err) == 0) {
		renew_tagged_keys(app, t);
		if (s.n_refused > 0)
			app_message(app, false, _("%zu of %zu records changed, in one commit; %zu left out: %s"),
			    changed, s.n_allowed, s.n_refused, s.why);
		else
			app_message(app, false, _("%zu of %zu records changed, in one commit"), changed, n);
	}
	bulk_split_free(&s);
	free(fields);
	free(reason);
}

/* "Set 办学状态=停办 on JG-…?": a change to the row under the cursor is asked for once more,
 * as a change to tagged rows is, since ":set" runs it with no prompt of its own. */
static bool
confirm_set(struct app *app, const char *id, const char *line)
{
	char *q = xasprintf(_("set %s on %s?"), line, id);
	bool yes = app_confirm(app, q);

	free(q);
	return yes;
}

/* Whether the assignments change the record id (what a reason is asked for). */
static bool
row_changes(struct app *app, struct table *t, char **ids, const struct assignments *a)
{
	struct bulk_split s;
	struct error err = ERROR_INIT;
	bool changes = true;	/* when it cannot be read, bulk_set_reason says why */

	if (bulk_split_allowed(app->store, t->form, ids, 1, a, &s, &err) == 0) {
		changes = s.n_changing > 0 || s.n_refused > 0;
		bulk_split_free(&s);
	}
	error_clear(&err);
	return changes;
}

/* "=" on the row under the cursor: asked once more, then why when a field needs a reason and
 * the row changes. */
static void
set_row(struct app *app, struct table *t, char **ids, const struct assignments *a,
    const char *line, struct error *err)
{
	char *fields = reason_fields_assigned(a), *reason = NULL;
	size_t changed;

	if (fields != NULL && !row_changes(app, t, ids, a)) {
		free(fields);
		fields = NULL;
	}
	if (!confirm_set(app, ids[0], line))
		app_message(app, false, _("nothing was changed"));
	else if (fields != NULL && reason_ask(app, fields, &reason) != 0)
		;	/* the message says that a reason is needed */
	else if (bulk_set_reason(app->store, t->form, ids, 1, a, reason, &changed, err) == 0)
		app_message(app, false, _("%zu of %zu records changed, in one commit"), changed, (size_t)1);
	free(fields);
	free(reason);
}

/* "=" (or ":set"): FIELD=VALUE… on the row, or after ";" on every tagged row, as one commit. */
void
table_set_fields(struct app *app, struct table *t, bool tagged)
{
	struct assignments a;
	struct error err = ERROR_INIT;
	size_t n;
	char **ids = target_ids(t, tagged, &n);
	char *prompt = tagged ? xasprintf(_("set on %zu tagged rows: "), n) :
	    xasprintf(_("set on %s: "), n > 0 ? ids[0] : "");
	char *line = n > 0 ? app_prompt(app, prompt, NULL) : NULL;

	if (line != NULL && *line != '\0' &&
	    assignments_parse_line(t->form, line, &a, &err) == 0) {
		if (tagged)
			set_tagged(app, t, ids, n, &a, &err);
		else
			set_row(app, t, ids, &a, line, &err);
		assignments_free(&a);
	}
	if (err.message != NULL)
		app_message(app, true, "%s", err.message);
	error_clear(&err);
	strv_free(ids);
	free(prompt);
	free(line);
}
