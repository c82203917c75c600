/*
 * board.c — counting the task board. No record is decoded: where the state field has a pair
 * index by the deadline (index-by, forms/README.md) a state's count and its overdue count are
 * one walk of its entries, and its cards are read from there a page at a time (board-card.c);
 * without one, each state's ids come from the state index and one walk of the deadline index
 * orders the open columns and counts what is overdue. Done, the largest column, is counted from
 * its index and paged newest first. A filter is a set of ids from its own index.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/board-private.h"
#include "store/query.h"

static double
now_ms(void)
{
	return (double)clock_us() / 1e3;
}

static bool
machine_on_board(const struct machine *m)
{
	for (size_t i = 0; i < m->n_states; i++)
		if (m->states[i].column != COLUMN_NONE)
			return true;
	return false;
}

/* A column is paged when a final state is in it (the done column, ever growing). */
static bool
column_paged(const struct board *b, enum board_column c)
{
	for (size_t f = 0; f < b->n_forms; f++)
		for (size_t i = 0; i < b->forms[f].m->n_states; i++)
			if (b->forms[f].m->states[i].column == c && b->forms[f].m->states[i].final)
				return true;
	return false;
}

static const char *
field_name(const struct bform *bf, int i)
{
	return bf->form->fields[i].name;
}

static const char *
state_field(const struct bform *bf)
{
	return field_name(bf, (int)bf->m->field);
}

/* The district field of a form: the first division field of district level. */
static int
district_field(const struct form *form)
{
	for (size_t i = 0; i < form->n_fields; i++)
		if (form->fields[i].kind == FT_DIVISION && form->fields[i].level == DIV_DISTRICT)
			return (int)i;
	return -1;
}

struct narrow {
	struct idset *into, *from;	/* from: NULL, or the set narrowed (tag 1 = kept) */
	uint8_t pass;
};

/* An id of a filter's index: kept when every filter before let it through. */
static void
narrow_id(void *arg, const char *id, size_t len)
{
	struct narrow *nw = arg;
	uint8_t *t = nw->from != NULL ? idset_find(nw->from, id, len, NULL) : NULL;

	if (nw->from == NULL)
		idset_add(nw->into, id, len, 1, NULL);
	else if (t != NULL && *t == nw->pass - 1)
		*t = nw->pass;
}

struct where_scan {
	struct bform *bf;
	const struct query *q;
	uint8_t pass;
};

static int
where_record(const struct record *rec, void *arg)
{
	struct where_scan *ws = arg;
	const char *id = record_id(rec);
	struct narrow nw = { &ws->bf->allowed, ws->pass > 1 ? &ws->bf->allowed : NULL, ws->pass };

	if (query_match(ws->q, rec, NULL))
		narrow_id(&nw, id, strlen(id));
	return 0;
}

/* Parses the board's where for one form; 1 when the form cannot read it (left out). */
static int
where_parse(struct board *b, struct store_txn *txn, const struct form *form, struct query **q,
    struct error *err)
{
	struct field_ctx ctx;
	size_t at;

	store_field_ctx(txn, NULL, &ctx);
	if (query_parse(form, &ctx, b->where, q, &at, err) == 0)
		return 0;
	return 1;
}

/* A filter this form cannot answer (no such field, a where it cannot read): no card passes. */
static int
nothing_passes(struct bform *bf)
{
	idset_free(&bf->allowed);
	bf->filtered = true;
	bf->passed = 0;
	return 0;
}

struct passing {
	uint8_t pass;
	size_t n;
};

static void
keep_passed(void *arg, uint8_t *tag)
{
	struct passing *p = arg;

	*tag = *tag == p->pass ? 1 : 0;
	p->n += *tag;
}

