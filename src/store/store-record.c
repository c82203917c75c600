/*
 * store-record.c — reading and writing records in a transaction: get, insert with a new or
 * claimed id, update with the version check that turns a lost update into a conflict, counts,
 * iteration in id order and lookups through an index. In a bulk transaction records are read
 * through the stage, and what scans LMDB flushes the stage first.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

static int
record_fetch(struct store_txn *txn, const struct form *form, const char *id, MDB_val *v)
{
	MDB_val k = { strlen(id), (void *)id };

	return txn_get(txn, store_form_dbs(txn->store, form)->records, &k, v);
}

bool
store_exists(struct store_txn *txn, const struct form *form, const char *id)
{
	MDB_val v;

	return *id != '\0' && strlen(id) <= 480 && record_fetch(txn, form, id, &v) == 0;
}

int
store_get(struct store_txn *txn, const struct form *form, const char *id,
    struct record **out, struct error *err)
{
	MDB_val v;
	int rc;

	if (*id == '\0' || strlen(id) > 480)
		return error_set(err, ST_REFUSED, _("no %s has the id '%s'"), form_label(form), id);
	rc = record_fetch(txn, form, id, &v);
	if (rc == MDB_NOTFOUND)
		return error_set(err, ST_REFUSED, _("no %s has the id '%s'"), form_label(form), id);
	if (rc != 0)
		return store_lmdb_error(err, rc, id);
	return record_decode(form, id, v.mv_data, v.mv_size, out, err);
}

int
store_get_if_present(struct store_txn *txn, const struct form *form, const char *id,
    struct record **out, struct error *err)
{
	MDB_val v;
	int rc;

	*out = NULL;
	if (*id == '\0' || strlen(id) > 480 || (rc = record_fetch(txn, form, id, &v)) == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return store_lmdb_error(err, rc, id);
	return record_decode(form, id, v.mv_data, v.mv_size, out, err);
}

int
store_get_values_many(struct store_txn *txn, const struct form *form, const char *const *ids,
    size_t n_ids, const int *fields, size_t n,
    void (*fn)(void *arg, size_t i, const char *const *values), void *arg, struct error *err)
{
	const char **values = xcalloc(n + 1, sizeof *values);
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = 0;

	if (stage_flush(txn, err) != 0 || (rc = mdb_cursor_open(txn->txn,
	    store_form_dbs(txn->store, form)->records, &cur)) != 0) {
		free(values);
		return rc == 0 ? -1 : store_lmdb_error(err, rc, form->name);
	}
	for (size_t i = 0; i < n_ids && rc == 0; i++) {
		k = (MDB_val){ strlen(ids[i]), (void *)ids[i] };
		rc = *ids[i] == '\0' || k.mv_size > 480 ? MDB_NOTFOUND :
		    mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
		if (rc == MDB_NOTFOUND)
			rc = error_set(err, ST_REFUSED, _("no %s has the id '%s'"), form_label(form),
			    ids[i]);
		else if (rc != 0)
			rc = store_lmdb_error(err, rc, ids[i]);
		else if ((rc = record_decode_borrowed(form, ids[i], v.mv_data, v.mv_size, fields, n,
		    values, err)) == 0)
			fn(arg, i, values);
	}
	mdb_cursor_close(cur);
	free(values);
	return rc;
}

static int
record_write(struct store_txn *txn, const struct record *rec, unsigned flags, struct error *err)
{
	MDB_dbi dbi = store_form_dbs(txn->store, rec->form)->records;
	MDB_val k = { strlen(record_id(rec)), (void *)record_id(rec) }, v;
	int rc = 0;

	record_encode(rec, &txn->encoded);
	v.mv_size = txn->encoded.len;
	v.mv_data = txn->encoded.data;
	if (stage_takes(txn, dbi, &k, (flags & MDB_NOOVERWRITE) != 0))
		stage_put(txn, dbi, &k, &v, true);	/* store_insert made sure it is new */
	else
		rc = mdb_put(txn->txn, dbi, &k, &v, flags);
	if (rc == MDB_KEYEXIST)
		return error_set(err, ST_REFUSED, _("%s already exists"), record_id(rec));
	return rc == 0 ? 0 : store_lmdb_error(err, rc, record_id(rec));
}

