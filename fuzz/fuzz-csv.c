/*
 * fuzz-csv.c — libFuzzer target: a CSV file as "huitou import institution" reads it. The bytes
 * are decoded as the importer decodes them (UTF-8, a BOM dropped, else GB18030), split by the
 * CSV reader, the header matched to the institution form's fields, and every cell of the rows
 * parsed by that field's type (record_parse_input) in the row's context. Only the store is
 * left out: divisions and references are not looked up.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "cli/cli.h"

struct csv_fuzz {
	const struct form *form;
	int *column_field;	/* per header column: the field, or -1 */
	size_t n_columns;
	char **values;		/* per field: the row's parsed value so far */
};

static const char *
row_value_of(void *data, const char *field)
{
	struct csv_fuzz *cf = data;
	int i = form_field_index(cf->form, field);

	return i < 0 ? NULL : cf->values[i];
}

static void
read_header(struct csv_fuzz *cf, char **fields, size_t n)
{
	cf->column_field = xcalloc(n + 1, sizeof *cf->column_field);
	cf->n_columns = n;
	for (size_t i = 0; i < n; i++) {
		char *name = xstrdup(fields[i]);
		const struct field *f = form_field_by_header(cf->form, str_trim(name));

		cf->column_field[i] = f != NULL ? (int)(f - cf->form->fields) : -1;
		(void)import_version_header(name);
		(void)import_name_header(cf->form, name);
		free(name);
	}
}

static void
parse_row(struct csv_fuzz *cf, char **fields, const size_t *lens, size_t n)
{
	struct field_ctx ctx = { cf, NULL, NULL, row_value_of };

	for (size_t i = 0; i < n && i < cf->n_columns; i++) {
		int f = cf->column_field[i];
		struct error err = ERROR_INIT;
		char *value = NULL;

		if (f < 0 || strlen(fields[i]) != lens[i])	/* a NUL in the cell: refused */
			continue;
		if (record_parse_input(cf->form, (size_t)f, fields[i], &ctx, &value, &err) == 0) {
			free(cf->values[f]);
			cf->values[f] = value;
		}
		error_clear(&err);
	}
	for (size_t f = 0; f < cf->form->n_fields; f++) {
		free(cf->values[f]);
		cf->values[f] = NULL;
	}
}

static int
take_row(void *arg, size_t line, char **fields, const size_t *lens, size_t n, size_t offset)
{
	struct csv_fuzz *cf = arg;

	(void)line;
	(void)offset;
	if (cf->column_field == NULL)
		read_header(cf, fields, n);
	else
		parse_row(cf, fields, lens, n);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_fuzz cf = { .form = fuzz_form("institution") };
	struct buf text = BUF_INIT;
	struct error err = ERROR_INIT;
	const char *used = NULL;

	buf_add(&text, data, size);
	cf.values = xcalloc(cf.form->n_fields, sizeof *cf.values);
	if (text_to_utf8(&text, NULL, "fuzz.csv", &used, &err) == 0)
		(void)csv_read_cells(buf_str(&text), text.len, take_row, &cf, &err);
	error_clear(&err);
	free(cf.column_field);
	free(cf.values);
	buf_free(&text);
	return 0;
}
