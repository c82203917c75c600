/*
 * csv-cell.c — one CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, or
 * starts or ends with a space; written exactly otherwise, so values import back unchanged.
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