/* The form's rules over the whole record, the divisions answered from this transaction; a
 * rebuild restores what git holds as it is. */
static int
check_rules(struct store_txn *txn, const struct record *rec, struct error *err)
{
	const struct record *was = txn->ctx_record;
	struct field_ctx ctx;
	int rc;

	if (txn->no_audit)
		return 0;
	store_field_ctx(txn, rec, &ctx);
	rc = record_check_rules(rec, &ctx, err);
	txn->ctx_record = was;
	return rc;
}

/* "from actor": the acting person's user record; "from today": today's date. */
static void
fill_stamp(struct store_txn *txn, struct record *rec, size_t i, const char *what)
{
	char today[11];

	if (str_eq(what, "actor")) {
		const char *id = txn->store->actor.id;

		record_set_raw(rec, i, id != NULL ? id : "");
		return;
	}
	clock_format_date(clock_today(), today);
	record_set_raw(rec, i, today);
}

/* Fields "from REF.FIELD" take the value of the record their ref field names (forms/README.md);
 * an empty ref leaves them empty. A rebuild restores what git holds as it is. */
static int
fill_from_fields(struct store_txn *txn, struct record *rec, struct error *err)
{
	const struct form *form = rec->form;

	for (size_t i = 0; !txn->no_audit && i < form->n_fields; i++) {
		const struct field *f = &form->fields[i];
		const struct field *ref;
		const struct form *target;
		struct record *src = NULL;
		const char *id;

		if (f->from_ref == NULL)
			continue;
		if (f->from_field == NULL) {
			fill_stamp(txn, rec, i, f->from_ref);
			continue;
		}
		ref = form_field(form, f->from_ref);
		id = record_get(rec, f->from_ref);
		if (*id == '\0') {
			record_set_raw(rec, i, "");
			continue;
		}
		target = formset_find(txn->store->forms, ref->ref_form);
		if (target == NULL || form_field(target, f->from_field) == NULL)
			return error_set(err, ST_FAILED, _("%s:%d: 'from %s.%s' names no field of form %s"),
			    form->path, f->line, f->from_ref, f->from_field, ref->ref_form);
		if (store_get(txn, target, id, &src, err) != 0)
			return -1;
		record_set_raw(rec, i, record_get(src, f->from_field));
		record_free(src);
	}
	return 0;
}

int
store_insert(struct store_txn *txn, struct record *rec, struct error *err)
{
	if (!txn->write)
		return error_set(err, ST_FAILED, _("internal error: insert outside a write transaction"));
	if (fill_from_fields(txn, rec, err) != 0 || check_rules(txn, rec, err) != 0)
		return -1;
	if (record_check_required(rec, err) != 0 || index_check_unique(txn, NULL, rec, err) != 0)
		return -1;
	if (store_policy_check(txn, NULL, rec, err) != 0)	/* who may write it */
		return -1;
	if (*record_id(rec) == '\0') {
		if (id_assign(txn, rec, err) != 0)
			return -1;
	} else {
		if (strlen(record_id(rec)) > 480 || store_exists(txn, rec->form, record_id(rec)))
			return error_set(err, ST_REFUSED, _("%s already exists"), record_id(rec));
		if (id_claim(txn, rec, err) != 0)
			return -1;
	}
	rec->version = 1;
	if (index_update(txn, NULL, rec, err) != 0 ||
	    record_write(txn, rec, MDB_NOOVERWRITE, err) != 0)
		return -1;
	txn_note_change(txn, NULL, rec);
	return 0;
}

int
store_restore_version(struct store_txn *txn, const struct record *rec, struct error *err)
{
	return record_write(txn, rec, 0, err);
}

