/*
 * delta.h — git delta encoding of one record text against another (delta.c).
 */
#ifndef HUITOU_DELTA_H
#define HUITOU_DELTA_H

#include "base/base.h"

#define DELTA_MAX_LINES 256	/* texts with more lines are stored whole */

/* Writes the delta that turns base into target; -1 if it cannot (then store it whole). */
int delta_encode(const char *base, size_t base_len, const char *target, size_t target_len,
    struct buf *out);

#endif
