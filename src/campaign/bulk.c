/*
 * bulk.c — one action over many records: the same assignments set on every record named, in
 * one store transaction and one audit commit ("one user action = one commit", a batch of
 * thousands included). All or nothing: a record the values do not fit, or that the policy
 * refuses, stops the batch, and the message names it; bulk_split_allowed says before which
 * records the policy would refuse, so they can be left out.
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

/* Whether the policy lets the actor set a on the record id; 1 refused (why set), 0 allowed. */
static int
may_set_one(struct store *store, struct store_txn *txn, const struct form *form, const char *id,
    const struct assignments *a, const char **rule, struct error *why, struct error *err)
{
	struct record *rec = NULL, *changed = NULL;
	int rc = store_get(txn, form, id, &rec, err);

	if (rc == 0) {
		changed = record_copy(rec);
		rc = assignments_apply(a, txn, changed, err);
	}
	if (rc == 0 && store_may_write(store, rec, changed, why) != 0) {
		*rule = store_refusing_rule(store, rec, changed);
		rc = 1;
	}
	record_free(rec);
	record_free(changed);
	return rc;
}

int
bulk_split_allowed(struct store *store, const struct form *form, char *const *ids, size_t n,
    const struct assignments *a, struct bulk_split *out, struct error *err)
{
	struct store_txn *txn = NULL;
	struct error why = ERROR_INIT;
	int rc = store_txn_begin(store, false, &txn, err);

	memset(out, 0, sizeof *out);
	out->allowed = xcalloc(n + 1, sizeof *out->allowed);
	out->refused = xcalloc(n + 1, sizeof *out->refused);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *rule = NULL;
		int r = may_set_one(store, txn, form, ids[i], a, &rule, &why, err);

		if (r < 0)
			rc = -1;
		else if (r == 0)
			out->allowed[out->n_allowed++] = xstrdup(ids[i]);
		else {
			out->refused[out->n_refused++] = xstrdup(ids[i]);
			if (out->why == NULL) {
				out->why = xstrdup(why.message);
				out->rule = xstrdup(rule != NULL ? rule : "?");
			}
		}
		error_clear(&why);
	}
	store_txn_abort(txn);
	if (rc != 0)
		bulk_split_free(out);
	return rc;
}

void
bulk_split_free(struct bulk_split *s)
{
	strv_free(s->allowed);
	strv_free(s->refused);
	free(s->why);
	free(s->rule);
	memset(s, 0, sizeof *s);
}

int
bulk_set(struct store *store, const struct form *form, char *const *ids, size_t n,
    const struct assignments *a, size_t *changed, struct error *err)
{
	return bulk_set_reason(store, form, ids, n, a, NULL, changed, err);
}

int
bulk_set_reason(struct store *store, const struct form *form, char *const *ids, size_t n,
    const struct assignments *a, const char *reason, size_t *changed, struct error *err)
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
	if (reason != NULL)
		store_txn_add_trailer(txn, "Reason", reason);
	rc = store_txn_commit(txn, err);
	free(what);
	free(subject);
	return rc;
}
