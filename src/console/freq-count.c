/*
 * freq-count.c — counting a table's current rows by one field or a pair (the frequency view,
 * VisiData's Shift-F). From the fields' indexes when every field has one (no record read, a
 * limit applied by the rows' positions), else from the records a slice at a time, so 100,000
 * rows count between keys. Values are counted as stored; empty ones too.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/freq.h"

void
freq_count_init(struct freq_count *c, const struct form *form, int f1, int f2)
{
	memset(c, 0, sizeof *c);
	c->form = form;
	c->f1 = f1;
	c->f2 = f2;
	c->n_slots = 64;
	c->slots = xcalloc(c->n_slots, sizeof *c->slots);
}

void
freq_count_free(struct freq_count *c)
{
	for (size_t i = 0; i < c->n_lines; i++) {
		free(c->lines[i].v1);
		free(c->lines[i].v2);
	}
	free(c->lines);
	free(c->slots);
	memset(c, 0, sizeof *c);
}

/* FNV-1a over both values, a separator between them. */
static size_t
freq_hash(const char *v1, const char *v2)
{
	uint64_t h = 14695981039346656037ULL;

	for (const char *p = v1; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *p = v2 != NULL ? v2 : ""; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)h;
}

static bool
line_is(const struct freq_line *l, const char *v1, const char *v2)
{
	return str_eq(l->v1, v1) && (v2 == NULL || str_eq(l->v2, v2));
}

/* Every line in its slot again: after the slots grew or the lines were sorted. */
static void
freq_reslot(struct freq_count *c)
{
	memset(c->slots, 0, c->n_slots * sizeof *c->slots);
	for (size_t i = 0; i < c->n_lines; i++) {
		size_t s = freq_hash(c->lines[i].v1, c->lines[i].v2) & (c->n_slots - 1);

		while (c->slots[s] != 0)
			s = (s + 1) & (c->n_slots - 1);
		c->slots[s] = i + 1;
	}
}

void
freq_count_add(struct freq_count *c, const char *v1, const char *v2)
{
	size_t s = freq_hash(v1, v2) & (c->n_slots - 1);
	struct freq_line *l;

	c->total++;
	for (; c->slots[s] != 0; s = (s + 1) & (c->n_slots - 1))
		if (line_is(&c->lines[c->slots[s] - 1], v1, v2)) {
			c->lines[c->slots[s] - 1].count++;
			return;
		}
	if (c->n_lines == c->cap) {
		c->cap = c->cap == 0 ? 16 : c->cap * 2;
		c->lines = xrealloc(c->lines, c->cap * sizeof *c->lines);
	}
	l = &c->lines[c->n_lines];
	l->v1 = xstrdup(v1);
	l->v2 = v2 != NULL ? xstrdup(v2) : NULL;
	l->count = 1;
	c->slots[s] = ++c->n_lines;
	if (c->n_lines * 2 > c->n_slots) {	/* half full: twice the slots, probes stay short */
		c->n_slots *= 2;
		c->slots = xrealloc(c->slots, c->n_slots * sizeof *c->slots);
		freq_reslot(c);
	}
}

bool
freq_field_indexed(const struct form *form, int f)
{
	return f < 0 || (form->fields[f].indexed && !form->fields[f].unique);
}

/* One field's values by the position of their id among the table's ids, from its index. */
struct index_fill {
	const struct table *t;
	const char **values;	/* per id; NULL: empty */
	char **seen;		/* the distinct values, each once (index order groups them) */
	size_t n_seen, cap_seen;
};

static int
fill_value(void *arg, const char *value, size_t vlen, const char *id, size_t idlen)
{
	struct index_fill *x = arg;
	char key[256];
	const char *last = x->n_seen > 0 ? x->seen[x->n_seen - 1] : NULL;
	size_t at;

	if (idlen >= sizeof key)
		return 0;	/* no id is this long */
	memcpy(key, id, idlen);
	key[idlen] = '\0';
	if ((at = id_index(x->t, key)) >= x->t->n_ids)
		return 0;	/* added since the table read its ids */
	if (last == NULL || strlen(last) != vlen || memcmp(last, value, vlen) != 0) {
		if (x->n_seen + 1 >= x->cap_seen) {
			x->cap_seen = x->cap_seen == 0 ? 64 : x->cap_seen * 2;
			x->seen = xrealloc(x->seen, x->cap_seen * sizeof *x->seen);
		}
		last = x->seen[x->n_seen++] = xstrndup(value, vlen);
		x->seen[x->n_seen] = NULL;
	}
	x->values[at] = last;
	return 0;
}

static int
fill_field(struct store_txn *txn, const struct table *t, int f, struct index_fill *x,
    struct error *err)
{
	memset(x, 0, sizeof *x);
	x->t = t;
	x->values = xcalloc(t->n_ids + 1, sizeof *x->values);
	if (f < 0)
		return 0;
	return store_walk_index(txn, t->form, t->form->fields[f].name, fill_value, x, err);
}

