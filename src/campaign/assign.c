/*
 * assign.c — "FIELD=VALUE" words, as `huitou set`, `huitou new` and the console's command line
 * take them: FIELD is a field's id or its Chinese or English label; the values are checked by
 * the field types, in form order, so a street is checked against the district given with it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"

static int
split_one(const struct form *form, const char *word, struct assignments *a, struct error *err)
{
	const char *eq = strchr(word, '=');
	const struct field *f;
	char *name;

	if (eq == NULL || eq == word)
		return error_set(err, ST_USAGE, _("'%s' is not FIELD=VALUE"), word);
	name = xstrndup(word, (size_t)(eq - word));
	f = form_field_by_header(form, name);
	if (f == NULL) {
		error_set(err, ST_REFUSED, _("%s has no field '%s'"), form_label(form), name);
		free(name);
		return -1;
	}
	free(name);
	if (f->kind == FT_ID)
		return error_set(err, ST_REFUSED, _("the id is assigned by huitou and never changes"));
	a->fields[a->n] = f;
	a->values[a->n++] = xstrdup(eq + 1);
	return 0;
}

int
assignments_parse(const struct form *form, char *const *words, size_t n, struct assignments *out,
    struct error *err)
{
	out->form = form;
	out->fields = xcalloc(n + 1, sizeof *out->fields);
	out->values = xcalloc(n + 1, sizeof *out->values);
	out->n = 0;
	for (size_t i = 0; i < n; i++)
		if (split_one(form, words[i], out, err) != 0) {
			assignments_free(out);
			return -1;
		}
	return 0;
}

/* One typed line: words split at spaces, and a word without '=' continues the value before
 * it, so "set address=高新路 88 号" keeps the spaces of the address. */
int
assignments_parse_line(const struct form *form, const char *line, struct assignments *out,
    struct error *err)
{
	char **words = xcalloc(strlen(line) + 1, sizeof *words);
	size_t n = 0;
	int rc;

	for (const char *p = line; *p != '\0';) {
		size_t len = strcspn(p, " \t");

		if (len > 0 && (memchr(p, '=', len) != NULL || n == 0)) {
			words[n++] = xstrndup(p, len);
		} else if (len > 0) {
			char *joined = xasprintf("%s %.*s", words[n - 1], (int)len, p);

			free(words[n - 1]);
			words[n - 1] = joined;
		}
		p += len;
		p += strspn(p, " \t");
	}
	if (n == 0)
		rc = error_set(err, ST_USAGE, _("say what to set: FIELD=VALUE, e.g. status=rectifying"));
	else
		rc = assignments_parse(form, words, n, out, err);
	strv_free(words);
	return rc;
}

void
assignments_free(struct assignments *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->values[i]);
	free(a->values);
	free(a->fields);
	memset(a, 0, sizeof *a);
}

int
assignments_apply(const struct assignments *a, struct store_txn *txn, struct record *rec,
    struct error *err)
{
	struct field_ctx ctx;

	store_field_ctx(txn, rec, &ctx);
	for (size_t f = 0; f < a->form->n_fields; f++)
		for (size_t i = 0; i < a->n; i++)
			if (a->fields[i] == &a->form->fields[f] &&
			    record_set_input(rec, a->fields[i]->name, a->values[i], &ctx, err) != 0)
				return -1;
	return 0;
}

/* "办学状态=停办，黑白名单=黑名单": the fields set, with the values rec holds once they are
 * set, in Chinese as subjects are, whether the values were typed as codes or as labels. */
char *
assignments_describe(const struct assignments *a, const struct record *rec)
{
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < a->n; i++) {
		const struct field *f = a->fields[i];
		const char *v = rec->values[f - a->form->fields];

		buf_printf(&out, "%s%s=", i > 0 ? "，" : "", f->label_zh);
		width_escape_controls(&out, *v != '\0' ? field_display_zh(f, v) : "（空）");
	}
	return buf_detach(&out);
}
