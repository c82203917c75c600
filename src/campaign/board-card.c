/*
 * board-card.c — the task board's cards as a screen shows them: read from the store when
 * first asked for (the record, its institution's name, its person's name, its district),
 * the done column paged newest first from its states' index, and a move applied to the
 * columns in place, so that a move does not count the whole board again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/board-private.h"

void
board_card_free(struct held_card *hc)
{
	if (hc == NULL)
		return;
	record_free(hc->rec);
	free(hc->institution);
	free(hc);
}

static const char *
entry_id(const struct board *b, const struct bcolumn *col, const struct entry *e)
{
	return idset_str(!b->narrow && (col->paged || col->streamed) ? &b->lazy_ids : &b->ids, e->id);
}

void
board_column_unread(struct board *b, struct bcolumn *col)
{
	for (size_t i = 0; i < b->n_streams; i++)
		if (&b->col[b->streams[i].column] == col) {
			struct stream *st = &b->streams[i];

			free(st->second);
			free(st->after);
			st->second = st->after = NULL;
			st->empties = false;
		}
	for (size_t i = 0; i < col->n; i++)
		board_card_free(col->cards[i]);
	col->n = 0;
	col->seg = 0;
	free(col->after);
	col->after = NULL;
	col->exhausted = false;
}

struct page {
	struct board *b;
	struct bcolumn *col;
	const struct bform *bf;
	uint8_t form;
	size_t want;
};

static int
page_id(void *arg, const char *value, size_t vlen, const char *id, size_t len)
{
	struct page *p = arg;
	uint32_t off;

	(void)value;
	(void)vlen;
	free(p->col->after);
	p->col->after = xstrndup(id, len);
	if (!board_allows(p->bf, id, len))
		return 0;
	idset_add(&p->b->lazy_ids, id, len, 1, &off);
	board_column_push(p->col, off, p->form, "", 0);
	return p->col->n >= p->want ? 1 : 0;
}

/* The next segment of column c from s on, or n_segs. */
static size_t
next_segment(const struct board *b, enum board_column c, size_t s)
{
	while (s < b->n_segs && b->segs[s].column != c)
		s++;
	return s;
}

/* Reads a paged column on until it holds want cards or every segment is read. */
static int
page_more(struct board *b, enum board_column c, size_t want, struct error *err)
{
	struct bcolumn *col = &b->col[c];
	struct store_txn *txn;
	int rc = 0;

	if (store_txn_begin(b->store, false, &txn, err) != 0)
		return -1;
	while (rc == 0 && col->n < want && !col->exhausted) {
		struct page p;

		if ((col->seg = next_segment(b, c, col->seg)) >= b->n_segs) {
			col->exhausted = true;
			break;
		}
		p = (struct page){ b, col, &b->forms[b->segs[col->seg].form],
		    b->segs[col->seg].form, want };
		rc = store_each_by_page(txn, p.bf->form, p.bf->form->fields[p.bf->m->field].name,
		    b->segs[col->seg].state, true, col->after, page_id, &p, err);
		if (rc == 0) {	/* the segment is read to its end */
			col->seg++;
			free(col->after);
			col->after = NULL;
		}
		rc = rc < 0 ? -1 : 0;
	}
	store_txn_abort(txn);
	return rc;
}

/* An entry read ahead from a stream, before the streams' entries are merged. */
struct ahead {
	char *second, *id;
	size_t stream, seq;
	bool empty;
};

struct stream_read {
	struct board *b;
	size_t stream;
	struct ahead *a;
	size_t n, cap, want, got;
	bool empties;
};

static int
stream_entry(void *arg, const char *second, size_t slen, const char *id, size_t len)
{
	struct stream_read *r = arg;
	struct stream *st = &r->b->streams[r->stream];

	if (r->empties && slen > 0)
		return 1;	/* past the entries without a deadline */
	if (!board_allows(&r->b->forms[st->form], id, len))
		return 0;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->a = xrealloc(r->a, r->cap * sizeof *r->a);
	}
	r->a[r->n] = (struct ahead){ xstrndup(second, slen), xstrndup(id, len), r->stream, r->n,
		r->empties };
	r->n++;
	return ++r->got >= r->want ? 1 : 0;
}

