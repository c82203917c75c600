/*
 * evaluation-covered.c — the institutions a district inspected in the period, each counted
 * once (coverage's numerator), those of an excluded status (banned) left out. The period's
 * inspections come grouped by institution, whichever way they are read (the tally by district
 * and institution, the institution index, the records sorted), so an institution is counted
 * when its group starts and its districts are told apart within the group alone: no set of
 * every institution is built. The excluded ids are read once from the status index, in place
 * (the count writes nothing, so they stay in the store's map until its txn ends), else copied
 * from the institutions' records; sorted, and met in a merge as the groups come. A district is
 * the inspection's own (its institution's when the inspection was written).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/evaluation.h"

/* An excluded id, where the store keeps it. */
static void
note_excluded_id(void *arg, const char *id, size_t len)
{
	struct eval_covered *c = arg;

	if (c->n_excluded == c->cap) {
		c->cap = 2 * c->cap + 1024;
		c->excluded = xrealloc(c->excluded, c->cap * sizeof *c->excluded);
	}
	c->excluded[c->n_excluded++] = (struct eval_id){ id, len };
}

/* An excluded institution's record: its id copied (the record is freed after the call). */
static int
note_excluded_record(const struct record *rec, void *arg)
{
	struct eval_covered *c = arg;

	if (eval_excluded(c->rules, rec->values[c->f_status])) {
		if ((c->n_copies & 1023) == 0)
			c->copies = xrealloc(c->copies, (c->n_copies + 1025) * sizeof *c->copies);
		c->copies[c->n_copies] = xstrdup(rec->values[0]);
		note_excluded_id(c, c->copies[c->n_copies++], strlen(rec->values[0]));
		c->copies[c->n_copies] = NULL;
	}
	return 0;
}

/* a against id (len bytes), in byte order. */
static int
compare_id(const struct eval_id *a, const char *id, size_t len)
{
	int cmp = memcmp(a->id, id, a->len < len ? a->len : len);

	return cmp != 0 ? cmp : (a->len > len) - (a->len < len);
}

static int
cmp_ids(const void *a, const void *b)
{
	const struct eval_id *y = b;

	return compare_id(a, y->id, y->len);
}

/* The ids of the institutions of an excluded status, sorted: from the status index (which
 * gives them in id order), else from the records. */
static int
find_excluded(struct eval_covered *c, struct store_txn *txn, const struct form *inst,
    struct error *err)
{
	const struct field *f = inst != NULL ? form_field(inst, "status") : NULL;
	bool indexed = f != NULL && f->indexed && !f->unique;
	int rc = 0;

	if (f == NULL || c->rules->exclude == NULL)
		return 0;
	c->f_status = (int)(f - inst->fields);
	if (!indexed)
		rc = store_foreach(txn, inst, note_excluded_record, c, err);
	for (size_t i = 0; indexed && rc == 0 && c->rules->exclude[i] != NULL; i++)
		rc = store_each_by(txn, inst, "status", c->rules->exclude[i], note_excluded_id, c,
		    err);
	if (rc != 0)
		return -1;
	if (!indexed || (c->rules->exclude[0] != NULL && c->rules->exclude[1] != NULL))
		qsort(c->excluded, c->n_excluded, sizeof *c->excluded, cmp_ids);
	return 0;
}

int
eval_covered_init(struct eval_covered *c, struct store_txn *txn, const struct form *inst,
    struct evaluation *ev, const struct eval_rules *rules, struct error *err)
{
	memset(c, 0, sizeof *c);
	c->ev = ev;
	c->rules = rules;
	c->group = (struct buf)BUF_INIT;
	c->seen = xcalloc(ev->n + 1, sizeof *c->seen);
	if (find_excluded(c, txn, inst, err) != 0) {
		eval_covered_free(c);
		return -1;
	}
	return 0;
}

/* The first excluded id not before id (len bytes), by halves. */
static size_t
lower_bound(const struct eval_covered *c, const char *id, size_t len)
{
	size_t lo = 0, hi = c->n_excluded;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (compare_id(&c->excluded[mid], id, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A new group: institution id, and whether it is excluded: the merge goes on from the last
 * group, or starts again where id lies when the ids went back (a new district of the tally). */
static void
start_group(struct eval_covered *c, const char *id, size_t len)
{
	if (c->group.len > 0 && compare_id(&(struct eval_id){ c->group.data, c->group.len }, id,
	    len) > 0)
		c->at = lower_bound(c, id, len);
	while (c->at < c->n_excluded && compare_id(&c->excluded[c->at], id, len) < 0)
		c->at++;
	c->group_out = c->at < c->n_excluded && compare_id(&c->excluded[c->at], id, len) == 0;
	buf_reset(&c->group);
	buf_add(&c->group, id, len);
	c->n_seen = 0;
}

void
eval_covered_add(struct eval_covered *c, size_t district, const char *id, size_t len)
{
	if (len == 0 || district >= c->ev->n)
		return;
	if (c->group.len != len || memcmp(c->group.data, id, len) != 0)
		start_group(c, id, len);
	if (c->group_out)
		return;
	for (size_t k = 0; k < c->n_seen; k++)
		if (c->seen[k] == district)
			return;		/* inspected before in the period */
	c->seen[c->n_seen++] = district;
	c->ev->d[district].covered++;
}

void
eval_covered_free(struct eval_covered *c)
{
	free(c->excluded);
	strv_free(c->copies);
	free(c->seen);
	buf_free(&c->group);
	memset(c, 0, sizeof *c);
}
