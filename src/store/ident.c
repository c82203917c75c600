/*
 * ident.c — the check characters of the identifiers Chinese registers use: the unified social
 * credit code (GB 32100-2015) and the resident identity number (GB 11643-1999). The validators
 * take the canonical form only (upper case); field_parse() turns what people type into it.
 */
#include "config.h"

#include <string.h>

#include "store/form.h"
#include "store/field-kinds.h"

/* Digits and capital letters without I, O, S, V and Z: a character's value is its index. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int
uscc_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(uscc_alphabet, c);
	return p != NULL ? (int)(p - uscc_alphabet) : -1;
}

bool
uscc_char_ok(char c)
{
	return uscc_value(c) >= 0;
}

/* Position i weighs 3^i mod 31; the check makes the weighted sum a multiple of 31. */
int
uscc_check_char(const char *first17)
{
	int sum = 0, weight = 1;

	if (first17 == NULL)
		return -1;
	for (int i = 0; i < 17; i++) {
		int v = uscc_value(first17[i]);

		if (v < 0)
			return -1;
		sum += v * weight;
		weight = weight * 3 % 31;
	}
	return uscc_alphabet[(31 - sum % 31) % 31];
}

bool
uscc_valid(const char *code)
{
	int check;

	if (code == NULL || strlen(code) != 18)
		return false;
	check = uscc_check_char(code);
	return check >= 0 && code[17] == check;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ISO 7064 MOD 11-2: weights 2^(17-i) mod 11, the sum mod 11 picks the check character. */
char
idcard_check_char(const char *first17)
{
	static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;

	if (first17 == NULL)
		return 0;
	for (int i = 0; i < 17; i++) {
		if (!is_digit(first17[i]))
			return 0;
		sum += (first17[i] - '0') * weights[i];
	}
	return "10X98765432"[sum % 11];
}

static int
digits_value(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Characters 7 to 14 are the birth date, YYYYMMDD, in 1900 to 2100. */
bool
idcard_birth_valid(const char *id)
{
	int year, month, day;

	for (int i = 0; i < 14; i++)
		if (!is_digit(id[i]))
			return false;
	year = digits_value(id + 6, 4);
	month = digits_value(id + 10, 2);
	day = digits_value(id + 12, 2);
	return year >= 1900 && year <= 2100 && date_is_real(year, month, day);
}

bool
idcard_valid(const char *id)
{
	char check;

	if (id == NULL || strlen(id) != 18)
		return false;
	check = idcard_check_char(id);
	return check != 0 && id[17] == check && idcard_birth_valid(id);
}
