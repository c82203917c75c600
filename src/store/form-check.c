/*
 * form-check.c — the checks that need a whole form: one id field and it comes first, enums
 * have options and valid defaults, references and "within" point at real fields, and the
 * id format names only fields that exist. Errors name the file and the line of the field.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/form.h"

int form_check(const struct form *form, struct error *err);

static int
check_fail(const struct form *form, int line, struct error *err, const char *reason)
{
	return error_set(err, ST_FAILED, "%s:%d: %s", form->path, line, reason);
}

static int
check_field(const struct form *form, const struct field *f, size_t index, struct error *err)
{
	const struct field *w;

	if (f->kind == FT_ID && index != 0)
		return check_fail(form, f->line, err, _("the id field must be the first field"));
	if (f->kind == FT_ENUM && f->n_options == 0)
		return check_fail(form, f->line, err, _("an enum field needs at least one 'option'"));
	if (f->kind == FT_SET && f->n_options == 0)
		return check_fail(form, f->line, err, _("a set field needs at least one 'option'"));
	if (f->kind != FT_ENUM && f->kind != FT_SET && f->n_options > 0)
		return check_fail(form, f->line, err, _("'option' is only for enum and set fields"));
	if (f->kind == FT_SET && (f->unique || f->indexed || f->index_by != NULL ||
	    f->default_value != NULL))
		return check_fail(form, f->line, err,
		    _("a set field cannot be unique, indexed or have a default"));
	if (f->kind == FT_ENUM && f->default_value != NULL && field_option(f, f->default_value) == NULL)
		return check_fail(form, f->line, err, _("the default is not one of the options"));
	if (f->kind == FT_REF && f->ref_form == NULL)
		return check_fail(form, f->line, err, _("a ref field needs 'ref FORM'"));
	if (f->kind == FT_LONGTEXT && (f->unique || f->indexed))
		return check_fail(form, f->line, err, _("multi-line text cannot be unique or indexed"));
	if (f->within != NULL) {
		w = form_field(form, f->within);
		if (f->kind != FT_DIVISION || f->level != DIV_STREET)
			return check_fail(form, f->line, err, _("'within' is only for street divisions"));
		if (w == NULL || w->kind != FT_DIVISION || w->level != DIV_DISTRICT)
			return check_fail(form, f->line, err,
			    _("'within' must name a district field of this form"));
	}
	if (f->index_by != NULL && ((w = form_field(form, f->index_by)) == NULL || w == f ||
	    w->kind == FT_LONGTEXT || f->kind == FT_LONGTEXT))
		return check_fail(form, f->line, err,
		    _("'index-by' must name another field of this form, not multi-line text"));
	if (f->from_ref != NULL && f->from_field == NULL &&
	    (str_eq(f->from_ref, "actor") ? f->kind != FT_REF : f->kind != FT_DATE))
		return check_fail(form, f->line, err,
		    _("'from actor' is for a ref field, 'from today' for a date field"));
	if (f->from_ref != NULL && f->from_field != NULL && ((w = form_field(form, f->from_ref)) == NULL ||
	    w->kind != FT_REF || w == f))
		return check_fail(form, f->line, err,
		    _("'from' must name a ref field of this form before the dot"));
	if (f->label_zh == NULL)
		return check_fail(form, f->line, err, _("the field has no 'label'"));
	return 0;
}

static int
check_id_format(const struct form *form, struct error *err)
{
	const char *s = form->id_format;
	bool has_seq = false;

	while ((s = strchr(s, '{')) != NULL) {
		const char *end = strchr(s, '}');
		char *name;
		const struct field *f;

		if (end == NULL)
			return check_fail(form, 1, err, _("id-format has a '{' without '}'"));
		name = xstrndup(s + 1, (size_t)(end - s - 1));
		if (str_starts(name, "seq:")) {
			int digits = atoi(name + 4);

			free(name);
			if (digits < 1 || digits > 12)
				return check_fail(form, 1, err, _("id-format {seq:N} needs N from 1 to 12"));
			has_seq = true;
		} else {
			f = form_field(form, name);
			free(name);
			if (f == NULL || !f->required)
				return check_fail(form, 1, err,
				    _("id-format may only use required fields"));
			if (f->private_)	/* an id is shown to every reader and is in git's paths */
				return check_fail(form, 1, err,
				    _("id-format may not use a private field"));
		}
		s = end + 1;
	}
	if (!has_seq)
		return check_fail(form, 1, err, _("id-format needs a {seq:N} part"));
	return 0;
}

/* "tally-count F=V …": a tally to go with; each F a field of the form that a tally could
 * name, each V one of its options when it has options. */
static int
check_tally_counts(const struct form *form, struct error *err)
{
	if (form->n_tally_count > 0 && form->n_tally == 0)
		return check_fail(form, 1, err, _("'tally-count' needs a 'tally' line"));
	for (size_t i = 0; i < form->n_tally_count; i++) {
		const struct field *f = form_field(form, form->tally_count_field[i]);
		bool known = f != NULL && f->n_options == 0;

		if (f == NULL || f->kind == FT_ID || f->kind == FT_TEXT || f->kind == FT_LONGTEXT ||
		    f->kind == FT_SET)
			return check_fail(form, 1, err, _("'tally-count' must name fields of the "
			    "form that are not the id or text"));
		for (size_t k = 0; !known && k < f->n_options; k++)
			known = str_eq(f->options[k].value, form->tally_count_value[i]);
		if (!known)
			return error_set(err, ST_FAILED, _("%s:%d: 'tally-count': '%s' is not an "
			    "option of %s"), form->path, 1, form->tally_count_value[i], f->name);
	}
	return 0;
}

int
form_check(const struct form *form, struct error *err)
{
	if (form->name == NULL)
		return check_fail(form, 1, err, _("the file has no 'form NAME' line"));
	if (form->version == 0)
		return check_fail(form, 1, err, _("the file has no 'version N' line"));
	if (form->label_zh == NULL)
		return check_fail(form, 1, err, _("the file has no 'label' line"));
	if (form->id_format == NULL)
		return check_fail(form, 1, err, _("the file has no 'id-format' line"));
	if (form->n_fields == 0 || form->fields[0].kind != FT_ID)
		return check_fail(form, 1, err, _("the first field must be of type id"));
	for (size_t i = 0; i < form->n_fields; i++)
		if (check_field(form, &form->fields[i], i, err) != 0)
			return -1;
	if (form->title != NULL && (form_field(form, form->title) == NULL ||
	    form_field(form, form->title)->kind != FT_TEXT))
		return check_fail(form, 1, err, _("'title' must name a text field of the form"));
	if (form->title != NULL && form_field(form, form->title)->private_)	/* names it everywhere */
		return check_fail(form, 1, err, _("'title' may not name a private field"));
	for (size_t i = 0; i < form->n_tally; i++) {
		const struct field *f = form_field(form, form->tally[i]);

		if (f == NULL || f->kind == FT_ID || f->kind == FT_TEXT || f->kind == FT_LONGTEXT ||
		    f->kind == FT_SET)
			return check_fail(form, 1, err,
			    _("'tally' must name fields of the form that are not the id or text"));
		for (size_t j = 0; j < i; j++)
			if (str_eq(form->tally[i], form->tally[j]))
				return check_fail(form, 1, err, _("'tally' names a field twice"));
	}
	if (check_tally_counts(form, err) != 0)
		return -1;
	return check_id_format(form, err);
}