/* Up to want entries of stream s after its last one: first those with a deadline, in deadline
 * order, then those without. */
static int
stream_read(struct board *b, struct store_txn *txn, size_t s, struct stream_read *r,
    struct error *err)
{
	struct stream *st = &b->streams[s];
	const struct bform *bf = &b->forms[st->form];
	const char *field = bf->form->fields[bf->m->field].name;
	int rc = 0;

	bool dated_read = false;	/* every entry with a deadline is read */

	r->stream = s;
	r->got = 0;
	if (!st->empties) {
		r->empties = false;
		rc = store_walk_pair(txn, bf->form, field, st->state,
		    st->second != NULL ? st->second : "\x01", st->after, stream_entry, r, err);
		if (rc < 0)
			return -1;
		dated_read = rc == 0;
	}
	if ((st->empties || dated_read) && r->got < r->want) {
		r->empties = true;	/* the entries without a deadline, after the others */
		rc = store_walk_pair(txn, bf->form, field, st->state, "",
		    st->empties ? st->after : NULL, stream_entry, r, err);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
ahead_cmp(const void *x, const void *y)
{
	const struct ahead *a = x, *b = y;
	int c;

	if (a->empty != b->empty)
		return a->empty - b->empty;
	if ((c = strcmp(a->second, b->second)) != 0)
		return c;
	if (a->stream != b->stream)
		return a->stream < b->stream ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The next want − n cards of a streamed column: read ahead from each stream, merged by
 * deadline; each stream then stands after the last of its entries taken. */
int
board_stream_more(struct board *b, enum board_column c, size_t want, struct error *err)
{
	struct bcolumn *col = &b->col[c];
	struct stream_read r = { .b = b, .want = want > col->n ? want - col->n : 0 };
	struct store_txn *txn;
	size_t take;
	int rc = 0;

	if (r.want == 0 || col->exhausted || store_txn_begin(b->store, false, &txn, err) != 0)
		return r.want == 0 || col->exhausted ? 0 : -1;
	for (size_t s = 0; rc == 0 && s < b->n_streams; s++)
		if (b->streams[s].column == c)
			rc = stream_read(b, txn, s, &r, err);
	store_txn_abort(txn);
	if (r.n > 1)
		qsort(r.a, r.n, sizeof *r.a, ahead_cmp);
	take = rc == 0 ? (r.n < r.want ? r.n : r.want) : 0;
	for (size_t i = 0; i < take; i++) {
		struct stream *st = &b->streams[r.a[i].stream];
		uint32_t off;

		idset_add(&b->lazy_ids, r.a[i].id, strlen(r.a[i].id), 1, &off);
		board_column_push(col, off, st->form, r.a[i].second, strlen(r.a[i].second));
		st->empties = st->empties || r.a[i].empty;	/* it stands among them now */
		free(st->second);
		free(st->after);
		st->second = xstrdup(r.a[i].second);
		st->after = xstrdup(r.a[i].id);
	}
	if (rc == 0 && r.n == 0)
		col->exhausted = true;
	for (size_t i = 0; i < r.n; i++) {
		free(r.a[i].second);
		free(r.a[i].id);
	}
	free(r.a);
	return rc;
}

/* A person's name, read once for the board. */
static const char *
person_name(struct board *b, struct store_txn *txn, const char *id)
{
	const struct form *users = formset_find(store_forms(b->store), "user");

	if (*id == '\0')
		return "";
	for (size_t i = 0; i < b->n_people; i++)
		if (str_eq(b->people[i].id, id))
			return b->people[i].name;
	b->people = xrealloc(b->people, (b->n_people + 1) * sizeof *b->people);
	b->people[b->n_people].id = xstrdup(id);
	b->people[b->n_people].name = store_record_title(txn, users, id);
	return b->people[b->n_people++].name;
}

/* The name of the record a ref field names (its form's title), else its id. */
static char *
ref_name(struct store_txn *txn, const struct store *store, const struct field *f,
    const char *id)
{
	return store_record_title(txn, formset_find(store_forms(store), f->ref_form), id);
}

static const char *
district_name(const struct board *b, const struct record *rec)
{
	const struct division *d;

	for (size_t i = 0; i < rec->form->n_fields; i++)
		if (rec->form->fields[i].kind == FT_DIVISION &&
		    rec->form->fields[i].level == DIV_DISTRICT) {
			d = store_division_find(b->store, rec->values[i], DIV_DISTRICT, NULL);
			return d != NULL ? d->name : rec->values[i];
		}
	return "";
}

/* The institution the record is about: its first ref to the institution form. */
static char *
institution_name(const struct board *b, struct store_txn *txn, const struct record *rec)
{
	for (size_t i = 0; i < rec->form->n_fields; i++)
		if (rec->form->fields[i].kind == FT_REF &&
		    str_eq(rec->form->fields[i].ref_form, "institution"))
			return ref_name(txn, b->store, &rec->form->fields[i], rec->values[i]);
	return xstrdup("");
}

static void
card_fill(struct board *b, struct store_txn *txn, const struct bform *bf, struct held_card *hc)
{
	const struct machine *m = bf->m;
	const struct record *rec = hc->rec;
	const struct machine_state *s = machine_state(m, rec->values[m->field]);
	struct board_card *c = &hc->c;

	c->id = record_id(rec);
	c->form = bf->form;
	c->machine = m;
	c->state = rec->values[m->field];
	c->state_label = field_option_label(&bf->form->fields[m->field], c->state);
	c->column = s != NULL ? s->column : COLUMN_NONE;
	c->overdue = machine_overdue(m, rec, b->today);
	c->deadline = m->deadline_field >= 0 ? rec->values[m->deadline_field] : "";
	c->person = m->person_field >= 0 ? rec->values[m->person_field] : "";
	c->person_name = person_name(b, txn, c->person);
	hc->institution = institution_name(b, txn, rec);
	c->institution = hc->institution;
	c->district = district_name(b, rec);
	c->version = rec->version;
}

static struct held_card *
card_read(struct board *b, const struct bform *bf, const char *id, struct error *err)
{
	struct store_txn *txn;
	struct held_card *hc;
	struct record *rec;

	if (store_txn_begin(b->store, false, &txn, err) != 0)
		return NULL;
	if (store_get(txn, bf->form, id, &rec, err) != 0) {
		store_txn_abort(txn);
		return NULL;
	}
	hc = xcalloc(1, sizeof *hc);
	hc->rec = rec;
	card_fill(b, txn, bf, hc);
	store_txn_abort(txn);
	return hc;
}

const struct board_card *
board_card(struct board *b, enum board_column c, size_t i, struct error *err)
{
	struct bcolumn *col;

	if (c < 0 || c >= N_COLUMNS || i >= b->col[c].count)
		return NULL;
	col = &b->col[c];
	if (col->paged && i >= col->n &&
	    page_more(b, c, i + 1 > col->n + LAZY_PAGE ? i + 1 : col->n + LAZY_PAGE, err) != 0)
		return NULL;
	if (col->streamed && i >= col->n && board_stream_more(b, c,
	    i + 1 > col->n + LAZY_PAGE ? i + 1 : col->n + LAZY_PAGE, err) != 0)
		return NULL;
	if (i >= col->n)
		return NULL;
	if (col->cards[i] == NULL)
		col->cards[i] = card_read(b, &b->forms[col->e[i].form], entry_id(b, col, &col->e[i]),
		    err);
	return col->cards[i] != NULL ? &col->cards[i]->c : NULL;
}

/* The board's form of a record id; -1 when it shows none of that form. */
static int
form_of_id(const struct board *b, const char *id)
{
	const struct form *form = formset_form_of_id(store_forms(b->store), id);

	for (size_t i = 0; form != NULL && i < b->n_forms; i++)
		if (b->forms[i].form == form)
			return (int)i;
	return -1;
}

/* Takes the card of a listed column out, with what it counted. */
static void
column_remove(struct board *b, struct bcolumn *col, const char *id)
{
	for (size_t i = 0; i < col->n; i++) {
		const struct entry *e = &col->e[i];

		if (!str_eq(entry_id(b, col, e), id))
			continue;
		if (*e->deadline != '\0' && strcmp(e->deadline, b->today) < 0)
			col->overdue--;
		board_card_free(col->cards[i]);
		memmove(&col->e[i], &col->e[i + 1], (col->n - i - 1) * sizeof *col->e);
		memmove(&col->cards[i], &col->cards[i + 1], (col->n - i - 1) * sizeof *col->cards);
		col->n--;
		col->count--;
		return;
	}
}

/* Puts the record into its place in its new column, by deadline. */
static void
column_insert(struct board *b, struct bcolumn *col, uint8_t form, const char *id,
    const char *deadline)
{
	struct entry key;
	size_t lo = 0, hi = col->n;
	uint32_t off;

	idset_add(&b->ids, id, strlen(id), (uint8_t)((col - b->col) + 1), &off);
	board_column_push(col, off, form, deadline, strlen(deadline));
	key = col->e[--col->n];
	while (lo < hi) {	/* after every entry that sorts before or with it */
		size_t mid = (lo + hi) / 2;

		if (*col->e[mid].deadline != '\0' && (*key.deadline == '\0' ||
		    strcmp(col->e[mid].deadline, key.deadline) <= 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&col->e[lo + 1], &col->e[lo], (col->n - lo) * sizeof *col->e);
	memmove(&col->cards[lo + 1], &col->cards[lo], (col->n - lo) * sizeof *col->cards);
	col->e[lo] = key;
	col->cards[lo] = NULL;
	col->n++;
	col->count++;
}

/* Where the record was: its old state's column, less one (and one overdue less). */
static void
leave_column(struct board *b, const struct bform *bf, const char *id, const char *from,
    const char *deadline)
{
	const struct machine_state *s = machine_state(bf->m, from);
	struct bcolumn *col;
	uint8_t *t;

	if (s == NULL || s->column == COLUMN_NONE)
		return;
	col = &b->col[s->column];
	if (!col->paged && !col->streamed) {
		column_remove(b, col, id);
	} else {
		col->count--;
		if (!s->final && *deadline != '\0' && strcmp(deadline, b->today) < 0)
			col->overdue--;
		board_column_unread(b, col);
	}
	if ((t = idset_find(&b->ids, id, strlen(id), NULL)) != NULL)
		*t = 0;
}

int
board_apply_move(struct board *b, const struct move_result *r, struct error *err)
{
	int fi = form_of_id(b, r->id);
	const struct bform *bf;
	const struct machine_state *s;
	struct held_card *hc;

	if (fi < 0 || b->narrow || b->where != NULL || r->n_created > 0 || r->n_changed > 0)
		return board_recount(b, err);	/* effects, a where, a narrow board: count again */
	bf = &b->forms[fi];
	if ((hc = card_read(b, bf, r->id, err)) == NULL)
		return -1;
	leave_column(b, bf, r->id, r->from, hc->c.deadline);
	s = machine_state(bf->m, hc->c.state);
	if (s != NULL && s->column != COLUMN_NONE) {
		struct bcolumn *col = &b->col[s->column];

		if (!col->paged && !col->streamed) {
			column_insert(b, col, (uint8_t)fi, r->id, hc->c.deadline);
		} else {
			col->count++;
			board_column_unread(b, col);
		}
		if (hc->c.overdue)
			col->overdue++;
	}
	board_card_free(hc);
	return 0;
}
