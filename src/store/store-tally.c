/*
 * store-tally.c — how many records hold each combination of a form's tally fields ("tally
 * district status rectify_deadline" in its form), kept by the write path so that a dashboard of
 * a million records counts a few thousand entries instead of reading every record. Key: the
 * values joined by NUL (each cut to INDEX_VALUE_MAX); data: the count, 8 bytes big-endian, then
 * for each "tally-count F=V" how many of those records hold V in F (the inspections' failed
 * checks), a LEB128 varint each (mostly 0 or 1: a byte); an entry whose count falls to 0 is
 * deleted. Each insert or update notes -1 for the record's old
 * combination and +1 for its new one in memory; the sums are written once, at the commit (an
 * import of a million rows touches each entry once), and read back with store_walk_tally.
 * Invariant: the entries' counts sum to the form's records, and equal what a walk of the
 * records counts: huitou verify checks it (tests/shell/tally.sh after sets, an import, a move,
 * a revert and a rebuild; tests/unit/test-dashboard after updates and an aborted write).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

/* A combination's numbers: the records, then what each "tally-count" counts. */
#define TALLY_WIDTH_MAX (1 + TALLY_COUNTS_MAX)

struct tally_change {
	MDB_dbi dbi;
	char *key;
	size_t len;
	size_t width;		/* 1 + the form's tally-counts */
	long long *delta;	/* a write's change; for a check, the records counted */
	long long *kept;	/* for a check: what the tally holds */
};

/* An open-addressed table of the changes, keyed by (dbi, key). */
struct tally_changes {
	struct tally_change *v;
	size_t n, cap;		/* cap: a power of two, at least twice n */
};

void
tally_signature(const struct form *form, struct buf *out)
{
	if (form->n_tally == 0)
		return;
	buf_adds(out, "tally:");
	for (size_t i = 0; i < form->n_tally; i++)
		buf_printf(out, "%s%s", i > 0 ? "," : "", form->tally[i]);
	buf_addc(out, ';');
	for (size_t i = 0; i < form->n_tally_count; i++)
		buf_printf(out, "%s%s=%s", i > 0 ? "," : "count:", form->tally_count_field[i],
		    form->tally_count_value[i]);
	if (form->n_tally_count > 0)
		buf_addc(out, ';');
}

int
tally_open(MDB_txn *txn, struct form_dbs *dbs, bool create, struct error *err)
{
	const struct form *form = dbs->form;
	char *name;
	int rc;

	dbs->n_tally = dbs->n_tally_count = 0;
	if (form->n_tally == 0)
		return 0;
	for (size_t i = 0; i < form->n_tally && i < TALLY_FIELDS_MAX; i++)
		dbs->tally_at[i] = form_field_index(form, form->tally[i]);
	dbs->n_tally_count = form->n_tally_count < TALLY_COUNTS_MAX ? form->n_tally_count :
	    TALLY_COUNTS_MAX;
	for (size_t i = 0; i < dbs->n_tally_count; i++)
		dbs->tally_count_at[i] = form_field_index(form, form->tally_count_field[i]);
	name = xasprintf("tally/%s", form->name);
	rc = mdb_dbi_open(txn, name, create ? MDB_CREATE : 0, &dbs->tally_dbi);
	if (rc == MDB_NOTFOUND && !create)
		rc = 1;
	else if (rc != 0)
		rc = store_lmdb_error(err, rc, name);
	else
		dbs->n_tally = form->n_tally < TALLY_FIELDS_MAX ? form->n_tally : TALLY_FIELDS_MAX;
	free(name);
	return rc;
}

static void
tally_key(const struct form_dbs *dbs, const struct record *rec, struct buf *key)
{
	buf_reset(key);
	for (size_t i = 0; i < dbs->n_tally; i++) {
		const char *v = rec->values[dbs->tally_at[i]];
		size_t len = strlen(v);

		if (i > 0)
			buf_addc(key, '\0');
		buf_add(key, v, len > INDEX_VALUE_MAX ? INDEX_VALUE_MAX : len);
	}
}

