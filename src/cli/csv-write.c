/*
 * csv-write.c — CSV (RFC 4180 quoting, rows end in LF, no BOM) and JSON strings for export.
 * Values are written exactly as stored, so an export imports back unchanged, except that one
 * a spreadsheet would take for a formula (=SUM…, +1, -1, @x) gets a leading apostrophe, which
 * spreadsheets show as text and the CSV reader (csv-read.c) drops again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void
csv_write_row(FILE *fp, char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', fp);
		if (csv_formula_marked(fields[i]))
			fputc('\'', fp);
		csv_write_cell(fp, fields[i]);
	}
	fputc('\n', fp);
}

void
csv_write_row_buf(struct buf *out, char *const *fields, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	if (fp == NULL)
		fatal("open_memstream");
	csv_write_row(fp, fields, n);
	if (fclose(fp) != 0)
		fatal("open_memstream");
	buf_add(out, text, len);
	free(text);
}

void
json_write_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}
