/*
 * test-assign.c — FIELD=VALUE words as the command line and the console's "=" take them:
 * fields named by id or by label, a word without '=' continuing the value before it, and
 * refusals for an unknown field, the id, and a line with nothing to set.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "campaign/campaign.h"

static const struct form *
institution(void)
{
	static struct form *form;
	struct error err = ERROR_INIT;

	if (form == NULL && form_load_file(ABS_TOP_SRCDIR "/forms/institution.form", &form, &err) != 0)
		fail_msg("%s", err.message);
	return form;
}

static void
test_line_by_id_and_label(void **state)
{
	struct assignments a;
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(assignments_parse_line(institution(),
	    "  status=rectifying 办学地址=高新路 88 号  3 楼 ", &a, &err), 0);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.fields[0]->name, "status");
	assert_string_equal(a.values[0], "rectifying");
	assert_string_equal(a.fields[1]->name, "address");
	assert_string_equal(a.values[1], "高新路 88 号 3 楼");
	assignments_free(&a);
	assert_int_equal(assignments_parse_line(institution(), "Status=banned", &a, &err), 0);
	assert_string_equal(a.fields[0]->name, "status");	/* the English label */
	assignments_free(&a);
}

static void
test_refusals(void **state)
{
	struct assignments a;
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(assignments_parse_line(institution(), "colour=red", &a, &err), -1);
	assert_int_equal(err.status, ST_REFUSED);
	assert_non_null(strstr(err.message, "colour"));
	error_clear(&err);
	assert_int_equal(assignments_parse_line(institution(), "id=JG-610113-000001", &a, &err), -1);
	assert_int_equal(err.status, ST_REFUSED);
	error_clear(&err);
	assert_int_equal(assignments_parse_line(institution(), "   ", &a, &err), -1);
	assert_int_equal(err.status, ST_USAGE);
	error_clear(&err);
	assert_int_equal(assignments_parse_line(institution(), "status", &a, &err), -1);
	assert_int_equal(err.status, ST_USAGE);
	error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_by_id_and_label),
		cmocka_unit_test(test_refusals),
	};
	int rc = UNIT_RUN(tests);

	form_free((struct form *)institution());
	return rc;
}