/* What rec adds to its combination, times sign: the record, then each tally-count it holds. */
static void
tally_numbers(const struct form_dbs *dbs, const struct record *rec, long long sign,
    long long *out)
{
	out[0] = sign;
	for (size_t i = 0; i < dbs->n_tally_count; i++)
		out[1 + i] = str_eq(rec->values[dbs->tally_count_at[i]],
		    dbs->form->tally_count_value[i]) ? sign : 0;
}

static size_t
change_hash(MDB_dbi dbi, const char *key, size_t len)
{
	size_t h = 1469598103934665603u ^ dbi;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211u;
	return h;
}

static struct tally_change *
change_slot(struct tally_changes *c, MDB_dbi dbi, const char *key, size_t len)
{
	size_t at = change_hash(dbi, key, len) & (c->cap - 1);

	while (c->v[at].key != NULL && !(c->v[at].dbi == dbi && c->v[at].len == len &&
	    memcmp(c->v[at].key, key, len) == 0))
		at = (at + 1) & (c->cap - 1);
	return &c->v[at];
}

static void
changes_grow(struct tally_changes *c)
{
	struct tally_changes bigger = { NULL, c->n, c->cap == 0 ? 64 : c->cap * 2 };

	bigger.v = xcalloc(bigger.cap, sizeof *bigger.v);
	for (size_t i = 0; i < c->cap; i++)
		if (c->v[i].key != NULL)
			*change_slot(&bigger, c->v[i].dbi, c->v[i].key, c->v[i].len) = c->v[i];
	free(c->v);
	*c = bigger;
}

/* The change of key, made when first met: its key, then its delta and kept numbers, in one
 * block. */
static struct tally_change *
change_of(struct tally_changes *c, MDB_dbi dbi, const struct buf *key, size_t width)
{
	struct tally_change *slot;

	if (2 * (c->n + 1) > c->cap)
		changes_grow(c);
	slot = change_slot(c, dbi, key->data, key->len);
	if (slot->key == NULL) {
		size_t numbers = 2 * width * sizeof(long long);
		char *block = xcalloc(1, numbers + key->len + 1);

		slot->dbi = dbi;
		slot->width = width;
		slot->delta = (long long *)(void *)block;
		slot->kept = slot->delta + width;
		slot->key = block + numbers;
		memcpy(slot->key, key->data, key->len);
		slot->len = key->len;
		c->n++;
	}
	return slot;
}

static void
add_numbers(long long *to, const long long *delta, size_t width)
{
	for (size_t i = 0; i < width; i++)
		to[i] += delta[i];
}

static void
add_change(struct store_txn *txn, const struct form_dbs *dbs, const struct buf *key,
    const long long *delta)
{
	size_t width = 1 + dbs->n_tally_count;

	if (txn->tally == NULL)
		txn->tally = xcalloc(1, sizeof *txn->tally);
	add_numbers(change_of(txn->tally, dbs->tally_dbi, key, width)->delta, delta, width);
}

/* After index_update: rec's combination counts one more, old's (if any) one less; so do what
 * each holds of the tally-counts. */
void
tally_note(struct store_txn *txn, const struct record *old, const struct record *rec)
{
	const struct form_dbs *dbs = store_form_dbs(txn->store, rec->form);
	struct buf was = BUF_INIT, now = BUF_INIT;
	long long less[TALLY_WIDTH_MAX], more[TALLY_WIDTH_MAX];

	if (dbs->n_tally == 0)
		return;
	tally_key(dbs, rec, &now);
	tally_numbers(dbs, rec, 1, more);
	if (old != NULL) {
		tally_key(dbs, old, &was);
		tally_numbers(dbs, old, -1, less);
	}
	if (old != NULL && was.len == now.len && memcmp(was.data, now.data, now.len) == 0) {
		add_numbers(more, less, 1 + dbs->n_tally_count);	/* the same records */
		add_change(txn, dbs, &now, more);
	} else {
		if (old != NULL)
			add_change(txn, dbs, &was, less);
		add_change(txn, dbs, &now, more);
	}
	buf_free(&was);
	buf_free(&now);
}

static bool
no_change(const struct tally_change *ch)
{
	for (size_t i = 0; i < ch->width; i++)
		if (ch->delta[i] != 0)
			return false;
	return true;
}

