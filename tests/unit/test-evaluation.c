/*
 * test-evaluation.c — the districts' evaluation on a small hand-made store with today pinned:
 * each measure of two districts counted from records made for it (the period's edges, an
 * excluded banned institution, an institution inspected twice, orders closed, open and past
 * due, complaints replied on time, late and overdue), the score from the shipped weights and
 * a measure with nothing to measure sharing its weight, the rank, the limit behind each
 * number naming exactly the records counted, and evaluation.rules refused where it is wrong.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "casework-fixture.h"
#include "campaign/campaign.h"
#include "campaign/evaluation.h"

#define XC "610102"	/* 新城区 */
#define BL "610103"	/* 碑林区 */

struct eval_world {
	struct world *w;
	struct eval_rules *rules;
	struct evaluation ev;
	char *late[2];
};

static char *
add(struct world *w, const char *form, const char *const *pairs)
{
	return world_add(w, form, pairs);
}

static void
make_xincheng(struct eval_world *e)
{
	struct world *w = e->w;
	char *i1 = add(w, "institution", (const char *[]){ "name=甲", "district=" XC,
	    "category=subject", "platform_entered=yes", NULL });
	char *i2 = add(w, "institution", (const char *[]){ "name=乙", "district=" XC,
	    "category=subject", NULL });
	char *i3 = add(w, "institution", (const char *[]){ "name=丙", "district=" XC,
	    "category=subject", "status=banned", "platform_entered=yes", NULL });
	char *i4 = add(w, "institution", (const char *[]){ "name=丁", "district=" XC,
	    "category=subject", "status=rectifying", "platform_entered=yes", NULL });
	char *ids[16];
	size_t n = 0;

	/* in the period and done: i1 twice (one covered), banned i3 (its findings count) */
	char *s1 = xasprintf("institution=%s", i1), *s3 = xasprintf("institution=%s", i3);
	char *s2 = xasprintf("institution=%s", i2), *s4 = xasprintf("institution=%s", i4);
	ids[n++] = add(w, "inspection", (const char *[]){ s1, "date=2026-11-10", "method=joint",
	    "state=done", "safety=fail", "platform=fail", NULL });
	ids[n++] = add(w, "inspection", (const char *[]){ s1, "date=2026-11-30", "method=joint",
	    "state=done", "disclosure=fail", NULL });
	ids[n++] = add(w, "inspection", (const char *[]){ s3, "date=2026-11-01", "method=joint",
	    "state=done", "licence=fail", NULL });
	/* before the period, and one not done */
	ids[n++] = add(w, "inspection", (const char *[]){ s2, "date=2026-10-31", "method=joint",
	    "state=done", "safety=fail", NULL });
	ids[n++] = add(w, "inspection", (const char *[]){ s4, "date=2026-11-15", "method=joint",
	    "state=planned", "safety=fail", NULL });
	/* orders: due in the period verified, open and past due, open and not yet due; one
	 * due after the period */
	ids[n++] = add(w, "rectification", (const char *[]){ s1, "check=safety", "finding=x",
	    "deadline=2026-11-05", "responsible=RY-00001", "state=verified", NULL });
	ids[n++] = add(w, "rectification", (const char *[]){ s1, "check=safety", "finding=x",
	    "deadline=2026-11-10", "responsible=RY-00001", "state=open", NULL });
	ids[n++] = add(w, "rectification", (const char *[]){ s4, "check=rules", "finding=x",
	    "deadline=2026-11-29", "responsible=RY-00001", "state=in_progress", NULL });
	ids[n++] = add(w, "rectification", (const char *[]){ s4, "check=rules", "finding=x",
	    "deadline=2026-12-05", "responsible=RY-00001", "state=open", NULL });
	/* complaints: replied in 4 days on time, in 10 days late, past due unreplied; one
	 * received before the period */
	ids[n++] = add(w, "complaint", (const char *[]){ "channel=hotline",
	    "received=2026-11-02", "summary=a", "district=" XC, "deadline=2026-11-09",
	    "replied_on=2026-11-06", "state=replied", NULL });
	e->late[0] = add(w, "complaint", (const char *[]){ "channel=hotline",
	    "received=2026-11-03", "summary=b", "district=" XC, "deadline=2026-11-10",
	    "replied_on=2026-11-13", "state=closed", NULL });
	e->late[1] = add(w, "complaint", (const char *[]){ "channel=hotline",
	    "received=2026-11-05", "summary=c", "district=" XC, "deadline=2026-11-12",
	    "state=assigned", NULL });
	ids[n++] = add(w, "complaint", (const char *[]){ "channel=hotline",
	    "received=2026-10-01", "summary=d", "district=" XC, "deadline=2026-10-08",
	    "state=assigned", NULL });
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(s1), free(s2), free(s3), free(s4);
	free(i1), free(i2), free(i3), free(i4);
}

