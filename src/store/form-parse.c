/*
 * form-parse.c — reads a form file (forms/README.md) into a struct form. A malformed file is
 * refused with "FILE:LINE: what is wrong", so a bad edit to a form stops the program at start
 * instead of corrupting records later.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/form.h"

struct form_parser {
	struct form *form;
	struct field *field;	/* the field being described, NULL before the first */
};

static bool
name_is_valid(const char *s)
{
	if (!islower((unsigned char)*s) && *s != '_')
		return false;
	for (; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* "中文 | English" → two strings; a label without '|' serves both languages. */
void
split_label(const char *arg, char **zh, char **en)
{
	const char *bar = strchr(arg, '|');
	char *a, *b;

	free(*zh);
	free(*en);
	if (bar == NULL) {
		*zh = xstrdup(arg);
		*en = xstrdup(arg);
		return;
	}
	a = xstrndup(arg, (size_t)(bar - arg));
	b = xstrdup(bar + 1);
	*zh = xstrdup(str_trim(a));
	*en = xstrdup(str_trim(b));
	free(a);
	free(b);
}

static int
parse_number(struct linefile *lf, const struct lf_line *ln, long long *out)
{
	const char *key = ln->words[0], *arg = ln->rest;
	char *end;

	if (*arg == '\0')
		return linefile_fail(lf, _("'%s' needs a number"), key);
	*out = strtoll(arg, &end, 10);
	if (*end != '\0')
		return linefile_fail(lf, _("'%s' needs a number, not '%s'"), key, arg);
	return 0;
}

static void
set_text(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

/* The form's own lines, before the first field. */
static int
form_name(struct linefile *lf, const struct lf_line *ln)
{
	struct form_parser *p = lf->arg;

	if (!name_is_valid(ln->rest))
		return linefile_fail(lf, _("bad form name '%s' (use a-z, 0-9 and _)"), ln->rest);
	set_text(&p->form->name, ln->rest);
	return 0;
}

static int
form_version(struct linefile *lf, const struct lf_line *ln)
{
	struct form_parser *p = lf->arg;
	long long v;

	if (parse_number(lf, ln, &v) != 0)
		return -1;
	if (v < 1 || v > 1000000)
		return linefile_fail(lf, _("version must be a positive number"));
	p->form->version = (unsigned)v;
	return 0;
}

static int
form_set_label(struct linefile *lf, const struct lf_line *ln)
{
	struct form_parser *p = lf->arg;

	split_label(ln->rest, &p->form->label_zh, &p->form->label_en);
	return 0;
}

static int
form_id_format(struct linefile *lf, const struct lf_line *ln)
{
	struct form_parser *p = lf->arg;

	set_text(&p->form->id_format, ln->rest);
	return 0;
}

static int
form_title(struct linefile *lf, const struct lf_line *ln)
{
	set_text(&((struct form_parser *)lf->arg)->form->title, ln->rest);
	return 0;
}

/* "tally F1 F2 …": fields checked in form_check, once they are all read. */
static int
form_tally(struct linefile *lf, const struct lf_line *ln)
{
	struct form *form = ((struct form_parser *)lf->arg)->form;

	if (form->tally != NULL)
		return linefile_fail(lf, _("a second 'tally' line"));
	if (ln->n_words < 2 || ln->n_words > TALLY_FIELDS_MAX + 1)
		return linefile_fail(lf, _("'tally' names one to eight fields"));
	form->tally = xcalloc(ln->n_words, sizeof *form->tally);
	for (size_t i = 1; i < ln->n_words; i++)
		form->tally[form->n_tally++] = xstrdup(ln->words[i]);
	return 0;
}

/* "tally-count F=V …": checked in form_check with the tally. */
static int
form_tally_count(struct linefile *lf, const struct lf_line *ln)
{
	struct form *form = ((struct form_parser *)lf->arg)->form;

	if (form->tally_count_field != NULL)
		return linefile_fail(lf, _("a second 'tally-count' line"));
	if (ln->n_words < 2 || ln->n_words > TALLY_COUNTS_MAX + 1)
		return linefile_fail(lf, _("'tally-count' names one to sixteen FIELD=VALUE"));
	form->tally_count_field = xcalloc(ln->n_words, sizeof *form->tally_count_field);
	form->tally_count_value = xcalloc(ln->n_words, sizeof *form->tally_count_value);
	for (size_t i = 1; i < ln->n_words; i++) {
		const char *eq = strchr(ln->words[i], '=');

		if (eq == NULL || eq == ln->words[i] || eq[1] == '\0')
			return linefile_fail(lf, _("'tally-count' takes FIELD=VALUE, not '%s'"),
			    ln->words[i]);
		form->tally_count_field[form->n_tally_count] = xstrndup(ln->words[i],
		    (size_t)(eq - ln->words[i]));
		form->tally_count_value[form->n_tally_count++] = xstrdup(eq + 1);
	}
	return 0;
}

static int
form_answers(struct linefile *lf, const struct lf_line *ln)
{
	set_text(&((struct form_parser *)lf->arg)->form->answers, ln->rest);
	return 0;
}

static int
form_unknown(struct linefile *lf, const struct lf_line *ln)
{
	return linefile_fail(lf, _("unknown form setting '%s'"), ln->words[0]);
}

/* A field's lines, after its "field NAME" line. */
static int
field_type(struct linefile *lf, const struct lf_line *ln)
{
	struct form_parser *p = lf->arg;

	if (field_kind_from_name(ln->rest, &p->field->kind) != 0)
		return linefile_fail(lf, _("unknown field type '%s'"), ln->rest);
	return 0;
}

static int
field_set_label(struct linefile *lf, const struct lf_line *ln)
{
	struct form_parser *p = lf->arg;

	split_label(ln->rest, &p->field->label_zh, &p->field->label_en);
	return 0;
}

static int
field_help(struct linefile *lf, const struct lf_line *ln)
{
	struct form_parser *p = lf->arg;

	split_label(ln->rest, &p->field->help_zh, &p->field->help_en);
	return 0;
}

/* required, unique, index, by-move, reason: a word alone. */
static int
field_flag(struct linefile *lf, const struct lf_line *ln)
{
	struct field *f = ((struct form_parser *)lf->arg)->field;
	const char *key = ln->words[0];

	if (*ln->rest != '\0')
		return linefile_fail(lf, _("'%s' takes no value"), key);
	if (str_eq(key, "required"))
		f->required = true;
	else if (str_eq(key, "unique"))
		f->unique = true;
	else if (str_eq(key, "by-move"))
		f->by_move = true;
	else if (str_eq(key, "reason"))
		f->needs_reason = true;
	else if (str_eq(key, "private"))
		f->private_ = true;
	else
		f->indexed = true;
	return 0;
}

static int
field_limit(struct linefile *lf, const struct lf_line *ln)
{
	struct field *f = ((struct form_parser *)lf->arg)->field;
	long long v;

	if (parse_number(lf, ln, &v) != 0)
		return -1;
	if (str_eq(ln->words[0], "max")) {
		f->max = v;
		f->has_max = true;
	} else {
		f->min = v;
		f->has_min = true;
	}
	return 0;
}

static int
field_column(struct linefile *lf, const struct lf_line *ln)
{
	struct form_parser *p = lf->arg;
	long long v;

	if (parse_number(lf, ln, &v) != 0)
		return -1;
	if (v < 0 || v > 200)
		return linefile_fail(lf, _("column width must be 0 to 200"));
	p->field->column = (int)v;
	return 0;
}

static int
field_add_option(struct linefile *lf, const struct lf_line *ln)
{
	struct field *f = ((struct form_parser *)lf->arg)->field;
	const char *arg = ln->rest, *sp = arg + strcspn(arg, " \t");
	struct enum_option *o;
	char *value = xstrndup(arg, (size_t)(sp - arg));

	if (*value == '\0' || strchr(value, '|') != NULL) {
		free(value);
		return linefile_fail(lf,
		    _("'option' needs a value and a label: option VALUE 中文 | English"));
	}
	for (size_t i = 0; i < f->n_options; i++)
		if (str_eq(f->options[i].value, value)) {
			free(value);
			return linefile_fail(lf, _("option '%s' given twice"), f->options[i].value);
		}
	f->options = xrealloc(f->options, (f->n_options + 1) * sizeof *f->options);
	o = &f->options[f->n_options++];
	memset(o, 0, sizeof *o);
	o->value = value;
	while (*sp == ' ' || *sp == '\t')
		sp++;
	split_label(*sp != '\0' ? sp : value, &o->label_zh, &o->label_en);
	return 0;
}

static int
field_ref(struct linefile *lf, const struct lf_line *ln)
{
	set_text(&((struct form_parser *)lf->arg)->field->ref_form, ln->rest);
	return 0;
}

static int
field_level(struct linefile *lf, const struct lf_line *ln)
{
	struct field *f = ((struct form_parser *)lf->arg)->field;

	if (str_eq(ln->rest, "district"))
		f->level = DIV_DISTRICT;
	else if (str_eq(ln->rest, "street"))
		f->level = DIV_STREET;
	else
		return linefile_fail(lf, _("level must be 'district' or 'street', not '%s'"),
		    ln->rest);
	return 0;
}

static int
field_index_by(struct linefile *lf, const struct lf_line *ln)
{
	if (ln->n_words != 2)
		return linefile_fail(lf, _("'index-by' names one field"));
	set_text(&((struct form_parser *)lf->arg)->field->index_by, ln->rest);
	return 0;
}

static int
field_within(struct linefile *lf, const struct lf_line *ln)
{
	set_text(&((struct form_parser *)lf->arg)->field->within, ln->rest);
	return 0;
}

/* "from REF.FIELD": taken from the record a ref field of this form names; "from actor" and
 * "from today": who writes the record and today (from_field NULL). */
static int
field_from(struct linefile *lf, const struct lf_line *ln)
{
	struct field *f = ((struct form_parser *)lf->arg)->field;
	const char *dot = strchr(ln->rest, '.');

	if (ln->n_words == 2 && (str_eq(ln->rest, "actor") || str_eq(ln->rest, "today"))) {
		free(f->from_ref);
		free(f->from_field);
		f->from_ref = xstrdup(ln->rest);
		f->from_field = NULL;
		return 0;
	}
	if (ln->n_words != 2 || dot == NULL || dot == ln->rest || dot[1] == '\0')
		return linefile_fail(lf, _("'from' takes REF_FIELD.FIELD, e.g. from institution.district"));
	free(f->from_ref);
	free(f->from_field);
	f->from_ref = xstrndup(ln->rest, (size_t)(dot - ln->rest));
	f->from_field = xstrdup(dot + 1);
	return 0;
}

static int
field_default(struct linefile *lf, const struct lf_line *ln)
{
	set_text(&((struct form_parser *)lf->arg)->field->default_value, ln->rest);
	return 0;
}

static int
field_unknown(struct linefile *lf, const struct lf_line *ln)
{
	return linefile_fail(lf, _("unknown field setting '%s'"), ln->words[0]);
}

static int start_field(struct linefile *lf, const struct lf_line *ln);

static const struct lf_keyword form_keys[] = {
	{ "field", start_field },
	{ "form", form_name },
	{ "version", form_version },
	{ "label", form_set_label },
	{ "id-format", form_id_format },
	{ "title", form_title },
	{ "answers", form_answers },
	{ "tally", form_tally },
	{ "tally-count", form_tally_count },
	{ NULL, form_unknown },
};

static const struct lf_keyword field_keys[] = {
	{ "field", start_field },
	{ "type", field_type },
	{ "label", field_set_label },
	{ "help", field_help },
	{ "required", field_flag },
	{ "unique", field_flag },
	{ "index", field_flag },
	{ "by-move", field_flag },
	{ "reason", field_flag },
	{ "private", field_flag },
	{ "max", field_limit },
	{ "min", field_limit },
	{ "column", field_column },
	{ "option", field_add_option },
	{ "ref", field_ref },
	{ "level", field_level },
	{ "within", field_within },
	{ "index-by", field_index_by },
	{ "default", field_default },
	{ "from", field_from },
	{ NULL, field_unknown },
};

/* "field NAME": the lines after it describe that field. */
static int
start_field(struct linefile *lf, const struct lf_line *ln)
{
	struct form_parser *p = lf->arg;
	struct form *form = p->form;
	const char *name = ln->rest;

	if (!name_is_valid(name))
		return linefile_fail(lf, _("bad field name '%s' (use a-z, 0-9 and _)"), name);
	if (form_field(form, name) != NULL)
		return linefile_fail(lf, _("field '%s' is defined twice"), name);
	form->fields = xrealloc(form->fields, (form->n_fields + 1) * sizeof *form->fields);
	p->field = &form->fields[form->n_fields++];
	memset(p->field, 0, sizeof *p->field);
	p->field->name = xstrdup(name);
	p->field->kind = FT_TEXT;
	p->field->line = ln->number;
	lf->keywords = field_keys;
	return 0;
}

/* Checks that need the whole form: see form-check.c. */
int form_check(const struct form *form, struct error *err);

int
form_parse(const char *path, const char *text, struct form **out, struct error *err)
{
	struct form_parser p = { NULL, NULL };
	struct linefile lf = { .path = path, .keywords = form_keys, .arg = &p, .err = err };
	int rc;

	p.form = xcalloc(1, sizeof *p.form);
	p.form->path = xstrdup(path);
	p.form->text = xstrdup(text);
	rc = linefile_read(&lf, text, strlen(text));
	if (rc == 0)
		rc = form_check(p.form, err);
	if (rc != 0) {
		form_free(p.form);
		return -1;
	}
	*out = p.form;
	return 0;
}

int
form_load_file(const char *path, struct form **out, struct error *err)
{
	struct buf text = BUF_INIT;
	int rc;

	if (file_read_all(path, &text, err) != 0) {
		buf_free(&text);
		return -1;
	}
	rc = form_parse(path, buf_str(&text), out, err);
	buf_free(&text);
	return rc;
}

static void
field_free(struct field *f)
{
	free(f->name);
	free(f->label_zh);
	free(f->label_en);
	free(f->help_zh);
	free(f->help_en);
	for (size_t i = 0; i < f->n_options; i++) {
		free(f->options[i].value);
		free(f->options[i].label_zh);
		free(f->options[i].label_en);
	}
	free(f->options);
	free(f->ref_form);
	free(f->from_ref);
	free(f->from_field);
	free(f->within);
	free(f->index_by);
	free(f->default_value);
}

void
form_free(struct form *form)
{
	if (form == NULL)
		return;
	for (size_t i = 0; i < form->n_fields; i++)
		field_free(&form->fields[i]);
	free(form->fields);
	free(form->name);
	free(form->path);
	free(form->label_zh);
	free(form->label_en);
	free(form->id_format);
	free(form->title);
	free(form->answers);
	strv_free(form->tally);
	strv_free(form->tally_count_field);
	strv_free(form->tally_count_value);
	free(form->text);
	free(form);
}
