/*
 * test-cases.c — the case (案件) machine on the shipped forms/case.states and a real store in
 * a temporary directory, with a pinned today: its states and board columns, a moonlighting
 * and an advertising case moved from open to closed, each guard (require, the named check
 * case-complete, reason) refusing first and the stamp of who decided and when after.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "casework-fixture.h"

static const struct division_row city = { "6101", "", "西安市" };
static const struct division_row divisions[] = {
	{ "610113", "", "雁塔区" }, { "610113001", "610113", "小寨路街道" },
};

static int
setup_world(void **state)
{
	return world_setup(state, &city, divisions, 2, "2026-11-28");
}

/* A move expected to be refused with a message holding want (whatever its status). */
static void
refused(struct world *w, const char *id, const char *to, const char *reason, const char *want)
{
	world_refused_as(w, id, to, reason, want, false);
}

static void
moved(struct world *w, const char *id, const char *to, const char *reason)
{
	struct move_result r;

	world_moved(w, id, to, reason, &r);
	move_result_clear(&r);
}

static void
test_case_machine(void **state)
{
	struct world *w = *state;
	const struct machine *m = casework_machine(w->cw, world_form(w, "case"));
	const struct machine_review *rv;

	assert_non_null(m);
	assert_int_equal(m->n_states, 4);
	assert_int_equal(machine_state(m, "open")->column, COLUMN_TO_DO);
	assert_int_equal(machine_state(m, "investigating")->column, COLUMN_DOING);
	assert_int_equal(machine_state(m, "decided")->column, COLUMN_VERIFY);
	assert_int_equal(machine_state(m, "closed")->column, COLUMN_DONE);
	assert_true(machine_state(m, "closed")->final);
	assert_false(machine_state(m, "decided")->final);
	assert_true(machine_move_needs_reason(machine_find_move(m, "investigating", "decided")));
	assert_false(machine_move_needs_reason(machine_find_move(m, "open", "investigating")));
	assert_null(machine_find_move(m, "open", "decided"));
	assert_null(machine_find_move(m, "closed", "investigating"));
	assert_non_null(rv = machine_review(m, "decided"));
	assert_string_equal(rv->accept_to, "closed");
	assert_string_equal(rv->reject_to, "investigating");
}

static void
test_moonlighting_case(void **state)
{
	struct world *w = *state;
	char *inst = world_add(w, "institution", (const char *[]){ "name=启明星培训学校",
	    "district=雁塔区", "category=subject", NULL });
	char *inst_pair = xasprintf("institution=%s", inst), *js, *teacher_pair, *aj;

	js = world_add(w, "teacher", (const char *[]){ "name=张某", "cert=20196101000012345",
	    "district=雁塔区", "employer=西安市第八十五中学", inst_pair, NULL });
	assert_string_equal(js, "JS-610113-000001");
	teacher_pair = xasprintf("teacher=%s", js);
	aj = world_add(w, "case", (const char *[]){ "kind=moonlighting", "district=雁塔区", inst_pair,
	    "found_on=2026-11-20", teacher_pair, NULL });
	assert_string_equal(aj, "AJ-610113-000001");
	assert_string_equal(world_get(w, aj, "state"), "open");

	refused(w, aj, "decided", "查实", "cannot go from");
	refused(w, aj, "closed", NULL, "cannot go from");
	moved(w, aj, "investigating", NULL);
	refused(w, aj, "decided", "查实", "needs What was found (found) first");
	world_set(w, aj, "found", "周末授课");
	refused(w, aj, "decided", "查实", "needs Action taken (action) first");
	world_set(w, aj, "action", "警告");
	refused(w, aj, "decided", "查实", "Public school, Conduct empty");
	world_set(w, aj, "public_school", "西安市第八十五中学");
	refused(w, aj, "decided", "查实", "Conduct empty");
	world_set(w, aj, "conduct", "teaching");
	refused(w, aj, "decided", NULL, "needs a reason");
	assert_string_equal(world_get(w, aj, "state"), "investigating");
	assert_string_equal(world_get(w, aj, "decided_on"), "");
	moved(w, aj, "decided", "查实");
	assert_string_equal(world_get(w, aj, "decided_by"), "RY-00001");
	assert_string_equal(world_get(w, aj, "decided_on"), "2026-11-28");	/* the pinned today */
	refused(w, aj, "investigating", NULL, "needs a reason");
	moved(w, aj, "closed", NULL);
	refused(w, aj, "investigating", "再查", "cannot go from");
	free(inst);
	free(inst_pair);
	free(js);
	free(teacher_pair);
	free(aj);
}

static void
test_advertising_case(void **state)
{
	struct world *w = *state;
	char *aj = world_add(w, "case", (const char *[]){ "kind=advertising", "district=雁塔区",
	    "street=小寨路街道", "found_on=2026-11-25", "found=散发传单", "action=没收传单",
	    "materials_confiscated=传单 300 份", NULL });

	moved(w, aj, "investigating", NULL);
	refused(w, aj, "decided", "属实", "Medium, Advertisement empty");
	world_set(w, aj, "medium", "leaflet");
	refused(w, aj, "decided", "属实", "Advertisement empty");
	world_set(w, aj, "ad_content", "小升初冲刺");
	moved(w, aj, "decided", "属实");	/* no teacher, school or conduct needed */
	assert_string_equal(world_get(w, aj, "materials_confiscated"), "传单 300 份");
	moved(w, aj, "investigating", "补充调查");
	moved(w, aj, "open", "退回");
	free(aj);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_case_machine, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_moonlighting_case, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_advertising_case, setup_world, world_teardown),
	};

	return UNIT_RUN(tests);
}
