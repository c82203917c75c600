/*
 * csv-cell.c — one CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, or
 * starts or ends with a space; written exactly otherwise, so values import back unchanged.
 * A value a spreadsheet would run as a formula (= or @ first, or + or - before anything but a
 * number) is marked as text by a leading
 * apostrophe where documents are written for people (csv_formula_marked); the importer drops
 * the mark again, so an export still imports back unchanged.
 */
#include "config.h"

#include <string.h>

#include "base.h"

void
csv_write_cell(FILE *fp, const char *s)
{
	if (*s == '\0' || (strpbrk(s, ",\"\r\n") == NULL && *s != ' ' && s[strlen(s) - 1] != ' ')) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* A plain decimal number ("12", "3.5"): what follows a sign that spreadsheets read as a
 * number, not a formula. */
static bool
plain_number(const char *s)
{
	bool digit = false, point = false;

	for (; *s != '\0'; s++)
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s == '.' && !point)
			point = true;
		else
			return false;
	return digit;
}

bool
csv_formula_marked(const char *s)
{
	while (*s == '\'')
		s++;
	if (*s == '+' || *s == '-')
		return s[1] != '\0' && !plain_number(s + 1);
	return *s == '=' || *s == '@';
}
