/*
 * import-rows.c — the rows of an import's CSV, read and checked on a second thread while the
 * importing thread stores the rows before them. The reader parses the text and checks each
 * cell whose check needs only the cell, the city's divisions and the row's earlier cells (in
 * form order); a cell whose check asks the store (a reference) or a value the row does not
 * give (a street's district) is left for the importing thread to check. Both sides check with
 * record_parse_input, so a value or a refusal is the one the importing thread would have
 * found; rows arrive in file order, so what is reported and stored does not depend on timing.
 * A cell that holds a NUL byte is marked, never checked cut short: the importer refuses it.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define CHUNK_ROWS 512		/* rows handed over at once */
#define CHUNKS_AHEAD 8		/* the reader waits when this many wait for the importer */

/* Rows read, in one block of cells; offsets until the chunk is handed over. */
struct chunk {
	struct chunk *next;
	struct buf cells;		/* each cell's text and a NUL */
	struct read_row *rows;
	size_t n_rows;
	size_t *cell_at;		/* per cell: its offset in cells */
	char **fields;			/* per cell: its text, set when handed over */
	struct import_cell *checked;	/* per cell */
	size_t n_cells, cap_cells;
	size_t taken;			/* rows the importer has had */
};

struct import_rows {
	const struct store *store;
	const struct form *form;
	const char *text;
	size_t len;
	int *column_field;		/* from the header: per column its field, -1 if none */
	size_t n_columns;
	size_t *ordered;		/* the columns that set a field, in form order */
	size_t n_ordered;
	char **row_values;		/* per field: what this row's cell gave, NULL if nothing */
	char **row_refusals;		/* per field: why this row's cell was refused */
	bool redo;			/* the cell being checked asked what only the store knows */
	struct chunk *filling;		/* the reader's */
	pthread_t thread;
	bool threaded;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct chunk *head, *tail;	/* handed over, not yet taken */
	size_t n_queued;
	bool done;			/* the reader has finished */
	bool stop;			/* the importer wants no more rows */
	int csv_rc;
	struct error csv_err;
	struct chunk *current;		/* the importer's */
};

static void
chunk_free(struct chunk *c)
{
	if (c == NULL)
		return;
	buf_free(&c->cells);
	free(c->rows);
	free(c->cell_at);
	free(c->fields);
	free(c->checked);
	free(c);
}

static struct chunk *
chunk_new(void)
{
	struct chunk *c = xcalloc(1, sizeof *c);

	c->rows = xcalloc(CHUNK_ROWS, sizeof *c->rows);
	return c;
}

static void
chunk_add_cell(struct chunk *c, const char *text, bool nul)
{
	if (c->n_cells == c->cap_cells) {
		c->cap_cells = c->cap_cells ? c->cap_cells * 2 : CHUNK_ROWS * 16;
		c->cell_at = xrealloc(c->cell_at, c->cap_cells * sizeof *c->cell_at);
		c->checked = xrealloc(c->checked, c->cap_cells * sizeof *c->checked);
	}
	c->cell_at[c->n_cells] = c->cells.len;
	c->checked[c->n_cells].state = CELL_UNCHECKED;
	c->checked[c->n_cells].text = NULL;
	c->checked[c->n_cells].at = 0;
	c->checked[c->n_cells].nul = nul;	/* cut short: the importer refuses it */
	c->n_cells++;
	buf_add(&c->cells, text, strlen(text) + 1);
}

/* The cells stop moving: rows point into them from here on. */
static void
chunk_seal(struct chunk *c)
{
	size_t first = 0;

	c->fields = xcalloc(c->n_cells + 1, sizeof *c->fields);
	for (size_t i = 0; i < c->n_cells; i++) {
		c->fields[i] = c->cells.data + c->cell_at[i];
		if (c->checked[i].state != CELL_UNCHECKED)
			c->checked[i].text = c->cells.data + c->checked[i].at;
	}
	for (size_t r = 0; r < c->n_rows; r++) {
		c->rows[r].fields = c->fields + first;
		c->rows[r].checked = c->checked + first;
		first += c->rows[r].n;
	}
}

static const struct division *
check_division_find(void *data, const char *code_or_name, enum division_level level,
    const char *parent)
{
	struct import_rows *r = data;

	return store_division_find(r->store, code_or_name, level, parent);
}

static bool
check_record_exists(void *data, const char *form, const char *id)
{
	struct import_rows *r = data;

	(void)form;
	(void)id;
	r->redo = true;
	return true;
}

