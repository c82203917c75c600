/*
 * views.h — saved views: a table's form, limit, sort and columns under a name, opened again
 * with ":view NAME". A user's own views and the default columns chosen with "c" live in a
 * file of the Unix user (views-file.c); views shared with a district are records of the
 * view form, written through the store like any other record (views-shared.c).
 */
#ifndef HUITOU_VIEWS_H
#define HUITOU_VIEWS_H

#include "console/table.h"

struct saved_view {
	char *name;
	char *form;		/* the form's name */
	char *limit;		/* NULL: every row */
	char *sort;		/* the field sorted by; NULL: id order */
	bool sort_desc;
	char **columns;		/* field names, NULL-terminated; NULL: the default columns */
	char *district;		/* shared with this district (a code); NULL: the user's own */
	char *id;		/* shared: the record's id */
};

struct default_columns {
	char *form;
	char **columns;
};

struct saved_views {
	struct saved_view *views;
	size_t n;
	struct default_columns *defaults;
	size_t n_defaults;
};

/* views-file.c: the user's file, $XDG_CONFIG_HOME/huitou/views else ~/.config/huitou/views
 * (README.md, "Saved views"). A missing file is no views; each bad line is reported through
 * warn (FILE:LINE: reason) and skipped. */
char *views_file_path(void);	/* caller frees */
void views_file_load(struct saved_views *vs, void (*warn)(void *arg, const char *message),
    void *arg);
/* The same from text already read (vs zeroed by the caller), path naming it in messages. */
void views_file_parse(struct saved_views *vs, const char *path, const char *text, size_t len,
    void (*warn)(void *arg, const char *message), void *arg);
/* Written whole to a temporary file beside it, then renamed over it: never half a file. */
int views_file_save(const struct saved_views *vs, struct error *err);
void saved_views_free(struct saved_views *vs);
void saved_view_free(struct saved_view *v);
struct saved_view *saved_views_find(struct saved_views *vs, const char *name);
/* Adds v (taking what it holds), replacing a view of the same name. */
void saved_views_put(struct saved_views *vs, struct saved_view *v);
bool saved_views_remove(struct saved_views *vs, const char *name);
const char *const *saved_views_default_columns(const struct saved_views *vs, const char *form);
void saved_views_set_default_columns(struct saved_views *vs, const char *form, char **columns);

/* views-apply.c: between the table and the views. */
/* The user's default columns for the table's form, if any fit it (view_table_new). */
void views_default_columns(struct app *app, struct table *t);
/* "c" changed the columns: they are the user's default for the form from now on. */
void views_remember_columns(struct app *app, struct table *t);
/* The view of a table: its form, limit, sort and columns; caller frees (saved_view_free). */
struct saved_view *views_of_table(const struct table *t, const char *name);
/* A table showing v; NULL with err when its form, a column or its limit does not fit. */
struct view *views_open_table(struct app *app, const struct saved_view *v, struct error *err);
/* The view on the screen of its form (1–9), over what that screen showed. */
void views_show(struct app *app, const struct saved_view *v);
/* The user's own view, after a question; the outcome on the message line. */
void views_delete(struct app *app, const char *name);
/* ":view share NAME": the user's view NAME as a record shared with their district. */
void views_share(struct app *app, const char *name);
/* Appends the views shared with the user's district (every district's for a user with none). */
void views_load_shared(struct app *app, struct saved_views *vs);
/* d on a shared view: the record no longer shared (views-shared.c). */
void views_unshare(struct app *app, const struct saved_view *v);
/* ":view", ":view NAME", ":view save NAME", ":view share NAME", ":view delete NAME". */
int views_command(struct app *app, const char *args);
/* Every view the user may open: their own, then the ones shared with their district. */
void views_load_all(struct app *app, struct saved_views *vs);

/* view-views.c: the list of saved views; Enter opens one, d deletes it. */
struct view *view_views_new(struct app *app, struct error *err);

/* view-table.c: the table of a view, NULL when it is not one. */
struct table *view_table_of(struct view *v);

#endif
