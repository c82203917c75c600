/*
 * test-ident.c — the check characters of credit codes and identity numbers, on real numbers
 * and on the same numbers with one character changed.
 */
#include "config.h"

#include <string.h>

#include "unit.h"
#include "store/form.h"

static const char *const good_codes[] = {
	"91350100M000100Y43",
	"91110000100006485K",
	"91440300708461136T",
	"12100000400000624D",
};

static void
test_uscc_check_char(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof good_codes / sizeof good_codes[0]; i++)
		assert_int_equal(uscc_check_char(good_codes[i]), good_codes[i][17]);
	/* Only the first 17 characters count; what follows is not read. */
	assert_int_equal(uscc_check_char("91350100M000100Y4"), '3');
	assert_int_equal(uscc_check_char("91350100M000100Y4ZZZ"), '3');
	/* A check of 0 is the character '0'. */
	assert_int_equal(uscc_check_char("00000000000000000"), '0');
}

static void
test_uscc_check_char_bad(void **state)
{
	(void)state;
	assert_int_equal(uscc_check_char(NULL), -1);
	assert_int_equal(uscc_check_char(""), -1);
	assert_int_equal(uscc_check_char("91350100M000100"), -1);	/* too short */
	assert_int_equal(uscc_check_char("91350100O000100Y4"), -1);	/* O is not used */
	assert_int_equal(uscc_check_char("91350100I000100Y4"), -1);
	assert_int_equal(uscc_check_char("91350100S000100Y4"), -1);
	assert_int_equal(uscc_check_char("91350100V000100Y4"), -1);
	assert_int_equal(uscc_check_char("91350100Z000100Y4"), -1);
	assert_int_equal(uscc_check_char("91350100m000100Y4"), -1);	/* lower case */
	assert_int_equal(uscc_check_char("91350100-000100Y4"), -1);
}

static void
test_uscc_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof good_codes / sizeof good_codes[0]; i++)
		assert_true(uscc_valid(good_codes[i]));
}

static void
test_uscc_invalid(void **state)
{
	static const char *const bad[] = {
		"91350100M000100Y44",	/* check character changed */
		"91350100M000100Y4Y",
		"91350100M000101Y43",	/* a body character changed */
		"91350100M000100Y4",	/* short */
		"91350100M000100Y433",	/* long */
		"91350100m000100y43",	/* canonical form is upper case */
		"91350100M000100Y4O",	/* O for 0 */
		"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(uscc_valid(bad[i]));
	assert_false(uscc_valid(NULL));
}

static void
test_idcard_check_char(void **state)
{
	(void)state;
	assert_int_equal(idcard_check_char("11010519491231002"), 'X');
	assert_int_equal(idcard_check_char("11010519491231002X"), 'X');
	assert_int_equal(idcard_check_char("44052418800101001"), '4');
	assert_int_equal(idcard_check_char("11010120000229001"), '8');
	assert_int_equal(idcard_check_char(NULL), 0);
	assert_int_equal(idcard_check_char("1101051949123100"), 0);	/* 16 digits */
	assert_int_equal(idcard_check_char("1101051949123100X"), 0);
	assert_int_equal(idcard_check_char("11010519491231 02"), 0);
}

static void
test_idcard_valid(void **state)
{
	(void)state;
	assert_true(idcard_valid("11010519491231002X"));
	assert_true(idcard_valid("110101200002290018"));	/* 2000 was a leap year */
	assert_true(idcard_valid("110101190001010014"));	/* the first year allowed */
	assert_true(idcard_valid("110101210012310018"));	/* the last */
}

static void
test_idcard_invalid(void **state)
{
	static const char *const bad[] = {
		"110105194912310021",	/* check character changed */
		"110105194912310020",
		"11010519491231002x",	/* canonical form has upper-case X */
		"11010519491231002",	/* short */
		"11010519491231002X1",	/* long */
		"440524188001010014",	/* born 1880: check right, year out of range */
		"110101202302290019",	/* 2023-02-29: check right, no such day */
		"110101199013010012",	/* month 13: check right */
		"1101A5194912310021",
		"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(idcard_valid(bad[i]));
	assert_false(idcard_valid(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uscc_check_char),
		cmocka_unit_test(test_uscc_check_char_bad),
		cmocka_unit_test(test_uscc_valid),
		cmocka_unit_test(test_uscc_invalid),
		cmocka_unit_test(test_idcard_check_char),
		cmocka_unit_test(test_idcard_valid),
		cmocka_unit_test(test_idcard_invalid),
	};

	return UNIT_RUN(tests);
}
