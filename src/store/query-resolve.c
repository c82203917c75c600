/*
 * query-resolve.c — limits on divisions and references by name: district=yt, district=雁塔区,
 * responsible=徐明. The value is resolved to the codes or ids it names once, when the query is
 * compiled, by the same folding as the pick lists (name, full pinyin or initials).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/query.h"
#include "store/query-private.h"
#include "store/store-private.h"

/* How well name answers to a typed value: 2 spelt whole, 1 its start, 0 not at all. */
static int
name_fit(const char *name, const char *folded, const char *pinyin)
{
	char *forms[3];
	int fit = 0;

	if (name == NULL || name[0] == '\0')
		return 0;
	forms[0] = fold_text(name);
	forms[1] = has_han(name) ? fold_pinyin(name, false) : NULL;
	forms[2] = has_han(name) ? fold_pinyin(name, true) : NULL;
	for (int i = 0; i < 3; i++) {
		const char *words[2] = { folded, pinyin };

		for (int j = 0; forms[i] != NULL && j < 2; j++) {
			if (words[j] == NULL || words[j][0] == '\0')
				continue;
			if (str_eq(forms[i], words[j]))
				fit = 2;
			else if (fit < 1 && str_starts(forms[i], words[j]))
				fit = 1;
		}
		free(forms[i]);
	}
	return fit;
}

struct found {
	char *folded, *pinyin;
	char **codes;		/* the best fit's, NULL-terminated */
	size_t n, cap;
	int best;
};

static void
found_add(struct found *f, const char *name, const char *code)
{
	int fit = name_fit(name, f->folded, f->pinyin);

	if (fit == 0 || fit < f->best)
		return;
	if (fit > f->best) {	/* a whole name beats the starts of others */
		for (size_t i = 0; i < f->n; i++)
			free(f->codes[i]);
		f->n = 0;
		f->best = fit;
	}
	if (f->n + 1 >= f->cap) {
		f->cap = f->cap == 0 ? 8 : f->cap * 2;
		f->codes = xrealloc(f->codes, f->cap * sizeof *f->codes);
	}
	f->codes[f->n++] = xstrdup(code);
	f->codes[f->n] = NULL;
}

static int
found_record(const struct record *rec, void *arg)
{
	struct found *f = arg;

	found_add(f, record_get(rec, rec->form->title), record_id(rec));
	return 0;
}

static void
find_divisions(struct store *store, const struct field *f, struct found *found)
{
	size_t n = store_division_count(store, f->level);

	for (size_t i = 0; i < n; i++) {
		const struct division *d = store_division_at(store, f->level, i);

		if (d != NULL)
			found_add(found, d->name, d->code);
	}
}

static int
find_records(struct store_txn *txn, const struct field *f, struct found *found)
{
	const struct form *to = formset_find(store_forms(txn->store), f->ref_form);
	const struct field *title;
	struct error err = ERROR_INIT;
	bool *wanted;
	int rc;

	if (to == NULL || to->title == NULL || (title = form_field(to, to->title)) == NULL)
		return 0;
	wanted = xcalloc(to->n_fields, sizeof *wanted);
	wanted[title - to->fields] = true;
	rc = store_scan_fields(txn, to, wanted, found_record, found, &err);
	free(wanted);
	error_clear(&err);
	return rc;
}

char **
query_resolve_names(const struct field_ctx *ctx, const struct field *f, const char *value)
{
	struct store_txn *txn = store_ctx_txn(ctx);
	struct found found = { NULL, NULL, NULL, 0, 0, 0 };

	if (txn == NULL || (f->kind != FT_DIVISION && f->kind != FT_REF))
		return NULL;
	found.folded = fold_text(value);
	found.pinyin = word_pinyin(value, found.folded);
	if (f->kind == FT_DIVISION)
		find_divisions(txn->store, f, &found);
	else if (find_records(txn, f, &found) != 0) {
		strv_free(found.codes);
		found.codes = NULL;
	}
	free(found.folded);
	free(found.pinyin);
	return found.codes;
}
