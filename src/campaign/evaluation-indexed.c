/*
 * evaluation-indexed.c — the period's inspections counted from the inspection form's indexes,
 * no record decoded: each one's district from the `district` index, its failed checks from
 * each check field's index (the entries of "fail"), its institution from the `institution`
 * index. All of them are kept by the store's write path, so the figures are today's. Used when
 * the form indexes all of those fields (forms/inspection.form); else evaluation.c reads the
 * records. The period's ids are kept in a hash set with each one's district.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/evaluation.h"

#define INSPECTION_FAIL "fail"

/* The period's inspection ids: open addressing, a power of two of slots. */
struct idset {
	char **ids;		/* the period's ids (not owned) */
	size_t *slot;		/* index into ids + 1; 0: empty */
	size_t mask;
	int *district;		/* per id: the district (index into ev->d), -1 none */
	struct evaluation *ev;
	size_t check;		/* the check item a findings walk counts */
	char ***covered;	/* the inspected institutions */
	size_t *n_covered;
};

static void
idset_init(struct idset *set, char **ids, size_t n)
{
	size_t size = 16;

	while (size < 2 * n)
		size *= 2;
	set->ids = ids;
	set->mask = size - 1;
	set->slot = xcalloc(size, sizeof *set->slot);
	set->district = xcalloc(n + 1, sizeof *set->district);
	for (size_t k = 0; k < n; k++) {
		size_t at = str_hash(ids[k], strlen(ids[k])) & set->mask;

		while (set->slot[at] != 0)
			at = (at + 1) & set->mask;
		set->slot[at] = k + 1;
		set->district[k] = -1;
	}
}

/* The place of id (len bytes, not NUL-terminated) among the period's ids, or -1. */
static long
idset_find(const struct idset *set, const char *id, size_t len)
{
	for (size_t at = str_hash(id, len) & set->mask; set->slot[at] != 0;
	    at = (at + 1) & set->mask) {
		const char *s = set->ids[set->slot[at] - 1];

		if (strncmp(s, id, len) == 0 && s[len] == '\0')
			return (long)(set->slot[at] - 1);
	}
	return -1;
}

static void
idset_free(struct idset *set)
{
	free(set->slot);
	free(set->district);
}

/* An id of district i (set->check) in the period: counted as one of its inspections. */
static void
place_inspection(void *arg, const char *id, size_t len)
{
	struct idset *set = arg;
	long k = idset_find(set, id, len);

	if (k < 0 || set->district[k] >= 0)
		return;
	set->district[k] = (int)set->check;
	set->ev->d[set->check].inspections++;
}

/* An inspection that failed check set->check: a finding of its district. */
static void
count_failed(void *arg, const char *id, size_t len)
{
	struct idset *set = arg;
	long k = idset_find(set, id, len);
	struct eval_district *d;

	if (k < 0 || set->district[k] < 0)
		return;
	d = &set->ev->d[set->district[k]];
	d->findings++;
	d->by_check[set->check]++;
}

/* An entry of the institution index: an inspection of the period in a district of the city
 * covers that institution. */
static int
collect_institution(void *arg, const char *value, size_t vlen, const char *id, size_t idlen)
{
	struct idset *set = arg;
	long k = idset_find(set, id, idlen);

	if (k < 0 || set->district[k] < 0)
		return 0;
	if (*set->n_covered > 0 && strncmp((*set->covered)[*set->n_covered - 1], value,
	    vlen) == 0 && (*set->covered)[*set->n_covered - 1][vlen] == '\0')
		return 0;	/* the index is in institution order: inspected twice */
	if ((*set->n_covered & 1023) == 0)
		*set->covered = xrealloc(*set->covered, (*set->n_covered + 1024) *
		    sizeof **set->covered);
	(*set->covered)[(*set->n_covered)++] = xstrndup(value, vlen);
	return 0;
}

bool
eval_inspections_indexable(const struct form *form, const struct evaluation *ev)
{
	const struct field *f;

	if ((f = form_field(form, "district")) == NULL || !f->indexed || f->unique ||
	    (f = form_field(form, "institution")) == NULL || !f->indexed || f->unique)
		return false;
	for (size_t k = 0; k < ev->n_checks; k++)
		if ((f = form_field(form, ev->checks[k])) == NULL || !f->indexed || f->unique)
			return false;
	return true;
}

int
eval_inspections_indexed(struct store_txn *txn, const struct form *form,
    struct evaluation *ev, char **ids, size_t n_ids, char ***covered, size_t *n_covered,
    struct error *err)
{
	struct idset set = { .ev = ev, .covered = covered, .n_covered = n_covered };
	int rc = 0;

	idset_init(&set, ids, n_ids);
	for (size_t i = 0; rc == 0 && n_ids > 0 && i < ev->n; i++) {
		set.check = i;
		rc = store_each_by(txn, form, "district", ev->d[i].code, place_inspection, &set,
		    err);
	}
	for (size_t k = 0; rc == 0 && n_ids > 0 && k < ev->n_checks; k++) {
		set.check = k;
		rc = store_each_by(txn, form, ev->checks[k], INSPECTION_FAIL, count_failed, &set,
		    err);
	}
	if (rc == 0 && n_ids > 0)
		rc = store_walk_index(txn, form, "institution", collect_institution, &set, err);
	idset_free(&set);
	return rc;
}
