/*
 * test-filing.c — a subject-class filing's machine (forms/filing.states) on a real store with
 * a pinned HUITOU_NOW: its states and review line, an expert's take stamping who and when,
 * approval and rejection decided by the determination, the reason kept in the review, and a
 * rejection referred as a rectification order of check filing_review.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "casework-fixture.h"

static const struct division_row city = { "6101", "", "西安市" };
static const struct division_row divisions[] = { { "610113", "", "雁塔区" } };

static int
setup_world(void **state)
{
	return world_setup(state, &city, divisions, COUNT(divisions), "2026-11-28");
}

/* An institution of 雁塔区 and a submitted filing of it; the filing's id. */
static char *
filing(struct world *w, char **inst)
{
	char *pair;
	char *id;

	*inst = world_add(w, "institution", (const char *[]){ "name=启明星培训学校", "district=雁塔区",
	    "category=subject", NULL });
	pair = xasprintf("institution=%s", *inst);
	id = world_add(w, "filing", (const char *[]){ pair, "class_name=初二数学提高班",
	    "subject=数学", "target=初中", "submitted_on=2026-11-20", NULL });
	free(pair);
	return id;
}

static void
test_machine(void **state)
{
	struct world *w = *state;
	const struct machine *m = casework_machine(w->cw, formset_find(&w->fx->forms, "filing"));
	const struct machine_review *rv;

	assert_non_null(m);
	assert_non_null(machine_find_move(m, "submitted", "review"));
	assert_non_null(machine_find_move(m, "review", "approved"));
	assert_non_null(machine_find_move(m, "review", "rejected"));
	assert_non_null(machine_find_move(m, "rejected", "referred"));
	assert_null(machine_find_move(m, "submitted", "approved"));
	assert_null(machine_find_move(m, "approved", "referred"));
	assert_true(machine_state(m, "approved")->final);
	assert_true(machine_state(m, "referred")->final);
	assert_false(machine_state(m, "rejected")->final);
	rv = machine_review(m, "review");
	assert_non_null(rv);
	assert_string_equal(rv->accept_to, "approved");
	assert_string_equal(rv->reject_to, "rejected");
	assert_true(machine_move_needs_reason(machine_find_move(m, "review", "rejected")));
	assert_false(machine_move_needs_reason(machine_find_move(m, "review", "approved")));
}

/* Taken, decided by the determination, rejected with the reason kept in the review. */
static void
test_review(void **state)
{
	struct world *w = *state;
	char *inst, *ba = filing(w, &inst);
	struct move_result r;

	assert_string_equal(ba, "BA-610113-000001");
	assert_string_equal(world_get(w, ba, "district"), "610113");	/* from the institution */
	assert_string_equal(world_get(w, ba, "state"), "submitted");
	world_refused(w, ba, "approved", NULL, "cannot go from Submitted to Approved");
	world_moved(w, ba, "review", NULL, &r);
	assert_string_equal(world_get(w, ba, "expert"), "RY-00001");	/* who took it */
	assert_string_equal(world_get(w, ba, "reviewed_on"), "2026-11-28");
	move_result_clear(&r);
	world_refused(w, ba, "approved", NULL, "needs Determination (determination) first");
	world_refused(w, ba, "rejected", "超前", "needs Determination (determination) first");
	world_set(w, ba, "determination", "ahead");
	world_refused(w, ba, "approved", NULL, "is determined Ahead of the curriculum: it cannot be approved");
	world_refused(w, ba, "rejected", NULL, "needs a reason");
	world_set(w, ba, "determination", "compliant");
	world_refused(w, ba, "rejected", "超前", "a rejection needs Determination ahead of or beyond");
	world_set(w, ba, "determination", "ahead_beyond");
	world_moved(w, ba, "rejected", "讲授初三二次函数", &r);
	assert_int_equal(r.n_created, 0);
	assert_string_equal(world_get(w, ba, "review_reason"), "讲授初三二次函数");
	assert_string_equal(world_get(w, ba, "state"), "rejected");
	move_result_clear(&r);
	free(inst);
	free(ba);
}

/* A compliant filing is approved; it is final. */
static void
test_approve(void **state)
{
	struct world *w = *state;
	char *inst, *ba = filing(w, &inst);
	struct move_result r;

	world_moved(w, ba, "review", NULL, &r);
	move_result_clear(&r);
	world_set(w, ba, "determination", "compliant");
	world_moved(w, ba, "approved", NULL, &r);
	assert_string_equal(world_get(w, ba, "state"), "approved");
	move_result_clear(&r);
	world_refused(w, ba, "referred", NULL, "cannot go from Approved to Referred");
	free(inst);
	free(ba);
}

/* A rejection referred: one rectification order of check filing_review, its finding the
 * review's reason, severity and deadline (today + 15) from deadlines.rules, the institution's
 * responsible person answering for it, else the person who refers it. */
static void
test_refer(void **state)
{
	struct world *w = *state;
	char *inst, *ba = filing(w, &inst), *zg;
	struct move_result r;

	world_moved(w, ba, "review", NULL, &r);
	move_result_clear(&r);
	world_set(w, ba, "determination", "beyond");
	world_moved(w, ba, "rejected", "超出课标要求", &r);
	move_result_clear(&r);
	world_moved(w, ba, "referred", NULL, &r);
	assert_int_equal(r.n_created, 1);
	zg = xstrdup(r.created[0]);
	move_result_clear(&r);
	assert_string_equal(zg, "ZG-610113-000001");
	assert_string_equal(world_get(w, zg, "check"), "filing_review");
	assert_string_equal(world_get(w, zg, "finding"), "超出课标要求");
	assert_string_equal(world_get(w, zg, "institution"), inst);
	assert_string_equal(world_get(w, zg, "inspection"), "");
	assert_string_equal(world_get(w, zg, "severity"), "major");
	assert_string_equal(world_get(w, zg, "deadline"), "2026-12-13");
	assert_string_equal(world_get(w, zg, "responsible"), "RY-00001");	/* who referred it */
	assert_string_equal(world_get(w, zg, "state"), "open");
	assert_string_equal(world_get(w, ba, "state"), "referred");
	free(zg);
	free(ba);
	free(inst);

	/* The institution's responsible person comes first. */
	ba = filing(w, &inst);
	world_set(w, inst, "responsible", "RY-00001");
	world_moved(w, ba, "review", NULL, &r);
	move_result_clear(&r);
	world_set(w, ba, "determination", "ahead");
	world_moved(w, ba, "rejected", "超前", &r);
	move_result_clear(&r);
	world_set(w, ba, "review_reason", "");	/* a finding without a reason says the check */
	world_moved(w, ba, "referred", NULL, &r);
	assert_string_equal(world_get(w, r.created[0], "finding"), "检查项「备案审核」不合格");	/* no reason */
	assert_string_equal(world_get(w, r.created[0], "responsible"), "RY-00001");
	move_result_clear(&r);
	free(ba);
	free(inst);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_machine, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_review, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_approve, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_refer, setup_world, world_teardown),
	};

	return UNIT_RUN(tests);
}
