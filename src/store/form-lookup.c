/*
 * form-lookup.c — loading the forms of a directory, and finding forms, fields and labels.
 */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "store/form.h"

static const char *const kind_names[] = {
	[FT_ID] = "id", [FT_TEXT] = "text", [FT_LONGTEXT] = "longtext",
	[FT_INTEGER] = "integer", [FT_MONEY] = "money", [FT_DATE] = "date", [FT_ENUM] = "enum",
	[FT_BOOL] = "bool", [FT_REF] = "ref", [FT_DIVISION] = "division", [FT_USCC] = "uscc",
	[FT_IDCARD] = "idcard", [FT_TEACHER_CERT] = "teacher_cert", [FT_PHONE] = "phone",
	[FT_SET] = "set",
};

const char *
field_kind_name(enum field_kind kind)
{
	return kind_names[kind];
}

int
field_kind_from_name(const char *name, enum field_kind *out)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (str_eq(kind_names[i], name)) {
			*out = (enum field_kind)i;
			return 0;
		}
	return -1;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.form files of dir, sorted so that loading is the same everywhere. */
static char **
list_form_files(const char *dir, size_t *n, struct error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;

	*n = 0;
	if (d == NULL) {
		error_set(err, ST_FAILED, _("cannot read the forms directory %s"), dir);
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len <= 5 || e->d_name[0] == '.' || strcmp(e->d_name + len - 5, ".form") != 0)
			continue;
		names = xrealloc(names, (*n + 2) * sizeof *names);
		names[(*n)++] = xstrdup(e->d_name);
		names[*n] = NULL;
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof *names, compare_names);
	return names;
}

int
formset_load_dir(const char *dir, struct formset *out, struct error *err)
{
	size_t n;
	char **names = list_form_files(dir, &n, err);

	memset(out, 0, sizeof *out);
	if (names == NULL)
		return n == 0 && err->message == NULL ?
		    error_set(err, ST_FAILED, _("no form files in %s"), dir) : -1;
	out->forms = xcalloc(n, sizeof *out->forms);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		int rc = form_load_file(path, &out->forms[out->n], err);

		free(path);
		if (rc != 0)
			goto fail;
		if (formset_find(out, out->forms[out->n]->name) != NULL) {
			error_set(err, ST_FAILED, _("%s: form '%s' is defined twice"),
			    out->forms[out->n]->path, out->forms[out->n]->name);
			form_free(out->forms[out->n]);
			goto fail;
		}
		out->n++;
	}
	strv_free(names);
	return 0;
fail:
	strv_free(names);
	formset_free(out);
	return -1;
}

void
formset_free(struct formset *set)
{
	for (size_t i = 0; i < set->n; i++)
		form_free(set->forms[i]);
	free(set->forms);
	set->forms = NULL;
	set->n = 0;
}

const struct form *
formset_find(const struct formset *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (str_eq(set->forms[i]->name, name))
			return set->forms[i];
	return NULL;
}

const struct form *
formset_form_of_id(const struct formset *set, const char *id)
{
	size_t plen = strcspn(id, "-{");

	for (size_t i = 0; plen > 0 && i < set->n; i++) {
		const char *fmt = set->forms[i]->id_format;

		if (fmt != NULL && strncmp(fmt, id, plen) == 0 &&
		    (fmt[plen] == '-' || fmt[plen] == '{'))
			return set->forms[i];
	}
	return NULL;
}

int
form_field_index(const struct form *form, const char *name)
{
	for (size_t i = 0; i < form->n_fields; i++)
		if (str_eq(form->fields[i].name, name))
			return (int)i;
	return -1;
}

int
form_tally_index(const struct form *form, const char *name)
{
	for (size_t i = 0; i < form->n_tally; i++)
		if (str_eq(form->tally[i], name))
			return (int)i;
	return -1;
}

const struct field *
form_field(const struct form *form, const char *name)
{
	int i = form_field_index(form, name);

	return i < 0 ? NULL : &form->fields[i];
}

const struct field *
form_field_by_header(const struct form *form, const char *header)
{
	const struct field *f = form_field(form, header);

	for (size_t i = 0; f == NULL && i < form->n_fields; i++)
		if (str_eq(form->fields[i].label_zh, header) ||
		    str_eq(form->fields[i].label_en, header))
			f = &form->fields[i];
	return f;
}

const char *
field_label(const struct field *f)
{
	return lang_pick(f->label_zh, f->label_en);
}

const char *
form_label(const struct form *form)
{
	return lang_pick(form->label_zh, form->label_en);
}
