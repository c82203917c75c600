/*
 * undo.c — "u" in the console: undo a change with a reverting commit (store_revert). It
 * checks first, so a revert that would be refused says why at once; otherwise it asks, showing
 * the change's subject and how many records it changed, then says on the message line what it
 * did. Used by the table (the newest change of a record) and the history view (any change).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/console-private.h"

static void
report_error(struct app *app, struct error *err)
{
	app_message(app, true, "%s", err->message != NULL ? err->message : _("unknown error"));
	error_clear(err);
}

bool
undo_commit(struct app *app, const char *commit)
{
	struct store_revert r;
	struct error err = ERROR_INIT;
	char *question;
	bool yes, done = false;

	if (store_revert_check(app->store, commit, &r, &err) != 0) {
		store_revert_clear(&r);
		report_error(app, &err);
		return false;
	}
	question = xasprintf(_("Undo (records: %zu) \"%s\"?"), r.records, r.subject);
	yes = app_confirm(app, question);
	free(question);
	store_revert_clear(&r);
	if (!yes) {
		app_message(app, false, _("not undone"));
		return false;
	}
	if (store_revert(app->store, commit, &r, &err) != 0) {
		report_error(app, &err);
	} else if (store_audit_warning(app->store) != NULL) {
		done = true;
		app_message(app, true, _("undone, but its audit commit is pending: %s"),
		    store_audit_warning(app->store));
	} else {
		done = true;
		app_message(app, false, _("undone (records: %zu): %s"), r.records, r.subject);
	}
	store_revert_clear(&r);
	return done;
}

static int
keep_newest(void *arg, const struct store_history *h)
{
	char *newest = arg;

	memcpy(newest, h->commit, 41);
	return 1;
}

bool
undo_newest_change(struct app *app, const struct form *form, const char *id)
{
	char newest[41] = "";
	struct error err = ERROR_INIT;

	if (store_history(app->store, form, id, keep_newest, newest, &err) < 0) {
		report_error(app, &err);
		return false;
	}
	if (*newest == '\0') {
		app_message(app, true, _("the audit record has no change of %s"), id);
		return false;
	}
	return undo_commit(app, newest);
}
