/*
 * test-fields.c — field_parse() and field_display() for every field type: what is accepted,
 * the canonical value it becomes, and what a refusal says.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "store/form.h"
#include "store/store.h"

#define OK(f, in, want)		check_ok((f), NULL, (in), (want), __LINE__)
#define OK_CTX(f, c, in, want)	check_ok((f), (c), (in), (want), __LINE__)
#define NO(f, in, says)		check_no((f), NULL, (in), (says), __LINE__)
#define NO_CTX(f, c, in, says)	check_no((f), (c), (in), (says), __LINE__)

static void
check_ok(const struct field *f, const struct field_ctx *ctx, const char *in, const char *want,
    int line)
{
	struct error err = ERROR_INIT;
	char *out = NULL;

	if (field_parse(f, in, ctx, &out, &err) != 0) {
		print_error("'%s' refused: %s\n", in, err.message);
		error_clear(&err);
		_fail(__FILE__, line);
	}
	if (strcmp(out, want) != 0) {
		print_error("'%s' became '%s', not '%s'\n", in, out, want);
		free(out);
		_fail(__FILE__, line);
	}
	free(out);
	assert_null(err.message);
}

/* Refused with a message that says `says` and not the field's name. */
static void
check_no(const struct field *f, const struct field_ctx *ctx, const char *in, const char *says,
    int line)
{
	struct error err = ERROR_INIT;
	char *out = (char *)"unset";
	bool ok;

	if (field_parse(f, in, ctx, &out, &err) == 0) {
		print_error("'%s' accepted as '%s'\n", in, out);
		free(out);
		_fail(__FILE__, line);
	}
	ok = out == NULL && err.status == ST_REFUSED && err.message != NULL
	    && strstr(err.message, says) != NULL && strstr(err.message, f->name) == NULL;
	if (!ok) {
		print_error("'%s': message '%s' lacks '%s' (status %d, out %s)\n", in,
		    err.message != NULL ? err.message : "(none)", says, (int)err.status,
		    out == NULL ? "NULL" : "set");
		error_clear(&err);
		_fail(__FILE__, line);
	}
	error_clear(&err);
}

static struct field
field_of(enum field_kind kind)
{
	struct field f;

	memset(&f, 0, sizeof f);
	f.name = (char *)"fieldname";
	f.kind = kind;
	return f;
}

static void
test_clean_input(void **state)
{
	struct field f = field_of(FT_TEXT);

	(void)state;
	OK(&f, "  hello \t", "hello");
	OK(&f, "\xe3\x80\x80hello world\xe3\x80\x80 ", "hello world");	/* U+3000 */
	OK(&f, "\xe3\x80\x80", "");
	OK(&f, "e\xcc\x81t\xc3\xa9", "\xc3\xa9t\xc3\xa9");	/* NFC: e + U+0301 → é */
	NO(&f, "bad \xff byte", "UTF-8");
	NO(&f, "\xe4\xb8", "UTF-8");		/* a truncated character */
	/* Full width is kept in text: only numbers and codes are folded. */
	OK(&f, "\xef\xbc\xa1\xef\xbc\x91", "\xef\xbc\xa1\xef\xbc\x91");
}

static void
test_empty(void **state)
{
	struct field f = field_of(FT_INTEGER);

	(void)state;
	f.default_value = (char *)"5";
	OK(&f, "", "");
	OK(&f, "   ", "");
	OK(&f, NULL, "");
	f.required = true;
	NO(&f, "", "is required");
	NO(&f, " \xe3\x80\x80 ", "is required");
	f.kind = FT_ENUM;
	NO(&f, "", "is required");
}

static void
test_id(void **state)
{
	struct field f = field_of(FT_ID);

	(void)state;
	OK(&f, "JG-350102-000001", "JG-350102-000001");
	OK(&f, " jg-1 ", "jg-1");
	NO(&f, "JG 1", "' '");
	NO(&f, "JG_1", "'_'");
	NO(&f, "JG-\xe4\xb8\x80", "'\xe4\xb8\x80'");
	NO(&f, "JG-1/2", "letters, digits and hyphens");
}