/* The ids of bf that pass the filter, as a set; pass counts the filters applied. */
static int
filter_form(struct board *b, struct store_txn *txn, struct bform *bf, struct error *err)
{
	struct narrow nw = { &bf->allowed, NULL, 1 };
	int df = district_field(bf->form), rc = 0;
	uint8_t pass = 0;
	struct passing passing = { 0, 0 };

	if (b->district != NULL) {
		if (df < 0 || !bf->form->fields[df].indexed)
			return nothing_passes(bf);
		nw.pass = ++pass;
		rc = store_each_by(txn, bf->form, field_name(bf, df), b->district, narrow_id, &nw, err);
	}
	if (rc == 0 && b->person != NULL) {
		if (bf->m->person_field < 0)
			return nothing_passes(bf);
		nw.pass = ++pass;
		nw.from = pass > 1 ? &bf->allowed : NULL;
		rc = store_each_by(txn, bf->form, field_name(bf, bf->m->person_field), b->person,
		    narrow_id, &nw, err);
	}
	if (rc == 0 && b->where != NULL) {
		struct where_scan ws = { bf, NULL, ++pass };
		struct error perr = ERROR_INIT;

		if (where_parse(b, txn, bf->form, (struct query **)&ws.q, &perr) != 0) {
			error_clear(&perr);
			return nothing_passes(bf);
		}
		rc = store_foreach(txn, bf->form, where_record, &ws, err);
		query_free((struct query *)ws.q);
	}
	passing.pass = pass;
	bf->filtered = pass > 0;
	idset_each_tag(&bf->allowed, keep_passed, &passing);	/* 1: every filter kept it */
	bf->passed = passing.n;
	return rc;
}

bool
board_allows(const struct bform *bf, const char *id, size_t len)
{
	uint8_t *t;

	if (!bf->filtered)
		return true;
	t = idset_find(&bf->allowed, id, len, NULL);
	return t != NULL && *t == 1;
}

void
board_column_push(struct bcolumn *col, uint32_t id, uint8_t form, const char *deadline, size_t dlen)
{
	struct entry *e;

	if (col->n == col->cap) {
		col->cap = col->cap ? col->cap * 2 : 64;
		col->e = xrealloc(col->e, col->cap * sizeof *col->e);
		col->cards = xrealloc(col->cards, col->cap * sizeof *col->cards);
	}
	e = &col->e[col->n];
	col->cards[col->n++] = NULL;
	e->id = id;
	e->form = form;
	if (dlen > 10)
		dlen = 10;
	memcpy(e->deadline, deadline, dlen);
	e->deadline[dlen] = '\0';
}

struct walk {
	struct board *b;
	struct bform *bf;
	uint8_t form;
	uint8_t tag;		/* of the state walked */
	enum board_column column;
	uint32_t *order;	/* the listed ids of the form in state order … */
	size_t n_order, cap_order;
};

/* An id in a state that is not final: counted, and kept for the deadline walk. */
static void
state_id(void *arg, const char *id, size_t len)
{
	struct walk *w = arg;
	uint32_t off;

	if (!board_allows(w->bf, id, len))
		return;
	w->b->col[w->column].count++;
	idset_add(&w->b->ids, id, len, w->tag, &off);
	if (w->n_order == w->cap_order) {
		w->cap_order = w->cap_order ? w->cap_order * 2 : 256;
		w->order = xrealloc(w->order, w->cap_order * sizeof *w->order);
	}
	w->order[w->n_order++] = off;
}

/* An id in a final state: only counted (its column is paged). */
static void
final_id(void *arg, const char *id, size_t len)
{
	struct walk *w = arg;

	if (board_allows(w->bf, id, len))
		w->b->col[w->column].count++;
}

static int
deadline_entry(void *arg, const char *value, size_t vlen, const char *id, size_t len)
{
	struct walk *w = arg;
	uint32_t off;
	uint8_t *t = idset_find(&w->b->ids, id, len, &off);
	struct bcolumn *col;

	if (t == NULL || (*t & TAG_COLUMN) == 0)
		return 0;
	col = &w->b->col[(*t & TAG_COLUMN) - 1];
	*t |= TAG_SEEN;
	if (vlen == 10 && memcmp(value, w->b->today, 10) < 0)
		col->overdue++;
	if (!(*t & TAG_LAZY))
		board_column_push(col, off, w->form, value, vlen);
	return 0;
}

static void add_segment(struct board *b, enum board_column column, uint8_t form,
    const char *state);

/* Whether the machine's state field has a pair index by its deadline (index-by). */
static bool
machine_has_pairs(const struct machine *m)
{
	const struct field *f = &m->form->fields[m->field];

	return m->deadline_field >= 0 && f->index_by != NULL &&
	    str_eq(f->index_by, m->form->fields[m->deadline_field].name);
}

static void
add_stream(struct board *b, enum board_column column, uint8_t form, const char *state)
{
	b->streams = xrealloc(b->streams, (b->n_streams + 1) * sizeof *b->streams);
	memset(&b->streams[b->n_streams], 0, sizeof *b->streams);
	b->streams[b->n_streams].column = column;
	b->streams[b->n_streams].form = form;
	b->streams[b->n_streams++].state = state;
}