/* An update of a record still in the stage finds its index keys in LMDB, to replace them. */
static int
flush_if_staged(struct store_txn *txn, const struct record *rec, struct error *err)
{
	MDB_val k = { strlen(record_id(rec)), (void *)record_id(rec) }, v;

	if (stage_get(txn, store_form_dbs(txn->store, rec->form)->records, &k, &v) != 0)
		return 0;
	return stage_flush(txn, err);
}

static bool
records_equal(const struct record *a, const struct record *b)
{
	for (size_t i = 0; i < a->form->n_fields; i++)
		if (!str_eq(a->values[i], b->values[i]))
			return false;
	return true;
}

char *
store_record_title(struct store_txn *txn, const struct form *form, const char *id)
{
	struct record *rec = NULL;
	struct error err = ERROR_INIT;
	char *title = NULL;

	if (*id != '\0' && form != NULL && form->title != NULL &&
	    store_get(txn, form, id, &rec, &err) == 0 && *record_get(rec, form->title) != '\0')
		title = xstrdup(record_get(rec, form->title));
	record_free(rec);
	error_clear(&err);
	return title != NULL ? title : xstrdup(id);
}

void
store_txn_allow_moves(struct store_txn *txn)
{
	txn->moving = true;
}

/* A state is changed by its move, with the move's guards and effects, never by a plain edit
 * (set, import, ;=, revert, undo); a rebuild restores what git holds. */
static int
check_by_move(const struct store_txn *txn, const struct record *cur, const struct record *rec,
    struct error *err)
{
	for (size_t i = 0; !txn->moving && !txn->no_audit && i < rec->form->n_fields; i++) {
		const struct field *f = &rec->form->fields[i];

		if (f->by_move && !str_eq(cur->values[i], rec->values[i]))
			return error_set(err, ST_REFUSED,
			    _("%s (%s) of %s changes only by a move: huitou move %s STATE"),
			    field_label(f), f->name, record_id(rec), record_id(rec));
	}
	return 0;
}

/* The first change of a field marked "reason" (forms/README.md), kept until the commit, which
 * refuses it without a Reason trailer: every path (set, import, batch, the console) asks. */
static void
note_reason_field(struct store_txn *txn, const struct record *cur, const struct record *rec)
{
	for (size_t i = 0; txn->unreasoned == NULL && i < rec->form->n_fields; i++) {
		const struct field *f = &rec->form->fields[i];

		if (f->needs_reason && !str_eq(cur->values[i], rec->values[i]))
			txn->unreasoned = xasprintf(_("%s (%s) of %s"), field_label(f), f->name,
			    record_id(rec));
	}
}

int
store_update(struct store_txn *txn, struct record *rec, struct error *err)
{
	struct record *cur = NULL;
	char *diff;
	int rc = -1;

	if (!txn->write)
		return error_set(err, ST_FAILED, _("internal error: update outside a write transaction"));
	if (fill_from_fields(txn, rec, err) != 0 || check_rules(txn, rec, err) != 0)
		return -1;
	if (record_check_required(rec, err) != 0 || flush_if_staged(txn, rec, err) != 0 ||
	    store_get(txn, rec->form, record_id(rec), &cur, err) != 0)
		goto out;
	if (cur->version != rec->version) {
		diff = record_describe_changes(cur, rec);
		error_set(err, ST_REFUSED,
		    _("conflict: %s was saved by someone else since version %" PRIu64
		    " (it is now version %" PRIu64 "); nothing was written.\n"
		    "Their value → your value:\n%s"), record_id(rec), rec->version, cur->version,
		    *diff != '\0' ? diff : _("  (no field differs)\n"));
		free(diff);
		goto out;
	}
	if (records_equal(cur, rec)) {
		rc = 0;
		goto out;
	}
	if (check_by_move(txn, cur, rec, err) != 0)
		goto out;
	if (store_policy_check(txn, cur, rec, err) != 0)	/* who may write it, from what to what */
		goto out;
	if (index_check_unique(txn, cur, rec, err) != 0)
		goto out;
	rec->version = cur->version + 1;
	if (index_update(txn, cur, rec, err) != 0 || record_write(txn, rec, 0, err) != 0) {
		rec->version = cur->version;
		goto out;
	}
	txn_note_change(txn, cur, rec);
	note_reason_field(txn, cur, rec);
	rc = 0;
out:
	record_free(cur);
	return rc;
}