static void
test_text(void **state)
{
	struct field f = field_of(FT_TEXT);

	(void)state;
	OK(&f, "Sunshine Tutoring", "Sunshine Tutoring");
	OK(&f, "\xe9\x98\xb3\xe5\x85\x89\xe5\x9f\xb9\xe8\xae\xad", "阳光培训");
	NO(&f, "two\nlines", "line breaks");
	NO(&f, "two\rlines", "line breaks");
	NO(&f, "tab\there", "control characters");
	NO(&f, "esc\x1b[0m", "control characters");
	NO(&f, "c1 \xc2\x85", "control characters");
	f.has_max = true;
	f.max = 4;
	OK(&f, "abcd", "abcd");
	OK(&f, "中文", "中文");
	NO(&f, "abcde", "5 columns, at most 4");
	NO(&f, "中文字", "6 columns, at most 4");
	/* what cleaning changes first, then checks, as plain text is checked as it is */
	OK(&f, "\xe3\x80\x80中文 ", "中文");
	OK(&f, "cafe\xcc\x81", "caf\xc3\xa9");	/* e + U+0301 → é, 4 columns */
	NO(&f, "\xe3\x80\x80中文字", "6 columns, at most 4");
	NO(&f, "ab\xff", "not valid UTF-8");
}

static void
test_longtext(void **state)
{
	struct field f = field_of(FT_LONGTEXT);

	(void)state;
	OK(&f, "one\ntwo", "one\ntwo");
	OK(&f, "one\r\ntwo\r\nthree", "one\ntwo\nthree");
	OK(&f, "one\rtwo", "one\ntwo");
	OK(&f, "a\tb", "a\tb");
	OK(&f, "\n\nbody\n\n", "body");
	NO(&f, "bell\x07", "control characters");
	NO(&f, "line\xe2\x80\xa8sep", "control characters");
	f.has_max = true;
	f.max = 6;
	OK(&f, "ab\ncd\nef", "ab\ncd\nef");
	OK(&f, "中文\n中", "中文\n中");
	NO(&f, "abc\ndefg", "7 columns, at most 6");
}

static void
test_integer(void **state)
{
	struct field f = field_of(FT_INTEGER);

	(void)state;
	OK(&f, "42", "42");
	OK(&f, "+7", "7");
	OK(&f, "-12", "-12");
	OK(&f, "007", "7");
	OK(&f, "-0", "0");
	OK(&f, "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93", "123");	/* full width */
	OK(&f, "\xef\xbc\x8d\xef\xbc\x95", "-5");
	OK(&f, "9223372036854775807", "9223372036854775807");
	OK(&f, "-9223372036854775808", "-9223372036854775808");
	NO(&f, "9223372036854775808", "too large");
	NO(&f, "-9223372036854775809", "too large");
	NO(&f, "12a", "'12a' is not a whole number");
	NO(&f, "1.5", "not a whole number");
	NO(&f, "1,000", "not a whole number");
	NO(&f, "-", "not a whole number");
	NO(&f, "1 2", "not a whole number");
	f.has_min = f.has_max = true;
	f.min = 0;
	f.max = 100;
	OK(&f, "0", "0");
	OK(&f, "100", "100");
	NO(&f, "101", "the most allowed is 100");
	NO(&f, "-1", "the least allowed is 0");
}