struct pair_count {
	struct walk *w;
	size_t n, below;
};

static int
pair_counted(void *arg, const char *second, size_t slen, const char *id, size_t len)
{
	struct pair_count *pc = arg;

	if (!board_allows(pc->w->bf, id, len))
		return 0;
	pc->n++;
	if (slen == 10 && memcmp(second, pc->w->b->today, 10) < 0)
		pc->below++;
	return 0;
}

/* A state that is not final, from its pair index: counted, its overdue too, no id kept. */
static int
count_state_pairs(struct board *b, struct store_txn *txn, struct walk *w,
    const struct machine_state *s, struct error *err)
{
	const char *field = state_field(w->bf);
	struct pair_count pc = { w, 0, 0 };
	int rc;

	if (w->bf->filtered)
		rc = store_walk_pair(txn, w->bf->form, field, s->value, NULL, NULL, pair_counted, &pc,
		    err);
	else
		rc = store_count_pair(txn, w->bf->form, field, s->value, b->today, &pc.n, &pc.below,
		    err);
	if (rc != 0)
		return -1;
	b->col[s->column].count += pc.n;
	b->col[s->column].overdue += pc.below;
	if (b->col[s->column].paged)
		add_segment(b, s->column, w->form, s->value);
	else
		add_stream(b, s->column, w->form, s->value);
	return 0;
}

static void
add_segment(struct board *b, enum board_column column, uint8_t form, const char *state)
{
	b->segs = xrealloc(b->segs, (b->n_segs + 1) * sizeof *b->segs);
	b->segs[b->n_segs].column = column;
	b->segs[b->n_segs].form = form;
	b->segs[b->n_segs++].state = state;
}

/* One state of a form: its ids counted, listed or made a segment of a paged column. */
static int
count_state(struct board *b, struct store_txn *txn, struct walk *w,
    const struct machine_state *s, struct error *err)
{
	const char *field = state_field(w->bf);
	bool paged = b->col[s->column].paged;
	size_t n;

	w->column = s->column;
	w->tag = (uint8_t)((s->column + 1) | (paged ? TAG_LAZY : 0));
	if (paged)
		add_segment(b, s->column, w->form, s->value);
	if (!s->final)
		return store_each_by(txn, w->bf->form, field, s->value, state_id, w, err);
	if (w->bf->filtered)
		return store_each_by(txn, w->bf->form, field, s->value, final_id, w, err);
	if (store_count_by(txn, w->bf->form, field, s->value, &n, err) != 0)
		return -1;
	b->col[s->column].count += n;
	return 0;
}

/* The state whose count is the form's records (or those the filter passes) less the others'
 * (the one final state on the board, the largest as work gets done): counting costs what is
 * open, not all history. NULL when no single state fits. */
static const struct machine_state *
derived_state(const struct bform *bf)
{
	const struct machine_state *d = NULL;

	for (size_t i = 0; i < bf->m->n_states; i++)
		if (bf->m->states[i].final && bf->m->states[i].column != COLUMN_NONE) {
			if (d != NULL)
				return NULL;
			d = &bf->m->states[i];
		}
	return d;
}

static size_t
board_total(const struct board *b)
{
	size_t n = 0;

	for (int c = 0; c < N_COLUMNS; c++)
		n += b->col[c].count;
	return n;
}

struct off_board {
	const struct bform *bf;
	size_t n;
};

static void
off_board_id(void *arg, const char *id, size_t len)
{
	struct off_board *ob = arg;

	if (board_allows(ob->bf, id, len))
		ob->n++;
}

/* The derived state's count: the form's records (those the filter passes) less every other
 * state's. */
static int
count_derived(struct board *b, struct store_txn *txn, struct walk *w,
    const struct machine_state *d, size_t others, struct error *err)
{
	const struct machine *m = w->bf->m;
	size_t total = w->bf->passed;

	for (size_t i = 0; i < m->n_states; i++) {	/* states off the board count too */
		struct off_board ob = { w->bf, 0 };

		if (m->states[i].column != COLUMN_NONE)
			continue;
		if (w->bf->filtered ? store_each_by(txn, w->bf->form, state_field(w->bf),
		    m->states[i].value, off_board_id, &ob, err) != 0 : store_count_by(txn,
		    w->bf->form, state_field(w->bf), m->states[i].value, &ob.n, err) != 0)
			return -1;
		others += ob.n;
	}
	if (!w->bf->filtered && store_count(txn, w->bf->form, &total, err) != 0)
		return -1;
	b->col[d->column].count += total > others ? total - others : 0;
	if (b->col[d->column].paged)
		add_segment(b, d->column, w->form, d->value);
	return 0;
}

