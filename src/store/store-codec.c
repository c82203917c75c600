/*
 * store-codec.c — a record's bytes in LMDB: a mark, the codec version, the record version
 * (big-endian u64), then "name NUL value NUL" for each non-empty field. Fields are found by
 * name, so adding a field to a form needs no migration; a field the form no longer has is
 * ignored when read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

#define CODEC_MARK 'H'
#define CODEC_VERSION 1
#define CODEC_HEADER 10

void
record_encode(const struct record *rec, struct buf *out)
{
	unsigned char head[CODEC_HEADER] = { CODEC_MARK, CODEC_VERSION };

	be64_put(head + 2, rec->version);
	buf_reset(out);
	buf_add(out, head, sizeof head);
	for (size_t i = 1; i < rec->form->n_fields; i++) {
		if (rec->values[i][0] == '\0')
			continue;
		buf_add(out, rec->form->fields[i].name, strlen(rec->form->fields[i].name) + 1);
		buf_add(out, rec->values[i], strlen(rec->values[i]) + 1);	/* with its NUL */
	}
}

/* The index of field name, tried first after field prev: a record holds its fields in form
 * order, so a decode seldom searches. */
static int
field_after(const struct form *form, const char *name, int prev)
{
	for (size_t i = (size_t)prev + 1; i < form->n_fields; i++)
		if (str_eq(form->fields[i].name, name))
			return (int)i;
	return form_field_index(form, name);
}

int
record_decode(const struct form *form, const char *id, const void *data, size_t len,
    struct record **out, struct error *err)
{
	const unsigned char *p = data;
	const char *s = (const char *)data + CODEC_HEADER, *end = (const char *)data + len;
	struct record *rec;
	int at = 0;	/* the field last read */

	if (len < CODEC_HEADER || p[0] != CODEC_MARK || p[1] != CODEC_VERSION || end[-1] != '\0')
		return error_set(err, ST_FAILED, _("record %s is damaged in the store"), id);
	rec = xcalloc(1, sizeof *rec);
	rec->form = form;
	rec->version = be64_get(p + 2);
	rec->values = xcalloc(form->n_fields, sizeof *rec->values);
	rec->values[0] = xstrdup(id);
	while (s < end) {
		const char *value = s + strlen(s) + 1;

		if (value >= end) {
			record_free(rec);
			return error_set(err, ST_FAILED, _("record %s is damaged in the store"), id);
		}
		at = field_after(form, s, at);
		if (at > 0 && rec->values[at] == NULL)
			rec->values[at] = xstrdup(value);
		s = value + strlen(value) + 1;
	}
	for (size_t i = 1; i < form->n_fields; i++)
		if (rec->values[i] == NULL)
			rec->values[i] = xstrdup("");
	*out = rec;
	return 0;
}

int
record_decode_borrowed(const struct form *form, const char *id, const void *data, size_t len,
    const int *fields, size_t n, const char **values, struct error *err)
{
	const unsigned char *p = data;
	const char *s = (const char *)data + CODEC_HEADER, *end = (const char *)data + len;

	if (len < CODEC_HEADER || p[0] != CODEC_MARK || p[1] != CODEC_VERSION || end[-1] != '\0')
		return error_set(err, ST_FAILED, _("record %s is damaged in the store"), id);
	memset(values, 0, n * sizeof *values);
	for (size_t found = 0; s < end && found < n; ) {	/* stops at the last one wanted */
		const char *value = s + strlen(s) + 1;

		if (value >= end)
			return error_set(err, ST_FAILED, _("record %s is damaged in the store"), id);
		for (size_t j = 0; j < n; j++)
			if (values[j] == NULL && str_eq(form->fields[fields[j]].name, s)) {
				values[j] = value;
				found++;
			}
		s = value + strlen(value) + 1;
	}
	for (size_t j = 0; j < n; j++)
		if (values[j] == NULL)
			values[j] = "";
	return 0;
}
