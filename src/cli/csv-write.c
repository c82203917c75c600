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

/* A value that only a hand-made commit can hold (control characters, bidi controls, bytes
 * that are not UTF-8: the write path refuses them) is written escaped as "show" shows it,
 * never raw to a terminal; line breaks stay, inside a quoted cell. A formula's apostrophe
 * goes inside the cell's quotes. */
static void
csv_write_safe_cell(FILE *fp, const char *s)
{
	bool formula = csv_formula_marked(s);
	struct buf safe = BUF_INIT;

	if (!formula && !width_needs_escape(s, true)) {
		csv_write_cell(fp, s);
		return;
	}
	if (formula)
		buf_addc(&safe, '\'');
	width_escape_controls_keep(&safe, s, true);
	csv_write_cell(fp, buf_str(&safe));
	buf_free(&safe);
}

void
csv_write_row(FILE *fp, char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', fp);
		csv_write_safe_cell(fp, fields[i]);
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
		int32_t cp;
		int n;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\u%04x", c);
		else if (c < 0x80)
			fputc(c, fp);
		else if ((n = utf8_decode(s, strnlen(s, 4), &cp)) < 0)
			fprintf(fp, "\\\\x%02x", c);	/* not UTF-8: shown as "show" shows it */
		else {
			if (cp < 0xa0 || text_bidi_control(cp))	/* C1, bidi: escaped, exact */
				fprintf(fp, "\\u%04x", (unsigned)cp);
			else
				fwrite(s, 1, (size_t)n, fp);
			s += n - 1;
		}
	}
	fputc('"', fp);
}
