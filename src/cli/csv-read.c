/*
 * csv-read.c — CSV rows through libcsv, each with the line it starts on, so a bad row can be
 * reported as FILE:LINE even when quoted fields hold line breaks. The text is fed to the
 * parser a line at a time; a row that ends while line L is fed makes the next start at L+1.
 * A row's cells are kept one after another in one buffer that every row reuses. Text without
 * a quote character, as spreadsheets save most files, is split here at commas and line ends,
 * as libcsv splits it, four times as fast. A cell's length is kept beside its text, so a NUL
 * byte inside it is seen (and refused) rather than cutting it short; a quote never closed is
 * reported at the line where it opens. An apostrophe before a cell that starts with = + - or
 * @ is dropped: it is how exports and spreadsheets mark such a cell as text, not a formula.
 */
#include "config.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct csv_state {
	char **fields;
	size_t *starts;		/* where each cell begins in cells */
	size_t n, cap;
	struct buf cells;	/* the row's cells, each ending in NUL */
	size_t line;		/* the line being fed */
	size_t row_line;	/* the line the current row started on */
	size_t row_start;	/* the line where the row being fed began */
	size_t offset;		/* bytes fed so far */
	bool row_open;
	csv_row_fn fn;		/* one of the two */
	csv_cells_fn cells_fn;
	void *arg;
	struct error *err;
	size_t *lens;		/* each cell's length in bytes, for cells_fn */
	int stop;
};

static void
on_field(void *data, size_t len, void *arg)
{
	struct csv_state *st = arg;

	if (!st->row_open) {
		st->row_open = true;
		st->row_line = st->row_start;
	}
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->fields = xrealloc(st->fields, st->cap * sizeof *st->fields);
		st->starts = xrealloc(st->starts, st->cap * sizeof *st->starts);
		st->lens = xrealloc(st->lens, st->cap * sizeof *st->lens);
	}
	st->lens[st->n] = len;
	st->starts[st->n++] = st->cells.len;
	buf_add(&st->cells, data != NULL ? data : "", len);
	buf_add(&st->cells, "", 1);
}

/* For csv_read's callers, who see cells as strings: a cell that holds a NUL byte is refused
 * rather than cut short. */
static int
refuse_nul(struct csv_state *st)
{
	for (size_t i = 0; i < st->n; i++)
		if (strlen(st->fields[i]) != st->lens[i]) {
			error_set(st->err, ST_REFUSED, _("%zu: column %zu holds a NUL byte, which is "
			    "not text"), st->row_line, i + 1);
			return -1;
		}
	return 0;
}

static void
on_row(int c, void *arg)
{
	struct csv_state *st = arg;

	(void)c;
	for (size_t i = 0; i < st->n; i++) {	/* the cells do not move once the row is whole */
		st->fields[i] = st->cells.data + st->starts[i];
		if (st->fields[i][0] == '\'' && csv_formula_marked(st->fields[i] + 1)) {
			st->fields[i]++;	/* the export's "text, not a formula" mark */
			st->lens[i]--;
		}
	}
	if (st->stop == 0 && st->n > 0 && st->cells_fn != NULL)
		st->stop = st->cells_fn(st->arg, st->row_line, st->fields, st->lens, st->n,
		    st->offset);
	else if (st->stop == 0 && st->n > 0 && (st->stop = refuse_nul(st)) == 0)
		st->stop = st->fn(st->arg, st->row_line, st->fields, st->n, st->offset);
	buf_reset(&st->cells);
	st->n = 0;
	st->row_open = false;
}

static bool
space_or_tab(char c)
{
	return c == ' ' || c == '\t';
}

/* No quote anywhere, and carriage returns only before line feeds: no cell holds a comma or a
 * line break, and each line is a row. */
static bool
text_is_plain(const char *text, size_t len)
{
	const char *end = text + len, *p = text;

	if (memchr(text, '"', len) != NULL)
		return false;
	while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL)
		if (++p == end || *p != '\n')
			return false;
	return true;
}