static void
test_money(void **state)
{
	struct field f = field_of(FT_MONEY);

	(void)state;
	OK(&f, "1234.5", "1234.50");
	OK(&f, "1234", "1234.00");
	OK(&f, "0.05", "0.05");
	OK(&f, "0", "0.00");
	OK(&f, "-0", "0.00");
	OK(&f, "\xc2\xa5" "1,234.56", "1234.56");		/* ¥ */
	OK(&f, "\xef\xbf\xa5" "12", "12.00");			/* ￥ */
	OK(&f, "\xef\xbf\xa5 1,234,567.8", "1234567.80");
	OK(&f, "12\xe5\x85\x83", "12.00");			/* 元 */
	OK(&f, "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x8e\xef\xbc\x95", "12.50");
	OK(&f, "92233720368547757.99", "92233720368547757.99");
	NO(&f, "92233720368547758", "too large");
	NO(&f, "1.234", "3 decimals");
	NO(&f, "1.234", "two decimals at most");
	NO(&f, "1,23", "misplaced thousands comma");
	NO(&f, "1234,567", "misplaced thousands comma");
	NO(&f, "1,234,", "misplaced thousands comma");
	NO(&f, ",123", "not an amount");
	NO(&f, "1.", "not an amount");
	NO(&f, ".5", "not an amount");
	NO(&f, "12 yuan", "not an amount");
	NO(&f, "abc", "not an amount");
	NO(&f, "-5", "cannot be negative");
	NO(&f, "\xc2\xa5-5", "cannot be negative");
	f.has_min = true;
	f.min = -100;
	OK(&f, "-5", "-5.00");
	OK(&f, "-\xc2\xa5" "5.5", "-5.50");
	NO(&f, "-100.01", "the least allowed is -100 yuan");
	f.has_max = true;
	f.max = 1000;
	OK(&f, "1000", "1000.00");
	NO(&f, "1000.01", "the most allowed is 1000 yuan");
}

static void
test_date(void **state)
{
	struct field f = field_of(FT_DATE);

	(void)state;
	OK(&f, "2024-03-05", "2024-03-05");
	OK(&f, "2024-3-5", "2024-03-05");
	OK(&f, "2024/03/05", "2024-03-05");
	OK(&f, "2024.3.05", "2024-03-05");
	OK(&f, "20240305", "2024-03-05");
	OK(&f, "2024\xe5\xb9\xb4" "3\xe6\x9c\x88" "5\xe6\x97\xa5", "2024-03-05");	/* 年月日 */
	OK(&f, "2024\xe5\xb9\xb4" "12\xe6\x9c\x88" "31", "2024-12-31");
	OK(&f, "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94\xef\xbc\x8d\xef\xbc\x90"
	    "\xef\xbc\x93\xef\xbc\x8d\xef\xbc\x90\xef\xbc\x95", "2024-03-05");	/* full width */
	OK(&f, "2024-02-29", "2024-02-29");
	OK(&f, "2000-02-29", "2000-02-29");
	NO(&f, "2023-02-29", "2023-02 has no day 29: it has 28 days");
	NO(&f, "1900-02-29", "has no day 29");
	NO(&f, "2024-04-31", "2024-04 has no day 31");
	NO(&f, "2024-13-01", "no month 13");
	NO(&f, "20241301", "no month 13");
	NO(&f, "2024-00-10", "no month 0");
	NO(&f, "2024-01-00", "has no day 0");
	NO(&f, "0000-01-01", "no year 0000");
	NO(&f, "2024-03/05", "not a date: write YYYY-MM-DD");
	NO(&f, "24-03-05", "not a date");
	NO(&f, "2024-003-05", "not a date");
	NO(&f, "2024305", "not a date");
	NO(&f, "2024-03-05 10:00", "not a date");
	NO(&f, "yesterday", "not a date");
}

static struct field
enum_field(void)
{
	static struct enum_option opts[] = {
		{ "subject", "学科类", "Subject" },
		{ "non_subject", "非学科类", "Non-subject" },
		{ "A", "A级（守信）", "A (trustworthy)" },
	};
	struct field f = field_of(FT_ENUM);

	f.options = opts;
	f.n_options = sizeof opts / sizeof opts[0];
	return f;
}

