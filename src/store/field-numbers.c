/*
 * field-numbers.c — the field types that are numbers: whole numbers, amounts in yuan kept to
 * the fen, calendar dates and phone numbers, each read in the forms people write them and
 * stored in one canonical spelling ("-12", "1234.50", "2024-03-05", "029-88886666").
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "store/form.h"
#include "store/field-kinds.h"

static const char digits[] = "0123456789";

/* The most yuan an amount may hold, so that its fen still fit in a long long. */
#define YUAN_MAX ((unsigned long long)(LLONG_MAX - 99) / 100)

/* n digits at p into *out; -1 when the value would pass limit. */
static int
digits_add(const char *p, size_t n, unsigned long long limit, unsigned long long *out)
{
	unsigned long long v = *out;

	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(p[i] - '0');

		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
field_parse_integer(const struct field *f, const char *s, char **out, struct error *err)
{
	const char *p = s;
	unsigned long long mag = 0, limit = LLONG_MAX;
	long long v;
	size_t n;
	bool neg = false;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	n = strspn(p, digits);
	if (n == 0 || p[n] != '\0')
		return error_set(err, ST_REFUSED, _("'%s' is not a whole number"), s);
	if (neg)
		limit++;
	if (digits_add(p, n, limit, &mag) != 0)
		return error_set(err, ST_REFUSED, _("%s is too large a number"), s);
	v = neg && mag > 0 ? -(long long)(mag - 1) - 1 : (long long)mag;
	if (f->has_min && v < f->min)
		return error_set(err, ST_REFUSED, _("%lld is too small: the least allowed is %lld"),
		    v, f->min);
	if (f->has_max && v > f->max)
		return error_set(err, ST_REFUSED, _("%lld is too large: the most allowed is %lld"),
		    v, f->max);
	*out = xasprintf("%lld", v);
	return 0;
}

/* Whole yuan in fen, saturating: bounds far beyond any amount need not be exact. */
static long long
yuan_to_fen(long long yuan)
{
	if (yuan > LLONG_MAX / 100)
		return LLONG_MAX;
	if (yuan < LLONG_MIN / 100)
		return LLONG_MIN;
	return yuan * 100;
}

/* "1234" or "1,234,567": one group of 1 to 3 digits, then groups of exactly 3. */
static int
money_yuan(const char *p, size_t n, unsigned long long *yuan)
{
	const char *comma = memchr(p, ',', n);
	size_t group;

	if (comma == NULL)
		return digits_add(p, n, YUAN_MAX, yuan) != 0 ? -2 : 0;
	group = (size_t)(comma - p);
	if (group < 1 || group > 3)
		return -1;
	while (n > 0) {
		if (digits_add(p, group, YUAN_MAX, yuan) != 0)
			return -2;
		p += group;
		n -= group;
		if (n == 0)
			break;
		if (*p != ',' || n < 4 || strspn(p + 1, digits) < 3)
			return -1;
		p++;
		n--;
		group = 3;
	}
	return 0;
}

/* Where the number starts: after a minus and a ¥ or ￥ sign, in either order. */
static const char *
money_skip_sign(const char *p, bool *neg)
{
	static const char *const signs[] = { "\xc2\xa5", "\xef\xbf\xa5" };	/* ¥ ￥ */

	*neg = false;
	if (*p == '-') {
		*neg = true;
		p++;
	}
	for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++)
		if (str_starts(p, signs[i])) {
			p += strlen(signs[i]);
			break;
		}
	if (!*neg && *p == '-') {
		*neg = true;
		p++;
	}
	while (*p == ' ')
		p++;
	return p;
}

static int
money_bounds(const struct field *f, long long fen, struct error *err)
{
	if (fen < 0 && !(f->has_min && f->min < 0))
		return error_set(err, ST_REFUSED, _("an amount cannot be negative"));
	if (f->has_min && fen < yuan_to_fen(f->min))
		return error_set(err, ST_REFUSED, _("too small: the least allowed is %lld yuan"),
		    f->min);
	if (f->has_max && fen > yuan_to_fen(f->max))
		return error_set(err, ST_REFUSED, _("too large: the most allowed is %lld yuan"),
		    f->max);
	return 0;
}

static int
money_refuse(const char *s, struct error *err)
{
	return error_set(err, ST_REFUSED, _("'%s' is not an amount: write yuan, e.g. 1234.50"), s);
}

