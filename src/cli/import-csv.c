/*
 * import-csv.c — a CSV file into the store as one transaction. The header names fields by id
 * or by label; a row with an id that exists updates that record, any other row is new. All or
 * nothing by default: every bad row is reported as FILE:LINE: field: reason and, if there was
 * one, nothing is written. With skip_bad the good rows are written and the bad ones reported.
 * Rows come from import-rows.c, most cells already checked on the other core. An export's
 * version column (_version) makes a row older than the stored record a conflict, refused like
 * a bad row unless overwrite_newer says to write it anyway. File names are printed escaped.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct import_state {
	struct cli *cli;
	const struct form *form;
	const char *path;
	const struct import_options *opt;
	struct import_result *res;
	struct store_txn *txn;
	int *column_field;	/* per column: the field index */
	size_t *ordered;	/* the columns that set a field, in form order */
	size_t n_ordered;
	struct import_cell *checked;	/* the row's cells as the reader found them */
	size_t n_columns;
	int version_col;	/* the export's version column, or -1 */
	struct buf safe_path;	/* path as it may be printed: controls escaped */
	size_t total_bytes;
	bool header_done;
};

static void
report_bad(struct import_state *st, size_t line, const char *msg)
{
	fprintf(st->opt->report, "%s:%zu: ", buf_str(&st->safe_path), line);
	cli_print_safe(st->opt->report, msg);
	fputc('\n', st->opt->report);
}

/* The export's version column: its place, or a refusal when it appears twice. */
static int
read_version_column(struct import_state *st, size_t i, const char *name)
{
	if (st->version_col >= 0)
		return error_set(&st->cli->err, ST_REFUSED, _("%s:1: column '%s' appears twice"),
		    st->path, name);
	st->version_col = (int)i;
	st->column_field[i] = -1;
	return 0;
}

static int
read_header(struct import_state *st, char **fields, size_t n)
{
	struct error *err = &st->cli->err;

	st->column_field = xcalloc(n, sizeof *st->column_field);
	st->n_columns = n;
	for (size_t i = 0; i < n; i++) {
		const char *name = str_trim(fields[i]);
		const struct field *f = form_field_by_header(st->form, name);

		if (st->checked[i].nul)
			return error_set(err, ST_REFUSED, _("%s:1: column %zu holds a NUL byte, which is "
			    "not text"), st->path, i + 1);
		if (f == NULL && import_version_header(name)) {
			if (read_version_column(st, i, name) != 0)
				return -1;
			continue;
		}
		if (f == NULL && import_name_header(st->form, name)) {
			st->column_field[i] = -1;	/* a person's name, which export adds */
			continue;
		}
		if (f == NULL)
			return error_set(err, ST_REFUSED, _("%s:1: unknown column '%s': %s has no such field"),
			    st->path, fields[i], form_label(st->form));
		st->column_field[i] = (int)(f - st->form->fields);
		for (size_t j = 0; j < i; j++)
			if (st->column_field[j] == st->column_field[i])
				return error_set(err, ST_REFUSED, _("%s:1: column '%s' appears twice"),
				    st->path, fields[i]);
	}
	for (size_t f = 1; f < st->form->n_fields; f++) {
		bool found = false;

		for (size_t i = 0; i < n; i++)
			found |= st->column_field[i] == (int)f;
		if (!found && st->form->fields[f].required && st->form->fields[f].default_value == NULL)
			return error_set(err, ST_REFUSED, _("%s:1: no column for the required field %s (%s)"),
			    st->path, field_label(&st->form->fields[f]), st->form->fields[f].name);
	}
	st->ordered = import_columns_in_form_order(st->column_field, n, &st->n_ordered);
	st->header_done = true;
	return 0;
}

/* The row's record: the stored one when its id exists, else a new one. */
static struct record *
row_record(struct import_state *st, char **fields, size_t n, struct error *err)
{
	struct record *rec = NULL;

	for (size_t i = 0; i < n; i++) {
		char *id = str_trim(fields[i]);

		if (st->column_field[i] != 0 || *id == '\0')
			continue;
		if (st->checked[i].nul) {
			error_set(err, ST_REFUSED, _("%s (%s): a NUL byte is not allowed"),
			    field_label(&st->form->fields[0]), st->form->fields[0].name);
			return NULL;
		}
		if (store_exists(st->txn, st->form, id)) {
			if (store_get(st->txn, st->form, id, &rec, err) != 0)
				return NULL;
			return rec;
		}
		rec = record_new(st->form);
		if (record_set_input(rec, st->form->fields[0].name, id, NULL, err) != 0) {
			record_free(rec);
			return NULL;
		}
		return rec;
	}
	return record_new(st->form);
}

