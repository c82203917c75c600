/*
 * demo-private.h — what the demo's files share (demo-write.c): a record inserted from field and
 * value pairs, a district's coordinator, a random index.
 */
#ifndef HUITOU_DEMO_PRIVATE_H
#define HUITOU_DEMO_PRIVATE_H

#include <stdint.h>

#include "campaign/campaign.h"


/* The id of the district's coordinator the demo made (login eduCODE), or NULL if none. */
char *demo_district_person(struct store *store, struct store_txn *txn, const char *district);

/* Commits txn as one demo commit (Action record.demo) with subject, which it frees. */
int demo_commit(struct store_txn *txn, char *subject, struct error *err);

/* A number below n from the generator's state. */
size_t demo_below(uint64_t *state, size_t n);

#endif