static void
make_beilin(struct eval_world *e)
{
	char *i = add(e->w, "institution", (const char *[]){ "name=戊", "district=" BL,
	    "category=non_subject", "platform_entered=yes", NULL });
	char *s = xasprintf("institution=%s", i);

	free(add(e->w, "inspection", (const char *[]){ s, "date=2026-11-20", "method=open_visit",
	    "state=done", "safety=pass", NULL }));
	free(s);
	free(i);
}

static int
setup(void **state)
{
	static const struct division_row city = { "6101", "", "西安市" };
	static const struct division_row divisions[] = {
		{ XC, "", "新城区" }, { "610102001", XC, "西一路街道" },
		{ BL, "", "碑林区" }, { "610103001", BL, "南院门街道" },
	};
	struct eval_world *e = xcalloc(1, sizeof *e);
	struct store_txn *txn;
	void *w;

	if (world_setup(&w, &city, divisions, 4, "2026-11-28") != 0)
		return -1;
	e->w = w;
	make_xincheng(e);
	make_beilin(e);
	if (eval_rules_load(ABS_TOP_SRCDIR "/forms", &e->rules, &e->w->err) != 0 ||
	    store_txn_begin(e->w->fx->store, false, &txn, &e->w->err) != 0)
		return -1;
	if (evaluation_compute(txn, e->w->fx->store, e->w->cw, e->rules, "2026-11-01",
	    "2026-11-30", &e->ev, &e->w->err) != 0) {
		fprintf(stderr, "evaluation: %s\n", e->w->err.message);
		return -1;
	}
	/* the late complaints were counted from the complaints' tally: their ids on demand */
	assert_null(e->ev.d[0].late_ids);
	for (size_t i = 0; i < e->ev.n; i++)
		if (eval_late_ids(txn, &e->w->fx->forms, e->w->cw, &e->ev, i, &e->w->err) != 0)
			return -1;
	store_txn_abort(txn);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct eval_world *e = *state;
	void *w = e->w;

	evaluation_clear(&e->ev);
	eval_rules_free(e->rules);
	free(e->late[0]);
	free(e->late[1]);
	free(e);
	return world_teardown(&w);
}

static const struct eval_district *
district(struct eval_world *e, const char *code)
{
	for (size_t i = 0; i < e->ev.n; i++)
		if (strcmp(e->ev.d[i].code, code) == 0)
			return &e->ev.d[i];
	fail_msg("no district %s", code);
	return NULL;
}

static void
shown_as(const struct eval_district *d, enum eval_measure m, const char *want)
{
	char text[32];

	eval_format(d, m, text, sizeof text);
	if (strcmp(text, want) != 0)
		fail_msg("%s %s: '%s', not '%s'", d->name, eval_measure_name(m), text, want);
}

static void
counts_each_measure(void **state)
{
	struct eval_world *e = *state;
	const struct eval_district *d = district(e, XC);

	assert_int_equal(d->institutions, 3);	/* the banned one left out */
	assert_int_equal(d->covered, 1);
	assert_int_equal(d->inspections, 3);
	assert_int_equal(d->findings, 4);
	assert_int_equal(e->ev.n_checks, 10);
	assert_string_equal(e->ev.checks[0], "safety");
	assert_int_equal(d->by_check[0], 1);	/* safety: the one before the period not counted */
	assert_int_equal(d->by_check[1], 1);	/* platform */
	assert_int_equal(d->by_check[2], 1);	/* disclosure */
	assert_int_equal(d->by_check[4], 1);	/* licence */
	assert_int_equal(d->due, 3);
	assert_int_equal(d->closed, 1);
	assert_int_equal(d->overdue, 1);
	assert_int_equal(d->replied, 2);
	assert_int_equal(d->late, 2);
	assert_string_equal(d->late_ids[0], e->late[0]);
	assert_string_equal(d->late_ids[1], e->late[1]);
	assert_int_equal(d->platform_yes, 2);
	shown_as(d, EVAL_COVERAGE, "33.3%");
	shown_as(d, EVAL_CLOSURE, "33.3%");
	shown_as(d, EVAL_RESPONSE, "7.0");	/* the median of 4 and 10 days */
	shown_as(d, EVAL_PLATFORM, "66.7%");
	shown_as(d, EVAL_PUBLICATION, "0.0%");	/* nothing published in the period */
	d = district(e, BL);
	shown_as(d, EVAL_COVERAGE, "100.0%");
	shown_as(d, EVAL_CLOSURE, "-");		/* no order due */
	shown_as(d, EVAL_RESPONSE, "-");
	shown_as(d, EVAL_LATE, "-");		/* no complaint received */
	shown_as(d, EVAL_OVERDUE, "-");
}

