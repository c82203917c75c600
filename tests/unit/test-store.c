/*
 * test-store.c — the LMDB store on a temporary data directory: put and get, ids that are
 * never reused, indexes kept right through updates, unique values, version conflicts, reopen,
 * indexes rebuilt when a form gains one (written whole, their pages filled), undo by a
 * reverting commit, and a bulk load among records already stored.
 */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lmdb.h>
#include <unistd.h>

#include "unit.h"
#include "fixture.h"
#include "store/store.h"

static const struct division_row city = { "6101", "", "西安市" };
static const struct division_row divisions[] = {
	{ "610102", "", "新城区" },
	{ "610113", "", "雁塔区" },
	{ "610102001", "610102", "西一路街道" },
	{ "610113001", "610113", "小寨路街道" },
	{ "610113002", "610113", "大雁塔街道" },
};

static int
setup(void **state)
{
	struct fixture *fx = fixture_new(&city, divisions, sizeof divisions / sizeof divisions[0]);

	*state = fx;
	return fx != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

/* Inserts an institution from "field=value" pairs in txn; returns its id (caller frees). */
static char *
insert_in(struct fixture *fx, struct store_txn *txn, const char *const *pairs,
    struct error *err)
{
	struct record *rec = record_new(fx->inst);
	struct field_ctx ctx;
	char *id = NULL;
	int rc = 0;

	store_field_ctx(txn, rec, &ctx);
	for (size_t i = 0; pairs[i] != NULL && rc == 0; i += 2)
		rc = record_set_input(rec, pairs[i], pairs[i + 1], &ctx, err);
	if (rc == 0 && store_insert(txn, rec, err) == 0)
		id = xstrdup(record_id(rec));
	record_free(rec);
	return id;
}

/* The same in a transaction of its own; NULL if refused. */
static char *
insert(struct fixture *fx, const char *const *pairs, struct error *err)
{
	struct store_txn *txn;
	char *id;

	assert_int_equal(store_txn_begin(fx->store, true, &txn, err), 0);
	if ((id = insert_in(fx, txn, pairs, err)) == NULL)
		store_txn_abort(txn);
	else if (store_txn_commit(txn, err) != 0) {
		free(id);
		id = NULL;
	}
	return id;
}

static struct record *
get(struct fixture *fx, const char *id)
{
	struct store_txn *txn;
	struct record *rec = NULL;
	struct error err = ERROR_INIT;

	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	if (store_get(txn, fx->inst, id, &rec, &err) != 0)
		rec = NULL;
	store_txn_abort(txn);
	error_clear(&err);
	return rec;
}

static size_t
count_by(struct fixture *fx, const char *field, const char *value, const char *want_id)
{
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	char **ids;
	size_t n;
	bool found = want_id == NULL;

	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	assert_int_equal(store_find_by(txn, fx->inst, field, value, &ids, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		found |= str_eq(ids[i], want_id);
	strv_free(ids);
	store_txn_abort(txn);
	assert_true(found);
	return n;
}

static void
test_put_get_and_ids(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "启明星教育培训学校", "district", "雁塔区", "street", "小寨路街道",
	    "credit_code", "91350100M000100Y43", "category", "学科类", NULL };
	const char *b[] = { "name", "博雅艺术培训中心", "district", "610102", "category", "non_subject", NULL };
	const char *c[] = { "name", "小牛顿科学", "district", "610113", "category", "subject", NULL };
	char *ia = insert(fx, a, &err), *ib = insert(fx, b, &err), *ic = insert(fx, c, &err);
	struct record *rec;

	assert_string_equal(ia, "JG-610113-000001");
	assert_string_equal(ib, "JG-610102-000001");
	assert_string_equal(ic, "JG-610113-000002");
	rec = get(fx, ia);
	assert_non_null(rec);
	assert_int_equal(rec->version, 1);
	assert_string_equal(record_get(rec, "name"), "启明星教育培训学校");
	assert_string_equal(record_get(rec, "district"), "610113");	/* names become codes */
	assert_string_equal(record_get(rec, "street"), "610113001");
	assert_string_equal(record_get(rec, "category"), "subject");
	assert_string_equal(record_get(rec, "status"), "licensed");	/* the form's default */
	assert_string_equal(record_get(rec, "list"), "none");
	record_free(rec);
	assert_null(get(fx, "JG-610113-000099"));
	assert_int_equal(count_by(fx, "district", "610113", ia), 2);
	assert_int_equal(count_by(fx, "district", "610102", ib), 1);
	assert_int_equal(count_by(fx, "credit_code", "91350100M000100Y43", ia), 1);
	free(ia), free(ib), free(ic);
}

static void
note_id(void *arg, const char *id, size_t len)
{
	buf_printf(arg, "%.*s;", (int)len, id);
}

static int
note_record(const struct record *rec, void *arg)
{
	buf_printf(arg, "%s=%s;", record_id(rec), record_get(rec, "name"));
	return 0;
}

/* The ids an index range gives, as "id;id;". */
static char *
range_ids(struct fixture *fx, enum store_cmp cmp, const char *bound)
{
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	struct buf ids = BUF_INIT;

	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	assert_int_equal(store_each_in_range(txn, fx->inst, "rectify_deadline", cmp, bound,
	    note_id, &ids, &err), 0);
	store_txn_abort(txn);
	return buf_detach(&ids);
}

/* Dates through their index: value order, bounds in or out as asked, empty values never. */
static void
test_index_ranges(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *dates[] = { "2026-12-01", "2026-11-01", "", "2026-12-01", "2027-01-15" };
	const struct { enum store_cmp cmp; const char *bound, *want; } cases[] = {
		{ STORE_LT, "2026-12-01", "JG-610113-000002;" },
		{ STORE_LE, "2026-12-01", "JG-610113-000002;JG-610113-000001;JG-610113-000004;" },
		{ STORE_GT, "2026-12-01", "JG-610113-000005;" },
		{ STORE_GE, "2026-12-01", "JG-610113-000001;JG-610113-000004;JG-610113-000005;" },
		{ STORE_GT, "2026-12", "JG-610113-000001;JG-610113-000004;JG-610113-000005;" },
		{ STORE_LT, "2026-11-01", "" },
		{ STORE_GE, "2028-01-01", "" },
		{ STORE_EQ, "2026-12-01", "JG-610113-000001;JG-610113-000004;" },
	};

	for (size_t i = 0; i < COUNT(dates); i++) {
		const char *pairs[] = { "name", "期限测试", "district", "610113", "category", "subject",
		    "rectify_deadline", dates[i], NULL };
		char *id = insert(fx, pairs, &err);

		assert_non_null(id);
		free(id);
	}
	for (size_t i = 0; i < COUNT(cases); i++) {
		char *got = range_ids(fx, cases[i].cmp, cases[i].bound);

		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

/* Chunks in id order, each from after the last id of the one before. */
static void
test_scan_in_chunks(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "甲", "district", "610113", "category", "subject", NULL };
	const char *b[] = { "name", "乙", "district", "610102", "category", "subject", NULL };
	const char *c[] = { "name", "丙", "district", "610113", "category", "subject", NULL };
	char *ia = insert(fx, a, &err), *ib = insert(fx, b, &err), *ic = insert(fx, c, &err);
	struct store_txn *txn;
	struct buf got = BUF_INIT;

	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	assert_int_equal(store_scan_ids(txn, fx->inst, NULL, 2, note_id, &got, &err), 0);
	assert_string_equal(buf_str(&got), "JG-610102-000001;JG-610113-000001;");
	buf_reset(&got);
	assert_int_equal(store_scan_ids(txn, fx->inst, "JG-610113-000001", 2, note_id, &got, &err), 0);
	assert_string_equal(buf_str(&got), "JG-610113-000002;");
	buf_reset(&got);
	assert_int_equal(store_scan_ids(txn, fx->inst, "JG-610113-000002", 2, note_id, &got, &err), 0);
	assert_string_equal(buf_str(&got), "");
	/* after an id that is not there: from the next one */
	assert_int_equal(store_scan_records(txn, fx->inst, "JG-610110", 5, note_record, &got, &err), 0);
	assert_string_equal(buf_str(&got), "JG-610113-000001=甲;JG-610113-000002=丙;");
	buf_reset(&got);
	assert_int_equal(store_scan_records(txn, fx->inst, NULL, 1, note_record, &got, &err), 0);
	assert_string_equal(buf_str(&got), "JG-610102-000001=乙;");
	store_txn_abort(txn);
	buf_free(&got);
	free(ia), free(ib), free(ic);
}

/* "i:street,name;" for each record store_get_values_many reads. */
static void
note_values(void *arg, size_t i, const char *const *values)
{
	buf_printf(arg, "%zu:%s,%s;", i, values[0], values[1]);
}

/* Two fields of many records by one cursor: the same values as a look-up each, in any order;
 * an id that is not a record stops there and refuses. */
static void
test_values_of_many_records(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "甲", "district", "610113", "street", "610113002",
	    "category", "subject", NULL };
	const char *b[] = { "name", "乙", "district", "610102", "category", "subject", NULL };
	const char *c[] = { "name", "丙", "district", "610113", "street", "610113001",
	    "category", "subject", NULL };
	char *ia = insert(fx, a, &err), *ib = insert(fx, b, &err), *ic = insert(fx, c, &err);
	int at[2] = { form_field_index(fx->inst, "street"), form_field_index(fx->inst, "name") };
	const char *sorted[] = { ib, ia, ic }, *mixed[] = { ic, ib, ic, ia };
	const char *missing[] = { ib, "JG-610113-000099", ia };
	struct store_txn *txn;
	struct buf got = BUF_INIT;

	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	assert_int_equal(store_get_values_many(txn, fx->inst, sorted, 3, at, 2, note_values, &got,
	    &err), 0);
	assert_string_equal(buf_str(&got), "0:,乙;1:610113002,甲;2:610113001,丙;");
	buf_reset(&got);
	assert_int_equal(store_get_values_many(txn, fx->inst, mixed, 4, at, 2, note_values, &got,
	    &err), 0);
	assert_string_equal(buf_str(&got),
	    "0:610113001,丙;1:,乙;2:610113001,丙;3:610113002,甲;");
	buf_reset(&got);
	assert_int_equal(store_get_values_many(txn, fx->inst, missing, 3, at, 2, note_values, &got,
	    &err), -1);
	assert_int_equal(err.status, ST_REFUSED);
	assert_non_null(strstr(err.message, "JG-610113-000099"));
	assert_string_equal(buf_str(&got), "0:,乙;");
	error_clear(&err);
	store_txn_abort(txn);
	buf_free(&got);
	free(ia), free(ib), free(ic);
}

static void
test_street_must_lie_in_district(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *bad[] = { "name", "某机构", "district", "610113", "street", "610102001",
	    "category", "subject", NULL };

	assert_null(insert(fx, bad, &err));
	assert_non_null(strstr(err.message, "street"));
	error_clear(&err);
}

/* Inserts or updates a record of form in a transaction of its own from "field=value" pairs;
 * on update, id names the record. The record as written (caller frees), NULL if refused. */
static struct record *
write_other(struct fixture *fx, const char *form_name, const char *id, const char *const *pairs,
    struct error *err)
{
	const struct form *form = formset_find(&fx->forms, form_name);
	struct record *rec = NULL;
	struct store_txn *txn;
	struct field_ctx ctx;
	int rc;

	assert_non_null(form);
	assert_int_equal(store_txn_begin(fx->store, true, &txn, err), 0);
	rc = id != NULL ? store_get(txn, form, id, &rec, err) : 0;
	if (rc == 0 && rec == NULL)
		rec = record_new(form);
	store_field_ctx(txn, rec, &ctx);
	for (size_t i = 0; rc == 0 && pairs[i] != NULL; i += 2)
		rc = record_set_input(rec, pairs[i], pairs[i + 1], &ctx, err);
	if (rc == 0)
		rc = id != NULL ? store_update(txn, rec, err) : store_insert(txn, rec, err);
	if (rc == 0)
		rc = store_txn_commit(txn, err);
	else
		store_txn_abort(txn);
	if (rc != 0) {
		record_free(rec);
		return NULL;
	}
	return rec;
}

/* "from institution.district": an inspection takes its institution's district and street, on
 * insert and on every update, whatever was typed; the policy's district scope then applies. */
static void
test_from_fields_follow_the_reference(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *inst[] = { "name", "某培训学校", "district", "610113", "street", "610113002",
	    "category", "subject", NULL };
	char *jg = insert(fx, inst, &err);
	struct record *zg, *again;

	assert_non_null(jg);
	const char *order[] = { "institution", jg, "district", "610102", "date", "2026-12-01",
	    "method", "unannounced", NULL };
	zg = write_other(fx, "inspection", NULL, order, &err);
	if (zg == NULL)
		fail_msg("%s", err.message);
	assert_string_equal(record_get(zg, "district"), "610113");	/* not what was typed */
	assert_string_equal(record_get(zg, "street"), "610113002");
	assert_true(str_starts(record_id(zg), "JC-610113-"));
	/* the institution moves street: the order follows at its next write */
	const char *moved[] = { "street", "610113001", NULL };
	struct record *m = NULL;
	{
		struct store_txn *txn;
		struct field_ctx ctx;

		assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
		assert_int_equal(store_get(txn, fx->inst, jg, &m, &err), 0);
		store_field_ctx(txn, m, &ctx);
		assert_int_equal(record_set_input(m, moved[0], moved[1], &ctx, &err), 0);
		assert_int_equal(store_update(txn, m, &err), 0);
		assert_int_equal(store_txn_commit(txn, &err), 0);
	}
	const char *touch[] = { "team", "王芳、李强", NULL };
	again = write_other(fx, "inspection", record_id(zg), touch, &err);
	assert_non_null(again);
	assert_string_equal(record_get(again, "street"), "610113001");
	record_free(again);
	record_free(m);
	record_free(zg);
	free(jg);
}

static void
test_unique_credit_code(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "甲", "district", "610113", "category", "subject",
	    "credit_code", "91350100M000100Y43", NULL };
	char *ia = insert(fx, a, &err), *ib;

	assert_non_null(ia);
	ib = insert(fx, a, &err);
	assert_null(ib);
	assert_non_null(strstr(err.message, "already used by JG-610113-000001"));
	error_clear(&err);
	/* The refused insert used no id: the next one is 2. */
	a[7] = "";
	ib = insert(fx, a, &err);
	assert_string_equal(ib, "JG-610113-000002");
	free(ia), free(ib);
}

static void
test_update_versions_and_conflict(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "甲", "district", "610113", "category", "subject", NULL };
	char *id = insert(fx, a, &err);
	struct record *mine = get(fx, id), *theirs = get(fx, id), *now;
	struct store_txn *txn;

	record_set_raw(theirs, (size_t)form_field_index(fx->inst, "status"), "rectifying");
	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	assert_int_equal(store_update(txn, theirs, &err), 0);
	store_txn_add_trailer(txn, "Reason", "a test");
	assert_int_equal(store_txn_commit(txn, &err), 0);
	assert_int_equal(theirs->version, 2);
	assert_int_equal(count_by(fx, "status", "rectifying", id), 1);
	assert_int_equal(count_by(fx, "status", "licensed", NULL), 0);

	/* mine was read at version 1: saving it is a conflict that names both values. */
	record_set_raw(mine, (size_t)form_field_index(fx->inst, "status"), "banned");
	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	assert_int_equal(store_update(txn, mine, &err), -1);
	store_txn_abort(txn);
	assert_int_equal(err.status, ST_REFUSED);
	assert_non_null(strstr(err.message, "conflict"));
	assert_non_null(strstr(err.message, "Rectifying → Banned"));
	error_clear(&err);
	now = get(fx, id);
	assert_string_equal(record_get(now, "status"), "rectifying");
	assert_int_equal(now->version, 2);
	record_free(now), record_free(mine), record_free(theirs), free(id);
}

