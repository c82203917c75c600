/*
 * board-narrow.c — a narrow board: when the filter lets few records through (mine, one
 * person, a small district), reading those records is cheaper than walking every open entry
 * of the indexes, so the board is counted and ordered from them, every column listed in
 * memory in the order the other ways give (open columns by deadline, done last id first).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/board-private.h"

struct narrow_read {
	struct board *b;
	struct store_txn *txn;
	uint8_t form;
	struct error *err;
	int rc;
};

static void
narrow_record(void *arg, const char *id, uint8_t *tag)
{
	struct narrow_read *nr = arg;
	const struct bform *bf = &nr->b->forms[nr->form];
	const struct machine *m = bf->m;
	const struct machine_state *s;
	struct record *rec;
	struct bcolumn *col;
	const char *deadline;
	uint32_t off;

	if (*tag != 1 || nr->rc != 0)
		return;
	if ((nr->rc = store_get(nr->txn, bf->form, id, &rec, nr->err)) != 0)
		return;
	s = machine_state(m, rec->values[m->field]);
	if (s != NULL && s->column != COLUMN_NONE) {
		col = &nr->b->col[s->column];
		deadline = m->deadline_field >= 0 && !col->paged ? rec->values[m->deadline_field] : "";
		col->count++;
		if (machine_overdue(m, rec, nr->b->today))
			col->overdue++;
		idset_add(&nr->b->ids, id, strlen(id), (uint8_t)(s->column + 1), &off);
		board_column_push(col, off, nr->form, deadline, strlen(deadline));
	}
	record_free(rec);
}

static const struct board *sorting;	/* qsort's comparators have no argument */

/* Open columns: deadline (none last), then form, then id. */
static int
open_order(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int c;

	if (*a->deadline == '\0' || *b->deadline == '\0')
		c = (*a->deadline == '\0') - (*b->deadline == '\0');
	else
		c = strcmp(a->deadline, b->deadline);
	if (c == 0 && a->form != b->form)
		c = a->form < b->form ? -1 : 1;
	return c != 0 ? c : strcmp(idset_str(&sorting->ids, a->id), idset_str(&sorting->ids, b->id));
}

/* Done: form, then the last id first. */
static int
done_order(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	if (a->form != b->form)
		return a->form < b->form ? -1 : 1;
	return strcmp(idset_str(&sorting->ids, b->id), idset_str(&sorting->ids, a->id));
}

/* Reading a record costs about what walking NARROW_RATIO index entries does. */
bool
board_is_narrow(const struct board *b, struct store_txn *txn)
{
	struct error err = ERROR_INIT;
	size_t passed = 0, total = 0, n;

	for (size_t f = 0; f < b->n_forms; f++) {
		if (!b->forms[f].filtered)
			return false;
		passed += b->forms[f].passed;
		if (store_count(txn, b->forms[f].form, &n, &err) != 0) {
			error_clear(&err);
			return false;
		}
		total += n;
	}
	return passed * NARROW_RATIO <= total;
}

int
board_count_narrow(struct board *b, struct store_txn *txn, struct error *err)
{
	struct narrow_read nr = { b, txn, 0, err, 0 };

	for (int c = 0; c < N_COLUMNS; c++) {
		b->col[c].streamed = false;	/* every column listed; paged marks done's order */
		b->col[c].exhausted = true;
	}
	for (size_t f = 0; nr.rc == 0 && f < b->n_forms; f++) {
		nr.form = (uint8_t)f;
		idset_each(&b->forms[f].allowed, narrow_record, &nr);
	}
	sorting = b;
	for (int c = 0; nr.rc == 0 && c < N_COLUMNS; c++)
		if (b->col[c].n > 1)	/* an empty column has no array to sort */
			qsort(b->col[c].e, b->col[c].n, sizeof *b->col[c].e,
			    b->col[c].paged ? done_order : open_order);
	sorting = NULL;
	return nr.rc;
}