/* One cell into the record: as the reader checked it, or checked here. 0 or -1 if bad. */
static int
cell_apply(struct import_state *st, struct record *rec, size_t f, size_t i, char **fields,
    size_t line, const struct field_ctx *ctx)
{
	struct import_cell *c = &st->checked[i];
	struct error err = ERROR_INIT;

	if (c->nul) {
		error_set(&err, ST_REFUSED, _("%s (%s): a NUL byte is not allowed"),
		    field_label(&rec->form->fields[f]), rec->form->fields[f].name);
		report_bad(st, line, err.message);
		error_clear(&err);
		return -1;
	}
	if (c->state == CELL_GOOD) {
		record_set_borrowed(rec, f, c->text);	/* the cell lives until the next row */
		record_follow_change(rec, f, ctx);	/* a district clears a street outside it */
		return 0;
	}
	if (c->state == CELL_BAD) {
		report_bad(st, line, c->text);
		return -1;
	}
	if (record_set_input_at(rec, f, fields[i], ctx, &err) == 0)
		return 0;
	report_bad(st, line, err.message);
	error_clear(&err);
	return -1;
}

/* Applies the row in form order; reports each bad field; returns how many were bad. */
static size_t
row_apply(struct import_state *st, struct record *rec, char **fields, size_t n, size_t line)
{
	struct field_ctx ctx;
	size_t bad = 0;

	store_field_ctx(st->txn, rec, &ctx);
	for (size_t k = 0; k < st->n_ordered; k++) {
		size_t i = st->ordered[k];

		if (i < n && cell_apply(st, rec, (size_t)st->column_field[i], i, fields, line,
		    &ctx) != 0)
			bad++;
	}
	return bad;
}

/*
 * A row of an export made at an older version than the stored record's would undo the
 * changes made since: a conflict, unless the options say to write it anyway. 0: go on.
 */
static int
check_row_version(struct import_state *st, const struct record *rec, char **fields, size_t n,
    size_t line)
{
	struct error err = ERROR_INIT;
	const char *cell;
	unsigned long long v;
	char *end;

	if (st->version_col < 0 || (size_t)st->version_col >= n || rec->version == 0)
		return 0;
	cell = str_trim(fields[st->version_col]);
	if (*cell == '\0')
		return 0;
	errno = 0;
	v = strtoull(cell, &end, 10);
	if (*end != '\0' || errno != 0 || v == 0 || !isdigit((unsigned char)*cell))
		error_set(&err, ST_REFUSED, _("_version: '%s' is not a version number"), cell);
	else if (v < rec->version && !st->opt->overwrite_newer) {
		error_set(&err, ST_REFUSED, _("%s: the store has version %" PRIu64 ", this row was "
		    "exported at version %llu; importing it would undo the changes made since "
		    "(export again, or import with --overwrite-newer to write it anyway)"),
		    record_id(rec), rec->version, v);
		st->res->conflicts++;
	} else
		return 0;
	report_bad(st, line, err.message);
	error_clear(&err);
	return -1;
}

static void
show_progress(struct import_state *st, size_t offset, bool last)
{
	if (!st->opt->progress || (!last && st->res->rows % 2000 != 0))
		return;
	fputc('\r', stderr);
	fprintf(stderr, _("importing %s: %3zu%%  %zu rows"), buf_str(&st->safe_path),
	    st->total_bytes ? offset * 100 / st->total_bytes : 100, st->res->rows);
	if (last)
		fputc('\n', stderr);
}

