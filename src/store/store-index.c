/*
 * store-index.c — the sub-databases of each form and its indexes. An indexed field has a
 * database of keys "value NUL id" with empty data, so a lookup is a prefix scan and an update
 * is one put and one exact delete (no DUPSORT: faster here, and clear of LMDB 0.9.24's
 * DUPSORT cursor-delete bugs). A unique field has value → id, whose NOOVERWRITE put is the
 * uniqueness check (against the stage too, in a bulk transaction). The set of indexes is recorded per form: when a form file gains or
 * loses an index, the next start rebuilds that form's indexes from its records.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

#define UNIQUE_KEY_MAX 480	/* LMDB keys are at most 511 bytes */

static bool
field_has_db(const struct field *f)
{
	return f->indexed || f->unique;
}

static void
index_signature(const struct form *form, struct buf *out)
{
	buf_reset(out);
	for (size_t i = 0; i < form->n_fields; i++) {
		const struct field *f = &form->fields[i];

		if (field_has_db(f))
			buf_printf(out, "%s:%s;", f->unique ? "uniq" : "idx", f->name);
		if (f->index_by != NULL)
			buf_printf(out, "pair:%s+%s;", f->name, f->index_by);
	}
	tally_signature(form, out);
}

static int
open_db(MDB_txn *txn, const char *name, unsigned flags, bool create, MDB_dbi *dbi,
    struct error *err)
{
	int rc = mdb_dbi_open(txn, name, flags | (create ? MDB_CREATE : 0), dbi);

	if (rc == MDB_NOTFOUND && !create)
		return 1;
	return rc == 0 ? 0 : store_lmdb_error(err, rc, name);
}

/* The key of an index entry: the value (cut to INDEX_VALUE_MAX bytes), NUL, the id. */
void
index_key(struct buf *key, const char *value, const char *id)
{
	size_t len = strlen(value);

	buf_reset(key);
	buf_add(key, value, len > INDEX_VALUE_MAX ? INDEX_VALUE_MAX : len);
	buf_add(key, "", 1);
	buf_adds(key, id);
}

/* value → id, refused when another record holds the value; a new record's goes to the stage
 * in a bulk transaction. */
static int
unique_put(struct store_txn *txn, MDB_dbi dbi, const struct field *f, const char *value,
    const char *id, bool is_new, struct error *err)
{
	MDB_val k = { strlen(value), (void *)value }, v = { strlen(id), (void *)id };
	int rc;

	if (k.mv_size > UNIQUE_KEY_MAX)
		return error_set(err, ST_REFUSED, _("%s (%s): too long to be kept unique"),
		    field_label(f), f->name);
	if (stage_takes(txn, dbi, &k, is_new)) {
		if ((rc = txn_get(txn, dbi, &k, &v)) == MDB_NOTFOUND) {
			v.mv_size = strlen(id);
			v.mv_data = (void *)id;
			stage_put(txn, dbi, &k, &v, true);
			return 0;
		}
		rc = rc == 0 ? MDB_KEYEXIST : rc;
	} else {
		rc = mdb_put(txn->txn, dbi, &k, &v, MDB_NOOVERWRITE);
	}
	if (rc == MDB_KEYEXIST && !(v.mv_size == strlen(id) && memcmp(v.mv_data, id, v.mv_size) == 0))
		return error_set(err, ST_REFUSED, _("%s (%s): %s is already used by %.*s"),
		    field_label(f), f->name, value, (int)v.mv_size, (char *)v.mv_data);
	return rc == 0 || rc == MDB_KEYEXIST ? 0 : store_lmdb_error(err, rc, _("updating an index"));
}

static int
index_put(struct store_txn *txn, MDB_dbi dbi, const struct field *f, const char *value,
    const char *id, bool is_new, struct error *err)
{
	struct buf key = BUF_INIT;
	MDB_val k, v = { 0, NULL };
	int rc = 0;

	if (f->unique)
		return unique_put(txn, dbi, f, value, id, is_new, err);
	index_key(&key, value, id);
	k.mv_size = key.len;
	k.mv_data = key.data;
	if (stage_takes(txn, dbi, &k, is_new))
		stage_put(txn, dbi, &k, &v, false);	/* only ever scanned, after a flush */
	else
		rc = mdb_put(txn->txn, dbi, &k, &v, 0);
	buf_free(&key);
	return rc == 0 ? 0 : store_lmdb_error(err, rc, _("updating an index"));
}

static int
index_del(MDB_txn *txn, MDB_dbi dbi, const struct field *f, const char *value, const char *id,
    struct error *err)
{
	MDB_val k = { strlen(value), (void *)value };
	struct buf key = BUF_INIT;
	int rc;

	if (!f->unique) {
		index_key(&key, value, id);
		k.mv_size = key.len;
		k.mv_data = key.data;
	}
	rc = mdb_del(txn, dbi, &k, NULL);
	buf_free(&key);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, _("updating an index"));
}

