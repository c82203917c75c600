/*
 * campaign.h — the public face of src/campaign/: the domain rules of the look-back campaign.
 * For now: the demo data set; the ten checks, rectification, lists and evaluation follow.
 */
#ifndef HUITOU_CAMPAIGN_H
#define HUITOU_CAMPAIGN_H

#include <stdio.h>

#include "store/store.h"

#define DEMO_INSTITUTIONS 240

/* Adds n realistic institutions spread over the city's districts, reproducible from seed. */
int demo_generate(struct store *store, const struct form *form, size_t n, unsigned seed,
    struct error *err);
/* Writes n generated institutions as CSV (header of field ids, no id column) to fp. */
int demo_write_csv(struct store *store, const struct form *form, size_t n, unsigned seed,
    FILE *fp, struct error *err);

#endif
