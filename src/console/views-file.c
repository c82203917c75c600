/*
 * views-file.c — a user's saved views and default columns, in a file of the Unix user:
 * $XDG_CONFIG_HOME/huitou/views, else ~/.config/huitou/views (README.md, "Saved views"). The
 * format is lines, read by the one line-file reader:
 *
 *   view NAME              a view; its lines follow, indented
 *     form FORM
 *     limit EXPRESSION
 *     sort FIELD asc|desc
 *     columns FIELD…
 *   columns FORM FIELD…    not indented: the default columns of a form's tables
 *
 * A bad line is reported and skipped; the program writes the file whole, to a temporary file
 * renamed over the old one, with the user's own rights (never a setgid program's group).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "console/views.h"

char *
views_file_path(void)
{
	const char *xdg = secure_getenv("XDG_CONFIG_HOME"), *home = secure_getenv("HOME");
	struct passwd *pw;

	if (xdg != NULL && *xdg != '\0')
		return xasprintf("%s/huitou/views", xdg);
	if ((home == NULL || *home == '\0') && (pw = getpwuid(getuid())) != NULL)
		home = pw->pw_dir;	/* setgid: the environment is not trusted, passwd is */
	return xasprintf("%s/.config/huitou/views", home != NULL ? home : "/nonexistent");
}

void
saved_view_free(struct saved_view *v)
{
	if (v == NULL)
		return;
	free(v->name);
	free(v->form);
	free(v->limit);
	free(v->sort);
	strv_free(v->columns);
	free(v->district);
	free(v->id);
	memset(v, 0, sizeof *v);
}

void
saved_views_free(struct saved_views *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		saved_view_free(&vs->views[i]);
	for (size_t i = 0; i < vs->n_defaults; i++) {
		free(vs->defaults[i].form);
		strv_free(vs->defaults[i].columns);
	}
	free(vs->views);
	free(vs->defaults);
	memset(vs, 0, sizeof *vs);
}

struct saved_view *
saved_views_find(struct saved_views *vs, const char *name)
{
	for (size_t i = 0; i < vs->n; i++)
		if (str_eq(vs->views[i].name, name))
			return &vs->views[i];
	return NULL;
}

void
saved_views_put(struct saved_views *vs, struct saved_view *v)
{
	struct saved_view *old = saved_views_find(vs, v->name);

	if (old == NULL) {
		vs->views = xrealloc(vs->views, (vs->n + 1) * sizeof *vs->views);
		old = &vs->views[vs->n++];
	} else
		saved_view_free(old);
	*old = *v;
	memset(v, 0, sizeof *v);
}

bool
saved_views_remove(struct saved_views *vs, const char *name)
{
	struct saved_view *v = saved_views_find(vs, name);

	if (v == NULL)
		return false;
	saved_view_free(v);
	memmove(v, v + 1, (size_t)(&vs->views[vs->n] - (v + 1)) * sizeof *v);
	vs->n--;
	return true;
}

const char *const *
saved_views_default_columns(const struct saved_views *vs, const char *form)
{
	for (size_t i = 0; i < vs->n_defaults; i++)
		if (str_eq(vs->defaults[i].form, form))
			return (const char *const *)vs->defaults[i].columns;
	return NULL;
}

/* Takes columns. */
void
saved_views_set_default_columns(struct saved_views *vs, const char *form, char **columns)
{
	for (size_t i = 0; i < vs->n_defaults; i++)
		if (str_eq(vs->defaults[i].form, form)) {
			strv_free(vs->defaults[i].columns);
			vs->defaults[i].columns = columns;
			return;
		}
	vs->defaults = xrealloc(vs->defaults, (vs->n_defaults + 1) * sizeof *vs->defaults);
	vs->defaults[vs->n_defaults].form = xstrdup(form);
	vs->defaults[vs->n_defaults++].columns = columns;
}

/* words[from…] copied, NULL-terminated. */
static char **
words_copy(const struct lf_line *ln, size_t from)
{
	char **v = xcalloc(ln->n_words + 1, sizeof *v);

	for (size_t i = from; i < ln->n_words; i++)
		v[i - from] = xstrdup(ln->words[i]);
	return v;
}

/* The view the indented lines describe: the last one read. */
static struct saved_view *
current_view(struct linefile *lf, const struct lf_line *ln)
{
	struct saved_views *vs = lf->arg;

	if (!ln->indented || vs->n == 0) {
		linefile_fail(lf, _("'%s' belongs to a view: indent it under a 'view NAME' line"),
		    ln->words[0]);
		return NULL;
	}
	return &vs->views[vs->n - 1];
}

static int
view_line(struct linefile *lf, const struct lf_line *ln)
{
	struct saved_views *vs = lf->arg;
	struct saved_view v = { 0 };

	if (ln->n_words != 2)
		return linefile_fail(lf, _("'view' needs one word, the view's name"));
	if (saved_views_find(vs, ln->words[1]) != NULL)	/* the later one wins, at the end */
		saved_views_remove(vs, ln->words[1]);
	v.name = xstrdup(ln->words[1]);
	saved_views_put(vs, &v);
	return 0;
}