/* Refuses a value another record holds, before anything is written, so a refused insert
 * or update leaves the transaction as it was and an import can go on with the next row. */
int
index_check_unique(struct store_txn *txn, const struct record *old, const struct record *rec,
    struct error *err)
{
	struct form_dbs *dbs = store_form_dbs(txn->store, rec->form);

	for (size_t i = 0; i < rec->form->n_fields; i++) {
		const struct field *f = &rec->form->fields[i];
		const char *value = rec->values[i];
		MDB_val k = { strlen(value), (void *)value }, v;
		int rc;

		if (!f->unique || *value == '\0' || (old != NULL && str_eq(old->values[i], value)))
			continue;
		if (k.mv_size > UNIQUE_KEY_MAX)
			return error_set(err, ST_REFUSED, _("%s (%s): too long to be kept unique"),
			    field_label(f), f->name);
		rc = txn_get(txn, dbs->field_dbi[i], &k, &v);
		if (rc == 0 && !(v.mv_size == strlen(record_id(rec)) &&
		    memcmp(v.mv_data, record_id(rec), v.mv_size) == 0))
			return error_set(err, ST_REFUSED, _("%s (%s): %s is already used by %.*s"),
			    field_label(f), f->name, value, (int)v.mv_size, (char *)v.mv_data);
		if (rc != 0 && rc != MDB_NOTFOUND)
			return store_lmdb_error(err, rc, _("checking a unique field"));
	}
	return 0;
}

/* The key of a pair index entry: the value, NUL, the other value, NUL, the id. */
void
pair_key(struct buf *key, const char *value, const char *second, const char *id)
{
	size_t len = strlen(second);

	index_key(key, value, "");
	buf_add(key, second, len > INDEX_VALUE_MAX ? INDEX_VALUE_MAX : len);
	buf_add(key, "", 1);
	buf_adds(key, id);
}

/* A field's pair index (index-by) after a change of either value. */
static int
pair_update(struct store_txn *txn, MDB_dbi dbi, size_t i, int j, const struct record *old,
    const struct record *rec, struct error *err)
{
	const char *id = record_id(rec), *was = old != NULL ? old->values[i] : "";
	const char *was2 = old != NULL ? old->values[j] : "";
	struct buf key = BUF_INIT;
	MDB_val k, v = { 0, NULL };
	int rc = 0;

	if (str_eq(was, rec->values[i]) && str_eq(was2, rec->values[j]))
		return 0;
	if (*was != '\0') {
		pair_key(&key, was, was2, id);
		k.mv_size = key.len;
		k.mv_data = key.data;
		rc = mdb_del(txn->txn, dbi, &k, NULL);
		rc = rc == MDB_NOTFOUND ? 0 : rc;
	}
	if (rc == 0 && rec->values[i][0] != '\0') {
		pair_key(&key, rec->values[i], rec->values[j], id);
		k.mv_size = key.len;
		k.mv_data = key.data;
		if (stage_takes(txn, dbi, &k, old == NULL))
			stage_put(txn, dbi, &k, &v, false);
		else
			rc = mdb_put(txn->txn, dbi, &k, &v, 0);
	}
	buf_free(&key);
	return rc == 0 ? 0 : store_lmdb_error(err, rc, _("updating an index"));
}

int
index_update(struct store_txn *txn, const struct record *old, const struct record *rec,
    struct error *err)
{
	struct form_dbs *dbs = store_form_dbs(txn->store, rec->form);
	const char *id = record_id(rec);

	for (size_t i = 0; i < rec->form->n_fields; i++) {
		int j = rec->form->fields[i].index_by != NULL ?
		    form_field_index(rec->form, rec->form->fields[i].index_by) : -1;

		if (j >= 0 && pair_update(txn, dbs->pair_dbi[i], i, j, old, rec, err) != 0)
			return -1;
	}

	for (size_t i = 0; i < rec->form->n_fields; i++) {
		const struct field *f = &rec->form->fields[i];
		const char *before = old != NULL ? old->values[i] : "";

		if (!field_has_db(f) || str_eq(before, rec->values[i]))
			continue;
		if (*before != '\0' && index_del(txn->txn, dbs->field_dbi[i], f, before, id, err) != 0)
			return -1;
		if (rec->values[i][0] != '\0' &&
		    index_put(txn, dbs->field_dbi[i], f, rec->values[i], id, old == NULL, err) != 0)
			return -1;
	}
	tally_note(txn, old, rec);
	return 0;
}

struct reindex {
	struct store_txn *txn;
	struct error *err;
};

static int
reindex_one(const struct record *rec, void *arg)
{
	struct reindex *r = arg;

	if (index_update(r->txn, NULL, rec, r->err) != 0)
		return error_prefix(r->err, _("rebuilding the indexes, record %s: "), record_id(rec));
	return 0;
}