/* A line of plain text as libcsv reads it: cells between commas without the spaces and tabs
 * at their ends; a blank line is no row. */
static void
split_line(struct csv_state *st, const char *line, size_t n)
{
	const char *end = line + n, *p = line;

	if (end > line && end[-1] == '\n')
		end--;
	if (end > line && end[-1] == '\r')
		end--;
	while (p < end && space_or_tab(*p))
		p++;
	if (p == end)
		return;
	for (p = line;; p++) {
		const char *comma = memchr(p, ',', (size_t)(end - p)), *stop = comma ? comma : end;

		while (p < stop && space_or_tab(*p))
			p++;
		while (stop > p && space_or_tab(stop[-1]))
			stop--;
		on_field((void *)p, (size_t)(stop - p), st);
		if (comma == NULL)
			break;
		p = comma;
	}
	on_row('\n', st);
}

static void
csv_state_free(struct csv_state *st)
{
	free(st->fields);
	free(st->starts);
	free(st->lens);
	buf_free(&st->cells);
}

/* libcsv is inside a quoted field that the line fed so far has not closed. */
static bool
in_open_quote(const struct csv_parser *p)
{
	return p->quoted && p->pstate == 2;	/* libcsv's FIELD_BEGUN */
}

static int
read_text(const char *text, size_t len, struct csv_state *st, struct error *err)
{
	struct csv_parser p;
	bool plain = text_is_plain(text, len), quoted = false;
	size_t pos = 0, quote_line = 0;

	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return error_set(err, ST_FAILED, _("cannot start the CSV parser"));
	csv_set_realloc_func(&p, xrealloc);
	while (pos < len && st->stop == 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (text + pos)) + 1 : len - pos;

		st->offset = pos + n;
		if (plain || p.pstate == 0)	/* libcsv's ROW_NOT_BEGUN: a row starts here */
			st->row_start = st->line;
		if (plain)
			split_line(st, text + pos, n);
		else if (csv_parse(&p, text + pos, n, on_field, on_row, st) != n) {
			error_set(err, ST_REFUSED, _("%zu: %s"), st->line, csv_strerror(csv_error(&p)));
			csv_free(&p);
			return -1;
		}
		if (!plain && in_open_quote(&p) && !quoted)
			quote_line = st->line;	/* a quote opened on this line is still open */
		quoted = !plain && in_open_quote(&p);
		pos += n;
		st->line++;
	}
	/* libcsv would end the field at the end of the text (CSV_STRICT_FINI says so only
	 * with CSV_STRICT, which refuses stray quotes that spreadsheets write) */
	if (st->stop == 0 && quoted) {
		error_set(err, ST_REFUSED, _("%zu: the quote opened here is never closed"),
		    quote_line);
		st->stop = -1;
	} else if (st->stop == 0 && csv_fini(&p, on_field, on_row, st) != 0) {
		error_set(err, ST_REFUSED, _("%zu: %s"), st->line, csv_strerror(csv_error(&p)));
		st->stop = -1;
	}
	csv_free(&p);
	return st->stop;
}

int
csv_read(const char *text, size_t len, csv_row_fn fn, void *arg, struct error *err)
{
	struct csv_state st = { .cells = BUF_INIT, .line = 1, .row_line = 1, .fn = fn, .arg = arg,
	    .err = err };
	int rc = read_text(text, len, &st, err);

	csv_state_free(&st);
	return rc;
}

int
csv_read_cells(const char *text, size_t len, csv_cells_fn fn, void *arg, struct error *err)
{
	struct csv_state st = { .cells = BUF_INIT, .line = 1, .row_line = 1, .cells_fn = fn,
	    .arg = arg, .err = err };
	int rc = read_text(text, len, &st, err);

	csv_state_free(&st);
	return rc;
}
