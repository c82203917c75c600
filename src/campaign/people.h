/*
 * people.h — what each person answers for (people-counts.c): per person, the open records of
 * a casework form that name them as its person, and the overdue among them, counted from the
 * form's tally or its indexes; and the limit expression that lists exactly those records.
 */
#ifndef HUITOU_PEOPLE_H
#define HUITOU_PEOPLE_H

#include "campaign/casework.h"

struct people_counts;
/* Counts m's open records per person on day today ("YYYY-MM-DD"); *out is the caller's
 * (people_counts_free), also on failure. From the form's tally when it has m's person, state
 * and deadline fields; otherwise m's state field needs "index-by" its deadline and its person
 * field an index (err says so otherwise). */
int people_counts_make(struct store_txn *txn, const struct machine *m, const char *today,
    struct people_counts **out, struct error *err);
void people_counts_of(const struct people_counts *pc, const char *person, size_t *open,
    size_t *overdue);
void people_counts_free(struct people_counts *pc);
/* "responsible=RY-00012 (state=open or …)", with " deadline<today" for the overdue; caller
 * frees. */
char *people_counts_limit(const struct machine *m, const char *person, bool overdue);

#endif