static void
test_enum(void **state)
{
	struct field f = enum_field();

	(void)state;
	OK(&f, "subject", "subject");
	OK(&f, "SUBJECT", "subject");
	OK(&f, "学科类", "subject");
	OK(&f, "非学科类", "non_subject");
	OK(&f, "Non-subject", "non_subject");
	OK(&f, "non-SUBJECT", "non_subject");
	OK(&f, "a", "A");
	OK(&f, "a (TRUSTWORTHY)", "A");
	OK(&f, "A级（守信）", "A");
	NO(&f, "other", "'other' is not an option");
	NO(&f, "other", "use one of subject, non_subject (Non-subject), A (A (trustworthy))");
	NO(&f, "学科", "is not an option");
}

static void
test_bool(void **state)
{
	static const char *const yes[] = { "yes", "YES", "Yes", "y", "true", "TRUE", "1",
		"是", "有", "已", "\xef\xbc\x91" };
	static const char *const no[] = { "no", "No", "n", "N", "false", "0", "否", "无", "未" };
	struct field f = field_of(FT_BOOL);

	(void)state;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		OK(&f, yes[i], "yes");
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		OK(&f, no[i], "no");
	NO(&f, "maybe", "'maybe' is not yes or no");
	NO(&f, "2", "not yes or no");
	NO(&f, "yess", "not yes or no");
}

static bool
fake_record_exists(void *data, const char *form, const char *id)
{
	(void)data;
	return str_eq(form, "institution") && str_eq(id, "JG-350102-000001");
}

static void
test_ref(void **state)
{
	struct field f = field_of(FT_REF);
	struct field_ctx ctx = { NULL, NULL, fake_record_exists, NULL };

	(void)state;
	f.ref_form = (char *)"institution";
	OK(&f, "JG-350102-000009", "JG-350102-000009");	/* nothing to check against */
	OK_CTX(&f, &ctx, " JG-350102-000001 ", "JG-350102-000001");
	NO_CTX(&f, &ctx, "JG-350102-000009", "no institution record 'JG-350102-000009'");
	NO_CTX(&f, &ctx, "JG 1", "letters, digits and hyphens");
	NO(&f, "JG/1", "letters, digits and hyphens");
}

static const struct division divisions[] = {
	{ "350102", "", DIV_DISTRICT, "鼓楼区" },
	{ "350103", "", DIV_DISTRICT, "台江区" },
	{ "350102001", "350102", DIV_STREET, "鼓东街道" },
	{ "350102002", "350102", DIV_STREET, "温泉街道" },
	{ "350103001", "350103", DIV_STREET, "瀛洲街道" },
};

static const struct division *
fake_division_find(void *data, const char *code_or_name, enum division_level level,
    const char *parent)
{
	(void)data;
	for (size_t i = 0; i < sizeof divisions / sizeof divisions[0]; i++) {
		const struct division *d = &divisions[i];

		if (d->level != level || (parent != NULL && !str_eq(d->parent, parent)))
			continue;
		if (str_eq(d->code, code_or_name) || str_eq(d->name, code_or_name))
			return d;
	}
	return NULL;
}

static const char *district_value;

static const char *
fake_value_of(void *data, const char *field)
{
	(void)data;
	return str_eq(field, "district") ? district_value : NULL;
}

static void
test_division_without_ctx(void **state)
{
	struct field f = field_of(FT_DIVISION);

	(void)state;
	OK(&f, "350102", "350102");
	OK(&f, "\xef\xbc\x93\xef\xbc\x95\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x92",
	    "350102");
	NO(&f, "35010", "not a district code: it has 6 digits");
	NO(&f, "350102001", "not a district code");
	NO(&f, "鼓楼区", "not a district code");
	f.level = DIV_STREET;
	OK(&f, "350102001", "350102001");
	NO(&f, "350102", "not a street code: it has 9 digits");
}