#define TALLY_DATA_MAX (8 + 10 * TALLY_COUNTS_MAX)

/* An entry's data as its width numbers; false when it does not hold them. */
static bool
decode_numbers(const MDB_val *v, size_t width, size_t *out)
{
	const unsigned char *p = v->mv_data, *end = p + v->mv_size;

	if (v->mv_size < 8)
		return false;
	out[0] = (size_t)be64_get(p);
	p += 8;
	for (size_t i = 1; i < width; i++) {
		uint64_t n = 0;
		unsigned shift = 0;

		do {
			if (p == end || shift > 63)
				return false;
			n |= (uint64_t)(*p & 0x7f) << shift;
			shift += 7;
		} while (*p++ & 0x80);
		out[i] = (size_t)n;
	}
	return p == end;
}

/* The numbers as an entry's data into out (TALLY_DATA_MAX bytes); its size. */
static size_t
encode_numbers(const long long *have, size_t width, unsigned char *out)
{
	size_t at = 8;

	be64_put(out, (uint64_t)have[0]);
	for (size_t i = 1; i < width; i++) {
		uint64_t n = have[i] > 0 ? (uint64_t)have[i] : 0;

		do {
			out[at++] = (unsigned char)((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
			n >>= 7;
		} while (n > 0);
	}
	return at;
}

/* One entry's numbers moved by the change: written, or deleted when no record is left. */
static int
apply_change(MDB_txn *txn, const struct tally_change *ch, struct error *err)
{
	MDB_val k = { ch->len, ch->key }, v;
	unsigned char data[TALLY_DATA_MAX];
	size_t kept[TALLY_WIDTH_MAX];
	long long have[TALLY_WIDTH_MAX] = { 0 };
	int rc = mdb_get(txn, ch->dbi, &k, &v);

	if (rc == 0 && decode_numbers(&v, ch->width, kept))
		for (size_t i = 0; i < ch->width; i++)
			have[i] = (long long)kept[i];
	else if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("updating a tally"));
	add_numbers(have, ch->delta, ch->width);
	if (have[0] <= 0) {
		rc = mdb_del(txn, ch->dbi, &k, NULL);
		rc = rc == MDB_NOTFOUND ? 0 : rc;
	} else {
		v.mv_size = encode_numbers(have, ch->width, data);
		v.mv_data = data;
		rc = mdb_put(txn, ch->dbi, &k, &v, 0);
	}
	return rc == 0 ? 0 : store_lmdb_error(err, rc, _("updating a tally"));
}

/* The changes noted so far into LMDB; none is left noted. */
int
tally_flush(struct store_txn *txn, struct error *err)
{
	struct tally_changes *c = txn->tally;
	int rc = 0;

	for (size_t i = 0; c != NULL && i < c->cap && rc == 0; i++)
		if (c->v[i].key != NULL && !no_change(&c->v[i]))
			rc = apply_change(txn->txn, &c->v[i], err);
	tally_free(txn);
	return rc;
}

static void
changes_free(struct tally_changes *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->v[i].key != NULL)
			free(c->v[i].delta);	/* the block */
	free(c->v);
	free(c);
}

void
tally_free(struct store_txn *txn)
{
	changes_free(txn->tally);
	txn->tally = NULL;
}

int
store_walk_tally(struct store_txn *txn, const struct form *form, store_tally_fn fn, void *arg,
    struct error *err)
{
	const struct form_dbs *dbs = store_form_dbs(txn->store, form);
	size_t width = 1 + dbs->n_tally_count, counts[TALLY_WIDTH_MAX];
	const char *values[TALLY_FIELDS_MAX];
	char *copy = NULL;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, stop = 0;

	if (dbs->n_tally == 0)
		return error_set(err, ST_FAILED, _("the form %s keeps no tally"), form->name);
	if (txn->write && tally_flush(txn, err) != 0)
		return -1;
	if ((rc = mdb_cursor_open(txn->txn, dbs->tally_dbi, &cur)) != 0)
		return store_lmdb_error(err, rc, _("reading a tally"));
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && stop == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		size_t n = 0;