/* A form's columns: its states, then the deadline walk; ids with no deadline go last. */
static int
count_form(struct board *b, struct store_txn *txn, uint8_t fi, struct error *err)
{
	struct walk w = { b, &b->forms[fi], fi, 0, COLUMN_NONE, NULL, 0, 0 };
	const struct machine *m = w.bf->m;
	const struct machine_state *derived;
	size_t before = board_total(b);
	int rc = 0;

	derived = derived_state(w.bf);
	for (size_t i = 0; rc == 0 && i < m->n_states; i++)
		if (&m->states[i] == derived)
			continue;
		else if (m->states[i].column != COLUMN_NONE && b->pairs && !m->states[i].final)
			rc = count_state_pairs(b, txn, &w, &m->states[i], err);
		else if (m->states[i].column != COLUMN_NONE)
			rc = count_state(b, txn, &w, &m->states[i], err);
	if (rc == 0 && derived != NULL)
		rc = count_derived(b, txn, &w, derived, board_total(b) - before, err);
	if (rc == 0 && m->deadline_field >= 0 && w.n_order > 0)
		rc = store_walk_index(txn, w.bf->form, field_name(w.bf, m->deadline_field),
		    deadline_entry, &w, err);
	for (size_t i = 0; rc == 0 && i < w.n_order; i++) {
		const char *id = idset_str(&b->ids, w.order[i]);
		uint8_t *t = idset_find(&b->ids, id, strlen(id), NULL);

		if (!(*t & TAG_SEEN) && !(*t & TAG_LAZY))
			board_column_push(&b->col[(*t & TAG_COLUMN) - 1], w.order[i], fi, "", 0);
	}
	free(w.order);
	return rc;
}

/* Deadline order, an empty deadline last; entries of equal deadlines keep their order. */
static int
entry_cmp(const struct entry *a, const struct entry *b)
{
	if (*a->deadline == '\0' || *b->deadline == '\0')
		return (*a->deadline == '\0') - (*b->deadline == '\0');
	return strcmp(a->deadline, b->deadline);
}

/* The forms' runs of a column, each in order, merged into one (runs[] are their starts). */
static void
merge_runs(struct bcolumn *col, const size_t *runs, size_t n_runs)
{
	struct entry *out;
	size_t end = col->n;

	for (size_t r = n_runs; r > 1; r--) {
		size_t a = runs[r - 2], mid = runs[r - 1], i = a, j = mid, k = 0;

		if (mid == a || end == mid)	/* one side empty: [a, end) is in order already */
			continue;
		out = xmalloc((end - a) * sizeof *out);
		while (i < mid || j < end)
			out[k++] = j >= end || (i < mid && entry_cmp(&col->e[i], &col->e[j]) <= 0) ?
			    col->e[i++] : col->e[j++];
		memcpy(&col->e[a], out, k * sizeof *out);
		free(out);
	}
}

static int
board_count_all(struct board *b, struct error *err)
{
	struct store_txn *txn;
	size_t runs[N_COLUMNS][MAX_FORMS];
	int rc = 0;

	if (store_txn_begin(b->store, false, &txn, err) != 0)
		return -1;
	b->pairs = true;	/* counted from the pair indexes when every form has them */
	for (size_t f = 0; f < b->n_forms; f++)
		b->pairs = b->pairs && machine_has_pairs(b->forms[f].m);
	for (int c = 0; c < N_COLUMNS; c++) {
		b->col[c].paged = column_paged(b, (enum board_column)c);
		b->col[c].streamed = b->pairs && !b->col[c].paged;
	}
	for (size_t f = 0; rc == 0 && f < b->n_forms; f++)
		rc = filter_form(b, txn, &b->forms[f], err);
	if (rc == 0 && (b->narrow = board_is_narrow(b, txn))) {
		rc = board_count_narrow(b, txn, err);
		store_txn_abort(txn);
		return rc;
	}
	for (uint8_t f = 0; rc == 0 && f < b->n_forms; f++) {
		for (int c = 0; c < N_COLUMNS; c++)
			runs[c][f] = b->col[c].n;
		rc = count_form(b, txn, f, err);
	}
	store_txn_abort(txn);
	for (int c = 0; rc == 0 && c < N_COLUMNS; c++)
		if (!b->col[c].paged && !b->col[c].streamed)
			merge_runs(&b->col[c], runs[c], b->n_forms);
	return rc;
}

