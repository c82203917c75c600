/*
 * views-apply.c — saved views between the table and the user: a table's limit, sort and
 * columns saved under a name, a view opened again on the screen of its form, the columns
 * chosen with "c" kept as the user's default for that form (at the next start and on a
 * drill-down), and the ":view" command that does each of these.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/views.h"

static void
warn_once(void *arg, const char *message)
{
	struct app *app = arg;

	if (app->message == NULL || !app->message_is_error)
		app_message(app, true, "%s", message);
}

/* The field indexes of names that are fields of t's form, the others named in *unknown. */
static size_t
columns_of(const struct table *t, const char *const *names, int *out, const char **unknown)
{
	size_t n = 0;

	*unknown = NULL;
	for (size_t i = 0; names != NULL && names[i] != NULL && n < t->form->n_fields; i++) {
		int f = form_field_index(t->form, names[i]);

		if (f < 0)
			*unknown = names[i];
		else
			out[n++] = f;
	}
	return n;
}

/* t's columns are the fields names; false when none of them is a field (they stay). */
static bool
set_columns_by_name(struct app *app, struct table *t, const char *const *names)
{
	int *cols = xcalloc(t->form->n_fields, sizeof *cols);
	const char *unknown;
	size_t n = columns_of(t, names, cols, &unknown);

	if (unknown != NULL)
		app_message(app, true, _("%s has no field '%s' any more; the other columns are shown"),
		    form_label(t->form), unknown);
	if (n == 0) {
		free(cols);
		return false;
	}
	free(t->columns);
	t->columns = cols;
	t->n_columns = n;
	t->col = 0;
	t->sort_col = -1;
	return true;
}

void
views_default_columns(struct app *app, struct table *t)
{
	struct saved_views vs;

	views_file_load(&vs, warn_once, app);
	(void)set_columns_by_name(app, t, saved_views_default_columns(&vs, t->form->name));
	saved_views_free(&vs);
}

static char **
column_names(const struct table *t)
{
	char **names = xcalloc(t->n_columns + 1, sizeof *names);

	for (size_t c = 0; c < t->n_columns; c++)
		names[c] = xstrdup(t->form->fields[t->columns[c]].name);
	return names;
}

void
views_remember_columns(struct app *app, struct table *t)
{
	struct saved_views vs;
	struct error err = ERROR_INIT;

	views_file_load(&vs, NULL, NULL);
	saved_views_set_default_columns(&vs, t->form->name, column_names(t));
	if (views_file_save(&vs, &err) != 0)
		app_message(app, true, _("the columns are not kept for the next start: %s"),
		    err.message);
	error_clear(&err);
	saved_views_free(&vs);
}

struct saved_view *
views_of_table(const struct table *t, const char *name)
{
	struct saved_view *v = xcalloc(1, sizeof *v);

	v->name = xstrdup(name);
	v->form = xstrdup(t->form->name);
	v->limit = t->limit != NULL ? xstrdup(t->limit) : NULL;
	if (t->sort_col >= 0 && (size_t)t->sort_col < t->n_columns) {
		v->sort = xstrdup(t->form->fields[t->columns[t->sort_col]].name);
		v->sort_desc = t->sort_desc;
	}
	v->columns = column_names(t);
	return v;
}

/* Sorted by the view's field, which must be a column shown; sort_rows reverses the column
 * it last sorted by, so a descending sort starts from "sorted ascending by it". */
static void
sort_as_saved(struct app *app, struct table *t, const struct saved_view *v)
{
	for (size_t c = 0; c < t->n_columns; c++)
		if (str_eq(t->form->fields[t->columns[c]].name, v->sort)) {
			t->col = c;
			t->sort_col = v->sort_desc ? (int)c : -1;
			t->sort_desc = false;
			sort_rows(app, t);
			return;
		}
	app_message(app, true, _("the view sorts by %s, which is not one of its columns"), v->sort);
}

struct view *
views_open_table(struct app *app, const struct saved_view *v, struct error *err)
{
	const struct form *form = formset_find(store_forms(app->store), v->form);
	struct view *view;
	struct table *t;

	if (form == NULL) {
		error_set(err, ST_FAILED, _("the view %s is of the form '%s', which is not in force"),
		    v->name, v->form);
		return NULL;
	}
	view = v->limit != NULL ? view_table_new_limited(app, form, v->limit, err) :
	    view_table_new(app, form, err);
	if (view == NULL)
		return NULL;
	t = view_table_of(view);
	if (v->columns != NULL)
		(void)set_columns_by_name(app, t, (const char *const *)v->columns);
	if (v->sort != NULL)
		sort_as_saved(app, t, v);
	free(t->title);
	t->title = xasprintf(_("%s  (view %s)"), form_label(form), v->name);
	return view;
}

