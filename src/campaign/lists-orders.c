/*
 * lists-orders.c — the orders' facts (an open, a serious open, an overdue open order of each
 * institution) from the rectification form's indexes with only the open orders joined: the
 * state's pair index (state index-by deadline) gives each open order and its deadline, the
 * check index the serious ones among them, and one walk of the institution index each open
 * order's institution. Closed orders are never looked at beyond that walk. A form without
 * those indexes is left to the caller (lists-compute.c reads the orders whole then).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/lists.h"
#include "campaign/lists-orders.h"

#define ORDER_OVERDUE 1
#define ORDER_SERIOUS 2

/* An open order in 32 bytes, one cache line's worth of a look-up: the id's hash, length and
 * bytes (a longer id kept in the pool, its address in their place), and its flags. */
#define ID_INLINE 24
struct open_order {
	uint32_t hash;
	uint16_t len;
	unsigned char used, flags;
	char id[ID_INLINE];
};
_Static_assert(ID_INLINE >= sizeof(char *), "a long id's address fits in place of its bytes");

/* The open orders by id: open addressing, at most half full; long ids in blocks. */
struct open_orders {
	struct open_order *slots;	/* cap a power of 2 */
	size_t n, cap;
	struct text_blocks ids;	/* the long ids */
};

#define ID_BLOCK ((size_t)64 << 10)

static uint32_t
hash_n(const char *id, size_t len)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a, then mixed into the low bits */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)id[i]) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

/* The bytes of the slot's id. */
static const char *
slot_id(const struct open_order *s)
{
	const char *p;

	if (s->len <= ID_INLINE)
		return s->id;
	memcpy(&p, s->id, sizeof p);
	return p;
}

/* The slot of id: where it is, or the empty one where it would go. */
static size_t
order_slot(const struct open_orders *o, const char *id, size_t len, uint32_t hash)
{
	size_t at = hash & (o->cap - 1);
	const struct open_order *s;

	while ((s = &o->slots[at])->used && !(s->hash == hash && s->len == len &&
	    memcmp(slot_id(s), id, len) == 0))
		at = (at + 1) & (o->cap - 1);
	return at;
}

static void
order_add(struct open_orders *o, const char *id, size_t len, unsigned char flags)
{
	uint32_t hash = hash_n(id, len);
	size_t at;

	if (2 * (o->n + 1) > o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 1024;
		struct open_order *slots = xcalloc(cap, sizeof *slots);

		for (size_t i = 0; i < o->cap; i++)
			if (o->slots[i].used) {
				size_t to = o->slots[i].hash & (cap - 1);

				while (slots[to].used)
					to = (to + 1) & (cap - 1);
				slots[to] = o->slots[i];
			}
		free(o->slots);
		o->slots = slots;
		o->cap = cap;
	}
	at = order_slot(o, id, len, hash);
	if (!o->slots[at].used) {
		struct open_order *s = &o->slots[at];

		if (len <= ID_INLINE)
			memcpy(s->id, id, len);
		else {
			const char *kept = text_blocks_add(&o->ids, id, len);

			memcpy(s->id, &kept, sizeof kept);
		}
		s->used = 1;
		s->len = (uint16_t)len;
		s->hash = hash;
		o->n++;
	}
	o->slots[at].flags |= flags;
}

/* Room for n open orders at most half full, made once (the slots are not moved again). */
static void
orders_reserve(struct open_orders *o, size_t n)
{
	size_t cap = 1024;

	while (cap < 2 * n)
		cap *= 2;
	if (cap > o->cap && o->n == 0) {
		free(o->slots);
		o->slots = xcalloc(cap, sizeof *o->slots);
		o->cap = cap;
	}
}

/* The flags of an open order, NULL for any other. */
static unsigned char *
order_find(const struct open_orders *o, const char *id, size_t len)
{
	size_t at;

	if (o->n == 0)
		return NULL;
	at = order_slot(o, id, len, hash_n(id, len));
	return o->slots[at].used ? &o->slots[at].flags : NULL;
}

static void
orders_free(struct open_orders *o)
{
	text_blocks_free(&o->ids);
	free(o->slots);
}

struct walk {
	struct open_orders open;
	const char *today;
	size_t today_len;
	void (*add)(void *arg, enum list_fact fact, const char *inst);
	void *arg;
	struct buf inst;	/* the institution of the entry walked, NUL-terminated */
};