/* The forms on the board: a machine with columns, of the type asked for. */
static int
board_forms(struct board *b, struct error *err)
{
	for (size_t i = 0; i < b->cw->n_machines && b->n_forms < MAX_FORMS; i++) {
		const struct machine *m = b->cw->machines[i];

		if (!machine_on_board(m) || (b->filter.type != NULL && b->filter.type != m->form))
			continue;
		b->forms[b->n_forms].form = m->form;
		b->forms[b->n_forms++].m = m;
	}
	if (b->filter.type != NULL && b->n_forms == 0)
		return error_set(err, ST_USAGE, _("%s is not on the task board (its states have no column)"),
		    b->filter.type->name);
	return 0;
}

/* The where must be readable by some form of the board; its reason when none can. */
static int
where_check(struct board *b, struct error *err)
{
	struct store_txn *txn;
	struct error first = ERROR_INIT;
	size_t readable = 0;

	if (b->where == NULL)
		return 0;
	if (store_txn_begin(b->store, false, &txn, err) != 0)
		return -1;
	for (size_t f = 0; f < b->n_forms; f++) {
		struct query *q = NULL;
		struct error perr = ERROR_INIT;

		if (where_parse(b, txn, b->forms[f].form, &q, &perr) == 0)
			readable++;
		else if (first.message == NULL)
			first = perr;
		else
			error_clear(&perr);
		query_free(q);
	}
	store_txn_abort(txn);
	if (readable == 0 && b->n_forms > 0) {
		error_set(err, ST_USAGE, "--where: %s", first.message);
		error_clear(&first);
		return -1;
	}
	error_clear(&first);
	return 0;
}

static void
board_clear_counts(struct board *b)
{
	for (int c = 0; c < N_COLUMNS; c++) {
		struct bcolumn *col = &b->col[c];

		for (size_t i = 0; i < col->n; i++)
			board_card_free(col->cards[i]);
		free(col->e);
		free(col->cards);
		free(col->after);
		memset(col, 0, sizeof *col);
	}
	for (size_t f = 0; f < b->n_forms; f++)
		idset_free(&b->forms[f].allowed);
	idset_free(&b->ids);
	idset_free(&b->lazy_ids);
	free(b->segs);
	b->segs = NULL;
	b->n_segs = 0;
	for (size_t i = 0; i < b->n_streams; i++) {
		free(b->streams[i].second);
		free(b->streams[i].after);
	}
	free(b->streams);
	b->streams = NULL;
	b->n_streams = 0;
}

int
board_recount(struct board *b, struct error *err)
{
	double t0 = now_ms();
	int rc;

	board_clear_counts(b);
	rc = board_count_all(b, err);
	store_release_pages(b->store);
	b->ms = now_ms() - t0;
	return rc;
}

int
board_open(struct store *store, const struct casework *cw, const struct board_filter *f,
    const char *today, struct board **out, struct error *err)
{
	struct board *b = xcalloc(1, sizeof *b);

	b->store = store;
	b->cw = cw;
	if (f != NULL)
		b->filter = *f;
	b->district = b->filter.district != NULL ? xstrdup(b->filter.district) : NULL;
	b->person = b->filter.person != NULL ? xstrdup(b->filter.person) : NULL;
	b->where = b->filter.where != NULL && *b->filter.where != '\0' ?
	    xstrdup(b->filter.where) : NULL;
	snprintf(b->today, sizeof b->today, "%s", today);
	if (board_forms(b, err) != 0 || where_check(b, err) != 0 || board_recount(b, err) != 0) {
		board_free(b);
		return -1;
	}
	*out = b;
	return 0;
}

void
board_free(struct board *b)
{
	if (b == NULL)
		return;
	board_clear_counts(b);
	for (size_t i = 0; i < b->n_people; i++) {
		free(b->people[i].id);
		free(b->people[i].name);
	}
	free(b->people);
	free(b->district);
	free(b->person);
	free(b->where);
	free(b);
}

size_t
board_count(const struct board *b, enum board_column c)
{
	return c >= 0 && c < N_COLUMNS ? b->col[c].count : 0;
}

size_t
board_overdue(const struct board *b, enum board_column c)
{
	return c >= 0 && c < N_COLUMNS ? b->col[c].overdue : 0;
}

double
board_open_ms(const struct board *b)
{
	return b->ms;
}