		if (!decode_numbers(&v, width, counts))
			continue;
		copy = xrealloc(copy, k.mv_size + TALLY_FIELDS_MAX + 1);	/* NULs for missing */
		memcpy(copy, k.mv_data, k.mv_size);
		memset(copy + k.mv_size, 0, TALLY_FIELDS_MAX + 1);
		for (char *s = copy; n < dbs->n_tally; s += strlen(s) + 1)
			values[n++] = s;
		stop = fn(arg, values, counts);
	}
	mdb_cursor_close(cur);
	free(copy);
	if (stop != 0)
		return stop;
	return rc == MDB_NOTFOUND ? 0 : store_lmdb_error(err, rc, _("reading a tally"));
}

struct tally_check {
	const struct form_dbs *dbs;
	struct tally_changes *seen;
	struct buf key;
};

static int
check_record(const struct record *rec, void *arg)
{
	struct tally_check *tc = arg;
	long long numbers[TALLY_WIDTH_MAX];
	size_t width = 1 + tc->dbs->n_tally_count;

	tally_key(tc->dbs, rec, &tc->key);
	tally_numbers(tc->dbs, rec, 1, numbers);
	add_numbers(change_of(tc->seen, tc->dbs->tally_dbi, &tc->key, width)->delta, numbers,
	    width);
	return 0;
}

static int
check_entry(void *arg, const char *const *values, const size_t *counts)
{
	struct tally_check *tc = arg;
	size_t width = 1 + tc->dbs->n_tally_count;
	struct tally_change *ch;

	buf_reset(&tc->key);
	for (size_t i = 0; i < tc->dbs->n_tally; i++) {
		if (i > 0)
			buf_addc(&tc->key, '\0');
		buf_adds(&tc->key, values[i]);
	}
	ch = change_of(tc->seen, tc->dbs->tally_dbi, &tc->key, width);
	for (size_t i = 0; i < width; i++)
		ch->kept[i] += (long long)counts[i];
	return 0;
}

static bool
same_numbers(const struct tally_change *ch)
{
	for (size_t i = 0; i < ch->width; i++)
		if (ch->delta[i] != ch->kept[i])
			return false;
	return true;
}

/* A difference as a line: the combination's values, what the tally holds and the records;
 * then any tally-count that differs. */
static void
report_difference(const struct form *form, const struct tally_change *ch,
    void (*report)(void *arg, const char *line), void *arg)
{
	struct buf line = BUF_INIT;

	buf_printf(&line, _("tally of %s, "), form->name);
	for (size_t i = 0, at = 0; i < form->n_tally; i++) {
		const char *v = at < ch->len ? ch->key + at : "";

		buf_printf(&line, "%s%s=%s", i > 0 ? " " : "", form->tally[i], v);
		at += strlen(v) + 1;
	}
	buf_printf(&line, _(": %lld kept, %lld records"), ch->kept[0], ch->delta[0]);
	for (size_t i = 1; i < ch->width; i++)
		if (ch->kept[i] != ch->delta[i])
			buf_printf(&line, _("; %s=%s: %lld kept, %lld records"),
			    form->tally_count_field[i - 1], form->tally_count_value[i - 1],
			    ch->kept[i], ch->delta[i]);
	report(arg, buf_str(&line));
	buf_free(&line);
}

int
tally_check(struct store_txn *txn, const struct form *form,
    void (*report)(void *arg, const char *line), void *arg, size_t *differences,
    struct error *err)
{
	struct tally_check tc = { store_form_dbs(txn->store, form), NULL, BUF_INIT };
	int rc;

	if (tc.dbs->n_tally == 0)
		return 0;
	tc.seen = xcalloc(1, sizeof *tc.seen);
	rc = store_foreach(txn, form, check_record, &tc, err);
	if (rc == 0)
		rc = store_walk_tally(txn, form, check_entry, &tc, err);
	for (size_t i = 0; rc == 0 && i < tc.seen->cap; i++)
		if (tc.seen->v[i].key != NULL && !same_numbers(&tc.seen->v[i])) {
			report_difference(form, &tc.seen->v[i], report, arg);
			(*differences)++;
		}
	changes_free(tc.seen);
	buf_free(&tc.key);
	return rc;
}
