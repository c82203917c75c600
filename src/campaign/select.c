/*
 * select.c — the records of a form that a where expression names (query.h's language, as
 * the console's `l` and `T` and `huitou board --where` take it), for `huitou batch`, `huitou
 * export --where` and the benchmark of tag by pattern. Terms on indexed fields are answered by
 * the store's indexes without decoding a record; the rest by the search key, else the record.
 * An expression with no term an index answers (street=…) reads, of every record, only the
 * fields it names, in place (store_scan_fields), not the whole record.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"

int
select_parse(struct store_txn *txn, const struct form *form, const char *where,
    struct query **q, struct error *err)
{
	struct field_ctx ctx;
	size_t at = 0;

	store_field_ctx(txn, NULL, &ctx);
	if (query_parse(form, &ctx, where, q, &at, err) == 0)
		return 0;
	err->status = ST_USAGE;
	return error_prefix(err, "--where: ");
}

struct index_hits {
	struct store_txn *txn;
	const struct form *form;
	char *const *ids;
	size_t n;
	char **range;		/* a range term's ids, sorted */
	size_t n_range, cap_range;
	unsigned char *hits;	/* per id: how many index terms it satisfies */
	unsigned terms;
	size_t at;		/* an equality's pass through the ids has come to */
	struct error *err;
};

static void
count_hit(struct index_hits *h, size_t at)
{
	if (h->hits[at] == h->terms)
		h->hits[at]++;	/* counted once per term, and only if every earlier term held */
}

/* An id from an equality, which gives them in id order, as the ids are: one pass forward
 * finds each, with no hashing (a million ids in a few milliseconds). */
static void
hit_id_in_order(void *arg, const char *id, size_t len)
{
	struct index_hits *h = arg;

	if (str_seek_sorted(h->ids, h->n, &h->at, id, len))
		count_hit(h, h->at);
}

/* A range's ids, which come in value order: kept, to be sorted into id order. */
static void
keep_id(void *arg, const char *id, size_t len)
{
	struct index_hits *h = arg;

	if (h->n_range == h->cap_range) {
		h->cap_range = h->cap_range > 0 ? 2 * h->cap_range : 1024;
		h->range = xrealloc(h->range, h->cap_range * sizeof *h->range);
	}
	h->range[h->n_range++] = xstrndup(id, len);
}

static int
compare_ids(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One term through the store's index: each id it names counts one hit. A range's ids are
 * sorted first (a sort of the few is cheaper than hashing every id of a million). */
static int
count_term(void *arg, const struct field *f, enum store_cmp cmp, const char *value)
{
	struct index_hits *h = arg;
	int rc;

	if (h->terms == UCHAR_MAX)
		return 0;	/* enough terms: the rest are checked record by record */
	h->at = 0;
	if (cmp == STORE_EQ)
		rc = store_each_in_range(h->txn, h->form, f->name, cmp, value, hit_id_in_order, h,
		    h->err);
	else {
		h->n_range = 0;
		rc = store_each_in_range(h->txn, h->form, f->name, cmp, value, keep_id, h, h->err);
		if (h->n_range > 0)	/* range is NULL when nothing is in it */
			qsort(h->range, h->n_range, sizeof *h->range, compare_ids);
		for (size_t i = 0; i < h->n_range; i++) {
			if (rc == 0)
				hit_id_in_order(h, h->range[i], strlen(h->range[i]));
			free(h->range[i]);
		}
	}
	if (rc != 0)
		return -1;
	h->terms++;
	return 0;
}

/* Whether ids[i] matches, once the index terms passed: by its key, else its record. */
static int
match_one(struct store_txn *txn, const struct form *form, const struct query *q,
    const char *id, const char *key, bool *match, struct error *err)
{
	struct record *rec = NULL;
	enum query_answer a = key != NULL ? query_match_key(q, key) : QUERY_MAYBE;

	if (a != QUERY_MAYBE) {
		*match = a == QUERY_YES;
		return 0;
	}
	if (store_get(txn, form, id, &rec, err) != 0)
		return -1;
	*match = query_match(q, rec, key);
	record_free(rec);
	return 0;
}

int
select_matching(struct store_txn *txn, const struct form *form, struct query *q,
    char *const *ids, char *const *keys, size_t n, bool *match, size_t *n_match,
    struct error *err)
{
	struct index_hits h = { txn, form, ids, n, NULL, 0, 0, xcalloc(n + 1, 1), 0, 0, err };
	int rc = 0;

	*n_match = 0;
	if (q != NULL && query_index_terms(q, count_term, &h) != 0)
		rc = -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		match[i] = h.terms == 0 || h.hits[i] == h.terms;
		if (match[i] && q != NULL && !query_by_index(q))
			rc = match_one(txn, form, q, ids[i], keys != NULL ? keys[i] : NULL,
			    &match[i], err);
		*n_match += match[i];
	}
	free(h.range);
	free(h.hits);
	return rc;
}