static void
test_reopen_keeps_records_and_counters(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "甲", "district", "610113", "category", "subject", NULL };
	const char *claimed[] = { "id", "JG-610113-000050", "name", "乙", "district", "610113",
	    "category", "subject", NULL };
	const char *wrong[] = { "id", "XX-610113-000007", "name", "丙", "district", "610113",
	    "category", "subject", NULL };
	/* a record moved from 610102 keeps the id it was given there (an export, a rebuild) */
	const char *moved[] = { "id", "JG-610102-000007", "name", "丁", "district", "610113",
	    "category", "subject", NULL };
	const char *b[] = { "name", "戊", "district", "610102", "category", "subject", NULL };
	char *id4, *id5;
	char *id1 = insert(fx, a, &err), *id2, *id3;
	size_t n;
	struct store_txn *txn;

	store_close(fx->store);
	assert_int_equal(store_open(fx->dir, &fx->forms, &fx->store, &err), 0);
	id2 = insert(fx, claimed, &err);
	assert_string_equal(id2, "JG-610113-000050");
	assert_null(insert(fx, wrong, &err));
	assert_non_null(strstr(err.message, "does not fit"));
	error_clear(&err);
	id3 = insert(fx, a, &err);
	assert_string_equal(id3, "JG-610113-000051");	/* past the claimed one */
	id4 = insert(fx, moved, &err);
	assert_string_equal(id4, "JG-610102-000007");
	id5 = insert(fx, b, &err);
	assert_string_equal(id5, "JG-610102-000008");	/* its district's counter moved past it */
	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	assert_int_equal(store_count(txn, fx->inst, &n, &err), 0);
	store_txn_abort(txn);
	assert_int_equal(n, 5);
	free(id1), free(id2), free(id3), free(id4), free(id5);
}