/* Every index of a form dropped and made again from its records (after the form changed
 * them). The keys go through the bulk load's stage, so each index is written whole, in key
 * order, a database at a time: its leaf pages filled and lying together, as after an import.
 * Put in record by record, the eleven indexes of the institutions took pages in turn, half
 * filled, and the supervision screen's count at 1,000,000 (the banned institutions' keys read
 * whole) took twice as long as on an imported store. */
static int
reindex_form(struct store *store, MDB_txn *mtxn, struct form_dbs *dbs, struct error *err)
{
	struct store_txn txn = { .store = store, .txn = mtxn, .write = true };
	struct reindex r = { &txn, err };
	int rc;

	for (size_t i = 0; i < dbs->form->n_fields; i++) {
		if (field_has_db(&dbs->form->fields[i]) &&
		    (rc = mdb_drop(mtxn, dbs->field_dbi[i], 0)) != 0)
			return store_lmdb_error(err, rc, _("rebuilding an index"));
		if (dbs->form->fields[i].index_by != NULL &&
		    (rc = mdb_drop(mtxn, dbs->pair_dbi[i], 0)) != 0)
			return store_lmdb_error(err, rc, _("rebuilding an index"));
	}
	if (dbs->n_tally > 0 && (rc = mdb_drop(mtxn, dbs->tally_dbi, 0)) != 0)
		return store_lmdb_error(err, rc, _("rebuilding an index"));
	stage_begin(&txn, 0);	/* each index written whole, in key order: its pages together */
	rc = store_foreach(&txn, dbs->form, reindex_one, &r, err) != 0 ||
	    stage_flush(&txn, err) != 0 ? -1 : tally_flush(&txn, err);
	stage_free(&txn);
	tally_free(&txn);
	return rc;
}

static int
check_form_version(MDB_txn *txn, MDB_dbi meta, const struct form *form, bool create,
    struct error *err)
{
	char key[128], have[32];
	MDB_val v;
	int rc;

	snprintf(key, sizeof key, "form/%s", form->name);
	rc = meta_get(txn, meta, key, &v);
	if (rc == 0 && v.mv_size < sizeof have) {
		memcpy(have, v.mv_data, v.mv_size);
		have[v.mv_size] = '\0';
		if (strtoul(have, NULL, 10) > form->version)
			return error_set(err, ST_FAILED,
			    _("%s is version %u, but the records were written with version %s of it"),
			    form->path, form->version, have);
		if (strtoul(have, NULL, 10) == form->version)
			return 0;
	}
	if (!create)
		return 1;
	snprintf(have, sizeof have, "%u", form->version);
	return meta_put(txn, meta, key, have, strlen(have), err);
}

static int
open_form(struct store *store, MDB_txn *txn, struct form_dbs *dbs, bool create,
    struct error *err)
{
	const struct form *form = dbs->form;
	char *name = xasprintf("rec/%s", form->name), *key = xasprintf("indexes/%s", form->name);
	struct buf sig = BUF_INIT;
	MDB_val v;
	int rc = open_db(txn, name, 0, create, &dbs->records, err), stale;

	for (size_t i = 0; rc == 0 && i < form->n_fields; i++) {
		const struct field *f = &form->fields[i];

		if (f->index_by != NULL) {
			free(name);
			name = xasprintf("pair/%s/%s+%s", form->name, f->name, f->index_by);
			if ((rc = open_db(txn, name, 0, create, &dbs->pair_dbi[i], err)) != 0)
				break;
		}
		if (!field_has_db(f))
			continue;
		free(name);
		name = xasprintf("%s/%s/%s", f->unique ? "uniq" : "idx", form->name, f->name);
		rc = open_db(txn, name, 0, create, &dbs->field_dbi[i], err);
	}
	if (rc == 0)
		rc = tally_open(txn, dbs, create, err);
	if (rc == 0)
		rc = check_form_version(txn, store->meta, form, create, err);
	index_signature(form, &sig);
	stale = rc == 0 && (meta_get(txn, store->meta, key, &v) != 0 || v.mv_size != sig.len ||
	    memcmp(v.mv_data, buf_str(&sig), sig.len) != 0);
	if (stale && !create)
		rc = 1;
	else if (stale && (rc = reindex_form(store, txn, dbs, err)) == 0)
		rc = meta_put(txn, store->meta, key, buf_str(&sig), sig.len, err);
	buf_free(&sig);
	free(name);
	free(key);
	return rc;
}

/* 0: all open; 1: something must be created or rebuilt (call again with create); -1: error. */
int
store_index_open(struct store *store, MDB_txn *txn, bool create, struct error *err)
{
	for (size_t i = 0; i < store->forms->n; i++) {
		int rc = open_form(store, txn, &store->dbs[i], create, err);

		if (rc != 0)
			return rc;
	}
	return 0;
}
