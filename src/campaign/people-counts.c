/*
 * people-counts.c — what each person answers for (issue 13, item 9): per person, the open
 * records of a casework form whose person field (its states file's "person") names them, and
 * how many of those are overdue (past the deadline, as machine_overdue says). No record is
 * read. When the form's tally ("tally" in its form file, store-tally.c) has the person, state
 * and deadline fields, the counts are sums of its combinations: a few thousand counts, whatever
 * the records. Otherwise (a data directory whose copied form has no such tally) they come from
 * the indexes: the state field's pair index by deadline gives the open records and their
 * deadlines, the person field's index gives whose they are.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/board.h"
#include "campaign/people.h"

#define TAG_OPEN 1
#define TAG_OVERDUE 2

struct person_count {
	char *person;
	size_t open, overdue;
};

struct people_counts {
	struct person_count *p;		/* in id order */
	size_t n;
};

struct open_walk {
	struct idset open;		/* the open records, tagged TAG_OPEN or TAG_OVERDUE */
	const char *today;
	struct people_counts *pc;
};

static int
open_entry(void *arg, const char *deadline, size_t dlen, const char *id, size_t idlen)
{
	struct open_walk *w = arg;
	bool overdue = dlen == 10 && memcmp(w->today, deadline, 10) > 0;
	uint32_t off;

	idset_add(&w->open, id, idlen, overdue ? TAG_OVERDUE : TAG_OPEN, &off);
	return 0;
}

/* A person's counts, appended (people_order merges repeats). */
static void
person_add(struct people_counts *pc, const char *person, size_t plen, size_t open,
    size_t overdue)
{
	struct person_count *last = pc->n > 0 ? &pc->p[pc->n - 1] : NULL;

	if (last == NULL || strlen(last->person) != plen || memcmp(last->person, person, plen) != 0) {
		pc->p = xrealloc(pc->p, (pc->n + 1) * sizeof *pc->p);
		last = &pc->p[pc->n++];
		last->person = xstrndup(person, plen);
		last->open = last->overdue = 0;
	}
	last->open += open;
	last->overdue += overdue;
}

/* The index walk's person entries: a person's records come together (value order). */
static int
person_entry(void *arg, const char *person, size_t plen, const char *id, size_t idlen)
{
	struct open_walk *w = arg;
	uint8_t *tag = idset_find(&w->open, id, idlen, NULL);

	if (tag != NULL)
		person_add(w->pc, person, plen, 1, *tag == TAG_OVERDUE);
	return 0;
}

static int
person_order(const void *a, const void *b)
{
	return strcmp(((const struct person_count *)a)->person, ((const struct person_count *)b)->person);
}

/* Sorted by person, as bsearch reads them, each person once. */
static void
people_order(struct people_counts *pc)
{
	size_t n = 0;

	if (pc->n > 1)
		qsort(pc->p, pc->n, sizeof *pc->p, person_order);
	for (size_t i = 0; i < pc->n; i++)
		if (n > 0 && str_eq(pc->p[n - 1].person, pc->p[i].person)) {
			pc->p[n - 1].open += pc->p[i].open;
			pc->p[n - 1].overdue += pc->p[i].overdue;
			free(pc->p[i].person);
		} else
			pc->p[n++] = pc->p[i];
	pc->n = n;
}

/* Every open state's records, from the state's pair index (NULL when it has none). */
static int
walk_open(struct store_txn *txn, const struct machine *m, struct open_walk *w, struct error *err)
{
	const struct field *state = &m->form->fields[m->field];
	int rc = 0;

	if (state->index_by == NULL || m->deadline_field < 0 ||
	    !str_eq(state->index_by, m->form->fields[m->deadline_field].name))
		return error_set(err, ST_FAILED, _("%s: the state field %s needs 'index-by %s' for the people's counts"),
		    m->form->path, state->name, m->deadline_field >= 0 ?
		    m->form->fields[m->deadline_field].name : "DEADLINE");
	size_t total = 0, n, late;

	for (size_t i = 0; i < m->n_states && rc == 0; i++)	/* the set sized once, not grown */
		if (!m->states[i].final &&
		    (rc = store_count_pair(txn, m->form, state->name, m->states[i].value, "", &n,
		    &late, err)) == 0)
			total += n;
	if (rc == 0)
		idset_reserve(&w->open, total);
	for (size_t i = 0; i < m->n_states && rc == 0; i++)
		if (!m->states[i].final)
			rc = store_walk_pair(txn, m->form, state->name, m->states[i].value, NULL, NULL,
			    open_entry, w, err);
	return rc;
}

