/*
 * test-width.c — display width and truncation: Chinese is two columns, a cut never splits a
 * character, control characters become visible escapes; UTF-8 decoding agrees with
 * utf8proc on every sequence of up to three bytes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "unit.h"

/* utf8_decode's own path for two and three bytes accepts and refuses what utf8proc does. */
static void
test_decode_agrees_with_utf8proc(void **state)
{
	unsigned char b[3];
	long disagreements = 0;

	(void)state;
	for (unsigned x = 0x80; x < 0x100; x++)
		for (unsigned y = 0; y < 0x100; y++)
			for (unsigned z = 0; z < 0x100; z++) {
				utf8proc_int32_t want;
				utf8proc_ssize_t n;
				int32_t got;
				int m;

				b[0] = (unsigned char)x;
				b[1] = (unsigned char)y;
				b[2] = (unsigned char)z;
				n = utf8proc_iterate(b, 3, &want);
				m = utf8_decode((const char *)b, 3, &got);
				if (n > 0 && want >= 0 ? m != n || got != want : m >= 0)
					disagreements++;
			}
	assert_int_equal(disagreements, 0);
}

/* The width of every code point is utf8proc's, controls none. */
static void
test_widths_agree_with_utf8proc(void **state)
{
	long disagreements = 0;

	(void)state;
	for (int32_t cp = 0; cp <= 0x10ffff; cp++) {
		int want = cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : utf8proc_charwidth(cp);

		disagreements += width_of_codepoint(cp) != want;
	}
	assert_int_equal(disagreements, 0);
	/* and text is valid whichever side of an eight-byte step a character falls */
	for (size_t pad = 0; pad < 9; pad++) {
		char text[32];

		memset(text, 'a', pad);
		strcpy(text + pad, "启明星abc");
		assert_true(utf8_valid(text, strlen(text)));
		text[pad + 1] = 'x';	/* a broken sequence */
		assert_false(utf8_valid(text, strlen(text)));
	}
}

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
		cmocka_unit_test(test_decode_agrees_with_utf8proc),
		cmocka_unit_test(test_widths_agree_with_utf8proc),
		cmocka_unit_test(test_width_of_mixed),
		cmocka_unit_test(test_fit_never_splits_a_character),
		cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_nfc_and_validity),
	};

	return UNIT_RUN(tests);
}