static void
test_new_index_is_built_for_old_records(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "甲", "district", "610113", "category", "subject",
	    "phone", "13912345678", NULL };
	char *id = insert(fx, a, &err);
	struct field *phone = (struct field *)form_field(fx->inst, "phone");

	store_close(fx->store);
	phone->indexed = true;	/* as if the form file gained "index" */
	assert_int_equal(store_open(fx->dir, &fx->forms, &fx->store, &err), 0);
	assert_int_equal(count_by(fx, "phone", "13912345678", id), 1);
	free(id);
}

/* An index database's entries, leaf pages and page size, read from the closed store's files. */
static void
index_pages(const struct fixture *fx, const char *db, size_t *entries, size_t *leaves,
    size_t *page)
{
	char path[96];
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_stat st;

	snprintf(path, sizeof path, "%s/store", fx->dir);
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 256), 0);
	assert_int_equal(mdb_env_open(env, path, MDB_RDONLY, 0), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, db, 0, &dbi), 0);
	assert_int_equal(mdb_stat(txn, dbi, &st), 0);
	*entries = st.ms_entries;
	*leaves = st.ms_leaf_pages;
	*page = st.ms_psize;
	mdb_txn_abort(txn);
	mdb_env_close(env);
}

/* Indexes rebuilt after a form change are written a database at a time in key order (the
 * bulk load's way): their leaf pages filled, not split in half as entry after entry is put
 * in, so that a count reading a whole index (the supervision screen's banned institutions)
 * touches as few pages as a freshly imported store's. */
