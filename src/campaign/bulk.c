/*
 * bulk.c — one action over many records: the same assignments set on every record named, in
 * one store transaction and one audit commit ("one user action = one commit", a batch of
 * thousands included). All or nothing: a record the values do not fit stops the batch, and the
 * message names it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"

static int
set_one(struct store_txn *txn, const struct form *form, const char *id,
    const struct assignments *a, size_t *changed, struct error *err)
{
	struct record *rec = NULL;
	uint64_t before;
	int rc = store_get(txn, form, id, &rec, err);

	if (rc == 0) {
		before = rec->version;
		rc = assignments_apply(a, txn, rec, err);
		if (rc == 0)
			rc = store_update(txn, rec, err);
		if (rc == 0 && rec->version != before)
			(*changed)++;
	}
	if (rc != 0 && err->message != NULL && strstr(err->message, id) == NULL)
		error_prefix(err, "%s: ", id);
	record_free(rec);
	return rc;
}

int
bulk_set(struct store *store, const struct form *form, char *const *ids, size_t n,
    const struct assignments *a, size_t *changed, struct error *err)
{
	struct store_txn *txn = NULL;
	char *what, *subject;
	int rc = store_txn_begin(store, true, &txn, err);

	*changed = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = set_one(txn, form, ids[i], a, changed, err);
	if (rc != 0) {
		store_txn_abort(txn);
		*changed = 0;
		return -1;
	}
	if (*changed == 0) {
		store_txn_abort(txn);
		return 0;
	}
	what = assignments_describe(a);
	subject = xasprintf("批量修改%s %zu 条：%s", form->label_zh, *changed, what);
	store_txn_describe(txn, "record.bulk-update", subject, NULL);
	rc = store_txn_commit(txn, err);
	free(what);
	free(subject);
	return rc;
}
