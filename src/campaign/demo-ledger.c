/*
 * demo-ledger.c — the demo's joint-enforcement ledger (联合执法台账): in every district a joint
 * operation that sealed an unlicensed institution (ready to be banned), an unannounced visit
 * to a licensed one, and an operation at a flat that has no record. One commit after the
 * casework's, reproducible; dates are counted back from today.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/demo-private.h"

#define DAY (24 * 60 * 60)

struct demo_ledger {
	struct store_txn *txn;
	const struct formset *forms;
	const struct form *ledger, *institutions;
	time_t today;
	char *lead;		/* the district's coordinator, the entries' lead person; NULL */
	size_t entries;
	struct error *err;
};

/* An entry of the pairs (field, value …, NULL), made day days ago. */
static int
insert_entry(struct demo_ledger *d, int days_ago, const char *const *pairs)
{
	struct record *rec = record_new(d->ledger);
	struct field_ctx ctx;
	char day[11];
	int rc;

	clock_format_date(d->today - (time_t)days_ago * DAY, day);
	store_field_ctx(d->txn, rec, &ctx);
	rc = record_set_input(rec, "date", day, &ctx, d->err);
	if (rc == 0 && d->lead != NULL)
		rc = record_set_input(rec, "lead_person", d->lead, &ctx, d->err);
	for (size_t i = 0; pairs[i] != NULL && rc == 0; i += 2)
		rc = record_set_input(rec, pairs[i], pairs[i + 1], &ctx, d->err);
	if (rc == 0 && (rc = store_insert(d->txn, rec, d->err)) == 0)
		d->entries++;
	record_free(rec);
	return rc;
}

/* The first institution whose status is status among the district's ids, looking from
 * index from on (and round), or NULL (caller frees). */
static char *
one_with_status(struct demo_ledger *d, char **ids, size_t n, const char *status, size_t from)
{
	char *found = NULL;

	for (size_t k = 0; k < n && found == NULL; k++) {
		size_t i = (from + k) % n;
		struct record *rec = NULL;

		if (store_get(d->txn, d->institutions, ids[i], &rec, d->err) == 0 &&
		    str_eq(record_get(rec, "status"), status))
			found = xstrdup(ids[i]);
		error_clear(d->err);
		record_free(rec);
	}
	return found;
}

static int
district_ledger(struct demo_ledger *d, const char *district)
{
	char **ids = NULL, *unlicensed = NULL, *licensed = NULL;
	size_t n = 0;
	int rc = store_find_by(d->txn, d->institutions, "district", district, &ids, &n, d->err);

	if (rc == 0 && (unlicensed = one_with_status(d, ids, n, "unlicensed", 0)) != NULL) {
		const char *sealed[] = { "district", district, "kind", "joint",
		    "lead_department", "education", "departments", "market,police,urban,street",
		    "institution", unlicensed, "findings", "无证无照在居民楼内开展学科类培训，现场学员12名",
		    "actions", "sealed,signs_removed,confiscated,students_moved",
		    "materials", "教材35本，宣传单页200份", NULL };

		rc = insert_entry(d, 12, sealed);
	}
	if (rc == 0 && (licensed = one_with_status(d, ids, n, "licensed", n / 2)) != NULL) {
		const char *visit[] = { "district", district, "kind", "unannounced",
		    "lead_department", "education", "departments", "education,fire",
		    "institution", licensed, "findings", "消防通道堆放杂物，超范围开设学科类课程",
		    "actions", "ordered_to_stop,warned", NULL };

		rc = insert_entry(d, 6, visit);
	}
	if (rc == 0) {
		const char *site[] = { "district", district, "kind", "joint",
		    "lead_department", "market", "departments", "market,police,street",
		    "site_address", "某小区5号楼1单元302室", "findings", "居民楼内“一对一”辅导，无任何证照",
		    "actions", "ordered_to_stop,students_moved", NULL };

		rc = insert_entry(d, 3, site);
	}
	strv_free(ids);
	free(unlicensed);
	free(licensed);
	return rc;
}

int
demo_ledger(struct store *store, struct error *err)
{
	const struct formset *forms = store_forms(store);
	struct demo_ledger d = { .forms = forms, .err = err };
	int rc = 0;

	d.ledger = formset_find(forms, "enforcement");
	d.institutions = formset_find(forms, "institution");
	if (d.ledger == NULL || d.institutions == NULL)
		return 0;	/* an older data directory's forms: no ledger to show */
	d.today = clock_today();
	if (store_txn_begin(store, true, &d.txn, err) != 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < store_division_count(store, DIV_DISTRICT); i++) {
		const char *code = store_division_at(store, DIV_DISTRICT, i)->code;

		d.lead = demo_district_person(store, d.txn, code);
		rc = district_ledger(&d, code);
		free(d.lead);
	}
	if (rc != 0) {
		store_txn_abort(d.txn);
		return -1;
	}
	return demo_commit(d.txn, xasprintf("演示数据：联合执法台账 %zu 条", d.entries), err);
}