static int
import_row(struct import_state *st, size_t line, char **fields, size_t n, size_t offset)
{
	struct error err = ERROR_INIT;
	struct record *rec;
	uint64_t before;
	size_t bad;

	if (!st->header_done)
		return read_header(st, fields, n);
	st->res->rows++;
	show_progress(st, offset, false);
	if (n > st->n_columns) {
		report_bad(st, line, _("the row has more cells than the header"));
		st->res->bad++;
		return 0;
	}
	if ((rec = row_record(st, fields, n, &err)) == NULL) {
		if (err.status == ST_FAILED) {
			error_clear(&st->cli->err);
			st->cli->err = err;
			return -1;
		}
		report_bad(st, line, err.message);
		error_clear(&err);
		st->res->bad++;
		return 0;
	}
	before = rec->version;
	if (check_row_version(st, rec, fields, n, line) != 0) {
		st->res->bad++;
		record_free(rec);
		return 0;
	}
	bad = row_apply(st, rec, fields, n, line);
	if (bad == 0 && (before ? store_update(st->txn, rec, &err) : store_insert(st->txn, rec, &err)) != 0) {
		if (store_txn_denied(st->txn)) {	/* not the importer's to write: stop whole, */
			report_bad(st, line, err.message);	/* whatever --skip-bad says */
			error_set(&st->cli->err, ST_REFUSED,
			    _("the import is stopped at line %zu: that row is not yours to write; nothing was imported"),
			    line);
			error_clear(&err);
			record_free(rec);
			return -1;
		}
		if (err.status == ST_FAILED) {	/* the store itself failed: stop here */
			error_clear(&st->cli->err);
			st->cli->err = err;
			record_free(rec);
			return -1;
		}
		report_bad(st, line, err.message);
		bad++;
	}
	if (bad > 0)
		st->res->bad++;
	else if (before == 0)
		st->res->inserted++;
	else if (rec->version == before)
		st->res->unchanged++;
	else
		st->res->updated++;
	error_clear(&err);
	record_free(rec);
	return 0;
}

static void
describe_import(struct import_state *st)
{
	const char *base = strrchr(st->path, '/');
	struct buf file = BUF_INIT;
	char *subject;

	width_escape_controls(&file, base != NULL ? base + 1 : st->path);	/* one line */
	subject = xasprintf("导入%s %zu 条（新增 %zu，更新 %zu）自 %s", st->form->label_zh,
	    st->res->inserted + st->res->updated, st->res->inserted, st->res->updated,
	    buf_str(&file));
	store_txn_describe(st->txn, "record.import", subject, NULL);
	if (st->opt->reason != NULL)
		store_txn_add_trailer(st->txn, "Reason", st->opt->reason);
	free(subject);
	buf_free(&file);
}

/* The rows in file order until one stops the import; then csv_read's own result. */
static int
import_rows(struct import_state *st, const char *text, size_t len)
{
	struct import_rows *rows = import_rows_start(st->cli->store, st->form, text, len);
	struct read_row *row;
	int rc = 0;

	while (rc == 0 && (row = import_rows_next(rows)) != NULL) {
		st->checked = row->checked;
		rc = import_row(st, row->line, row->fields, row->n, row->offset);
	}
	if (rc != 0) {
		import_rows_finish(rows, NULL);
		return rc;
	}
	return import_rows_finish(rows, &st->cli->err);
}

int
import_csv_text(struct cli *cli, const struct form *form, const char *path, struct buf *text,
    const struct import_options *opt, struct import_result *res)
{
	struct import_state st = { .cli = cli, .form = form, .path = path, .opt = opt, .res = res,
	    .version_col = -1, .safe_path = BUF_INIT, .total_bytes = text->len };
	int rc;

	memset(res, 0, sizeof *res);
	if (store_txn_begin(cli->store, true, &st.txn, &cli->err) != 0)
		return -1;
	width_escape_controls(&st.safe_path, path);
	store_txn_bulk(st.txn, text->len);
	rc = import_rows(&st, buf_str(text), text->len);
	if (rc != 0 && cli->err.message != NULL && !str_starts(cli->err.message, path))
		error_prefix(&cli->err, "%s:", path);
	show_progress(&st, text->len, true);
	if (rc == 0 && !st.header_done)
		rc = error_set(&cli->err, ST_REFUSED, _("%s: the file is empty (no header row)"), path);
	if (rc == 0 && res->conflicts > 0 && !opt->skip_bad)
		rc = error_set(&cli->err, ST_REFUSED, _("%s: %zu of %zu rows are bad, %zu of them "
		    "exported before the store's version (see above); nothing was imported"),
		    path, res->bad, res->rows, res->conflicts);
	else if (rc == 0 && res->bad > 0 && !opt->skip_bad)
		rc = error_set(&cli->err, ST_REFUSED,
		    _("%s: %zu of %zu rows are bad (see above); nothing was imported"),
		    path, res->bad, res->rows);
	free(st.column_field);
	free(st.ordered);
	buf_free(&st.safe_path);
	if (rc != 0) {
		store_txn_abort(st.txn);
		return -1;
	}
	describe_import(&st);
	fault_point("import-before-commit");
	return store_txn_commit(st.txn, &cli->err);
}
