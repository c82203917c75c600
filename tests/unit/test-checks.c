/*
 * test-checks.c — the checklist reader (src/campaign/checks.c): the shipped forms/checks.list
 * against the shipped forms (ten checks, numbered, their sub-points), the check a field or its
 * note shows, and bad lines reported as FILE:LINE: reason.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/casework.h"
#include "unit.h"
#include "forms-fixture.h"

#define HEAD "form inspection\norders rectification.check\n"

/* The shipped list, loaded through the same fallback as the console (no DATA/forms here). */
static void
test_shipped_list_has_the_ten_checks(void **state)
{
	struct checklist *cl = NULL;
	struct error err = ERROR_INIT;
	const struct check *c;

	(void)state;
	assert_int_equal(checklist_load("/nonexistent", &forms, &cl, &err), 0);
	assert_int_equal(cl->n, 10);
	assert_string_equal(cl->checks[0].id, "safety");
	assert_string_equal(cl->checks[9].id, "moonlighting");
	c = checklist_find(cl, "disclosure");
	assert_non_null(c);
	assert_int_equal(c->number, 3);
	assert_int_equal(c->n_items, 8);
	assert_string_equal(c->items_zh[4], "教师资格证号");
	assert_string_equal(check_item(c, 4), "Teacher qualification certificate numbers");
	assert_null(check_item(c, 8));
	assert_string_equal(check_label(c), "Disclosure");
	c = checklist_find(cl, "rules");
	assert_int_equal(c->number, 7);
	assert_int_equal(c->n_items, 7);
	assert_string_equal(c->items_zh[4], "办学行为承诺书");
	checklist_free(cl);
}

static void
test_a_note_shows_its_check(void **state)
{
	struct checklist *cl = NULL;
	struct error err = ERROR_INIT;
	const struct form *insp = formset_find(&forms, "inspection");
	const struct form *inst = formset_find(&forms, "institution");

	(void)state;
	assert_int_equal(checklist_load("/nonexistent", &forms, &cl, &err), 0);
	assert_string_equal(checklist_for_field(cl, insp, "disclosure")->id, "disclosure");
	assert_string_equal(checklist_for_field(cl, insp, "licence_note")->id, "licence");
	assert_null(checklist_for_field(cl, insp, "summary"));
	assert_null(checklist_for_field(cl, insp, "_note"));
	assert_null(checklist_for_field(cl, inst, "safety"));	/* another form's field */
	checklist_free(cl);
}

/* text must be refused with exactly want ("x.list:LINE: reason"); cross-checked when forms. */
static void
refused(const char *text, bool with_forms, const char *want)
{
	struct checklist *cl = NULL;
	struct error err = ERROR_INIT;

	if (checklist_parse("x.list", text, with_forms ? &forms : NULL, &cl, &err) == 0) {
		checklist_free(cl);
		fail_msg("accepted: %s", text);
	}
	assert_null(cl);
	if (strstr(err.message, want) == NULL)
		fail_msg("'%s' does not say '%s'", err.message, want);
	error_clear(&err);
}

static void
test_bad_lines_name_file_and_line(void **state)
{
	(void)state;
	refused(HEAD "number 1\n", false, "x.list:3: 'number' must follow a 'check' line");
	refused(HEAD "check safety\n  number one\n", false,
	    "x.list:4: the number must be from 1 to 99, not 'one'");
	refused(HEAD "check safety\n  label\n", false, "x.list:4: 'label' takes a text");
	refused(HEAD "check safety\ncheck safety\n", false, "x.list:4: the check 'safety' is given twice");
	refused(HEAD "check a b\n", false, "x.list:3: 'check' takes one check id");
	refused(HEAD "checks safety\n", false, "x.list:3: unknown line 'checks'");
	refused("form inspection\norders rectification\n", false, "x.list:2: 'orders' takes FORM.FIELD");
	refused(HEAD "check safety\n  number 2\n  label 安全 | Safety\n  item 隐患 | Hazards\n", false,
	    "x.list:3: the check 'safety' must be number 1");
	refused(HEAD "check safety\n  number 1\n  label 安全 | Safety\n", false,
	    "x.list:3: the check 'safety' has no item");
	refused("check safety\n  number 1\n  label 安全 | Safety\n  item 隐患 | Hazards\n", false,
	    "x.list: the 'form' and 'orders' lines are missing");
}

static void
test_checks_must_match_the_forms(void **state)
{
	(void)state;
	refused(HEAD "check safe\n  number 1\n  label 安全 | Safety\n  item 隐患 | Hazards\n", true,
	    "x.list:3: 'safe' is not an enum field of the form inspection");
	refused(HEAD "check summary\n  number 1\n  label 记录 | Record\n  item 记录 | Record\n", true,
	    "x.list:3: 'summary' is not an enum field of the form inspection");
	refused(HEAD "check safety\n  number 1\n  label 安全 | Safety\n  item 隐患 | Hazards\n", true,
	    "x.list: the option 'platform' of rectification.check is not a check here");
	refused("form inspection\norders rectification.severity\n"
	    "check safety\n  number 1\n  label 安全 | Safety\n  item 隐患 | Hazards\n", true,
	    "x.list:3: 'safety' is not an option of rectification.severity");
	refused("form nosuch\norders rectification.check\n"
	    "check safety\n  number 1\n  label 安全 | Safety\n  item 隐患 | Hazards\n", true,
	    "x.list: there is no form 'nosuch'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shipped_list_has_the_ten_checks, load_shipped_forms, free_forms),
		cmocka_unit_test_setup_teardown(test_a_note_shows_its_check, load_shipped_forms, free_forms),
		cmocka_unit_test(test_bad_lines_name_file_and_line),
		cmocka_unit_test_setup_teardown(test_checks_must_match_the_forms, load_shipped_forms, free_forms),
	};

	return UNIT_RUN(tests);
}