/* From the indexes: the open records into a set, then the person index through it. */
static int
count_from_indexes(struct store_txn *txn, const struct machine *m, const char *today,
    struct people_counts *pc, struct error *err)
{
	struct open_walk w = { .today = today, .pc = pc };
	int rc;

	if (m->person_field < 0 || !m->form->fields[m->person_field].indexed)
		return error_set(err, ST_FAILED, _("%s: the person field needs an index for the people's counts"),
		    m->path);
	rc = walk_open(txn, m, &w, err);
	if (rc == 0)
		rc = store_walk_index(txn, m->form, m->form->fields[m->person_field].name,
		    person_entry, &w, err);
	idset_free(&w.open);
	return rc;
}

struct tally_sum {
	const struct machine *m;
	const char *today;
	size_t person, state, deadline;	/* the fields' places in the form's tally */
	struct people_counts *pc;
};

/* The place of field i in the form's tally; false when the tally lacks it. */
static bool
tally_place(const struct form *form, int i, size_t *at)
{
	int j = i >= 0 ? form_tally_index(form, form->fields[i].name) : -1;

	*at = j >= 0 ? (size_t)j : 0;
	return j >= 0;
}

/* One combination of the tally: count records holding it, open when its state is a known
 * non-final one (as the open states' pair indexes hold them), overdue as machine_overdue
 * says (a deadline, and today after it). */
static int
tally_entry(void *arg, const char *const *values, const size_t *counts)
{
	size_t count = counts[0];

	struct tally_sum *t = arg;
	const struct machine_state *s = machine_state(t->m, values[t->state]);
	const char *person = values[t->person], *deadline = values[t->deadline];

	if (*person != '\0' && s != NULL && !s->final)
		person_add(t->pc, person, strlen(person), count,
		    *deadline != '\0' && strcmp(t->today, deadline) > 0 ? count : 0);
	return 0;
}

int
people_counts_make(struct store_txn *txn, const struct machine *m, const char *today,
    struct people_counts **out, struct error *err)
{
	struct tally_sum t = { .m = m, .today = today };
	int rc;

	*out = xcalloc(1, sizeof **out);
	t.pc = *out;
	if (tally_place(m->form, m->person_field, &t.person) &&
	    tally_place(m->form, m->field, &t.state) &&
	    tally_place(m->form, m->deadline_field, &t.deadline))
		rc = store_walk_tally(txn, m->form, tally_entry, &t, err);
	else
		rc = count_from_indexes(txn, m, today, *out, err);
	people_order(*out);
	return rc;
}

static int
by_person(const void *key, const void *elem)
{
	return strcmp(key, ((const struct person_count *)elem)->person);
}

void
people_counts_of(const struct people_counts *pc, const char *person, size_t *open,
    size_t *overdue)
{
	const struct person_count *p = pc == NULL || pc->n == 0 ? NULL :
	    bsearch(person, pc->p, pc->n, sizeof *pc->p, by_person);

	*open = p != NULL ? p->open : 0;
	*overdue = p != NULL ? p->overdue : 0;
}

void
people_counts_free(struct people_counts *pc)
{
	for (size_t i = 0; pc != NULL && i < pc->n; i++)
		free(pc->p[i].person);
	if (pc != NULL)
		free(pc->p);
	free(pc);
}

char *
people_counts_limit(const struct machine *m, const char *person, bool overdue)
{
	struct buf q = BUF_INIT;
	const char *state = m->form->fields[m->field].name;
	size_t n = 0;

	buf_printf(&q, "%s=%s (", m->form->fields[m->person_field].name, person);
	for (size_t i = 0; i < m->n_states; i++)
		if (!m->states[i].final)
			buf_printf(&q, "%s%s=%s", n++ > 0 ? " or " : "", state, m->states[i].value);
	buf_addc(&q, ')');
	if (overdue)
		buf_printf(&q, " %s<today", m->form->fields[m->deadline_field].name);
	return buf_detach(&q);
}
