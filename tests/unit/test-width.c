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

/* Whether cleaning (NFC, trimming, the control check) would leave s as it is. */
static bool
cleaning_keeps(const char *s)
{
	utf8proc_uint8_t *nfc = NULL;
	size_t len = strlen(s);
	bool same;

	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &nfc,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE) < 0)
		return false;
	same = strcmp((const char *)nfc, s) == 0;
	free(nfc);
	return same && !utf8_has_control(s, false) && len > 0 && s[0] != ' ' &&
	    s[len - 1] != ' ' && !str_starts(s, "\xe3\x80\x80") &&
	    (len < 3 || strcmp(s + len - 3, "\xe3\x80\x80") != 0);
}

/* width_of_plain takes a text as plain only when cleaning would keep it, at the start, in
 * the middle and at the end, for every code point; its width is then width_of's. */
static void
test_plain_only_what_cleaning_keeps(void **state)
{
	long wrong = 0, plain = 0;

	(void)state;
	for (int32_t cp = 1; cp <= 0x10ffff; cp++) {
		char c[8] = { 0 }, s[3][24];

		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		utf8proc_encode_char(cp, (utf8proc_uint8_t *)c);
		snprintf(s[0], sizeof s[0], "%s\xe4\xb8\xad", c);
		snprintf(s[1], sizeof s[1], "a%sb", c);
		snprintf(s[2], sizeof s[2], "e%s", c);
		for (int i = 0; i < 3; i++) {
			size_t w = width_of_plain(s[i], strlen(s[i]));

			if (w == SIZE_MAX)
				continue;
			plain++;
			if (!cleaning_keeps(s[i]) || w != width_of(s[i]))
				wrong++;
		}
	}
	assert_int_equal(wrong, 0);
	assert_true(plain > 3 * 21000);	/* the 20,992 unified ideographs, ASCII, CJK punctuation */
	assert_int_equal(width_of_plain("\xe5\x90\xaf\xe6\x98\x8e", 6), 4);
	assert_int_equal(width_of_plain(" a", 2), SIZE_MAX);
	assert_int_equal(width_of_plain("a\xe3\x80\x80", 4), SIZE_MAX);
	assert_int_equal(width_of_plain("a\tb", 3), SIZE_MAX);
	assert_int_equal(width_of_plain("e\xcc\x81", 3), SIZE_MAX);	/* e and U+0301: NFC makes é */
	assert_int_equal(width_of_plain("\xff", 1), SIZE_MAX);
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
		cmocka_unit_test(test_plain_only_what_cleaning_keeps),
		cmocka_unit_test(test_width_of_mixed),
		cmocka_unit_test(test_fit_never_splits_a_character),
		cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_nfc_and_validity),
	};

	return UNIT_RUN(tests);
}
