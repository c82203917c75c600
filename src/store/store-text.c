/*
 * store-text.c — a record as auditors read it in git: a first line naming the form and its
 * version, then one "field: value" line per field in form order, then the record's version.
 * UTF-8, LF, stable: the same record always gives the same bytes, so git diffs show exactly
 * the fields that changed. Backslash, line breaks and control characters are escaped so each
 * field stays on one line. Paths are sharded: institution/610113/42/JG-610113-000042.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

/* True for the bytes written as they are: most of a text, copied a run at a time. */
static bool
text_plain(unsigned char c)
{
	return c != '\\' && c >= 0x20 && c != 0x7f;
}

static void
text_escape(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		size_t run = 0;

		while (text_plain((unsigned char)s[run]))
			run++;
		if (run > 0) {
			buf_add(out, s, run);
			s += run - 1;
		} else if (c == '\\')
			buf_adds(out, "\\\\");
		else if (c == '\n')
			buf_adds(out, "\\n");
		else if (c == '\r')
			buf_adds(out, "\\r");
		else if (c == '\t')
			buf_adds(out, "\\t");
		else
			buf_printf(out, "\\x%02x", c);
	}
}

/* A private value as git holds it: sealed, never plain. */
static void
text_private(struct buf *out, const struct record *rec, size_t i, const struct seal *seal)
{
	char *sealed;

	if (seal == NULL) {
		buf_adds(out, "sealed:none");
		return;
	}
	sealed = seal_value(seal, record_id(rec), rec->form->fields[i].name, rec->values[i]);
	buf_adds(out, sealed);
	free(sealed);
}

void
record_text(const struct record *rec, const struct seal *seal, struct buf *out)
{
	buf_reset(out);
	buf_printf(out, "# huitou %s %u\n", rec->form->name, rec->form->version);
	for (size_t i = 0; i < rec->form->n_fields; i++) {
		buf_adds(out, rec->form->fields[i].name);
		buf_addc(out, ':');
		if (rec->values[i][0] != '\0') {
			buf_addc(out, ' ');
			if (rec->form->fields[i].private_ && i > 0)
				text_private(out, rec, i, seal);
			else
				text_escape(out, rec->values[i]);
		}
		buf_addc(out, '\n');
	}
	buf_printf(out, "version: %llu\n", (unsigned long long)rec->version);
}

static int
hex_value(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

static char *
text_unescape(const char *s, size_t len)
{
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < len) {
			c = s[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 'r')
				c = '\r';
			else if (c == 't')
				c = '\t';
			else if (c == 'x' && i + 2 < len && hex_value(s[i + 1]) >= 0 &&
			    hex_value(s[i + 2]) >= 0) {
				c = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
				i += 2;
			}
		}
		buf_addc(&out, c);
	}
	return buf_detach(&out);
}

/* The private fields' sealed values opened; plain ones (from before) kept. */
static int
open_private(struct record *rec, const struct seal *seal, struct error *err)
{
	for (size_t i = 1; i < rec->form->n_fields; i++) {
		char *plain;

		if (!rec->form->fields[i].private_ || !seal_is_sealed(rec->values[i]))
			continue;
		if (seal_open(seal, record_id(rec), rec->form->fields[i].name, rec->values[i],
		    &plain, err) != 0)
			return -1;
		record_set_raw(rec, i, plain);
		free(plain);
	}
	return 0;
}

/* Parses a record text; fields the form lacks are ignored. */
int
record_from_text(const struct form *form, const struct seal *seal, const char *text, size_t len,
    struct record **out, struct error *err)
{
	struct record *rec = record_new(form);
	const char *p = text, *end = text + len;
	bool header = false;

	for (size_t i = 0; i < form->n_fields; i++)
		record_set_raw(rec, i, "");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *colon;
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		colon = memchr(p, ':', n);
		if (!header && n > 9 && str_starts(p, "# huitou "))
			header = true;
		else if (colon != NULL) {
			char *name = xstrndup(p, (size_t)(colon - p));
			const char *v = colon + 1 + (colon + 1 < p + n && colon[1] == ' ');
			char *value = text_unescape(v, (size_t)(p + n - v));
			int fi = form_field_index(form, name);

			if (str_eq(name, "version"))
				rec->version = strtoull(value, NULL, 10);
			else if (fi >= 0)
				record_set_raw(rec, (size_t)fi, value);
			free(name);
			free(value);
		}
		p += n + 1;
	}
	if (!header || *record_id(rec) == '\0' || rec->version == 0) {
		record_free(rec);
		return error_set(err, ST_FAILED, _("not a huitou %s record text"), form->name);
	}
	if (open_private(rec, seal, err) != 0) {
		record_free(rec);
		return -1;
	}
	*out = rec;
	return 0;
}

/* institution/610113/42/JG-610113-000042: the id's middle parts, then its last two digits. */
char *
record_path(const struct form *form, const char *id)
{
	struct buf path = BUF_INIT;
	const char *first = strchr(id, '-'), *last = strrchr(id, '-');
	size_t len = strlen(id);

	buf_adds(&path, form->name);
	buf_addc(&path, '/');
	if (first != NULL && last != NULL && last > first) {
		buf_add(&path, first + 1, (size_t)(last - first - 1));
		buf_addc(&path, '/');
	}
	if (len >= 2 && isdigit((unsigned char)id[len - 1]) && isdigit((unsigned char)id[len - 2]))
		buf_add(&path, id + len - 2, 2);
	else
		buf_adds(&path, "00");
	buf_addc(&path, '/');
	buf_adds(&path, id);
	return buf_detach(&path);
}

/* The form of a record path (institution/…/ID); NULL for the other files (forms, divisions). */
const struct form *
record_path_form(const struct formset *forms, const char *path)
{
	size_t len = strcspn(path, "/");
	char *name;
	const struct form *form;

	if (path[len] == '\0')
		return NULL;
	name = xstrndup(path, len);
	form = formset_find(forms, name);
	free(name);
	return form;
}