/* A pair entry of an open state: the deadline and the order's id. */
static int
open_seen(void *arg, const char *deadline, size_t dlen, const char *id, size_t idlen)
{
	struct walk *w = arg;
	size_t n = dlen < w->today_len ? dlen : w->today_len;
	int c = memcmp(deadline, w->today, n);
	bool overdue = dlen > 0 && (c < 0 || (c == 0 && dlen < w->today_len));

	order_add(&w->open, id, idlen, overdue ? ORDER_OVERDUE : 0);
	return 0;
}

/* An order of a serious check: marked when it is open. */
static int
serious_seen(void *arg, const char *check, size_t clen, const char *id, size_t idlen)
{
	struct walk *w = arg;
	unsigned char *f = order_find(&w->open, id, idlen);

	(void)check, (void)clen;
	if (f != NULL)
		*f |= ORDER_SERIOUS;
	return 0;
}

/* An entry of the institution index: the facts its order gives, when it is open. */
static int
institution_seen(void *arg, const char *inst, size_t ilen, const char *id, size_t idlen)
{
	struct walk *w = arg;
	const unsigned char *f = order_find(&w->open, id, idlen);

	if (f == NULL || ilen == 0)
		return 0;
	buf_reset(&w->inst);
	buf_add(&w->inst, inst, ilen);
	w->add(w->arg, FACT_OPEN_ORDER, buf_str(&w->inst));
	if (*f & ORDER_SERIOUS)
		w->add(w->arg, FACT_SERIOUS_ORDER, buf_str(&w->inst));
	if (*f & ORDER_OVERDUE)
		w->add(w->arg, FACT_OVERDUE_ORDER, buf_str(&w->inst));
	return 0;
}

/* Whether field name of form has an index of values (and, by non-NULL, that index-by). */
static const struct field *
indexed(const struct form *form, const char *name, const char *by)
{
	int i = form_field_index(form, name);
	const struct field *f = i >= 0 ? &form->fields[i] : NULL;

	if (f == NULL || !f->indexed || f->unique)
		return NULL;
	if (by != NULL && (f->index_by == NULL || !str_eq(f->index_by, by)))
		return NULL;
	return f;
}

struct open_count {
	const struct list_rules *rules;
	size_t state;		/* the state's place among the tally's fields */
	size_t n;
};

static int
open_counted(void *arg, const char *const *values, const size_t *counts)
{
	struct open_count *oc = arg;

	if (!list_rules_closed(oc->rules, values[oc->state]))
		oc->n += counts[0];
	return 0;
}

/* How many orders are open, from the form's tally when it keeps the state (a few thousand
 * combinations, no index walked), else 0: the open orders' hash is sized once from it. */
static int
open_orders_count(struct store_txn *txn, const struct form *form, const struct list_rules *r,
    size_t *n, struct error *err)
{
	struct open_count oc = { r, 0, 0 };
	int state = form_tally_index(form, "state"), rc;

	*n = 0;
	if (state < 0)
		return 0;
	oc.state = (size_t)state;
	if ((rc = store_walk_tally(txn, form, open_counted, &oc, err)) == 0)
		*n = oc.n;
	return rc;
}

bool
lists_orders_indexed(const struct form *form)
{
	const struct field *state = indexed(form, "state", "deadline");
	const struct field *check = indexed(form, "check", NULL);

	return state != NULL && state->kind == FT_ENUM && check != NULL &&
	    check->kind == FT_ENUM && indexed(form, "institution", NULL) != NULL;
}

int
lists_order_facts(struct store_txn *txn, const struct form *form, const struct list_rules *r,
    const char *today, void (*add)(void *arg, enum list_fact fact, const char *inst),
    void *arg, struct error *err)
{
	const struct field *state = indexed(form, "state", "deadline");
	const struct field *check = indexed(form, "check", NULL);
	struct walk w = { .today = today, .today_len = strlen(today), .add = add, .arg = arg,
	    .open = { .ids = TEXT_BLOCKS_INIT(ID_BLOCK) } };
	size_t n_open;
	int rc = open_orders_count(txn, form, r, &n_open, err);

	orders_reserve(&w.open, n_open);
	for (size_t i = 0; i < state->n_options && rc == 0; i++)
		if (!list_rules_closed(r, state->options[i].value))
			rc = store_walk_pair(txn, form, "state", state->options[i].value, NULL, NULL,
			    open_seen, &w, err);
	for (size_t i = 0; i < check->n_options && rc == 0 && w.open.n > 0; i++)
		if (list_rules_serious(r, check->options[i].value))
			rc = store_each_by_page(txn, form, "check", check->options[i].value, false,
			    NULL, serious_seen, &w, err);
	if (rc == 0 && w.open.n > 0)
		rc = store_walk_index(txn, form, "institution", institution_seen, &w, err);
	orders_free(&w.open);
	buf_free(&w.inst);
	return rc;
}