static int
count_index_term(void *arg, const struct field *f, enum store_cmp cmp, const char *value)
{
	(void)f, (void)cmp, (void)value;
	(*(size_t *)arg)++;
	return 0;
}

/* The matches of q among every record read for q's fields alone, their ids in id order. */
struct scan_matches {
	const struct query *q;
	char **ids;
	size_t n;
};

static int
keep_match(const struct record *rec, void *arg)
{
	struct scan_matches *m = arg;

	if (!query_match(m->q, rec, NULL))
		return 0;
	if ((m->n & 1023) == 0)
		m->ids = xrealloc(m->ids, (m->n + 1025) * sizeof *m->ids);
	m->ids[m->n++] = xstrdup(rec->values[0]);
	m->ids[m->n] = NULL;
	return 0;
}

static int
scan_matching(struct store_txn *txn, const struct form *form, const struct query *q,
    char ***out, size_t *n_out, struct error *err)
{
	struct scan_matches m = { q, NULL, 0 };
	bool *wanted = xcalloc(form->n_fields + 1, sizeof *wanted);
	int rc;

	query_mark_fields(q, wanted, form->n_fields);
	rc = store_scan_fields(txn, form, wanted, keep_match, &m, err);
	free(wanted);
	if (rc != 0) {
		strv_free(m.ids);
		return -1;
	}
	*out = m.ids;
	*n_out = m.n;
	return 0;
}

int
select_ids_in(struct store_txn *txn, const struct form *form, const char *where, char ***out,
    size_t *n_out, struct error *err)
{
	struct query *q = NULL;
	char **ids = NULL;
	bool *match = NULL;
	size_t n = 0, kept = 0, terms = 0;
	int rc = select_parse(txn, form, where, &q, err);

	*out = NULL;
	*n_out = 0;
	if (rc == 0 && q != NULL && query_index_terms(q, count_index_term, &terms) == 0 &&
	    terms == 0) {
		rc = scan_matching(txn, form, q, out, n_out, err);
		query_free(q);
		return rc;
	}
	if (rc == 0)
		rc = store_list_ids(txn, form, &ids, &n, err);
	if (rc == 0) {
		match = xcalloc(n + 1, sizeof *match);
		rc = select_matching(txn, form, q, ids, NULL, n, match, &kept, err);
	}
	query_free(q);
	if (rc == 0) {
		kept = 0;
		for (size_t i = 0; i < n; i++)
			if (match[i])
				ids[kept++] = ids[i];
			else
				free(ids[i]);
		if (ids != NULL)
			ids[kept] = NULL;
		*out = ids;
		*n_out = kept;
	} else
		strv_free(ids);
	free(match);
	return rc;
}

int
select_ids(struct store *store, const struct form *form, const char *where, char ***out,
    size_t *n_out, struct error *err)
{
	struct store_txn *txn = NULL;
	int rc = store_txn_begin(store, false, &txn, err);

	*out = NULL;
	*n_out = 0;
	if (rc == 0)
		rc = select_ids_in(txn, form, where, out, n_out, err);
	store_txn_abort(txn);
	return rc;
}
