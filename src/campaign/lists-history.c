/*
 * lists-history.c — what the published lists held, month by month: for each month published,
 * its publication in force (the newest of the month, so a correction replaces what it
 * corrects) and its black and white lists as read back from git (lists-read.c). Credit tiers
 * weigh an institution's history on them (credit-book.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/lists.h"

#define PUBLICATION_FORM "publication"

static int
by_list_then_id(const void *a, const void *b)
{
	const struct list_member *x = a, *y = b;

	if (x->list != y->list)
		return x->list == LIST_BLACK ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Month i's publication: the newest of that month (publications come oldest first). */
static void
history_add(struct list_history *h, const struct list_publication *p)
{
	for (size_t i = 0; i < h->n; i++)
		if (str_eq(h->months[i], p->month)) {
			free(h->names[i]);
			h->names[i] = xstrdup(p->name);
			return;
		}
	h->months = xrealloc(h->months, (h->n + 2) * sizeof *h->months);
	h->names = xrealloc(h->names, (h->n + 2) * sizeof *h->names);
	h->months[h->n] = xstrdup(p->month);
	h->names[h->n++] = xstrdup(p->name);
	h->months[h->n] = h->names[h->n] = NULL;
}

static int
by_month(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
lists_history_read(struct store *store, struct store_txn *txn, struct list_history *out,
    struct error *err)
{
	struct list_publications ps = { 0 };
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (formset_find(store_forms(store), PUBLICATION_FORM) == NULL)
		return 0;	/* a data directory without publications has no history */
	if (lists_publications(store, txn, &ps, err) != 0)
		return -1;
	for (size_t i = 0; i < ps.n; i++)
		history_add(out, &ps.p[i]);
	lists_publications_free(&ps);
	/* Oldest month first: sort the months, their names along (a month's name begins with it). */
	if (out->n > 1) {
		qsort(out->months, out->n, sizeof *out->months, by_month);
		qsort(out->names, out->n, sizeof *out->names, by_month);
	}
	out->lists = xcalloc(out->n + 1, sizeof *out->lists);
	for (size_t i = 0; rc == 0 && i < out->n; i++) {
		rc = lists_read_published(store, out->names[i], &out->lists[i], err);
		if (rc == 0 && out->lists[i].n > 1)
			qsort(out->lists[i].members, out->lists[i].n, sizeof *out->lists[i].members,
			    by_list_then_id);
	}
	if (rc != 0)
		lists_history_free(out);
	return rc;
}

enum list_kind
lists_history_on(const struct list_history *h, size_t month, const char *id)
{
	static const enum list_kind kinds[] = { LIST_BLACK, LIST_WHITE };
	const struct list_membership *m = &h->lists[month];

	for (size_t k = 0; k < 2; k++) {
		struct list_member key = { .id = (char *)id, .list = kinds[k] };

		if (m->n > 0 && bsearch(&key, m->members, m->n, sizeof *m->members,
		    by_list_then_id) != NULL)
			return kinds[k];
	}
	return LIST_NONE;
}

void
lists_history_free(struct list_history *h)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->lists != NULL)
			list_membership_free(&h->lists[i]);
	free(h->lists);
	strv_free(h->months);
	strv_free(h->names);
	memset(h, 0, sizeof *h);
}
