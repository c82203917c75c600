/*
 * test-str-index.c — finding strings among sorted ones: str_seek_sorted (a gallop forward)
 * against a plain linear search on random sorted id lists and random probe sequences, and
 * str_index_find (a hash) for every present and some absent ids.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static int
compare_strs(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* n distinct sorted ids like JG-610113-000123 (some numbers skipped, so probes can miss). */
static char **
make_ids(size_t n, unsigned *seed)
{
	char **ids = xcalloc(n, sizeof *ids);
	unsigned next = 0;

	for (size_t i = 0; i < n; i++) {
		next += 1 + (unsigned)(rand_r(seed) % 3);
		ids[i] = xasprintf("JG-6101%02u-%06u", next % 7, next);
	}
	qsort(ids, n, sizeof *ids, compare_strs);
	return ids;
}

/* What str_seek_sorted must answer: the first position from at not before s. */
static bool
seek_linear(char **ids, size_t n, size_t *at, const char *s)
{
	while (*at < n && strcmp(ids[*at], s) < 0)
		(*at)++;
	return *at < n && strcmp(ids[*at], s) == 0;
}

/* Probes in ascending order: ids of the list and made-up ones, sparse or dense. */
static char **
make_probes(char **ids, size_t n, size_t m, unsigned *seed)
{
	char **probes = xcalloc(m, sizeof *probes);

	for (size_t k = 0; k < m; k++) {
		unsigned v = (unsigned)rand_r(seed) % 9000;

		probes[k] = n > 0 && rand_r(seed) % 2 == 0 ? xstrdup(ids[(size_t)rand_r(seed) % n]) :
		    xasprintf("JG-6101%02u-%06u", v % 7, v);
	}
	qsort(probes, m, sizeof *probes, compare_strs);
	return probes;
}

static void
free_strs(char **strs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(strs[i]);
	free(strs);
}

static void
seek_matches_linear(void **state)
{
	unsigned seed = 20261203;
	size_t found = 0;

	(void)state;
	for (int round = 0; round < 60; round++) {
		size_t n = (size_t)rand_r(&seed) % 3000, m = 1 + (size_t)rand_r(&seed) % (round % 2 ? 20 : 2000);
		size_t at = 0, want_at = 0;
		char **ids = make_ids(n, &seed), **probes = make_probes(ids, n, m, &seed);

		for (size_t k = 0; k < m; k++) {
			bool want = seek_linear(ids, n, &want_at, probes[k]);

			assert_int_equal(str_seek_sorted(ids, n, &at, probes[k], strlen(probes[k])), want);
			assert_int_equal(at, want_at);
			found += want;
		}
		free_strs(ids, n);
		free_strs(probes, m);
	}
	assert_true(found > 1000);	/* the rounds do find ids, not only misses */
}

static void
seek_every_id_and_past_the_end(void **state)
{
	unsigned seed = 7;
	size_t n = 1000, at = 0;
	char **ids = make_ids(n, &seed);

	(void)state;
	for (size_t i = 0; i < n; i += 1 + i % 5) {
		assert_true(str_seek_sorted(ids, n, &at, ids[i], strlen(ids[i])));
		assert_int_equal(at, i);
	}
	assert_false(str_seek_sorted(ids, n, &at, "JG-999999-999999", 16));
	assert_int_equal(at, n);
	assert_false(str_seek_sorted(ids, n, &at, "JG-999999-999999", 16));
	free_strs(ids, n);
}

static void
hash_finds_every_id(void **state)
{
	unsigned seed = 11;
	size_t n = 5000;
	char **ids = make_ids(n, &seed);
	struct str_index x = { 0 };

	(void)state;
	str_index_build(&x, ids, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(str_index_find(&x, ids[i], strlen(ids[i])), i);
	assert_int_equal(str_index_find(&x, "JG-000000-000000", 16), n);
	str_index_free(&x);
	free_strs(ids, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seek_matches_linear),
		cmocka_unit_test(seek_every_id_and_past_the_end),
		cmocka_unit_test(hash_finds_every_id),
	};

	return UNIT_RUN(tests);
}
