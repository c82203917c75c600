/*
 * store-divisions.c — the city's districts and streets (GB/T 2260), written once by init and
 * held in memory while the store is open: a city has a few hundred, and validation looks them
 * up by code or by name for every imported row.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

int
store_divisions_write(MDB_txn *txn, MDB_dbi dbi, const struct division_row *rows, size_t n,
    struct error *err)
{
	struct buf val = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		MDB_val k = { strlen(rows[i].code), (void *)rows[i].code }, v;

		buf_reset(&val);
		buf_adds(&val, rows[i].parent);
		buf_add(&val, "", 1);
		buf_adds(&val, rows[i].name);
		v.mv_size = val.len;
		v.mv_data = val.data;
		rc = mdb_put(txn, dbi, &k, &v, 0);
	}
	buf_free(&val);
	return rc == 0 ? 0 : store_lmdb_error(err, rc, _("writing the divisions"));
}

static void
division_add(struct division **list, size_t *n, const MDB_val *k, const MDB_val *v)
{
	struct division *d;
	size_t parent_len = strnlen(v->mv_data, v->mv_size);

	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	d = &(*list)[(*n)++];
	memset(d, 0, sizeof *d);
	memcpy(d->code, k->mv_data, k->mv_size < sizeof d->code ? k->mv_size : sizeof d->code - 1);
	memcpy(d->parent, v->mv_data, parent_len < sizeof d->parent ? parent_len : sizeof d->parent - 1);
	d->level = k->mv_size == 6 ? DIV_DISTRICT : DIV_STREET;
	d->name = parent_len < v->mv_size ?
	    xstrndup((char *)v->mv_data + parent_len + 1, v->mv_size - parent_len - 1) : xstrdup("");
}

int
store_divisions_load(struct store *store, MDB_txn *txn, struct error *err)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn, store->divisions, &cur);

	if (rc != 0)
		return store_lmdb_error(err, rc, _("reading the divisions"));
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size == 6)
			division_add(&store->districts, &store->n_districts, &k, &v);
		else
			division_add(&store->streets, &store->n_streets, &k, &v);
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("reading the divisions"));
	return 0;
}

void
store_divisions_free(struct store *store)
{
	for (size_t i = 0; i < store->n_districts; i++)
		free((char *)store->districts[i].name);
	for (size_t i = 0; i < store->n_streets; i++)
		free((char *)store->streets[i].name);
	free(store->districts);
	free(store->streets);
}

static int
division_code_cmp(const void *code, const void *division)
{
	return strcmp(code, ((const struct division *)division)->code);
}

/* By code, or by name; with a parent, only divisions inside it count (names repeat). */
const struct division *
store_division_find(const struct store *store, const char *code_or_name,
    enum division_level level, const char *parent)
{
	const struct division *list = level == DIV_DISTRICT ? store->districts : store->streets;
	size_t n = level == DIV_DISTRICT ? store->n_districts : store->n_streets;
	const struct division *by_name = NULL, *by_code;
	int names_found = 0;

	/* Codes are unique and loaded in LMDB's key order, which is strcmp's here; an import
	 * names a code on every row. */
	by_code = n > 0 ? bsearch(code_or_name, list, n, sizeof *list, division_code_cmp) : NULL;
	if (by_code != NULL && (parent == NULL || *parent == '\0' || str_eq(by_code->parent, parent)))
		return by_code;
	for (size_t i = 0; i < n; i++) {
		if (parent != NULL && *parent != '\0' && !str_eq(list[i].parent, parent))
			continue;
		if (str_eq(list[i].code, code_or_name))
			return &list[i];
		if (str_eq(list[i].name, code_or_name)) {
			by_name = &list[i];
			names_found++;
		}
	}
	return names_found == 1 ? by_name : NULL;
}

size_t
store_division_count(const struct store *store, enum division_level level)
{
	return level == DIV_DISTRICT ? store->n_districts : store->n_streets;
}

const struct division *
store_division_at(const struct store *store, enum division_level level, size_t i)
{
	if (i >= store_division_count(store, level))
		return NULL;
	return level == DIV_DISTRICT ? &store->districts[i] : &store->streets[i];
}

/* divisions.csv as git keeps it: "code,parent,name" lines, the city first (parent ""). */
void
store_divisions_text(const struct store *store, struct buf *out)
{
	buf_printf(out, "%s,,%s\n", store->city_code, store->city_name);
	for (size_t i = 0; i < store->n_districts; i++)
		buf_printf(out, "%s,,%s\n", store->districts[i].code, store->districts[i].name);
	for (size_t i = 0; i < store->n_streets; i++)
		buf_printf(out, "%s,%s,%s\n", store->streets[i].code, store->streets[i].parent,
		    store->streets[i].name);
}

/* The first audit commit of a data directory: its divisions, forms, policy and first person. */
int
store_commit_setup(struct store *store, struct error *err)
{
	struct store_txn *txn;
	struct buf text = BUF_INIT;
	char *subject;

	if (store_txn_begin(store, true, &txn, err) != 0)
		return -1;
	store_divisions_text(store, &text);
	store_txn_add_file(txn, "divisions.csv", text.data, text.len);
	subject = xasprintf("初始化 %s（%s）数据目录：%zu 个区县，%zu 个街道", store->city_name,
	    store->city_code, store->n_districts, store->n_streets);
	store_txn_describe(txn, "store.init", subject, NULL);
	free(subject);
	buf_free(&text);
	if (store_setup_policy(txn, err) != 0) {	/* the login running init: city coordinator */
		store_txn_abort(txn);
		return -1;
	}
	return store_txn_commit(txn, err);
}