static void
test_rebuilt_index_pages_are_filled(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	struct store_txn *txn;
	struct field *phone = (struct field *)form_field(fx->inst, "phone");
	const size_t n = 3000;
	size_t entries = 0, leaves = 0, page = 0, per_page, *order = xcalloc(n, sizeof *order);
	uint32_t seed = 15;
	char number[16];

	for (size_t i = 0; i < n; i++)	/* the numbers in an order of their own: shuffled */
		order[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j, t;

		seed = seed * 1103515245u + 12345u;
		j = (seed >> 8) % (i + 1);
		t = order[i], order[i] = order[j], order[j] = t;
	}
	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	for (size_t i = 0; i < n; i++) {
		const char *a[] = { "name", "培训学校", "district", "610113", "category", "subject",
		    "phone", number, NULL };
		char *id;

		snprintf(number, sizeof number, "139%08zu", order[i]);
		assert_non_null(id = insert_in(fx, txn, a, &err));
		free(id);
	}
	assert_int_equal(store_txn_commit(txn, &err), 0);
	store_close(fx->store);
	phone->indexed = true;	/* as if the form file gained "index": the indexes rebuilt */
	assert_int_equal(store_open(fx->dir, &fx->forms, &fx->store, &err), 0);
	store_close(fx->store);
	fx->store = NULL;
	index_pages(fx, "idx/institution/phone", &entries, &leaves, &page);
	assert_int_equal(entries, n);
	/* a key "13900000000\0JG-610113-000001" (29 bytes), its node's header (8) and its
	 * place in the page's index (2), in pages less their 16-byte header */
	per_page = (page - 16) / (29 + 8 + 2);
	assert_in_range(leaves, (n + per_page - 1) / per_page, (n + per_page - 1) / per_page + 1);
	assert_int_equal(store_open(fx->dir, &fx->forms, &fx->store, &err), 0);
	snprintf(number, sizeof number, "139%08zu", n - 1);
	assert_int_equal(count_by(fx, "phone", number, NULL), 1);	/* and it answers */
	free(order);
}

