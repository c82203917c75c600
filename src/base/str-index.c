/*
 * str-index.c — where a string stands in an array of strings, in constant time: an open-
 * addressing hash table of positions (FNV-1a), built once over the array and read many times.
 * The console finds the ids an index range gives, which come in value order, among its rows.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base.h"

uint32_t
str_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

void
str_index_build(struct str_index *x, char *const *strs, size_t n)
{
	size_t size = 16;

	str_index_free(x);
	while (size < 2 * n)
		size *= 2;
	x->slots = xcalloc(size, sizeof *x->slots);
	x->mask = size - 1;
	x->strs = strs;
	x->n = n;
	for (size_t i = 0; i < n; i++) {
		size_t at = str_hash(strs[i], strlen(strs[i])) & x->mask;

		while (x->slots[at] != 0)
			at = (at + 1) & x->mask;
		x->slots[at] = (uint32_t)(i + 1);
	}
}

size_t
str_index_find(const struct str_index *x, const char *s, size_t len)
{
	if (x->slots == NULL)
		return x->n;
	for (size_t at = str_hash(s, len) & x->mask; x->slots[at] != 0; at = (at + 1) & x->mask) {
		const char *have = x->strs[x->slots[at] - 1];

		if (strncmp(have, s, len) == 0 && have[len] == '\0')
			return x->slots[at] - 1;
	}
	return x->n;
}

void
str_index_free(struct str_index *x)
{
	free(x->slots);
	memset(x, 0, sizeof *x);
}

/* strs[i] against s (len bytes) in byte order. */
static int
compare_at(char *const *strs, size_t i, const char *s, size_t len)
{
	size_t have = strlen(strs[i]);
	int cmp = memcmp(strs[i], s, have < len ? have : len);

	return cmp != 0 ? cmp : (have > len) - (have < len);
}

/* Strings that come in the array's own (byte) order, found by one pass forward from *at:
 * a gallop (1, 2, 4 … ahead) to a string not before s, then a binary search back within the
 * last step, so k strings among n cost about k log(n/k) comparisons, not n. */
bool
str_seek_sorted(char *const *strs, size_t n, size_t *at, const char *s, size_t len)
{
	size_t lo = *at, step = 1, hi;

	if (lo >= n)
		return false;
	if (compare_at(strs, lo, s, len) >= 0)
		return compare_at(strs, lo, s, len) == 0;
	/* strs[lo] < s: find hi with strs[hi] >= s (or hi = n) */
	for (hi = lo + 1; hi < n && compare_at(strs, hi, s, len) < 0; hi = lo + step) {
		lo = hi;
		step *= 2;
	}
	if (hi > n)
		hi = n;
	while (hi - lo > 1) {	/* strs[lo] < s, strs[hi] >= s or hi == n */
		size_t mid = lo + (hi - lo) / 2;

		if (compare_at(strs, mid, s, len) < 0)
			lo = mid;
		else
			hi = mid;
	}
	*at = hi;
	return hi < n && compare_at(strs, hi, s, len) == 0;
}
