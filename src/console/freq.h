/*
 * freq.h — what the frequency view (view-freq.c) and its counting (freq-count.c) share: the
 * counts of a table's current rows by one field or a pair, kept in a small hash so a column
 * of 100,000 distinct names counts as quickly as a status of six.
 */
#ifndef HUITOU_FREQ_H
#define HUITOU_FREQ_H

#include "console/table.h"

struct freq_line {
	char *v1, *v2;		/* stored values ("" for empty); v2 NULL for one field */
	size_t count;
};

struct freq_count {
	const struct form *form;
	int f1, f2;		/* field indexes; f2 -1 for one field */
	struct freq_line *lines;
	size_t n_lines, cap;
	size_t *slots;		/* open addressing: a line's index + 1, 0 for none */
	size_t n_slots;
	size_t total;		/* rows counted */
};

void freq_count_init(struct freq_count *c, const struct form *form, int f1, int f2);
void freq_count_free(struct freq_count *c);
void freq_count_add(struct freq_count *c, const char *v1, const char *v2);
/* Whether a field's values can be counted from its index (indexed, not unique). */
bool freq_field_indexed(const struct form *form, int f);
/* Counts every current row of t from the indexes of c's fields, which must all be indexed;
 * no record is read. Reads all of t's ids first. */
int freq_count_indexes(struct app *app, struct table *t, struct freq_count *c,
    struct error *err);
/* Counts the records ids[*next …] from the store until n are done or `until` (clock_us)
 * has passed; *next moves on. */
int freq_count_records(struct store_txn *txn, struct freq_count *c, char *const *ids,
    size_t n, size_t *next, uint64_t until, struct error *err);
/* By count, the largest first; or by value (an enum in its options' order), empty last. */
void freq_sort(struct freq_count *c, bool by_value);

/* view-freq.c: F in a table asks for a field (or a pair; ":frequency F1 F2" names them) and
 * opens the counts of the table's current rows. */
void freq_open(struct app *app, struct table *t);

#endif
