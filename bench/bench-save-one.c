/*
 * bench-save-one.c — one save as the console makes it (bench-save-one.h).
 */
#include "config.h"

#include "bench-save-one.h"

int
bench_save_one(struct cli *cli, const struct form *form, const char *id, const char *note)
{
	int notes = form_field_index(form, "notes");
	struct store_txn *txn;
	struct record *rec = NULL;
	int rc;

	if ((rc = store_txn_begin(cli->store, true, &txn, &cli->err)) != 0)
		return rc;
	if ((rc = store_get(txn, form, id, &rec, &cli->err)) == 0) {
		record_set_raw(rec, (size_t)notes, note);
		rc = store_update(txn, rec, &cli->err);
	}
	if (rc == 0)
		rc = store_txn_commit(txn, &cli->err);
	else
		store_txn_abort(txn);
	record_free(rec);
	if (rc == 0 && store_audit_warning(cli->store) != NULL)
		rc = error_set(&cli->err, ST_FAILED, "audit: %s", store_audit_warning(cli->store));
	return rc;
}