static void
fill_free(struct index_fill *x)
{
	free(x->values);
	strv_free(x->seen);
}

/* Every row, one field: the index's runs of one value are the counts, no id looked up. */
struct run_count {
	struct freq_count *c;
	struct buf value;	/* the value of the run being counted */
	size_t n;
};

static void
run_end(struct run_count *r)
{
	if (r->n == 0)
		return;
	freq_count_add(r->c, buf_str(&r->value), NULL);
	r->c->lines[r->c->n_lines - 1].count = r->n;	/* a new line: values come once */
	r->c->total += r->n - 1;
	r->n = 0;
}

static int
count_run(void *arg, const char *value, size_t vlen, const char *id, size_t idlen)
{
	struct run_count *r = arg;

	(void)id;
	(void)idlen;
	if (r->n > 0 && (r->value.len != vlen || memcmp(r->value.data, value, vlen) != 0))
		run_end(r);
	if (r->n++ == 0) {
		buf_reset(&r->value);
		buf_add(&r->value, value, vlen);
	}
	return 0;
}

static int
count_all_rows(struct app *app, struct table *t, struct freq_count *c, struct error *err)
{
	struct store_txn *txn;
	struct run_count r = { c, BUF_INIT, 0 };
	int rc;

	if (store_txn_begin(app->store, false, &txn, err) != 0)
		return -1;
	rc = store_walk_index(txn, t->form, t->form->fields[c->f1].name, count_run, &r, err);
	store_txn_abort(txn);
	run_end(&r);
	buf_free(&r.value);
	if (rc == 0 && c->total < t->n_rows) {	/* the empty ones are in no index */
		size_t empty = t->n_rows - c->total;

		freq_count_add(c, "", NULL);
		c->lines[c->n_lines - 1].count = empty;
		c->total += empty - 1;
	}
	return rc;
}

int
freq_count_indexes(struct app *app, struct table *t, struct freq_count *c, struct error *err)
{
	struct store_txn *txn;
	struct index_fill a, b;
	int rc;

	if (t->all_rows && c->f2 < 0)
		return count_all_rows(app, t, c, err);
	load_ids(app, t, SIZE_MAX);
	if (store_txn_begin(app->store, false, &txn, err) != 0)
		return -1;
	rc = fill_field(txn, t, c->f1, &a, err);
	if (fill_field(txn, t, rc == 0 ? c->f2 : -1, &b, err) != 0)
		rc = -1;
	store_txn_abort(txn);
	store_release_pages(app->store);
	for (size_t r = 0; rc == 0 && r < t->n_rows; r++) {
		size_t id = t->rows[r];
		const char *v1 = a.values[id], *v2 = b.values[id];

		freq_count_add(c, v1 != NULL ? v1 : "", c->f2 < 0 ? NULL : v2 != NULL ? v2 : "");
	}
	fill_free(&a);
	fill_free(&b);
	return rc;
}

int
freq_count_records(struct store_txn *txn, struct freq_count *c, char *const *ids, size_t n,
    size_t *next, uint64_t until, struct error *err)
{
	while (*next < n) {
		struct record *rec = NULL;

		if (store_get(txn, c->form, ids[*next], &rec, err) != 0)
			return -1;
		freq_count_add(c, rec->values[c->f1], c->f2 < 0 ? NULL : rec->values[c->f2]);
		record_free(rec);
		if (++*next % 64 == 0 && clock_us() >= until)
			break;
	}
	return 0;
}

/* Where a value sorts by value: an enum's option in form order, empty after everything. */
static int
compare_values(const struct field *f, const char *a, const char *b)
{
	if ((*a == '\0') != (*b == '\0'))
		return *a == '\0' ? 1 : -1;
	if (f->kind == FT_ENUM) {
		const struct enum_option *oa = field_option(f, a), *ob = field_option(f, b);

		if (oa != NULL && ob != NULL && oa != ob)
			return oa < ob ? -1 : 1;
	}
	return strcmp(a, b);
}

static int
compare_by_value(const void *x, const void *y, void *arg)
{
	const struct freq_line *a = x, *b = y;
	const struct freq_count *c = arg;
	int d = compare_values(&c->form->fields[c->f1], a->v1, b->v1);

	if (d == 0 && c->f2 >= 0)
		d = compare_values(&c->form->fields[c->f2], a->v2, b->v2);
	return d;
}

static int
compare_by_count(const void *x, const void *y, void *arg)
{
	const struct freq_line *a = x, *b = y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return compare_by_value(x, y, arg);
}

void
freq_sort(struct freq_count *c, bool by_value)
{
	if (c->n_lines == 0)
		return;	/* nothing counted yet: no lines to sort (qsort_r wants an array) */
	qsort_r(c->lines, c->n_lines, sizeof *c->lines, by_value ? compare_by_value :
	    compare_by_count, c);
	freq_reslot(c);
}