static void
scores_and_ranks(void **state)
{
	struct eval_world *e = *state;
	const struct eval_district *xc = district(e, XC), *bl = district(e, BL);

	/* 新城区: coverage 10 + closure 8.33 + overdue 9 + response 10 + late 3 + platform 6.67
	 * + publication 0 (nothing published) = 47 of 100 */
	assert_true(xc->points[EVAL_OVERDUE] > 8.99 && xc->points[EVAL_OVERDUE] < 9.01);
	assert_true(xc->points[EVAL_LATE] > 2.99 && xc->points[EVAL_LATE] < 3.01);
	assert_true(xc->score > 46.99 && xc->score < 47.01);
	/* 碑林区: full marks on all it can be measured by but publication: 40 of 50 */
	assert_true(bl->score > 79.99 && bl->score < 80.01);
	assert_int_equal(bl->rank, 1);
	assert_int_equal(xc->rank, 2);
	/* a district with nothing to measure is not scored */
	for (size_t i = 0; i < e->ev.n; i++)
		if (e->ev.d[i].institutions == 0)
			assert_false(e->ev.d[i].scored);
}

/* The limit behind each number selects exactly as many records as the number. */
static void
behind(struct eval_world *e, const char *code, enum eval_measure m, size_t want)
{
	const struct form *form = NULL;
	size_t i = (size_t)(district(e, code) - e->ev.d), n = 0;
	char *where = eval_cell_where(&e->ev, e->rules, &e->w->fx->forms, i, m, &form);
	char **ids = NULL;

	assert_non_null(form);
	assert_non_null(where);
	if (select_ids(e->w->fx->store, form, where, &ids, &n, &e->w->err) != 0)
		fail_msg("%s: %s", where, e->w->err.message);
	if (n != want)
		fail_msg("%s %s: %zu records behind '%s', not %zu", code, eval_measure_name(m), n,
		    where, want);
	strv_free(ids);
	free(where);
}

static void
limits_name_the_records(void **state)
{
	struct eval_world *e = *state;
	const struct form *form = NULL;

	behind(e, XC, EVAL_INSTITUTIONS, 3);
	behind(e, XC, EVAL_COVERAGE, 3);	/* the inspections the coverage counts */
	behind(e, XC, EVAL_FINDINGS, 3);	/* those with a failed check */
	behind(e, XC, EVAL_DUE, 3);
	behind(e, XC, EVAL_CLOSURE, 1);
	behind(e, XC, EVAL_OVERDUE, 1);
	behind(e, XC, EVAL_RESPONSE, 2);
	behind(e, XC, EVAL_LATE, 2);
	behind(e, XC, EVAL_PLATFORM, 2);
	behind(e, BL, EVAL_COVERAGE, 1);
	behind(e, BL, EVAL_FINDINGS, 0);
	assert_null(eval_cell_where(&e->ev, e->rules, &e->w->fx->forms, 1, EVAL_PUBLICATION,
	    &form));	/* no publication behind it */
	assert_non_null(form);
	assert_string_equal(form->name, "publication");
}

static void
refused_as(const char *text, const char *want)
{
	struct eval_rules *r = NULL;
	struct error err = ERROR_INIT;

	if (eval_rules_parse("evaluation.rules", text, &r, &err) == 0)
		fail_msg("'%s' taken", text);
	if (strstr(err.message, want) == NULL)
		fail_msg("wanted '%s' in '%s'", want, err.message);
	error_clear(&err);
}

static void
rules_refused(void **state)
{
	struct eval_rules *r = NULL;
	struct error err = ERROR_INIT;
	char from[11], to[11];

	(void)state;
	refused_as("measure coverage 60 100 0\n", "evaluation.rules: the weights total 60, not 100");
	refused_as("measure reach 100 100 0\n", "evaluation.rules:1: 'reach' is not a measure");
	refused_as("measure coverage 50 100 0\nmeasure coverage 50 100 0\n",
	    "evaluation.rules:2: measure 'coverage' is given twice");
	refused_as("measure coverage 100 5 5\n", "evaluation.rules:1: full marks and none");
	refused_as("period 2026-11-31 2026-12-31\nmeasure coverage 100 100 0\n",
	    "evaluation.rules:1: write the period's dates as 2026-09-01");
	refused_as("publish-by 31\nmeasure coverage 100 100 0\n", "'31' is not a number from 1 to 28");
	/* without a period: the last three months */
	assert_int_equal(eval_rules_parse("x", "measure coverage 100 100 0 # all\n", &r, &err), 0);
	eval_default_period(r, "2026-11-28", from, to);
	assert_string_equal(from, "2026-08-28");
	assert_string_equal(to, "2026-11-28");
	eval_rules_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(counts_each_measure, setup, teardown),
		cmocka_unit_test_setup_teardown(scores_and_ranks, setup, teardown),
		cmocka_unit_test_setup_teardown(limits_name_the_records, setup, teardown),
		cmocka_unit_test(rules_refused),
	};

	return UNIT_RUN(tests);
}
