/*
 * bulk-preview.c — what a batch would do, before it runs: how many of the records the
 * assignments would change (those already holding the values do not count) and the first few
 * as they are and as they would be, for the console's confirmation. Reads only.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"

static bool
records_differ(const struct record *a, const struct record *b)
{
	for (size_t i = 1; i < a->form->n_fields; i++)
		if (!str_eq(a->values[i], b->values[i]))
			return true;
	return false;
}

/* One record: counted when the assignments change it, kept while the sample has room. */
static int
preview_one(struct store_txn *txn, const struct form *form, const char *id,
    const struct assignments *a, size_t max_sample, struct bulk_preview *out, struct error *err)
{
	struct record *rec = NULL, *changed = NULL;
	int rc = store_get(txn, form, id, &rec, err);

	if (rc == 0) {
		changed = record_copy(rec);
		rc = assignments_apply(a, txn, changed, err);
	}
	if (rc == 0 && records_differ(rec, changed)) {
		out->n_change++;
		if (out->n_sample < max_sample) {
			out->before[out->n_sample] = rec;
			out->after[out->n_sample++] = changed;
			rec = changed = NULL;
		}
	}
	if (rc != 0 && err->message != NULL)
		error_prefix(err, "%s: ", id);
	record_free(rec);
	record_free(changed);
	return rc;
}

int
bulk_preview(struct store *store, const struct form *form, char *const *ids, size_t n,
    const struct assignments *a, size_t max_sample, struct bulk_preview *out,
    struct error *err)
{
	struct store_txn *txn = NULL;
	int rc = store_txn_begin(store, false, &txn, err);

	memset(out, 0, sizeof *out);
	out->before = xcalloc(max_sample + 1, sizeof *out->before);
	out->after = xcalloc(max_sample + 1, sizeof *out->after);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = preview_one(txn, form, ids[i], a, max_sample, out, err);
	store_txn_abort(txn);
	if (rc != 0)
		bulk_preview_free(out);
	return rc;
}

void
bulk_preview_free(struct bulk_preview *p)
{
	for (size_t i = 0; i < p->n_sample; i++) {
		record_free(p->before[i]);
		record_free(p->after[i]);
	}
	free(p->before);
	free(p->after);
	memset(p, 0, sizeof *p);
}