int
store_count(struct store_txn *txn, const struct form *form, size_t *n, struct error *err)
{
	MDB_stat st;
	int rc;

	if (stage_flush(txn, err) != 0)
		return -1;
	if ((rc = mdb_stat(txn->txn, store_form_dbs(txn->store, form)->records, &st)) != 0)
		return store_lmdb_error(err, rc, form->name);
	*n = st.ms_entries;
	return 0;
}

int
store_foreach(struct store_txn *txn, const struct form *form,
    int (*fn)(const struct record *rec, void *arg), void *arg, struct error *err)
{
	MDB_cursor *cur;
	MDB_val k, v;
	struct record *rec;
	char *id;
	int rc, stop = 0;

	if (stage_flush(txn, err) != 0)
		return -1;
	if ((rc = mdb_cursor_open(txn->txn, store_form_dbs(txn->store, form)->records, &cur)) != 0)
		return store_lmdb_error(err, rc, form->name);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && stop == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		id = xstrndup(k.mv_data, k.mv_size);
		stop = record_decode(form, id, v.mv_data, v.mv_size, &rec, err);
		free(id);
		if (stop == 0) {
			stop = fn(rec, arg);
			record_free(rec);
		}
	}
	mdb_cursor_close(cur);
	if (stop != 0)
		return stop;
	return rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, form->name);
}

static void
ids_add(char ***ids, size_t *n, size_t *cap, const void *id, size_t len)
{
	if (*n + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*ids = xrealloc(*ids, *cap * sizeof **ids);
	}
	(*ids)[(*n)++] = xstrndup(id, len);
	(*ids)[*n] = NULL;
}

int
store_list_ids(struct store_txn *txn, const struct form *form, char ***ids, size_t *n,
    struct error *err)
{
	MDB_cursor *cur;
	MDB_val k, v;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (stage_flush(txn, err) != 0)
		return -1;
	if ((rc = mdb_cursor_open(txn->txn, store_form_dbs(txn->store, form)->records, &cur)) != 0)
		return store_lmdb_error(err, rc, form->name);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		ids_add(ids, n, &cap, k.mv_data, k.mv_size);
	mdb_cursor_close(cur);
	if (*ids == NULL)
		*ids = xcalloc(1, sizeof **ids);
	return rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, form->name);
}

int
store_each_by(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, void (*fn)(void *arg, const char *id, size_t len), void *arg,
    struct error *err)
{
	int i = form_field_index(form, field);
	const struct field *f = i >= 0 ? &form->fields[i] : NULL;
	MDB_dbi dbi;
	MDB_cursor *cur;
	MDB_val k = { strlen(value), (void *)value }, v;
	struct buf prefix = BUF_INIT;
	int rc;

	if (f == NULL || !(f->indexed || f->unique))
		return error_set(err, ST_FAILED, _("%s.%s is not indexed"), form->name, field);
	if (k.mv_size == 0 || k.mv_size > INDEX_VALUE_MAX)
		return 0;
	if (stage_flush(txn, err) != 0)
		return -1;
	dbi = store_form_dbs(txn->store, form)->field_dbi[i];
	if (f->unique) {
		rc = mdb_get(txn->txn, dbi, &k, &v);
		if (rc == 0)
			fn(arg, v.mv_data, v.mv_size);
		return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, field);
	}
	if ((rc = mdb_cursor_open(txn->txn, dbi, &cur)) != 0)
		return store_lmdb_error(err, rc, field);
	index_key(&prefix, value, "");
	k.mv_size = prefix.len;
	k.mv_data = prefix.data;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size <= prefix.len || memcmp(k.mv_data, prefix.data, prefix.len) != 0)
			break;
		fn(arg, (char *)k.mv_data + prefix.len, k.mv_size - prefix.len);
	}
	mdb_cursor_close(cur);
	buf_free(&prefix);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, field);
}

