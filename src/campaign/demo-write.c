/*
 * demo-write.c — what the demo's files share: a record inserted from field and value pairs
 * (insert_pairs, campaign.h, which a draw's planned inspections use too),
 * the district's coordinator the demo made, a random index (demo-private.h).
 */
#include "config.h"

#include <stdlib.h>

#include "campaign/demo-private.h"

int
insert_pairs(struct store_txn *txn, const struct form *form, const char *const *pairs,
    char **id, struct error *err)
{
	struct record *rec = record_new(form);
	struct field_ctx ctx;
	int rc = 0;

	store_field_ctx(txn, rec, &ctx);
	for (size_t i = 0; pairs[i] != NULL && rc == 0; i += 2)
		if (pairs[i + 1] != NULL)
			rc = record_set_input(rec, pairs[i], pairs[i + 1], &ctx, err);
	if (rc == 0)
		rc = store_insert(txn, rec, err);
	if (rc == 0 && id != NULL)
		*id = xstrdup(record_id(rec));
	record_free(rec);
	return rc;
}

char *
demo_district_person(struct store *store, struct store_txn *txn, const char *district)
{
	const struct form *users = formset_find(store_forms(store), PERSON_FORM);
	char *login = xasprintf("edu%s", district), **ids = NULL, *id = NULL;
	struct error err = ERROR_INIT;
	size_t n = 0;

	if (users != NULL && store_find_by(txn, users, "login", login, &ids, &n, &err) == 0 &&
	    n > 0)
		id = xstrdup(ids[0]);
	error_clear(&err);
	strv_free(ids);
	free(login);
	return id;
}

int
demo_commit(struct store_txn *txn, char *subject, struct error *err)
{
	store_txn_describe(txn, "record.demo", subject, NULL);
	free(subject);
	return store_txn_commit(txn, err);
}

size_t
demo_below(uint64_t *state, size_t n)
{
	return (size_t)(demo_random(state) % n);
}