static void
test_division_with_ctx(void **state)
{
	struct field f = field_of(FT_DIVISION);
	struct field_ctx ctx = { NULL, fake_division_find, NULL, fake_value_of };

	(void)state;
	OK_CTX(&f, &ctx, "鼓楼区", "350102");
	OK_CTX(&f, &ctx, "350103", "350103");
	NO_CTX(&f, &ctx, "仓山区", "no district '仓山区'");
	NO_CTX(&f, &ctx, "350102001", "no district");
	f.level = DIV_STREET;
	f.within = (char *)"district";
	district_value = NULL;
	OK_CTX(&f, &ctx, "瀛洲街道", "350103001");
	district_value = "350102";
	OK_CTX(&f, &ctx, "温泉街道", "350102002");
	OK_CTX(&f, &ctx, "350102001", "350102001");
	NO_CTX(&f, &ctx, "瀛洲街道", "瀛洲街道 (350103001) is not a street of 鼓楼区 (350102)");
	NO_CTX(&f, &ctx, "350103001", "is not a street of 鼓楼区");
	NO_CTX(&f, &ctx, "不存在街道", "no street '不存在街道'");
	district_value = "";
	OK_CTX(&f, &ctx, "瀛洲街道", "350103001");
}

static void
test_uscc(void **state)
{
	struct field f = field_of(FT_USCC);

	(void)state;
	OK(&f, "91350100M000100Y43", "91350100M000100Y43");
	OK(&f, "91350100m000100y43", "91350100M000100Y43");
	OK(&f, " 91110000100006485k\xe3\x80\x80", "91110000100006485K");
	OK(&f, "\xef\xbc\x99\xef\xbc\x91" "350100\xef\xbd\x8d" "000100Y43",
	    "91350100M000100Y43");	/* full-width 9, 1 and m */
	NO(&f, "91350100M000100Y44", "bad check character '4': expected '3'");
	NO(&f, "91350100M000101Y43", "expected '");
	NO(&f, "91350100M000100Y4", "18 characters, not 17");
	NO(&f, "91350100M000100Y433", "18 characters, not 19");
	NO(&f, "91350100O000100Y43", "character 9, 'O', cannot be in a credit code");
	NO(&f, "91350100M000100Y4I", "character 18, 'I'");
	NO(&f, "9135010中M000100Y43", "character 8, '中'");
	NO(&f, "91350100-000100Y43", "except I, O, S, V and Z");
}

static void
test_idcard(void **state)
{
	struct field f = field_of(FT_IDCARD);

	(void)state;
	OK(&f, "11010519491231002X", "11010519491231002X");
	OK(&f, "11010519491231002x", "11010519491231002X");
	OK(&f, "110101200002290018", "110101200002290018");
	OK(&f, "\xef\xbc\x91" "1010519491231002\xef\xbd\x98", "11010519491231002X");
	NO(&f, "11010519491231002", "18 characters, not 17");
	NO(&f, "110105194912310021", "bad check character '1': expected 'X'");
	NO(&f, "110101202302290019", "2023-02-29, is not a real date");
	NO(&f, "440524188001010014", "1880-01-01, is not a real date");
	NO(&f, "1101A5194912310021", "character 5, 'A', is not a digit");
	NO(&f, "11010519491231002Y", "the last character, 'Y', must be a digit or X");
	NO(&f, "1101051949123100X2", "character 17, 'X', is not a digit");
}

static void
test_teacher_cert(void **state)
{
	struct field f = field_of(FT_TEACHER_CERT);

	(void)state;
	OK(&f, "20193500142000123", "20193500142000123");
	OK(&f, "\xef\xbc\x92" "0193500142000123", "20193500142000123");
	NO(&f, "2019350014200012", "17 digits, not 16 characters");
	NO(&f, "201935001420001234", "not 18 characters");
	NO(&f, "2019350014200012A", "character 17, 'A', is not a digit");
}

