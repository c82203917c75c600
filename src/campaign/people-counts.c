/*
 * people-counts.c — what each person answers for (issue 13, item 9): per person, the open
 * records of a casework form whose person field (its states file's "person") names them, and
 * how many of those are overdue (past the deadline, as machine_overdue says). Counted from the
 * indexes alone, so it stays fast at a million records: the state field's pair index by
 * deadline gives the open records and their deadlines, the person field's index gives whose
 * they are; no record is read.
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

/* The person index in value order: one person's records come together. */
static int
person_entry(void *arg, const char *person, size_t plen, const char *id, size_t idlen)
{
	struct open_walk *w = arg;
	struct people_counts *pc = w->pc;
	uint8_t *tag = idset_find(&w->open, id, idlen, NULL);
	struct person_count *last = pc->n > 0 ? &pc->p[pc->n - 1] : NULL;

	if (tag == NULL)
		return 0;
	if (last == NULL || strlen(last->person) != plen || memcmp(last->person, person, plen) != 0) {
		pc->p = xrealloc(pc->p, (pc->n + 1) * sizeof *pc->p);
		last = &pc->p[pc->n++];
		last->person = xstrndup(person, plen);
		last->open = last->overdue = 0;
	}
	last->open++;
	last->overdue += *tag == TAG_OVERDUE;
	return 0;
}

static int
person_order(const void *a, const void *b)
{
	return strcmp(((const struct person_count *)a)->person, ((const struct person_count *)b)->person);
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

int
people_counts_make(struct store_txn *txn, const struct machine *m, const char *today,
    struct people_counts **out, struct error *err)
{
	struct open_walk w = { .today = today };
	int rc;

	*out = xcalloc(1, sizeof **out);
	w.pc = *out;
	if (m->person_field < 0 || !m->form->fields[m->person_field].indexed)
		return error_set(err, ST_FAILED, _("%s: the person field needs an index for the people's counts"),
		    m->path);
	rc = walk_open(txn, m, &w, err);
	if (rc == 0)
		rc = store_walk_index(txn, m->form, m->form->fields[m->person_field].name,
		    person_entry, &w, err);
	idset_free(&w.open);
	if (w.pc->n > 1)
		qsort(w.pc->p, w.pc->n, sizeof *w.pc->p, person_order);	/* as bsearch reads them */
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
