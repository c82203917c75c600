/*
 * board-ids.c — a set of record ids with a small tag each (open addressing over one arena of
 * NUL-terminated ids), for the task board: which cards a filter lets through and which column
 * a card is in, at 300,000 ids with one allocation per doubling.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/board.h"

static uint32_t
id_hash(const char *id, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)id[i]) * 16777619u;
	return h;
}

void
idset_free(struct idset *s)
{
	buf_free(&s->arena);
	free(s->slots);
	free(s->tags);
	memset(s, 0, sizeof *s);
}

const char *
idset_str(const struct idset *s, uint32_t off)
{
	return s->arena.data + off;
}

/* The slot of id, or of the empty slot where it would go. */
static size_t
idset_slot(const struct idset *s, const char *id, size_t len)
{
	size_t mask = s->cap - 1, i = id_hash(id, len) & mask;

	while (s->slots[i] != 0) {
		const char *have = s->arena.data + s->slots[i] - 1;

		if (strncmp(have, id, len) == 0 && have[len] == '\0')
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static void
idset_grow(struct idset *s)
{
	struct idset bigger = { .arena = s->arena, .n = s->n };

	bigger.cap = s->cap ? s->cap * 2 : 1024;
	bigger.slots = xcalloc(bigger.cap, sizeof *bigger.slots);
	bigger.tags = xcalloc(bigger.cap, 1);
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i] != 0) {
			const char *id = s->arena.data + s->slots[i] - 1;
			size_t j = idset_slot(&bigger, id, strlen(id));

			bigger.slots[j] = s->slots[i];
			bigger.tags[j] = s->tags[i];
		}
	free(s->slots);
	free(s->tags);
	*s = bigger;
}

int
idset_add(struct idset *s, const char *id, size_t len, uint8_t tag, uint32_t *off)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap)
		idset_grow(s);
	i = idset_slot(s, id, len);
	if (s->slots[i] == 0) {
		s->slots[i] = (uint32_t)s->arena.len + 1;
		buf_add(&s->arena, id, len);
		buf_addc(&s->arena, '\0');
		s->n++;
	}
	s->tags[i] = tag;
	if (off != NULL)
		*off = s->slots[i] - 1;
	return 0;
}

uint8_t *
idset_find(const struct idset *s, const char *id, size_t len, uint32_t *off)
{
	size_t i;

	if (s->cap == 0)
		return NULL;
	i = idset_slot(s, id, len);
	if (s->slots[i] == 0)
		return NULL;
	if (off != NULL)
		*off = s->slots[i] - 1;
	return &s->tags[i];
}