static void
test_phone_mobile(void **state)
{
	struct field f = field_of(FT_PHONE);

	(void)state;
	OK(&f, "13912345678", "13912345678");
	OK(&f, "139 1234 5678", "13912345678");
	OK(&f, "139-1234-5678", "13912345678");
	OK(&f, "+86 139 1234 5678", "13912345678");
	OK(&f, "+8613912345678", "13912345678");
	OK(&f, "8613912345678", "13912345678");
	OK(&f, "\xef\xbc\x8b" "86 13912345678", "13912345678");	/* full-width + */
	OK(&f, "\xef\xbc\x91\xef\xbc\x93\xef\xbc\x99" "12345678", "13912345678");
	NO(&f, "12912345678", "no mobile number starts with 12");
	NO(&f, "1391234567", "a mobile number has 11 digits, not 10");
	NO(&f, "139123456789", "11 digits, not 12");
	NO(&f, "13912345678\xe8\xbd\xac" "12", "a mobile number has no extension");
	NO(&f, "+1 555 123 4567", "only Chinese numbers (+86)");
	NO(&f, "+86 29 88886666", "+86 goes only before a mobile number");
	NO(&f, "139abc", "is not a phone number");
	NO(&f, "139--1234-5678", "is not a phone number");
	NO(&f, "139-1234-5678-", "is not a phone number");
}

static void
test_phone_landline(void **state)
{
	struct field f = field_of(FT_PHONE);

	(void)state;
	OK(&f, "029-88886666", "029-88886666");
	OK(&f, "02988886666", "029-88886666");
	OK(&f, "029 8888 6666", "029-88886666");
	OK(&f, "010-12345678", "010-12345678");
	OK(&f, "010 1234 5678", "010-12345678");
	OK(&f, "029-8888-6666", "029-88886666");
	OK(&f, "\xef\xbc\x90\xef\xbc\x92\xef\xbc\x99\xef\xbc\x8d" "88886666", "029-88886666");
	OK(&f, "0591-8886666", "0591-8886666");
	OK(&f, "0591 88866666", "0591-88866666");
	OK(&f, "029-88886666-123", "029-88886666-123");
	OK(&f, "029-8888666-12", "029-8888666-12");
	OK(&f, "029-88886666\xe8\xbd\xac" "123", "029-88886666-123");	/* 转 */
	OK(&f, "0591 8886666 \xe8\xbd\xac 8", "0591-8886666-8");
	NO(&f, "0298-8886666", "after area code 029 come 7 or 8 digits");
	NO(&f, "029-888666", "after area code 029 come 7 or 8 digits");
	NO(&f, "029-888866661", "7 or 8 digits, not 9");
	NO(&f, "029-88886666 123", "7 or 8 digits, not 11");
	NO(&f, "029-88886666-1234567", "at most 6 digits");
	NO(&f, "029-88886666\xe8\xbd\xac", "is not a phone number");
	NO(&f, "029-88886666\xe8\xbd\xac" "12a", "is not a phone number");
	NO(&f, "88886666", "starts with its area code");
	NO(&f, "029-8888\xff", "UTF-8");
}

static void
test_display(void **state)
{
	struct field e = enum_field(), b = field_of(FT_BOOL), m = field_of(FT_MONEY);

	(void)state;
	assert_string_equal(field_display(&e, "non_subject"), "Non-subject");
	assert_string_equal(field_display(&e, "gone"), "gone");
	assert_string_equal(field_display(&e, ""), "");
	assert_string_equal(field_display(&b, "yes"), "yes");
	assert_string_equal(field_display(&b, "no"), "no");
	assert_string_equal(field_display(&m, "1234.50"), "1234.50");
	assert_string_equal(field_display(&m, NULL), "");
	lang_init("zh_CN");
	assert_string_equal(field_display(&e, "non_subject"), "非学科类");
	assert_string_equal(field_display(&b, "yes"), "是");
	assert_string_equal(field_display(&b, "no"), "否");
	lang_init("en");
}

static void
test_option_lookup(void **state)
{
	struct field f = enum_field();

	(void)state;
	assert_non_null(field_option(&f, "subject"));
	assert_string_equal(field_option(&f, "A")->label_zh, "A级（守信）");
	assert_null(field_option(&f, "SUBJECT"));	/* stored values match exactly */
	assert_null(field_option(&f, NULL));
	assert_string_equal(field_option_label(&f, "subject"), "Subject");
	assert_string_equal(field_option_label(&f, "nothing"), "nothing");	/* no option: as it is */
}

