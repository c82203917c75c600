/*
 * lists-orders.h — the orders' facts of the lists from the rectification form's indexes,
 * only the open orders joined to their institutions (lists-orders.c).
 */
#ifndef HUITOU_LISTS_ORDERS_H
#define HUITOU_LISTS_ORDERS_H

#include "campaign/lists.h"

/* Whether form has the indexes lists_order_facts reads: state (an enum, index-by deadline),
 * check (an enum) and institution indexed. */
bool lists_orders_indexed(const struct form *form);
/* add(arg, fact, inst) for each open, serious open and overdue open (deadline before today,
 * "YYYY-MM-DD") order's institution, an institution perhaps more than once. */
int lists_order_facts(struct store_txn *txn, const struct form *form, const struct list_rules *r,
    const char *today, void (*add)(void *arg, enum list_fact fact, const char *inst),
    void *arg, struct error *err);

#endif