/* The record's value is the row's only when the row gave it, without a refusal, earlier. */
static const char *
check_value_of(void *data, const char *field)
{
	struct import_rows *r = data;
	int i = form_field_index(r->form, field);

	if (i < 0)
		return NULL;
	if (r->row_values[i] == NULL)
		r->redo = true;
	return r->row_values[i];
}

/* A field's cell, as record_set_input_at would take it; unchecked when the store is asked. */
static void
check_cell(struct import_rows *r, size_t field, const char *input, struct import_cell *out)
{
	struct field_ctx ctx = { r, check_division_find, check_record_exists, check_value_of };
	struct error err = ERROR_INIT;
	char *value = NULL;
	int rc;

	r->redo = false;
	rc = record_parse_input(r->form, field, input, &ctx, &value, &err);
	if (r->redo) {
		free(value);
		error_clear(&err);
		return;
	}
	if (rc == 0) {
		out->state = CELL_GOOD;
		r->row_values[field] = value;	/* kept for the row's later cells */
	} else {
		out->state = CELL_BAD;
		r->row_refusals[field] = err.message != NULL ? err.message : xstrdup("?");
	}
}

/* The row's results go into the chunk's cells, so the importer frees nothing of this
 * thread's (a free from the other thread costs both of them a lock and more). */
static void
keep_results(struct import_rows *r, struct chunk *c, const struct read_row *row, size_t first)
{
	for (size_t i = 0; i < row->n; i++) {
		struct import_cell *cell = &c->checked[first + i];
		int f = r->column_field[i];
		char *text;

		if (cell->state == CELL_UNCHECKED)
			continue;
		text = cell->state == CELL_GOOD ? r->row_values[f] : r->row_refusals[f];
		cell->at = c->cells.len;
		buf_add(&c->cells, text, strlen(text) + 1);
	}
	for (size_t f = 0; f < r->form->n_fields; f++) {
		free(r->row_values[f]);
		free(r->row_refusals[f]);
		r->row_values[f] = r->row_refusals[f] = NULL;
	}
}

/* The row's cells in the order the importer applies them: form order. */
static void
check_row(struct import_rows *r, struct chunk *c, const struct read_row *row, size_t first)
{
	if (r->column_field == NULL || row->n > r->n_columns)
		return;
	for (size_t k = 0; k < r->n_ordered; k++) {
		size_t i = r->ordered[k];

		if (i < row->n && !c->checked[first + i].nul)
			check_cell(r, (size_t)r->column_field[i], c->cells.data + c->cell_at[first + i],
			    &c->checked[first + i]);
	}
	keep_results(r, c, row, first);
}

/* The header's columns; checking is left to the importer unless each names a field once. */
static void
read_columns(struct import_rows *r, char **fields, size_t n)
{
	int *cols = xcalloc(n, sizeof *cols);

	for (size_t i = 0; i < n; i++) {
		char *name = xstrdup(fields[i]);
		const struct field *f = form_field_by_header(r->form, str_trim(name));
		bool version = f == NULL && (import_version_header(name) ||
		    import_name_header(r->form, name));

		free(name);
		cols[i] = f != NULL ? (int)(f - r->form->fields) : -1;
		for (size_t j = 0; !version && j <= i; j++)
			if (cols[i] < 0 || (j < i && cols[j] == cols[i])) {
				free(cols);
				return;
			}
	}
	r->column_field = cols;
	r->n_columns = n;
	r->ordered = import_columns_in_form_order(cols, n, &r->n_ordered);
}

bool
import_version_header(const char *name)
{
	return str_eq(name, "_version") || str_eq(name, "版本");
}

bool
import_name_header(const struct form *form, const char *name)
{
	size_t n = strlen(name);
	const struct field *f;
	char *field;

	if (n <= 5 || !str_eq(name + n - 5, "_name"))
		return false;
	field = xstrndup(name, n - 5);
	f = form_field(form, field);
	free(field);
	return f != NULL && cli_person_field(f);
}

size_t *
import_columns_in_form_order(const int *column_field, size_t n, size_t *n_ordered)
{
	size_t *ordered = xcalloc(n, sizeof *ordered), m = 0;

	for (size_t i = 0; i < n; i++) {
		size_t at;

		if (column_field[i] <= 0)	/* the id, or no field */
			continue;
		for (at = m++; at > 0 && column_field[ordered[at - 1]] > column_field[i]; at--)
			ordered[at] = ordered[at - 1];
		ordered[at] = i;
	}
	*n_ordered = m;
	return ordered;
}