/* Bidirectional controls reorder what a terminal shows; invisible characters make a value
 * look empty. Both classes, and their escapes on the way to a terminal. */
static void
test_character_classes(void **state)
{
	static const int32_t bidi[] = { 0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d,
	    0x202e, 0x2066, 0x2067, 0x2068, 0x2069 };
	static const int32_t invisible[] = { 0x200b, 0x200c, 0x200d, 0xfeff, 0x2060, 0x00ad,
	    0x3000, 0x00a0, ' ', '\t', 0x2028, 0x3164, 0x202e };
	struct buf out = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++)
		assert_true(text_bidi_control(bidi[i]));
	assert_false(text_bidi_control(0x200b));
	assert_false(text_bidi_control(0x5b66));
	for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++)
		assert_true(text_invisible(invisible[i]));
	assert_false(text_invisible('a'));
	assert_false(text_invisible(0x542f));	/* 启 */
	assert_false(text_invisible(0x3001));	/* 、 */
	assert_true(text_blank(""));
	assert_true(text_blank("\xe2\x80\x8b"));
	assert_true(text_blank(" \xe2\x80\x8c\xe2\x80\x8d\xef\xbb\xbf\xe2\x81\xa0 "));
	assert_false(text_blank("a\xe2\x80\x8b"));
	assert_int_equal(text_find_bidi_control("ab\xe2\x80\xae" "cd"), 0x202e);
	assert_int_equal(text_find_bidi_control("\xe5\x90\xaf\xe6\x98\x8e"), 0);
	assert_int_equal(text_first_invisible(" \xe2\x80\x8b"), 0x200b);
	width_escape_controls(&out, "a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xd8\x9c\x1b");
	assert_string_equal(buf_str(&out), "a\\u202eb\\u2066c\\u061c\\x1b");
	buf_free(&out);
	assert_int_equal(width_of_plain("a\xe2\x80\x8b", 4), SIZE_MAX);	/* checked, not plain */
}

/* What cannot be seen is refused in every field, with the character named; a zero-width
 * space alone is no name. */
static void
test_invisible_and_bidi_refused(void **state)
{
	struct field f = field_of(FT_TEXT);
	struct field notes = field_of(FT_LONGTEXT);
	struct field e = field_of(FT_ENUM);

	(void)state;
	NO(&f, "\xe2\x80\x8b", "only invisible characters (U+200B)");
	NO(&f, " \xef\xbb\xbf\xe3\x80\x80", "only invisible characters (U+FEFF)");
	NO(&f, "\xe2\x81\xa0", "U+2060");
	NO(&f, "a\xe2\x80\xae" "b", "U+202E is a bidirectional control character");
	NO(&f, "\xe2\x81\xa6" "x", "U+2066 is a bidirectional");
	NO(&f, "x\xe2\x80\x8f", "U+200F is a bidirectional");
	NO(&f, "x\xd8\x9c", "U+061C is a bidirectional");
	NO(&notes, "line\n\xe2\x80\xab", "U+202B is a bidirectional");
	NO(&notes, "\xe2\x80\x8c\n\xe2\x80\x8d", "only invisible characters (U+200C)");
	NO(&e, "\xe2\x80\x8b", "only invisible characters");
	f.required = true;
	NO(&f, "\xe2\x80\x8b", "is required: U+200B and other invisible characters do not count");
	NO(&f, "", "is required");
	OK(&f, "\xe5\x90\xaf\xe6\x98\x8e\xe2\x80\x8b\xe6\x98\x9f",
	    "\xe5\x90\xaf\xe6\x98\x8e\xe2\x80\x8b\xe6\x98\x9f");	/* inside a name: kept */
	OK(&f, "\xe5\x90\xaf \xe6\x98\x8e", "\xe5\x90\xaf \xe6\x98\x8e");
}

static const struct record *rules_record;

static const char *
record_value_of(void *data, const char *field)
{
	(void)data;
	return rules_record != NULL ? record_get(rules_record, field) : NULL;
}