/* Yuan, with an optional sign, thousands commas, up to two decimals and a closing 元. */
int
field_parse_money(const struct field *f, const char *s, char **out, struct error *err)
{
	unsigned long long yuan = 0;
	long long fen;
	const char *p;
	size_t n;
	bool neg;
	int rc;

	p = money_skip_sign(s, &neg);
	n = strspn(p, "0123456789,");
	if (n == 0 || strchr(digits, *p) == NULL)
		return money_refuse(s, err);
	if ((rc = money_yuan(p, n, &yuan)) != 0) {
		if (rc == -2)
			return error_set(err, ST_REFUSED, _("%s is too large an amount"), s);
		return error_set(err, ST_REFUSED,
		    _("misplaced thousands comma in '%s': write e.g. 1,234,567.50"), s);
	}
	fen = (long long)yuan * 100;
	p += n;
	if (*p == '.') {
		size_t decimals = strspn(++p, digits);

		if (decimals == 0)
			return money_refuse(s, err);
		if (decimals > 2)
			return error_set(err, ST_REFUSED,
			    _("%zu decimals in '%s': amounts go to the fen, two decimals at most"),
			    decimals, s);
		fen += (p[0] - '0') * 10 + (decimals == 2 ? p[1] - '0' : 0);
		p += decimals;
	}
	if (str_starts(p, "\xe5\x85\x83"))	/* 元 */
		p += 3;
	if (*p != '\0')
		return money_refuse(s, err);
	if (neg)
		fen = -fen;
	if (money_bounds(f, fen, err) != 0)
		return -1;
	*out = xasprintf("%s%lld.%02lld", fen < 0 ? "-" : "", llabs(fen) / 100, llabs(fen) % 100);
	return 0;
}

int
date_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (month < 1 || month > 12)
		return 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

bool
date_is_real(int year, int month, int day)
{
	return year >= 1 && year <= 9999 && day >= 1 && day <= date_days_in_month(year, month);
}

static int
digits_value(const char *p, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/* From min to max digits at *p into *out. */
static bool
take_number(const char **p, size_t min, size_t max, int *out)
{
	size_t n = strspn(*p, digits);

	if (n < min || n > max)
		return false;
	*out = digits_value(*p, n);
	*p += n;
	return true;
}

static bool
take(const char **p, const char *word)
{
	if (!str_starts(*p, word))
		return false;
	*p += strlen(word);
	return true;
}

/* YYYY-M-D with '-', '/' or '.', YYYYMMDD, or YYYY年M月D日. */
static bool
date_split(const char *s, int *year, int *month, int *day)
{
	const char *p = s;
	char sep[2] = { 0, 0 };

	if (strlen(s) == 8 && strspn(s, digits) == 8) {
		*year = digits_value(s, 4);
		*month = digits_value(s + 4, 2);
		*day = digits_value(s + 6, 2);
		return true;
	}
	if (!take_number(&p, 4, 4, year))
		return false;
	if (take(&p, "\xe5\xb9\xb4")) {		/* 年 M 月 D 日, the 日 may be left out */
		if (!take_number(&p, 1, 2, month) || !take(&p, "\xe6\x9c\x88")
		    || !take_number(&p, 1, 2, day))
			return false;
		return *p == '\0' || (take(&p, "\xe6\x97\xa5") && *p == '\0');
	}
	if (*p != '-' && *p != '/' && *p != '.')
		return false;
	sep[0] = *p++;
	return take_number(&p, 1, 2, month) && take(&p, sep) && take_number(&p, 1, 2, day)
	    && *p == '\0';
}

int
field_parse_date(const struct field *f, const char *s, char **out, struct error *err)
{
	int year, month, day, days;

	(void)f;
	if (!date_split(s, &year, &month, &day))
		return error_set(err, ST_REFUSED,
		    _("'%s' is not a date: write YYYY-MM-DD, e.g. 2024-03-05"), s);
	if (year < 1)
		return error_set(err, ST_REFUSED, _("there is no year 0000"));
	if (month < 1 || month > 12)
		return error_set(err, ST_REFUSED, _("there is no month %d: months run 1 to 12"),
		    month);
	days = date_days_in_month(year, month);
	if (day < 1 || day > days)
		return error_set(err, ST_REFUSED, _("%04d-%02d has no day %d: it has %d days"),
		    year, month, day, days);
	*out = xasprintf("%04d-%02d-%02d", year, month, day);
	return 0;
}

/*
 * A phone number as its digits and, for each digit, what came before it: ' ' or '-' where
 * a group starts, '.' inside a group. A leading '+' is noted.
 */
struct phone {
	struct buf digits;
	struct buf seps;
	bool plus;
};

static int
phone_split(const char *s, struct phone *ph)
{
	char sep = '.';

	if (*s == '+') {
		ph->plus = true;
		s++;
	}
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9') {
			buf_addc(&ph->digits, *s);
			buf_addc(&ph->seps, sep);
			sep = '.';
		} else if (*s == ' ' && ph->digits.len > 0 && sep == '.')
			sep = ' ';
		else if (*s == '-' && ph->digits.len > 0 && sep != '-')
			sep = '-';
		else if (*s != ' ')
			return -1;
	}
	return ph->digits.len > 0 && sep == '.' ? 0 : -1;
}