/* Sets a field of the stored record id in txn and saves it. */
static void
update_in(struct fixture *fx, struct store_txn *txn, const char *id, const char *field,
    const char *value, uint64_t want_version)
{
	struct error err = ERROR_INIT;
	struct record *rec;

	assert_int_equal(store_get(txn, fx->inst, id, &rec, &err), 0);
	record_set_raw(rec, (size_t)form_field_index(fx->inst, field), value);
	assert_int_equal(store_update(txn, rec, &err), 0);
	assert_int_equal(rec->version, want_version);
	record_free(rec);
}

static void
expect_refused(char *id, struct error *err, const char *what)
{
	assert_null(id);
	assert_non_null(strstr(err->message, what));
	error_clear(err);
}

/* A bulk load as import makes it, into a store with records: new keys fall before and after
 * the last ones stored (put in place, appended), staged records are read and updated, unique
 * values are checked against stored and staged ones; then every index answers for all. */
static void
test_bulk_load_among_old_records(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *o1[] = { "name", "甲", "district", "610113", "category", "subject",
	    "credit_code", "91610100MA6C00001F", NULL };
	const char *o2[] = { "name", "乙", "district", "610102", "category", "subject",
	    "credit_code", "91610100MA6C00002J", "status", "rectifying", NULL };
	const char *n1[] = { "name", "丙", "district", "610113", "category", "subject",
	    "credit_code", "91610100MA6C00003M", NULL };
	const char *n2[] = { "name", "丁", "district", "610102", "category", "subject",
	    "credit_code", "91610100MA6C00004Q", "status", "banned", NULL };
	const char *n3[] = { "name", "戊", "district", "610113", "category", "subject",
	    "credit_code", "91610100MA6C00005U", NULL };
	const char *dup_old[] = { "name", "己", "district", "610113", "category", "subject",
	    "credit_code", "91610100MA6C00001F", NULL };
	const char *dup_new[] = { "name", "庚", "district", "610102", "category", "subject",
	    "credit_code", "91610100MA6C00003M", NULL };
	char *ids[5] = { insert(fx, o1, &err), insert(fx, o2, &err) };
	struct store_txn *txn;
	struct record *rec;
	size_t n;

	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	store_txn_bulk(txn, 0);
	ids[2] = insert_in(fx, txn, n1, &err);
	ids[3] = insert_in(fx, txn, n2, &err);
	assert_string_equal(ids[2], "JG-610113-000002");	/* after the last key stored */
	assert_string_equal(ids[3], "JG-610102-000002");	/* before it */
	expect_refused(insert_in(fx, txn, dup_old, &err), &err, "already used by JG-610113-000001");
	expect_refused(insert_in(fx, txn, dup_new, &err), &err, "already used by JG-610113-000002");
	assert_true(store_exists(txn, fx->inst, ids[2]));
	assert_int_equal(store_get(txn, fx->inst, ids[3], &rec, &err), 0);
	assert_string_equal(record_get(rec, "status"), "banned");
	record_free(rec);
	update_in(fx, txn, ids[2], "status", "rectifying", 2);	/* a staged record */
	ids[4] = insert_in(fx, txn, n3, &err);
	assert_string_equal(ids[4], "JG-610113-000003");
	update_in(fx, txn, ids[0], "status", "banned", 2);	/* a stored one */
	store_txn_add_trailer(txn, "Reason", "a test");
	assert_int_equal(store_txn_commit(txn, &err), 0);

	assert_int_equal(count_by(fx, "district", "610113", ids[0]), 3);
	assert_int_equal(count_by(fx, "district", "610113", ids[2]), 3);
	assert_int_equal(count_by(fx, "district", "610113", ids[4]), 3);
	assert_int_equal(count_by(fx, "district", "610102", ids[1]), 2);
	assert_int_equal(count_by(fx, "district", "610102", ids[3]), 2);
	assert_int_equal(count_by(fx, "status", "rectifying", ids[1]), 2);
	assert_int_equal(count_by(fx, "status", "rectifying", ids[2]), 2);
	assert_int_equal(count_by(fx, "status", "banned", ids[0]), 2);
	assert_int_equal(count_by(fx, "status", "banned", ids[3]), 2);
	assert_int_equal(count_by(fx, "status", "licensed", ids[4]), 1);
	assert_int_equal(count_by(fx, "list", "none", NULL), 5);
	for (size_t i = 0; i < 5; i++) {
		const char *const *pairs[] = { o1, o2, n1, n2, n3 };

		assert_int_equal(count_by(fx, "credit_code", pairs[i][7], ids[i]), 1);
		assert_non_null(rec = get(fx, ids[i]));
		assert_string_equal(record_get(rec, "name"), pairs[i][1]);
		record_free(rec);
	}
	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	assert_int_equal(store_count(txn, fx->inst, &n, &err), 0);
	store_txn_abort(txn);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < 5; i++)
		free(ids[i]);
}