static struct form *
rules_form(void)
{
	static const char text[] = "form shop\nversion 1\nlabel 店 | Shop\n"
	    "id-format SH-{seq:4}\n"
	    "field id\n type id\n label 编号 | ID\n"
	    "field name\n type text\n label 名称 | Name\n required\n"
	    "field district\n type division\n level district\n label 区县 | District\n"
	    "field street\n type division\n level street\n within district\n"
	    " label 街道 | Street\n";
	struct error err = ERROR_INIT;
	struct form *form = NULL;

	if (form_parse("shop.form", text, &form, &err) != 0)
		print_error("%s\n", err.message);
	assert_non_null(form);
	return form;
}

/* A district changed by any front end (each sets fields through record_set_input) clears the
 * street it no longer holds; the store's rules name a street outside its district. */
static void
test_district_change_clears_street(void **state)
{
	struct form *form = rules_form();
	struct record *rec = record_new(form);
	struct field_ctx ctx = { NULL, fake_division_find, NULL, record_value_of };
	struct error err = ERROR_INIT;

	(void)state;
	rules_record = rec;
	assert_int_equal(record_set_input(rec, "name", "x", &ctx, &err), 0);
	assert_int_equal(record_set_input(rec, "district", "鼓楼区", &ctx, &err), 0);
	assert_int_equal(record_set_input(rec, "street", "温泉街道", &ctx, &err), 0);
	assert_int_equal(record_check_rules(rec, &ctx, &err), 0);
	assert_int_equal(record_set_input(rec, "district", "350102", &ctx, &err), 0);
	assert_string_equal(record_get(rec, "street"), "350102002");	/* same district: kept */
	assert_int_equal(record_set_input(rec, "district", "台江区", &ctx, &err), 0);
	assert_string_equal(record_get(rec, "district"), "350103");
	assert_string_equal(record_get(rec, "street"), "");	/* not in 台江区: cleared */
	assert_int_equal(record_set_input(rec, "street", "温泉街道", &ctx, &err), -1);
	assert_non_null(strstr(err.message, "is not a street of 台江区"));
	error_clear(&err);

	/* A record set raw, as a stale row would leave it: the rules refuse it, naming both. */
	record_set_raw(rec, 3, "350102001");
	assert_int_equal(record_check_rules(rec, &ctx, &err), -1);
	assert_string_equal(err.message, "Street (street): 鼓东街道 (350102001) is not a street of "
	    "台江区 (350103), the District (district)");
	error_clear(&err);
	assert_int_equal(record_check_rules(rec, NULL, &err), -1);	/* codes alone */
	assert_non_null(strstr(err.message, "350102001 is not a street of 350103"));
	error_clear(&err);

	/* Without the city's divisions a street's code starts with its district's. */
	record_set_raw(rec, 2, "350102");
	assert_int_equal(record_check_rules(rec, NULL, &err), 0);
	record_set_raw(rec, 2, "350103");
	record_follow_change(rec, 2, NULL);
	assert_string_equal(record_get(rec, "street"), "");

	/* Required fields: a zero-width space alone is empty. */
	record_set_raw(rec, 1, "\xe2\x80\x8b");
	assert_int_equal(record_check_rules(rec, &ctx, &err), -1);
	assert_string_equal(err.message, "Name (name): is required");
	error_clear(&err);
	rules_record = NULL;
	record_free(rec);
	form_free(form);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_input),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_id),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_longtext),
		cmocka_unit_test(test_integer),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_ref),
		cmocka_unit_test(test_division_without_ctx),
		cmocka_unit_test(test_division_with_ctx),
		cmocka_unit_test(test_uscc),
		cmocka_unit_test(test_idcard),
		cmocka_unit_test(test_teacher_cert),
		cmocka_unit_test(test_phone_mobile),
		cmocka_unit_test(test_phone_landline),
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_option_lookup),
		cmocka_unit_test(test_character_classes),
		cmocka_unit_test(test_invisible_and_bidi_refused),
		cmocka_unit_test(test_district_change_clears_street),
	};

	return UNIT_RUN(tests);
}
