/*
 * views-shared.c — views shared with a district: records of the view form (forms/view.form),
 * written through the store's one write path, so the policy decides who shares with which
 * district (views-own-district) and every share is an audit commit. A user sees the views
 * shared with their district (a user of the whole city, with none, sees every district's);
 * unsharing sets the record's "active" to no, and git keeps what was shared.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "console/views.h"

#define VIEW_FORM "view"

/* The view form in force; NULL (said on the message line when loud) in a data directory made
 * before it shipped. */
static const struct form *
view_form(struct app *app, bool loud)
{
	const struct form *form = formset_find(store_forms(app->store), VIEW_FORM);

	if (form == NULL && loud)
		app_message(app, true, _("this data directory has no view form: copy forms/view.form "
		    "from huitou's shipped forms into its forms folder to share views"));
	return form;
}

static char **
split_words(const char *text)
{
	char *copy = xstrdup(text), *save = NULL, **v;
	size_t n = 0;

	v = xcalloc(strlen(text) / 2 + 2, sizeof *v);
	for (char *w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
		v[n++] = xstrdup(w);
	free(copy);
	if (n == 0) {
		free(v);
		return NULL;
	}
	return v;
}

/* A record of the view form as a saved view; false when it is no longer shared. */
static bool
view_of_record(const struct record *rec, struct saved_view *v)
{
	const char *sort = record_get(rec, "sort");
	size_t at = strcspn(sort, " ");

	if (!str_eq(record_get(rec, "active"), "yes"))
		return false;
	memset(v, 0, sizeof *v);
	v->id = xstrdup(record_id(rec));
	v->name = xstrdup(record_get(rec, "name"));
	v->form = xstrdup(record_get(rec, "form"));
	v->district = xstrdup(record_get(rec, "district"));
	if (*record_get(rec, "limit") != '\0')
		v->limit = xstrdup(record_get(rec, "limit"));
	if (at > 0) {
		v->sort = xstrndup(sort, at);
		v->sort_desc = str_eq(sort + at + strspn(sort + at, " "), "desc");
	}
	v->columns = split_words(record_get(rec, "columns"));
	return true;
}

/* Appended, a user's own view of the same name kept first (":view NAME" opens that). */
static void
add_shared(struct saved_views *vs, struct saved_view *v)
{
	vs->views = xrealloc(vs->views, (vs->n + 1) * sizeof *vs->views);
	vs->views[vs->n++] = *v;
}

void
views_load_shared(struct app *app, struct saved_views *vs)
{
	const struct form *form = view_form(app, false);
	const struct store_actor *who = store_actor(app->store);
	bool city = who->district == NULL || *who->district == '\0';
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	char **ids = NULL;
	size_t n = 0;

	if (form == NULL)
		return;
	if (store_txn_begin(app->store, false, &txn, &err) != 0 ||
	    store_find_by(txn, form, city ? "active" : "district", city ? "yes" : who->district,
	    &ids, &n, &err) != 0)
		app_message(app, true, _("the shared views cannot be read: %s"), err.message);
	for (size_t i = 0; i < n; i++) {
		struct record *rec = NULL;
		struct saved_view v;

		if (store_get(txn, form, ids[i], &rec, &err) == 0 && view_of_record(rec, &v))
			add_shared(vs, &v);
		record_free(rec);
		error_clear(&err);
	}
	store_txn_abort(txn);
	strv_free(ids);
	error_clear(&err);
}

/* The active record of the view named name in district, to be updated; NULL: none. */
static struct record *
shared_record(struct store_txn *txn, const struct form *form, const char *district,
    const char *name, struct error *err)
{
	char **ids = NULL;
	size_t n = 0;
	struct record *found = NULL;

	if (store_find_by(txn, form, "district", district, &ids, &n, err) != 0)
		return NULL;
	for (size_t i = 0; i < n && found == NULL; i++) {
		struct record *rec = NULL;

		if (store_get(txn, form, ids[i], &rec, err) != 0)
			break;
		if (str_eq(record_get(rec, "name"), name) &&
		    str_eq(record_get(rec, "active"), "yes"))
			found = rec;
		else
			record_free(rec);
	}
	strv_free(ids);
	return found;
}

/* The view's values into rec, each through its field's type (a limit too wide is named). */
static int
fill_record(struct store_txn *txn, struct record *rec, const struct saved_view *v,
    const struct store_actor *who, struct error *err)
{
	struct field_ctx ctx;
	struct buf columns = BUF_INIT;
	char *sort = v->sort != NULL ? xasprintf("%s %s", v->sort, v->sort_desc ? "desc" : "asc") :
	    xstrdup("");
	int rc;

	for (size_t i = 0; v->columns != NULL && v->columns[i] != NULL; i++)
		buf_printf(&columns, "%s%s", i > 0 ? " " : "", v->columns[i]);
	store_field_ctx(txn, rec, &ctx);
	rc = record_set_input(rec, "name", v->name, &ctx, err);
	if (rc == 0)
		rc = record_set_input(rec, "form", v->form, &ctx, err);
	if (rc == 0)
		rc = record_set_input(rec, "limit", v->limit != NULL ? v->limit : "", &ctx, err);
	if (rc == 0)
		rc = record_set_input(rec, "sort", sort, &ctx, err);
	if (rc == 0)
		rc = record_set_input(rec, "columns", buf_str(&columns), &ctx, err);
	if (rc == 0)
		rc = record_set_input(rec, "district", who->district, &ctx, err);
	if (rc == 0 && who->id != NULL)
		rc = record_set_input(rec, "shared_by", who->id, &ctx, err);
	if (rc == 0)
		rc = record_set_input(rec, "active", "yes", &ctx, err);
	buf_free(&columns);
	free(sort);
	return rc;
}

/* One commit: the view as a new record of its district, or the one of that name updated. */
static int
write_shared(struct app *app, const struct form *form, const struct saved_view *v,
    struct error *err)
{
	const struct store_actor *who = store_actor(app->store);
	const struct division *d = store_division_find(app->store, who->district, DIV_DISTRICT, NULL);
	struct store_txn *txn;
	struct record *rec;
	char *subject;
	int rc;

	if (store_txn_begin(app->store, true, &txn, err) != 0)
		return -1;
	rec = shared_record(txn, form, who->district, v->name, err);
	if (rec == NULL && err->message == NULL)
		rec = record_new(form);
	rc = rec != NULL ? fill_record(txn, rec, v, who, err) : -1;
	if (rc == 0)
		rc = rec->version == 0 ? store_insert(txn, rec, err) : store_update(txn, rec, err);
	subject = xasprintf(_("share the view %s with %s"), v->name, d != NULL ? d->name :
	    who->district);
	store_txn_describe(txn, "view.share", subject, NULL);
	if (rc == 0)
		rc = store_txn_commit(txn, err);
	else
		store_txn_abort(txn);
	free(subject);
	record_free(rec);
	return rc;
}

/* The user's own view of that name, else the table in front saved under it. */
static struct saved_view *
view_to_share(struct app *app, const char *name)
{
	struct saved_views vs;
	struct saved_view *own, *v = NULL;
	struct table *t = view_table_of(app->top);

	views_file_load(&vs, NULL, NULL);
	if ((own = saved_views_find(&vs, name)) != NULL) {
		v = xcalloc(1, sizeof *v);
		*v = *own;
		memset(own, 0, sizeof *own);
	} else if (t != NULL)
		v = views_of_table(t, name);
	else
		app_message(app, true, _("you have no view named %s"), name);
	saved_views_free(&vs);
	return v;
}

void
views_share(struct app *app, const char *name)
{
	const struct form *form = view_form(app, true);
	const struct store_actor *who = store_actor(app->store);
	struct error err = ERROR_INIT;
	struct saved_view *v;

	if (form == NULL)
		return;
	if (*name == '\0') {
		app_message(app, true, _("which view? :view share NAME"));
		return;
	}
	if (who->district == NULL || *who->district == '\0') {
		app_message(app, true, _("your person record names no district to share the view with"));
		return;
	}
	if ((v = view_to_share(app, name)) == NULL)
		return;
	if (write_shared(app, form, v, &err) == 0)
		app_message(app, false, _("view %s shared with your district, in one commit"), name);
	else
		app_message(app, true, _("the view is not shared: %s"), err.message);
	error_clear(&err);
	saved_view_free(v);
	free(v);
}

void
views_unshare(struct app *app, const struct saved_view *v)
{
	const struct form *form = view_form(app, true);
	struct error err = ERROR_INIT;
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	struct field_ctx ctx;
	char *q = xasprintf(_("stop sharing the view %s?"), v->name);
	int rc;

	if (form == NULL || !app_confirm(app, q)) {
		free(q);
		return;
	}
	free(q);
	rc = store_txn_begin(app->store, true, &txn, &err);
	if (rc == 0 && (rc = store_get(txn, form, v->id, &rec, &err)) == 0) {
		store_field_ctx(txn, rec, &ctx);
		rc = record_set_input(rec, "active", "no", &ctx, &err);
	}
	if (rc == 0 && (rc = store_update(txn, rec, &err)) == 0) {
		q = xasprintf(_("stop sharing the view %s"), v->name);
		store_txn_describe(txn, "view.unshare", q, NULL);
		free(q);
		rc = store_txn_commit(txn, &err);
	} else
		store_txn_abort(txn);
	if (rc == 0)
		app_message(app, false, _("view %s is no longer shared"), v->name);
	else
		app_message(app, true, _("the view is still shared: %s"), err.message);
	record_free(rec);
	error_clear(&err);
}
