/*
 * record.c — a record in memory: one canonical string per field of its form. Input goes in
 * through record_set_input, which validates it with the field's type and names the field in
 * any refusal, so every front end (command line, import, console) refuses the same way; a
 * change of a district there also clears the streets it no longer holds (record-rules.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

/* Every empty value of a new record, never freed: an import makes 100,000 records whose
 * empty fields would each cost a malloc and a free. */
static char no_value[1];

static char *
value_copy(const char *s)
{
	return *s == '\0' ? no_value : xstrdup(s);
}

/* Field i's value, unless it is shared or borrowed; the field is then set anew. */
static void
value_free(struct record *rec, size_t i)
{
	if (i < 64 && (rec->borrowed & (uint64_t)1 << i) != 0)
		rec->borrowed &= ~((uint64_t)1 << i);
	else if (rec->values[i] != no_value)
		free(rec->values[i]);
}

struct record *
record_new(const struct form *form)
{
	struct record *rec = xcalloc(1, sizeof *rec);

	rec->form = form;
	rec->values = xcalloc(form->n_fields, sizeof *rec->values);
	for (size_t i = 0; i < form->n_fields; i++) {
		const char *def = form->fields[i].default_value;

		rec->values[i] = value_copy(def != NULL ? def : "");
	}
	return rec;
}

struct record *
record_copy(const struct record *rec)
{
	struct record *copy = xcalloc(1, sizeof *copy);

	copy->form = rec->form;
	copy->version = rec->version;
	copy->values = xcalloc(rec->form->n_fields, sizeof *copy->values);
	for (size_t i = 0; i < rec->form->n_fields; i++)
		copy->values[i] = value_copy(rec->values[i]);
	return copy;
}

void
record_free(struct record *rec)
{
	if (rec == NULL)
		return;
	for (size_t i = 0; i < rec->form->n_fields; i++)
		value_free(rec, i);
	free(rec->values);
	free(rec);
}

const char *
record_id(const struct record *rec)
{
	return rec->values[0];
}

const char *
record_get(const struct record *rec, const char *field)
{
	int i = form_field_index(rec->form, field);

	return i < 0 ? NULL : rec->values[i];
}

void
record_set_raw(struct record *rec, size_t field, const char *value)
{
	char *copy = value_copy(value);

	value_free(rec, field);
	rec->values[field] = copy;
}

void
record_set_borrowed(struct record *rec, size_t field, const char *value)
{
	if (field >= 64) {	/* no bit for it */
		record_set_raw(rec, field, value);
		return;
	}
	value_free(rec, field);
	rec->values[field] = (char *)value;
	rec->borrowed |= (uint64_t)1 << field;
}

int
record_set_input(struct record *rec, const char *field, const char *input,
    const struct field_ctx *ctx, struct error *err)
{
	int i = form_field_index(rec->form, field);

	if (i < 0)
		return error_set(err, ST_REFUSED, _("%s has no field '%s'"),
		    form_label(rec->form), field);
	return record_set_input_at(rec, (size_t)i, input, ctx, err);
}

int
record_parse_input(const struct form *form, size_t i, const char *input,
    const struct field_ctx *ctx, char **value, struct error *err)
{
	const struct field *f = &form->fields[i];

	if (field_parse(f, input, ctx, value, err) != 0)
		return error_prefix(err, "%s (%s): ", field_label(f), f->name);
	return 0;
}

int
record_set_input_at(struct record *rec, size_t i, const char *input,
    const struct field_ctx *ctx, struct error *err)
{
	char *value;

	if (record_parse_input(rec->form, i, input, ctx, &value, err) != 0)
		return -1;
	value_free(rec, i);
	rec->values[i] = value;
	record_follow_change(rec, i, ctx);
	return 0;
}

int
record_check_required(const struct record *rec, struct error *err)
{
	for (size_t i = 1; i < rec->form->n_fields; i++) {
		const struct field *f = &rec->form->fields[i];

		if (f->required && text_blank(rec->values[i]))	/* U+200B alone is empty too */
			return error_set(err, ST_REFUSED, _("%s (%s): is required"),
			    field_label(f), f->name);
	}
	return 0;
}

char *
record_describe_changes(const struct record *from, const struct record *to)
{
	struct buf out = BUF_INIT;

	for (size_t i = 1; i < from->form->n_fields; i++) {
		const struct field *f = &from->form->fields[i];

		if (str_eq(from->values[i], to->values[i]))
			continue;
		buf_printf(&out, "  %s (%s): ", field_label(f), f->name);
		if (f->private_) {	/* whoever reads this, the values stay unsaid */
			buf_printf(&out, "%s\n", _("changed (private)"));
			continue;
		}
		width_escape_controls(&out, field_display(f, from->values[i]));
		buf_adds(&out, " → ");
		width_escape_controls(&out, field_display(f, to->values[i]));
		buf_addc(&out, '\n');
	}
	return buf_detach(&out);
}
