/*
 * store-mask.c — private fields for the reader at hand: which ones the policy's read rules
 * keep from the actor, a record with those values shown as 〔不公开〕 / [withheld] for every
 * output (show, export, the console, documents, history), and a write refused when it would
 * change a value its writer may not read. Also the seal key made where a data directory from
 * before sealing lacks it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

const char *
store_withheld(void)
{
	return _("[withheld]");
}

/* The mark in either language: an export made by a reader who could not see a value. */
static bool
is_withheld_mark(const char *value)
{
	return str_eq(value, "[withheld]") || str_eq(value, "〔不公开〕") ||
	    str_eq(value, store_withheld());
}

bool
store_may_read(const struct store *store, const struct record *rec, size_t field)
{
	return policy_may_read(store->policy, &store->actor, rec, field);
}

bool
store_form_has_private(const struct form *form)
{
	for (size_t i = 1; i < form->n_fields; i++)
		if (form->fields[i].private_)
			return true;
	return false;
}

size_t
store_mask_record(const struct store *store, struct record *rec)
{
	size_t n = 0;

	for (size_t i = 1; i < rec->form->n_fields; i++)
		if (rec->values[i][0] != '\0' && !store_may_read(store, rec, i)) {
			record_set_raw(rec, i, store_withheld());
			n++;
		}
	return n;
}

int
store_unmask_record(struct store_txn *txn, struct record *rec, struct error *err)
{
	struct record *cur = NULL;

	if (!store_form_has_private(rec->form))
		return 0;
	if (store_get_if_present(txn, rec->form, record_id(rec), &cur, err) != 0)
		return -1;
	if (cur == NULL)
		return 0;	/* store_update says it is missing */
	for (size_t i = 1; i < rec->form->n_fields; i++)
		if (str_eq(rec->values[i], store_withheld()) && !store_may_read(txn->store, cur, i))
			record_set_raw(rec, i, cur->values[i]);
	record_free(cur);
	return 0;
}

void
store_mask_change(const struct store *store, struct record *before, struct record *after)
{
	const struct record *any = after != NULL ? after : before;

	for (size_t i = 1; any != NULL && i < any->form->n_fields; i++) {
		const char *was = before != NULL ? before->values[i] : "";
		const char *now = after != NULL ? after->values[i] : "";
		bool changed = !str_eq(was, now);

		if (!any->form->fields[i].private_ || store_may_read(store, any, i))
			continue;
		if (*was != '\0')
			record_set_raw(before, i, store_withheld());
		if (*now != '\0')
			record_set_raw(after, i, changed && *was != '\0' ? _("[withheld, changed]") :
			    store_withheld());
	}
}

int
store_check_private_change(const struct store *store, const struct record *old,
    const struct record *rec, struct error *err)
{
	for (size_t i = 1; i < rec->form->n_fields; i++) {
		const struct field *f = &rec->form->fields[i];
		const char *was = old != NULL ? old->values[i] : "";

		if (!f->private_ || str_eq(was, rec->values[i]))
			continue;
		if (is_withheld_mark(rec->values[i]))
			return error_set(err, ST_REFUSED,
			    _("%s of %s: '%s' marks a value kept from a reader, it is not a value (an export by such a reader cannot be imported back)"),
			    field_label(f), record_id(rec), rec->values[i]);
		if (!store_may_read(store, rec, i) || (old != NULL && !store_may_read(store, old, i)))
			return error_set(err, ST_REFUSED,
			    _("%s %s may not change %s of %s: it is private and the read rules of %s keep it from them"),
			    store->actor.role, store->actor.login, field_label(f), record_id(rec),
			    store->policy->path);
	}
	return 0;
}

/* Whether meta says a key was made: then a missing one is lost, never made again (a new key
 * could open none of the values sealed before). */
static int
seal_was_made(struct store *store, bool *made, struct error *err)
{
	MDB_txn *txn;
	MDB_val v;
	int rc = mdb_txn_begin(store->env, NULL, MDB_RDONLY, &txn);

	if (rc != 0)
		return store_lmdb_error(err, rc, SEAL_KEY_FILE);
	*made = meta_get(txn, store->meta, SEAL_META_KEY, &v) == 0;
	mdb_txn_abort(txn);
	return 0;
}

static int
seal_mark_made(struct store *store, struct error *err)
{
	MDB_txn *txn;
	int rc = mdb_txn_begin(store->env, NULL, 0, &txn);

	if (rc != 0)
		return store_lmdb_error(err, rc, SEAL_KEY_FILE);
	if (meta_put(txn, store->meta, SEAL_META_KEY, "1", 1, err) != 0) {
		mdb_txn_abort(txn);
		return -1;
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return store_lmdb_error(err, rc, SEAL_KEY_FILE);
	return 0;
}

/* Before a write, under the audit lock. A directory made before sealing gets its key now. */
int
store_seal_ensure(struct store *store, struct error *err)
{
	bool made = false;

	if (store->unaudited)
		return 0;
	if (seal_was_made(store, &made, err) != 0)
		return -1;
	if (store->seal != NULL)
		return made ? 0 : seal_mark_made(store, err);
	if (made)
		return error_set(err, ST_FAILED,
		    _("nothing was written: %s/%s is missing, and the private fields in git were sealed with it; put it back from a backup (a new key could not open them)"),
		    store->dir, SEAL_KEY_FILE);
	if (seal_create(store->dir, err) != 0 || seal_load(store->dir, &store->seal, err) != 0)
		return -1;
	return seal_mark_made(store, err);
}
