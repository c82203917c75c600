/*
 * field-set.c — the multi-choice field type (`type set`): several options of the field, stored
 * as their values joined by commas in option order ("sealed,fined"), typed as values or labels
 * separated by commas (also full-width), 、, semicolons or spaces, shown as labels joined by 、.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/form.h"
#include "store/field-kinds.h"

#define DISPLAY_RING 8	/* field_set_display's results live this many calls */

/* Where a list separator starts at p: its length in bytes, 0 when none does. */
static size_t
list_separator(const char *p, bool spaces)
{
	static const char *const wide[] = { "，", "、", "；", NULL };

	if (*p == ',' || *p == ';')
		return 1;
	if (spaces && (*p == ' ' || *p == '\t'))
		return 1;
	if (spaces && str_starts(p, "\xe3\x80\x80"))
		return 3;
	for (size_t i = 0; wide[i] != NULL; i++)
		if (str_starts(p, wide[i]))
			return strlen(wide[i]);
	return 0;
}

/* s split at separators (spaces too when spaces), trimmed, without empty parts. */
static char **
split_list(const char *s, bool spaces)
{
	char **parts = xcalloc(strlen(s) + 2, sizeof *parts);
	size_t n = 0, sep;
	const char *start = s;

	for (const char *p = s;; ) {
		sep = *p == '\0' ? 0 : list_separator(p, spaces);
		if (*p == '\0' || sep > 0) {
			char *part = xstrndup(start, (size_t)(p - start));
			char *t = str_trim(part);

			if (*t != '\0')
				parts[n++] = xstrdup(t);
			free(part);
			if (*p == '\0')
				break;
			p += sep;
			start = p;
		} else
			p++;
	}
	return parts;
}

/* Marks the options a part names: itself (a label may hold spaces), else each word of it. */
static int
mark_part(const struct field *f, const char *part, bool *chosen, struct error *err)
{
	const struct enum_option *o = field_enum_match(f, part);
	char **words;
	int rc = 0;

	if (o != NULL) {
		chosen[o - f->options] = true;
		return 0;
	}
	words = split_list(part, true);
	for (size_t i = 0; rc == 0 && words[i] != NULL; i++) {
		if ((o = field_enum_match(f, words[i])) == NULL)
			rc = field_enum_refuse(f, words[i], err);
		else
			chosen[o - f->options] = true;
	}
	strv_free(words);
	return rc;
}

int
field_parse_set(const struct field *f, const char *s, char **out, struct error *err)
{
	bool *chosen = xcalloc(f->n_options + 1, sizeof *chosen);
	char **parts = split_list(s, false);
	struct buf value = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; rc == 0 && parts[i] != NULL; i++)
		rc = mark_part(f, parts[i], chosen, err);
	for (size_t i = 0; rc == 0 && i < f->n_options; i++)
		if (chosen[i])
			buf_printf(&value, "%s%s", value.len > 0 ? "," : "", f->options[i].value);
	if (rc == 0 && value.len == 0 && f->required)
		rc = error_set(err, ST_REFUSED, _("is required"));
	if (rc == 0)
		*out = xstrdup(buf_str(&value));
	buf_free(&value);
	strv_free(parts);
	free(chosen);
	return rc;
}

char **
field_set_values(const char *value)
{
	return split_list(value != NULL ? value : "", false);
}

bool
field_set_has(const char *value, const char *option)
{
	size_t n = strlen(option);

	for (const char *p = value; p != NULL && *p != '\0'; ) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);

		if (len == n && memcmp(p, option, n) == 0)
			return true;
		p = comma != NULL ? comma + 1 : NULL;
	}
	return false;
}

const char *
field_set_display(const struct field *f, const char *value, bool zh)
{
	static char *ring[DISPLAY_RING];
	static unsigned next;
	char **values = field_set_values(value);
	struct buf shown = BUF_INIT;
	unsigned slot = next++ % DISPLAY_RING;

	for (size_t i = 0; values[i] != NULL; i++) {
		const struct enum_option *o = field_option(f, values[i]);
		const char *label = o == NULL ? values[i] : zh ? o->label_zh :
		    field_option_label(f, values[i]);

		buf_printf(&shown, "%s%s", i > 0 ? (zh ? "、" : lang_pick("、", ", ")) : "",
		    label != NULL ? label : values[i]);
	}
	strv_free(values);
	free(ring[slot]);
	ring[slot] = buf_detach(&shown);
	return ring[slot] != NULL ? ring[slot] : "";
}