/* Whether an index key's value (before its NUL) is past the bound of a walk from the start. */
static bool
beyond_upper(const MDB_val *k, const char *bound, size_t blen, enum store_cmp cmp)
{
	const char *key = k->mv_data;
	const char *nul = memchr(key, '\0', k->mv_size);
	size_t vlen = nul != NULL ? (size_t)(nul - key) : k->mv_size;
	int c = memcmp(key, bound, vlen < blen ? vlen : blen);

	if (c == 0)
		c = (vlen > blen) - (vlen < blen);
	return cmp == STORE_LT ? c >= 0 : c > 0;
}

int
store_each_in_range(struct store_txn *txn, const struct form *form, const char *field,
    enum store_cmp cmp, const char *bound, void (*fn)(void *arg, const char *id, size_t len),
    void *arg, struct error *err)
{
	int i = form_field_index(form, field);
	bool upper = cmp == STORE_LT || cmp == STORE_LE;
	struct buf start = BUF_INIT;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if (cmp == STORE_EQ)
		return store_each_by(txn, form, field, bound, fn, arg, err);
	if (i < 0 || !form->fields[i].indexed || form->fields[i].unique)
		return error_set(err, ST_FAILED, _("%s.%s has no index of values"), form->name, field);
	if (stage_flush(txn, err) != 0)
		return -1;
	rc = mdb_cursor_open(txn->txn, store_form_dbs(txn->store, form)->field_dbi[i], &cur);
	if (rc != 0)
		return store_lmdb_error(err, rc, field);
	buf_adds(&start, bound);
	buf_addc(&start, cmp == STORE_GT ? '\x01' : '\0');	/* past "bound NUL id" for > */
	k.mv_size = start.len;
	k.mv_data = start.data;
	for (rc = mdb_cursor_get(cur, &k, &v, upper ? MDB_FIRST : MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const char *nul = memchr(k.mv_data, '\0', k.mv_size);

		if (upper && beyond_upper(&k, bound, strlen(bound), cmp))
			break;
		if (nul != NULL)
			fn(arg, nul + 1, k.mv_size - (size_t)(nul + 1 - (char *)k.mv_data));
	}
	mdb_cursor_close(cur);
	buf_free(&start);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, field);
}

struct found_ids {
	char **ids;
	size_t n, cap;
};

static void
found_id(void *arg, const char *id, size_t len)
{
	struct found_ids *f = arg;

	ids_add(&f->ids, &f->n, &f->cap, id, len);
}

int
store_find_by(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, char ***ids, size_t *n, struct error *err)
{
	struct found_ids f = { NULL, 0, 0 };
	int rc = store_each_by(txn, form, field, value, found_id, &f, err);

	if (rc != 0) {
		strv_free(f.ids);
		f.ids = NULL, f.n = 0;
	}
	*ids = f.ids;
	*n = f.n;
	return rc;
}

static const struct division *
ctx_division_find(void *data, const char *code_or_name, enum division_level level,
    const char *parent)
{
	struct store_txn *txn = data;

	return store_division_find(txn->store, code_or_name, level, parent);
}

static bool
ctx_record_exists(void *data, const char *form_name, const char *id)
{
	struct store_txn *txn = data;
	const struct form *form = formset_find(txn->store->forms, form_name);

	return form != NULL && store_exists(txn, form, id);
}

static const char *
ctx_value_of(void *data, const char *field)
{
	struct store_txn *txn = data;

	return txn->ctx_record != NULL ? record_get(txn->ctx_record, field) : NULL;
}

void
store_field_ctx(struct store_txn *txn, const struct record *rec, struct field_ctx *out)
{
	txn->ctx_record = rec;
	out->data = txn;
	out->division_find = ctx_division_find;
	out->record_exists = ctx_record_exists;
	out->value_of = ctx_value_of;
}

struct store_txn *
store_ctx_txn(const struct field_ctx *ctx)
{
	return ctx != NULL && ctx->division_find == ctx_division_find ? ctx->data : NULL;
}