static int
form_line(struct linefile *lf, const struct lf_line *ln)
{
	struct saved_view *v = current_view(lf, ln);

	if (v == NULL)
		return -1;
	if (ln->n_words != 2)
		return linefile_fail(lf, _("'form' needs one word, the form's name"));
	free(v->form);
	v->form = xstrdup(ln->words[1]);
	return 0;
}

static int
limit_line(struct linefile *lf, const struct lf_line *ln)
{
	struct saved_view *v = current_view(lf, ln);

	if (v == NULL)
		return -1;
	free(v->limit);
	v->limit = *ln->rest != '\0' ? xstrdup(ln->rest) : NULL;
	return 0;
}

static int
sort_line(struct linefile *lf, const struct lf_line *ln)
{
	struct saved_view *v = current_view(lf, ln);

	if (v == NULL)
		return -1;
	if (ln->n_words != 3 || (!str_eq(ln->words[2], "asc") && !str_eq(ln->words[2], "desc")))
		return linefile_fail(lf, _("'sort' needs a field and asc or desc"));
	free(v->sort);
	v->sort = xstrdup(ln->words[1]);
	v->sort_desc = str_eq(ln->words[2], "desc");
	return 0;
}

/* Indented: the view's columns; not indented: a form's default columns. */
static int
columns_line(struct linefile *lf, const struct lf_line *ln)
{
	struct saved_views *vs = lf->arg;
	struct saved_view *v;

	if (!ln->indented) {
		if (ln->n_words < 3)
			return linefile_fail(lf, _("'columns' needs a form and at least one field"));
		saved_views_set_default_columns(vs, ln->words[1], words_copy(ln, 2));
		return 0;
	}
	if ((v = current_view(lf, ln)) == NULL)
		return -1;
	if (ln->n_words < 2)
		return linefile_fail(lf, _("'columns' needs at least one field"));
	strv_free(v->columns);
	v->columns = words_copy(ln, 1);
	return 0;
}

static const struct lf_keyword views_keys[] = {
	{ "view", view_line }, { "form", form_line }, { "limit", limit_line },
	{ "sort", sort_line }, { "columns", columns_line }, { NULL, NULL },
};

static void
no_warning(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* A view without a form cannot be opened: it is reported and dropped. */
static void
drop_formless(struct saved_views *vs, const char *path,
    void (*warn)(void *arg, const char *message), void *arg)
{
	for (size_t i = 0; i < vs->n; )
		if (vs->views[i].form == NULL) {
			char *m = xasprintf(_("%s: the view %s has no 'form' line"), path,
			    vs->views[i].name);

			warn(arg, m);
			free(m);
			saved_views_remove(vs, vs->views[i].name);
		} else
			i++;
}

void
views_file_parse(struct saved_views *vs, const char *path, const char *text, size_t len,
    void (*warn)(void *arg, const char *message), void *arg)
{
	struct linefile lf = { .path = path, .keywords = views_keys, .arg = vs,
	    .warn = warn != NULL ? warn : no_warning, .warn_arg = arg };

	(void)linefile_read(&lf, text, len);	/* bad lines: warned */
	drop_formless(vs, path, lf.warn, arg);
}

void
views_file_load(struct saved_views *vs, void (*warn)(void *arg, const char *message), void *arg)
{
	char *path = views_file_path();
	struct buf text = BUF_INIT;
	struct error err = ERROR_INIT;

	memset(vs, 0, sizeof *vs);
	if (path_exists(path)) {
		if (file_read_as_caller(path, &text, &err) != 0)
			(warn != NULL ? warn : no_warning)(arg, err.message);
		else
			views_file_parse(vs, path, buf_str(&text), text.len, warn, arg);
	}
	error_clear(&err);
	buf_free(&text);
	free(path);
}

static void
write_words(struct buf *b, const char *head, char *const *words)
{
	buf_adds(b, head);
	for (size_t i = 0; words[i] != NULL; i++)
		buf_printf(b, " %s", words[i]);
	buf_addc(b, '\n');
}

static void
views_text(const struct saved_views *vs, struct buf *b)
{
	buf_adds(b, "# huitou's saved views and default columns, written by huitou (:view save, c).\n"
	    "# The format is in huitou's README.md, \"Saved views\".\n");
	for (size_t i = 0; i < vs->n_defaults; i++) {
		char *head = xasprintf("columns %s", vs->defaults[i].form);

		write_words(b, head, vs->defaults[i].columns);
		free(head);
	}
	for (size_t i = 0; i < vs->n; i++) {
		const struct saved_view *v = &vs->views[i];

		if (v->district != NULL)
			continue;	/* a shared view is a record of the store, not of this file */
		buf_printf(b, "\nview %s\n  form %s\n", v->name, v->form);
		if (v->limit != NULL)
			buf_printf(b, "  limit %s\n", v->limit);
		if (v->sort != NULL)
			buf_printf(b, "  sort %s %s\n", v->sort, v->sort_desc ? "desc" : "asc");
		if (v->columns != NULL)
			write_words(b, "  columns", v->columns);
	}
}

/* mkdir -p of the folders above path (each 0700 when made). */
int
views_file_save(const struct saved_views *vs, struct error *err)
{
	char *path = views_file_path();
	struct buf text = BUF_INIT;
	int rc;

	views_text(vs, &text);
	rc = file_write_private(path, &text, err);
	buf_free(&text);
	free(path);
	return rc;
}