/* The screen (1–9) whose first view is a table of form; -1 when none is. */
static int
screen_of_form(const char *form)
{
	for (size_t i = 0; i < screens_count() && i < N_SCREEN_KEYS; i++)
		if (screen_def(i)->arg != NULL && str_eq(screen_def(i)->arg, form))
			return (int)i;
	return -1;
}

/* The view on the screen of its form, over what that screen showed (q goes back to it). */
void
views_show(struct app *app, const struct saved_view *v)
{
	struct error err = ERROR_INIT;
	struct view *view;
	int screen = screen_of_form(v->form);

	if (screen >= 0)	/* first: a screen opened now reads its ids between keys */
		app_dispatch(app, (enum action)(ACT_SCREEN_1 + screen), 0);
	if ((view = views_open_table(app, v, &err)) != NULL)
		app_push(app, view);
	else
		app_message(app, true, "%s", err.message);
	error_clear(&err);
}

/* A name is one word, and not one of the command's own words. */
static bool
name_ok(struct app *app, const char *name)
{
	static const char *const reserved[] = { "save", "share", "delete", NULL };

	for (size_t i = 0; reserved[i] != NULL; i++)
		if (str_eq(name, reserved[i])) {
			app_message(app, true, _("'%s' cannot name a view"), name);
			return false;
		}
	if (*name == '\0' || name[strcspn(name, " \t")] != '\0') {
		app_message(app, true, _("a view's name is one word: :view save NAME"));
		return false;
	}
	return true;
}

/* ":view save NAME": the table in front, kept in the user's file. */
static void
save_view(struct app *app, const char *name)
{
	struct table *t = view_table_of(app->top);
	struct saved_views vs;
	struct saved_view *v;
	struct error err = ERROR_INIT;

	if (t == NULL) {
		app_message(app, true, _("only a table can be saved as a view"));
		return;
	}
	if (!name_ok(app, name))
		return;
	views_file_load(&vs, NULL, NULL);
	v = views_of_table(t, name);
	saved_views_put(&vs, v);
	free(v);
	if (views_file_save(&vs, &err) == 0)
		app_message(app, false, _("view %s saved: :view %s opens it"), name, name);
	else
		app_message(app, true, _("the view is not saved: %s"), err.message);
	error_clear(&err);
	saved_views_free(&vs);
}

/* ":view delete NAME" and d in the list: the user's own view, after a question. */
void
views_delete(struct app *app, const char *name)
{
	struct saved_views vs;
	struct error err = ERROR_INIT;
	char *q;

	views_file_load(&vs, NULL, NULL);
	if (saved_views_find(&vs, name) == NULL)
		app_message(app, true, _("you have no view named %s"), name);
	else if (q = xasprintf(_("delete the view %s?"), name), !app_confirm(app, q))
		free(q);
	else {
		free(q);
		saved_views_remove(&vs, name);
		if (views_file_save(&vs, &err) == 0)
			app_message(app, false, _("view %s deleted"), name);
		else
			app_message(app, true, _("the view is not deleted: %s"), err.message);
	}
	error_clear(&err);
	saved_views_free(&vs);
}

void
views_load_all(struct app *app, struct saved_views *vs)
{
	views_file_load(vs, warn_once, app);
	views_load_shared(app, vs);
}

/* ":view NAME": a view of the user's, else one shared with their district. */
static void
open_named(struct app *app, const char *name)
{
	struct saved_views vs;
	const struct saved_view *v;

	views_load_all(app, &vs);
	if ((v = saved_views_find(&vs, name)) != NULL)
		views_show(app, v);
	else
		app_message(app, true, _("no saved view is named %s; :view lists them"), name);
	saved_views_free(&vs);
}

int
views_command(struct app *app, const char *args)
{
	char *copy = xstrdup(args), *save = NULL;
	char *word = strtok_r(copy, " \t", &save), *name = strtok_r(NULL, "", &save);
	struct error err = ERROR_INIT;
	struct view *list;

	name = name != NULL ? str_trim(name) : "";
	if (word == NULL) {
		if ((list = view_views_new(app, &err)) != NULL)
			app_push(app, list);
		else
			app_message(app, true, "%s", err.message);
	} else if (str_eq(word, "save"))
		save_view(app, name);
	else if (str_eq(word, "share"))
		views_share(app, name);
	else if (str_eq(word, "delete"))
		views_delete(app, name);
	else
		open_named(app, word);
	error_clear(&err);
	free(copy);
	return R_DRAW;
}
