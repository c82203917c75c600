/*
 * record-rules.c — the rules a record obeys as a whole, beyond each field's own check: the
 * required fields hold something visible, and a street lies in the district its form names
 * (`within`). The store checks them before every insert and update, whoever writes; and a
 * change of a district clears the streets it no longer holds, in every front end alike.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

/* Whether the street lies in the district: the city's divisions say so, or, without them, the
 * street's code starts with the district's (GB/T 2260). */
static bool
street_within(const struct field_ctx *ctx, const char *street, const char *district)
{
	if (ctx != NULL && ctx->division_find != NULL)
		return ctx->division_find(ctx->data, street, DIV_STREET, district) != NULL;
	return strlen(district) == 6 && strncmp(street, district, 6) == 0;
}

/* The street field's district field, when it has one in this form. */
static int
within_field(const struct form *form, const struct field *street)
{
	if (street->kind != FT_DIVISION || street->level != DIV_STREET || street->within == NULL)
		return -1;
	return form_field_index(form, street->within);
}

void
record_follow_change(struct record *rec, size_t changed, const struct field_ctx *ctx)
{
	const struct form *form = rec->form;
	const char *district = rec->values[changed];

	if (form->fields[changed].kind != FT_DIVISION ||
	    form->fields[changed].level != DIV_DISTRICT)
		return;
	for (size_t i = 1; i < form->n_fields; i++) {
		if (within_field(form, &form->fields[i]) != (int)changed ||
		    rec->values[i][0] == '\0')
			continue;
		if (*district == '\0' || !street_within(ctx, rec->values[i], district))
			record_set_raw(rec, i, "");
	}
}

/* A division's name and code, "小寨路街道 (610113001)", or the code alone without the city's
 * divisions at hand. Caller frees. */
static char *
division_words(const struct field_ctx *ctx, const char *code, enum division_level level)
{
	const struct division *d = NULL;

	if (ctx != NULL && ctx->division_find != NULL)
		d = ctx->division_find(ctx->data, code, level, NULL);
	return d != NULL ? xasprintf("%s (%s)", d->name, d->code) : xstrdup(code);
}

static int
check_within(const struct record *rec, size_t i, const struct field_ctx *ctx,
    struct error *err)
{
	const struct field *f = &rec->form->fields[i];
	int d = within_field(rec->form, f);
	const char *street = rec->values[i];
	char *s, *in;

	if (d < 0 || *street == '\0' || rec->values[d][0] == '\0' ||
	    street_within(ctx, street, rec->values[d]))
		return 0;
	s = division_words(ctx, street, DIV_STREET);
	in = division_words(ctx, rec->values[d], DIV_DISTRICT);
	error_set(err, ST_REFUSED, _("%s (%s): %s is not a street of %s, the %s (%s)"),
	    field_label(f), f->name, s, in, field_label(&rec->form->fields[d]),
	    rec->form->fields[d].name);
	free(s);
	free(in);
	return -1;
}

int
record_check_rules(const struct record *rec, const struct field_ctx *ctx, struct error *err)
{
	if (record_check_required(rec, err) != 0)
		return -1;
	for (size_t i = 1; i < rec->form->n_fields; i++)
		if (check_within(rec, i, ctx, err) != 0)
			return -1;
	return 0;
}
