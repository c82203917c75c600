/*
 * test-width.c — display width and truncation: Chinese is two columns, a cut never splits a
 * character, control characters become visible escapes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void
test_width_of_mixed(void **state)
{
	(void)state;
	assert_int_equal(width_of("abc"), 3);
	assert_int_equal(width_of("启明星"), 6);
	assert_int_equal(width_of("A启明B"), 6);
	assert_int_equal(width_of("ＡＢ"), 4);	/* full-width letters */
	assert_int_equal(width_of(""), 0);
}

static void
test_fit_never_splits_a_character(void **state)
{
	size_t used;

	(void)state;
	/* 5 columns hold "启明" (4) but not half of "星". */
	assert_int_equal(width_fit_bytes("启明星", 5, &used), strlen("启明"));
	assert_int_equal(used, 4);
	assert_int_equal(width_fit_bytes("启明星", 6, &used), strlen("启明星"));
	assert_int_equal(used, 6);
	assert_int_equal(width_fit_bytes("a启", 2, &used), 1);
	assert_int_equal(used, 1);
	assert_int_equal(width_fit_bytes("abc", 0, &used), 0);
}

static void
test_escape_controls(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	width_escape_controls(&out, "a\x1b[31mb\n启");
	assert_string_equal(buf_str(&out), "a\\x1b[31mb\\n启");
	buf_reset(&out);
	width_escape_controls(&out, "\xc2\x9b" "x");	/* C1 CSI */
	assert_string_equal(buf_str(&out), "\\u009bx");
	buf_free(&out);
}

static void
test_nfc_and_validity(void **state)
{
	char *s;

	(void)state;
	assert_true(utf8_valid("培训", strlen("培训")));
	assert_false(utf8_valid("\xff\xfe", 2));
	assert_false(utf8_valid("\xe5\x9f", 2));	/* cut in the middle */
	s = utf8_nfc("e\xcc\x81");		/* e + combining acute → é */
	assert_string_equal(s, "\xc3\xa9");
	free(s);
	assert_null(utf8_nfc("\xff"));
	assert_true(utf8_has_control("a\tb", false));
	assert_false(utf8_has_control("a\nb", true));
	assert_true(utf8_has_control("a\nb", false));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_of_mixed),
		cmocka_unit_test(test_fit_never_splits_a_character),
		cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_nfc_and_validity),
	};

	return UNIT_RUN(tests);
}