/* The chunk goes to the importer; false when it wants no more. */
static bool
hand_over(struct import_rows *r, struct chunk *c)
{
	bool stop;

	chunk_seal(c);
	pthread_mutex_lock(&r->lock);
	while (r->threaded && r->n_queued >= CHUNKS_AHEAD && !r->stop)
		pthread_cond_wait(&r->changed, &r->lock);
	stop = r->stop;
	if (!stop) {
		if (r->tail != NULL)
			r->tail->next = c;
		else
			r->head = c;
		r->tail = c;
		r->n_queued++;
		pthread_cond_broadcast(&r->changed);
	}
	pthread_mutex_unlock(&r->lock);
	if (stop)
		chunk_free(c);
	return !stop;
}

static int
reader_row(void *arg, size_t line, char **fields, const size_t *lens, size_t n, size_t offset)
{
	struct import_rows *r = arg;
	struct chunk *c = r->filling;
	struct read_row *row;
	bool header = r->row_values == NULL;

	if (header) {
		read_columns(r, fields, n);
		r->row_values = xcalloc(r->form->n_fields, sizeof *r->row_values);
		r->row_refusals = xcalloc(r->form->n_fields, sizeof *r->row_refusals);
	}
	row = &c->rows[c->n_rows++];
	row->line = line;
	row->offset = offset;
	row->n = n;
	for (size_t i = 0; i < n; i++)
		chunk_add_cell(c, fields[i], strlen(fields[i]) != lens[i]);
	if (!header)
		check_row(r, c, row, c->n_cells - n);
	if (c->n_rows < CHUNK_ROWS)
		return 0;
	r->filling = chunk_new();
	return hand_over(r, c) ? 0 : 1;
}

static void *
reader_run(void *arg)
{
	struct import_rows *r = arg;
	struct error err = ERROR_INIT;
	int rc;

	r->filling = chunk_new();
	rc = csv_read_cells(r->text, r->len, reader_row, r, &err);
	if (r->filling->n_rows > 0)
		hand_over(r, r->filling);
	else
		chunk_free(r->filling);
	r->filling = NULL;
	pthread_mutex_lock(&r->lock);
	r->csv_rc = rc;
	r->csv_err = err;
	r->done = true;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

struct import_rows *
import_rows_start(const struct store *store, const struct form *form, const char *text,
    size_t len)
{
	struct import_rows *r = xcalloc(1, sizeof *r);

	r->store = store;
	r->form = form;
	r->text = text;
	r->len = len;
	if (pthread_mutex_init(&r->lock, NULL) != 0 || pthread_cond_init(&r->changed, NULL) != 0)
		fatal("cannot set up the import's reader");
	r->threaded = true;	/* before the reader looks */
	if (pthread_create(&r->thread, NULL, reader_run, r) != 0) {
		r->threaded = false;
		reader_run(r);		/* no second thread: all rows first, then the import */
	}
	return r;
}

/* The next chunk from the reader, or NULL when it has finished. */
static struct chunk *
take_chunk(struct import_rows *r)
{
	struct chunk *c;

	pthread_mutex_lock(&r->lock);
	while (r->head == NULL && !r->done)
		pthread_cond_wait(&r->changed, &r->lock);
	c = r->head;
	if (c != NULL) {
		r->head = c->next;
		if (r->head == NULL)
			r->tail = NULL;
		r->n_queued--;
		pthread_cond_broadcast(&r->changed);
	}
	pthread_mutex_unlock(&r->lock);
	return c;
}

struct read_row *
import_rows_next(struct import_rows *r)
{
	while (r->current == NULL || r->current->taken == r->current->n_rows) {
		chunk_free(r->current);
		if ((r->current = take_chunk(r)) == NULL)
			return NULL;
	}
	return &r->current->rows[r->current->taken++];
}

int
import_rows_finish(struct import_rows *r, struct error *err)
{
	int rc;

	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	if (r->threaded && pthread_join(r->thread, NULL) != 0)
		fatal("cannot wait for the import's reader");
	chunk_free(r->current);
	while (r->head != NULL) {
		struct chunk *next = r->head->next;

		chunk_free(r->head);
		r->head = next;
	}
	rc = r->csv_rc;
	if (rc != 0 && err != NULL) {
		error_clear(err);
		*err = r->csv_err;
	} else {
		error_clear(&r->csv_err);
	}
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->changed);
	free(r->column_field);
	free(r->ordered);
	free(r->row_values);
	free(r->row_refusals);
	free(r);
	return rc;
}