static int
phone_mobile(const char *d, size_t n, const char *ext, char **out, struct error *err)
{
	if (*ext != '\0')
		return error_set(err, ST_REFUSED, _("a mobile number has no extension"));
	if (n != 11)
		return error_set(err, ST_REFUSED, _("a mobile number has 11 digits, not %zu"), n);
	if (d[1] < '3')
		return error_set(err, ST_REFUSED,
		    _("no mobile number starts with 1%c: the second digit is 3 to 9"), d[1]);
	*out = xstrndup(d, n);
	return 0;
}

/* Where the subscriber number ends: the end, or a '-' before a hyphenated extension. */
static size_t
phone_number_end(const struct phone *ph, size_t area, bool has_ext)
{
	const char *seps = ph->seps.data;
	size_t n = ph->digits.len;

	if (n - area <= 8 || has_ext)
		return n;
	for (size_t e = area + 7; e <= area + 8; e++) {
		size_t k = e + 1;

		while (k < n && seps[k] == '.')
			k++;
		if (seps[e] == '-' && k == n)
			return e;
	}
	return n;
}

static int
phone_landline(const struct phone *ph, const char *ext, char **out, struct error *err)
{
	const char *d = ph->digits.data;
	size_t n = ph->digits.len, first = 1, area, end;

	area = str_starts(d, "010") || str_starts(d, "02") ? 3 : 4;
	while (first < n && ph->seps.data[first] == '.')
		first++;
	if (n < area + 7 || (first != area && first < area + 7))
		return error_set(err, ST_REFUSED, _("after area code %.*s come 7 or 8 digits, "
		    "e.g. %.*s-88886666"), (int)area, d, (int)area, d);
	end = phone_number_end(ph, area, *ext != '\0');
	if (end - area > 8)
		return error_set(err, ST_REFUSED, _("after area code %.*s come 7 or 8 digits, "
		    "not %zu"), (int)area, d, end - area);
	if (end < n)
		ext = d + end;
	if (strlen(ext) > 6)
		return error_set(err, ST_REFUSED, _("an extension has at most 6 digits"));
	*out = xasprintf("%.*s-%.*s%s%s", (int)area, d, (int)(end - area), d + area,
	    *ext != '\0' ? "-" : "", ext);
	return 0;
}

/* Splits off an extension given as "转NNN"; NULL if what follows 转 is not digits. */
static char *
phone_take_ext(char *s)
{
	char *zhuan = strstr(s, "\xe8\xbd\xac"), *ext;	/* 转 */
	char *end;

	if (zhuan == NULL)
		return s + strlen(s);
	*zhuan = '\0';
	ext = zhuan + 3;
	while (*ext == ' ')
		ext++;
	for (end = zhuan; end > s && end[-1] == ' '; end--)
		end[-1] = '\0';
	return *ext != '\0' && strspn(ext, digits) == strlen(ext) ? ext : NULL;
}

static int
phone_classify(const struct phone *ph, const char *ext, char **out, struct error *err)
{
	const char *d = ph->digits.data;
	size_t n = ph->digits.len;

	if (ph->plus && !str_starts(d, "86"))
		return error_set(err, ST_REFUSED, _("only Chinese numbers (+86) are accepted"));
	if (ph->plus || (n == 13 && str_starts(d, "861"))) {
		if (d[2] != '1')
			return error_set(err, ST_REFUSED,
			    _("+86 goes only before a mobile number; write a landline as 029-88886666"));
		return phone_mobile(d + 2, n - 2, ext, out, err);
	}
	if (d[0] == '1')
		return phone_mobile(d, n, ext, out, err);
	if (d[0] == '0')
		return phone_landline(ph, ext, out, err);
	return error_set(err, ST_REFUSED,
	    _("a landline number starts with its area code, e.g. 029-88886666"));
}

/* Mobile: 13912345678, also +86 139 1234 5678. Landline: 029-88886666, 0591 8886666转123. */
int
field_parse_phone(const struct field *f, const char *s, char **out, struct error *err)
{
	struct phone ph = { BUF_INIT, BUF_INIT, false };
	char *copy = xstrdup(s), *ext;
	int rc;

	(void)f;
	if ((ext = phone_take_ext(copy)) == NULL || phone_split(copy, &ph) != 0)
		rc = error_set(err, ST_REFUSED, _("'%s' is not a phone number: write e.g. "
		    "13912345678 or 029-88886666"), s);
	else
		rc = phone_classify(&ph, ext, out, err);
	buf_free(&ph.digits);
	buf_free(&ph.seps);
	free(copy);
	return rc;
}
