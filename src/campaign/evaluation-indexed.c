/*
 * evaluation-indexed.c — the period's inspections counted from what the store's write path
 * keeps of them, no record decoded, so the figures are today's. From the form's tally
 * (forms/inspection.form: "tally district institution state date" with each check's "fail"
 * counted): one walk, an institution's combinations together. Else from its
 * indexes: each one's district from the `district` index, its failed checks from each check
 * field's index (the entries of "fail"), its institution from the `institution` index; the
 * period's ids are kept in a hash set with each one's district. Else evaluation.c reads the
 * records.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/casework.h"
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
	struct eval_covered *covered;	/* the inspected institutions */
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

	if (k >= 0 && set->district[k] >= 0)
		eval_covered_add(set->covered, (size_t)set->district[k], value, vlen);
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
    struct evaluation *ev, char **ids, size_t n_ids, struct eval_covered *covered,
    struct error *err)
{
	struct idset set = { .ev = ev, .covered = covered };
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

/* Where the tally keeps what the period's count reads: the places of district, institution,
 * state and date among its fields, and of each check item's "fail" among its counts. */
struct tally_layout {
	size_t district, institution, state, date;
	size_t *fails;		/* per check item */
	const struct machine *m;
	struct evaluation *ev;
	struct eval_covered *covered;
};

/* The place of field name in form's tally into *at; false when the tally lacks it. */
static bool
tally_field_at(const struct form *form, const char *name, size_t *at)
{
	int i = form_tally_index(form, name);

	*at = i >= 0 ? (size_t)i : 0;
	return i >= 0;
}

static bool
tally_fail_at(const struct form *form, const char *check, size_t *at)
{
	for (size_t i = 0; i < form->n_tally_count; i++)
		if (str_eq(form->tally_count_field[i], check) &&
		    str_eq(form->tally_count_value[i], INSPECTION_FAIL)) {
			*at = i;
			return true;
		}
	return false;
}

/* The layout of form's tally, or false when it cannot give the period's count: district and
 * institution first (so an institution's entries come together), the state and its date. */
static bool
tally_layout(const struct form *form, const struct machine *m, const struct evaluation *ev,
    struct tally_layout *out)
{
	const struct field *state = m != NULL ? &form->fields[m->field] : NULL;

	if (state == NULL || state->index_by == NULL ||
	    !tally_field_at(form, "district", &out->district) ||
	    !tally_field_at(form, "institution", &out->institution) ||
	    out->district + out->institution != 1 ||
	    !tally_field_at(form, state->name, &out->state) ||
	    !tally_field_at(form, state->index_by, &out->date))
		return false;
	out->fails = xcalloc(ev->n_checks + 1, sizeof *out->fails);
	for (size_t k = 0; k < ev->n_checks; k++)
		if (!tally_fail_at(form, ev->checks[k], &out->fails[k])) {
			free(out->fails);
			out->fails = NULL;
			return false;
		}
	return true;
}

/* A combination in a final state dated in the period: its inspections, their failed checks
 * and its institution. */
static int
count_combination(void *arg, const char *const *values, const size_t *counts)
{
	struct tally_layout *t = arg;
	struct evaluation *ev = t->ev;
	const struct machine_state *state = machine_state(t->m, values[t->state]);
	const char *date = values[t->date], *code = values[t->district];
	const char *inst = values[t->institution];
	struct eval_district *d;

	if (state == NULL || !state->final || *date == '\0' || strcmp(date, ev->from) < 0 ||
	    strcmp(date, ev->to) > 0 || (d = eval_district_of(ev, code)) == NULL)
		return 0;	/* not done in the period, or not in a district of the city */
	d->inspections += counts[0];
	for (size_t k = 0; k < ev->n_checks; k++) {
		d->findings += counts[1 + t->fails[k]];
		d->by_check[k] += counts[1 + t->fails[k]];
	}
	eval_covered_add(t->covered, (size_t)(d - ev->d), inst, strlen(inst));
	return 0;
}

int
eval_inspections_from_tally(struct store_txn *txn, const struct form *form,
    const struct machine *m, struct evaluation *ev, struct eval_covered *covered,
    struct error *err)
{
	struct tally_layout t = { .m = m, .ev = ev, .covered = covered };
	int rc;

	if (!tally_layout(form, m, ev, &t))
		return 1;	/* the caller reads the indexes */
	rc = store_walk_tally(txn, form, count_combination, &t, err);
	free(t.fails);
	return rc;
}