/* A bulk load large enough that its sorts run on a second thread: 3,000 records in two
 * districts in turn, after one stored; every record and index key reads back. */
static void
test_bulk_load_sorted_on_a_second_thread(void **state)
{
	static const char *const districts[] = { "610113", "610102" };
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *first[] = { "name", "先", "district", "610113", "category", "subject", NULL };
	char *old = insert(fx, first, &err), *id, name[32], want[32];
	struct store_txn *txn;
	struct record *rec;
	size_t n;

	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	store_txn_bulk(txn, 4096);	/* an input this small: arenas, entries and hashes grow */
	for (int i = 0; i < 3000; i++) {
		const char *pairs[] = { "name", name, "district", districts[i % 2], "category",
		    i % 3 ? "subject" : "non_subject", "status", i % 5 ? "licensed" : "banned", NULL };

		snprintf(name, sizeof name, "机构%d", i);
		id = insert_in(fx, txn, pairs, &err);
		if (id == NULL)
			fail_msg("row %d: %s", i, err.message != NULL ? err.message : "?");
		snprintf(want, sizeof want, "JG-%s-%06d", districts[i % 2], i / 2 + 1 + (i % 2 == 0));
		assert_string_equal(id, want);
		free(id);
	}
	assert_int_equal(store_txn_commit(txn, &err), 0);
	for (int i = 0; i < 3000; i += 7) {
		snprintf(want, sizeof want, "JG-%s-%06d", districts[i % 2], i / 2 + 1 + (i % 2 == 0));
		assert_non_null(rec = get(fx, want));
		snprintf(name, sizeof name, "机构%d", i);
		assert_string_equal(record_get(rec, "name"), name);
		record_free(rec);
	}
	assert_int_equal(count_by(fx, "district", "610113", old), 1501);
	assert_int_equal(count_by(fx, "district", "610102", "JG-610102-001500"), 1500);
	assert_int_equal(count_by(fx, "status", "banned", "JG-610113-000002"), 600);
	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	assert_int_equal(store_count(txn, fx->inst, &n, &err), 0);
	store_txn_abort(txn);
	assert_int_equal(n, 3001);
	free(old);
}

