/*
 * board-ids.c — a set of record ids with a small tag each, for the task board: which cards a
 * filter lets through and which column a card is in, at 300,000 ids. Open addressing over
 * slots of 32 bytes that hold a short id whole, so that a lookup costs one cache line, not a
 * line of the table and another of the text; every id is also kept in one arena, by offset.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/board.h"

struct idslot {
	uint32_t hash;
	uint32_t off;		/* offset + 1 in the arena; 0: an empty slot */
	uint8_t tag;
	uint8_t len;		/* the id's length when it fits in key, else 0 */
	char key[IDSET_KEY];
};

static uint32_t
id_hash(const char *id, size_t len)
{
	uint32_t h = str_hash(id, len);	/* FNV-1a … */

	h ^= h >> 16;	/* … its low bits, which pick the slot, mixed with its high ones */
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

void
idset_free(struct idset *s)
{
	buf_free(&s->arena);
	free(s->slots);
	memset(s, 0, sizeof *s);
}

const char *
idset_str(const struct idset *s, uint32_t off)
{
	return s->arena.data + off;
}

static bool
slot_holds(const struct idset *s, const struct idslot *sl, const char *id, size_t len,
    uint32_t h)
{
	const char *have;

	if (sl->hash != h)
		return false;
	if (sl->len != 0)
		return sl->len == len && memcmp(sl->key, id, len) == 0;
	have = s->arena.data + sl->off - 1;
	return memcmp(have, id, len) == 0 && have[len] == '\0';
}

/* The slot of id (whose hash is h), or the empty slot where it would go. */
static struct idslot *
idset_slot(const struct idset *s, const char *id, size_t len, uint32_t h)
{
	size_t mask = s->cap - 1, i = h & mask;

	while (s->slots[i].off != 0 && !slot_holds(s, &s->slots[i], id, len, h))
		i = (i + 1) & mask;
	return &s->slots[i];
}

static void
idset_resize(struct idset *s, size_t cap)
{
	struct idslot *old = s->slots;
	size_t old_cap = s->cap;

	s->cap = cap;
	s->slots = xcalloc_big(cap, sizeof *s->slots);	/* huge pages: fewer TLB misses */
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].off != 0) {
			size_t j = old[i].hash & (cap - 1);

			while (s->slots[j].off != 0)	/* the ids differ: only an empty slot will do */
				j = (j + 1) & (cap - 1);
			s->slots[j] = old[i];
		}
	free(old);
}

void
idset_reserve(struct idset *s, size_t n)
{
	size_t cap = s->cap ? s->cap : 1024;

	while (n * 2 > cap)
		cap *= 2;
	if (cap > s->cap)
		idset_resize(s, cap);
}

int
idset_add(struct idset *s, const char *id, size_t len, uint8_t tag, uint32_t *off)
{
	uint32_t h = id_hash(id, len);
	struct idslot *sl;

	idset_reserve(s, s->n + 1);
	sl = idset_slot(s, id, len, h);
	if (sl->off == 0) {
		sl->hash = h;
		sl->off = (uint32_t)s->arena.len + 1;
		sl->len = len <= IDSET_KEY ? (uint8_t)len : 0;
		if (sl->len != 0)
			memcpy(sl->key, id, len);
		buf_add(&s->arena, id, len);
		buf_addc(&s->arena, '\0');
		s->n++;
	}
	sl->tag = tag;
	if (off != NULL)
		*off = sl->off - 1;
	return 0;
}

uint8_t *
idset_find(const struct idset *s, const char *id, size_t len, uint32_t *off)
{
	struct idslot *sl;

	if (s->cap == 0)
		return NULL;
	sl = idset_slot(s, id, len, id_hash(id, len));
	if (sl->off == 0)
		return NULL;
	if (off != NULL)
		*off = sl->off - 1;
	return &sl->tag;
}

void
idset_each(struct idset *s, void (*fn)(void *arg, const char *id, uint8_t *tag), void *arg)
{
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].off != 0)
			fn(arg, s->arena.data + s->slots[i].off - 1, &s->slots[i].tag);
}

/* Each id's tag, for a pass over the whole set. */
void
idset_each_tag(struct idset *s, void (*fn)(void *arg, uint8_t *tag), void *arg)
{
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].off != 0)
			fn(arg, &s->slots[i].tag);
}
