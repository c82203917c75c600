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
	const char *path;
	int line;
	struct form *form;
	struct field *field;	/* the field being described, NULL before the first */
	struct error *err;
};

static int
parse_fail(struct form_parser *p, const char *fmt, ...)
{
	va_list ap;
	struct buf msg = BUF_INIT;
	char *reason;

	va_start(ap, fmt);
	if (vasprintf(&reason, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	buf_printf(&msg, "%s:%d: %s", p->path, p->line, reason);
	error_set(p->err, ST_FAILED, "%s", buf_str(&msg));
	free(reason);
	buf_free(&msg);
	return -1;
}

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
parse_number(struct form_parser *p, const char *key, const char *arg, long long *out)
{
	char *end;

	if (*arg == '\0')
		return parse_fail(p, _("'%s' needs a number"), key);
	*out = strtoll(arg, &end, 10);
	if (*end != '\0')
		return parse_fail(p, _("'%s' needs a number, not '%s'"), key, arg);
	return 0;
}

static int
parse_form_line(struct form_parser *p, const char *key, const char *arg)
{
	struct form *form = p->form;
	long long v;

	if (str_eq(key, "form")) {
		if (!name_is_valid(arg))
			return parse_fail(p, _("bad form name '%s' (use a-z, 0-9 and _)"), arg);
		free(form->name);
		form->name = xstrdup(arg);
	} else if (str_eq(key, "version")) {
		if (parse_number(p, key, arg, &v) != 0)
			return -1;
		if (v < 1 || v > 1000000)
			return parse_fail(p, _("version must be a positive number"));
		form->version = (unsigned)v;
	} else if (str_eq(key, "label")) {
		split_label(arg, &form->label_zh, &form->label_en);
	} else if (str_eq(key, "id-format")) {
		free(form->id_format);
		form->id_format = xstrdup(arg);
	} else
		return parse_fail(p, _("unknown form setting '%s'"), key);
	return 0;
}

static int
parse_option(struct form_parser *p, const char *arg)
{
	struct field *f = p->field;
	const char *sp = arg + strcspn(arg, " \t");
	struct enum_option *o;
	char *value = xstrndup(arg, (size_t)(sp - arg));

	if (*value == '\0' || strchr(value, '|') != NULL) {
		free(value);
		return parse_fail(p, _("'option' needs a value and a label: option VALUE 中文 | English"));
	}
	for (size_t i = 0; i < f->n_options; i++)
		if (str_eq(f->options[i].value, value)) {
			free(value);
			return parse_fail(p, _("option '%s' given twice"), f->options[i].value);
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
parse_field_flag(struct form_parser *p, const char *key, const char *arg, bool *flag)
{
	if (*arg != '\0')
		return parse_fail(p, _("'%s' takes no value"), key);
	*flag = true;
	return 0;
}

static int
parse_field_line(struct form_parser *p, const char *key, const char *arg)
{
	struct field *f = p->field;
	long long v;

	if (str_eq(key, "type")) {
		if (field_kind_from_name(arg, &f->kind) != 0)
			return parse_fail(p, _("unknown field type '%s'"), arg);
	} else if (str_eq(key, "label"))
		split_label(arg, &f->label_zh, &f->label_en);
	else if (str_eq(key, "help"))
		split_label(arg, &f->help_zh, &f->help_en);
	else if (str_eq(key, "required"))
		return parse_field_flag(p, key, arg, &f->required);
	else if (str_eq(key, "unique"))
		return parse_field_flag(p, key, arg, &f->unique);
	else if (str_eq(key, "index"))
		return parse_field_flag(p, key, arg, &f->indexed);
	else if (str_eq(key, "max") || str_eq(key, "min")) {
		if (parse_number(p, key, arg, &v) != 0)
			return -1;
		if (key[1] == 'a') {
			f->max = v;
			f->has_max = true;
		} else {
			f->min = v;
			f->has_min = true;
		}
	} else if (str_eq(key, "column")) {
		if (parse_number(p, key, arg, &v) != 0)
			return -1;
		if (v < 0 || v > 200)
			return parse_fail(p, _("column width must be 0 to 200"));
		f->column = (int)v;
	} else if (str_eq(key, "option"))
		return parse_option(p, arg);
	else if (str_eq(key, "ref")) {
		free(f->ref_form);
		f->ref_form = xstrdup(arg);
	} else if (str_eq(key, "level")) {
		if (str_eq(arg, "district"))
			f->level = DIV_DISTRICT;
		else if (str_eq(arg, "street"))
			f->level = DIV_STREET;
		else
			return parse_fail(p, _("level must be 'district' or 'street', not '%s'"), arg);
	} else if (str_eq(key, "within")) {
		free(f->within);
		f->within = xstrdup(arg);
	} else if (str_eq(key, "default")) {
		free(f->default_value);
		f->default_value = xstrdup(arg);
	} else
		return parse_fail(p, _("unknown field setting '%s'"), key);
	return 0;
}

static int
start_field(struct form_parser *p, const char *name)
{
	struct form *form = p->form;

	if (!name_is_valid(name))
		return parse_fail(p, _("bad field name '%s' (use a-z, 0-9 and _)"), name);
	if (form_field(form, name) != NULL)
		return parse_fail(p, _("field '%s' is defined twice"), name);
	form->fields = xrealloc(form->fields, (form->n_fields + 1) * sizeof *form->fields);
	p->field = &form->fields[form->n_fields++];
	memset(p->field, 0, sizeof *p->field);
	p->field->name = xstrdup(name);
	p->field->kind = FT_TEXT;
	p->field->line = p->line;
	return 0;
}

static int
parse_line(struct form_parser *p, char *line)
{
	char *s = str_trim(line), *arg;

	if (*s == '\0' || *s == '#')
		return 0;
	arg = s + strcspn(s, " \t");
	if (*arg != '\0')
		*arg++ = '\0';
	arg = str_trim(arg);
	if (str_eq(s, "field"))
		return start_field(p, arg);
	if (p->field == NULL)
		return parse_form_line(p, s, arg);
	return parse_field_line(p, s, arg);
}

/* Checks that need the whole form: see form-check.c. */
int form_check(const struct form *form, struct error *err);

int
form_parse(const char *path, const char *text, struct form **out, struct error *err)
{
	struct form_parser p = { path, 0, NULL, NULL, err };
	char *copy = xstrdup(text), *line, *next;
	int rc = 0;

	p.form = xcalloc(1, sizeof *p.form);
	p.form->path = xstrdup(path);
	p.form->text = xstrdup(text);
	if (!utf8_valid(text, strlen(text))) {
		p.line = 1;
		rc = parse_fail(&p, _("the file is not valid UTF-8"));
	}
	for (line = copy; rc == 0 && line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		p.line++;
		rc = parse_line(&p, line);
	}
	free(copy);
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
	free(f->within);
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
	free(form->text);
	free(form);
}