static void
test_newer_format_is_refused(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	struct store *again = NULL;
	unsigned was = fx->inst->version;

	/* LMDB allows one open of an environment in a process: close the fixture's first */
	store_close(fx->store);
	fx->store = NULL;
	((struct form *)fx->inst)->version = was - 1;	/* records newer than this form */
	assert_int_equal(store_open(fx->dir, &fx->forms, &again, &err), -1);
	assert_null(again);
	assert_non_null(strstr(err.message, "version"));
	error_clear(&err);
	((struct form *)fx->inst)->version = was;	/* the form file's own version opens it */
	assert_int_equal(store_open(fx->dir, &fx->forms, &fx->store, &err), 0);
}

/* Sets fields of records in one transaction: "id", "field", "value" triples. */
static void
update(struct fixture *fx, const char *const *triples)
{
	struct store_txn *txn;
	struct error err = ERROR_INIT;

	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	for (size_t i = 0; triples[i] != NULL; i += 3) {
		struct record *rec = NULL;

		assert_int_equal(store_get(txn, fx->inst, triples[i], &rec, &err), 0);
		record_set_raw(rec, (size_t)form_field_index(fx->inst, triples[i + 1]), triples[i + 2]);
		assert_int_equal(store_update(txn, rec, &err), 0);
		record_free(rec);
	}
	store_txn_add_trailer(txn, "Reason", "a test");
	assert_int_equal(store_txn_commit(txn, &err), 0);
}

static int
keep_newest(void *arg, const struct store_history *h)
{
	memcpy(arg, h->commit, 41);
	return 1;
}

/* The id of the newest commit that changed the record. */
static void
newest_commit(struct fixture *fx, const char *id, char out[41])
{
	struct error err = ERROR_INIT;

	*out = '\0';
	assert_true(store_history(fx->store, fx->inst, id, keep_newest, out, &err) >= 0);
	assert_int_equal(strlen(out), 40);
}

static void
assert_field(struct fixture *fx, const char *id, const char *field, const char *want)
{
	struct record *rec = get(fx, id);

	assert_non_null(rec);
	assert_string_equal(record_get(rec, field), want);
	record_free(rec);
}

static void
test_revert_sets_changed_fields_back(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "甲", "district", "610113", "category", "subject", NULL };
	char *id1 = insert(fx, a, &err), *id2 = insert(fx, a, &err), bulk[41], later[41];
	const char *both[] = { id1, "status", "rectifying", id2, "status", "banned", NULL };
	const char *phone[] = { id1, "phone", "13912345678", NULL };
	struct store_revert r;

	update(fx, both);
	newest_commit(fx, id1, bulk);
	update(fx, phone);	/* another field since: the revert still applies */
	assert_int_equal(store_revert_check(fx->store, bulk, &r, &err), 0);
	assert_int_equal(r.records, 2);
	store_revert_clear(&r);
	assert_field(fx, id1, "status", "rectifying");	/* a check writes nothing */
	assert_int_equal(store_revert(fx->store, bulk, &r, &err), 0);
	assert_string_equal(r.commit, bulk);
	assert_string_equal(r.subject, "批量修改 2 条记录");	/* the reverted commit's subject */
	store_revert_clear(&r);
	assert_field(fx, id1, "status", "licensed");
	assert_field(fx, id2, "status", "licensed");
	assert_field(fx, id1, "phone", "13912345678");
	assert_int_equal(count_by(fx, "status", "banned", NULL), 0);
	newest_commit(fx, id1, later);
	assert_string_not_equal(later, bulk);
	newest_commit(fx, id2, bulk);
	assert_string_equal(later, bulk);	/* one commit for both records */
	free(id1), free(id2);
}

static void
test_revert_refuses_a_field_changed_since(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "甲", "district", "610113", "category", "subject", NULL };
	char *id = insert(fx, a, &err), first[41], head[41];
	const char *rect[] = { id, "status", "rectifying", NULL };
	const char *ban[] = { id, "status", "banned", NULL };
	struct store_revert r;
	struct record *before, *after;

	update(fx, rect);
	newest_commit(fx, id, first);
	update(fx, ban);
	before = get(fx, id);
	assert_int_equal(store_revert(fx->store, first, &r, &err), -1);
	store_revert_clear(&r);
	assert_int_equal(err.status, ST_REFUSED);
	assert_non_null(strstr(err.message, id));
	assert_non_null(strstr(err.message, "(status) is Banned now, not Rectifying"));
	error_clear(&err);
	assert_field(fx, id, "status", "banned");
	newest_commit(fx, id, head);
	after = get(fx, id);
	assert_int_equal(after->version, before->version);	/* nothing was written */
	record_free(before), record_free(after);
	assert_int_equal(store_revert(fx->store, head, &r, &err), 0);	/* the newest one can */
	store_revert_clear(&r);
	assert_field(fx, id, "status", "rectifying");
	assert_int_equal(store_revert(fx->store, head, &r, &err), -1);	/* and only once */
	store_revert_clear(&r);
	assert_non_null(strstr(err.message, "undone already"));
	error_clear(&err);
	free(id);
}

static void
test_revert_refuses_a_creation_and_unknown_commits(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "甲", "district", "610113", "category", "subject", NULL };
	char *id = insert(fx, a, &err), created[41];
	struct store_revert r;

	newest_commit(fx, id, created);
	assert_int_equal(store_revert(fx->store, created, &r, &err), -1);
	store_revert_clear(&r);
	assert_int_equal(err.status, ST_REFUSED);
	assert_non_null(strstr(err.message, "a creation cannot be undone"));
	error_clear(&err);
	assert_int_equal(store_revert(fx->store, "0123456789abcdef", &r, &err), -1);
	store_revert_clear(&r);
	assert_int_equal(err.status, ST_REFUSED);
	error_clear(&err);
	assert_field(fx, id, "name", "甲");
	free(id);
}

/* A change of a field marked "reason" (status) is refused at the commit without a Reason
 * trailer, nothing written; with one, or for a field that needs none, it is saved. */
static void
test_reason_field_needs_a_reason(void **state)
{
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;
	const char *a[] = { "name", "甲", "district", "610113", "category", "subject", NULL };
	char *id = insert(fx, a, &err);
	struct record *rec = get(fx, id), *now;
	struct store_txn *txn;

	record_set_raw(rec, (size_t)form_field_index(fx->inst, "status"), "rectifying");
	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	assert_int_equal(store_update(txn, rec, &err), 0);
	assert_int_equal(store_txn_commit(txn, &err), -1);
	assert_int_equal(err.status, ST_REFUSED);
	assert_non_null(strstr(err.message, "(status) of JG-610113-000001 needs a reason"));
	now = get(fx, id);
	assert_string_equal(record_get(now, "status"), "licensed");
	assert_int_equal(now->version, 1);
	record_free(now);
	error_clear(&err);

	rec->version = 1;	/* the update above was not kept */
	record_set_raw(rec, (size_t)form_field_index(fx->inst, "phone"), "13912345678");
	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	assert_int_equal(store_update(txn, rec, &err), 0);
	store_txn_add_trailer(txn, "Reason", "逾期未整改");
	assert_int_equal(store_txn_commit(txn, &err), 0);
	now = get(fx, id);
	assert_string_equal(record_get(now, "status"), "rectifying");
	record_free(now);

	record_set_raw(rec, (size_t)form_field_index(fx->inst, "phone"), "13912345679");
	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	assert_int_equal(store_update(txn, rec, &err), 0);
	assert_int_equal(store_txn_commit(txn, &err), 0);	/* a phone needs no reason */
	record_free(rec);
	free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_get_and_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_in_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values_of_many_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_street_must_lie_in_district, setup, teardown),
		cmocka_unit_test_setup_teardown(test_from_fields_follow_the_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique_credit_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_versions_and_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reason_field_needs_a_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_records_and_counters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_index_is_built_for_old_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebuilt_index_pages_are_filled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_format_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revert_sets_changed_fields_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revert_refuses_a_field_changed_since, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revert_refuses_a_creation_and_unknown_commits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bulk_load_among_old_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_load_sorted_on_a_second_thread, setup,
		    teardown),
	};

	return UNIT_RUN(tests);
}
