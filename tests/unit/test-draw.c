/*
 * test-draw.c — the spot-check draw's procedure (src/campaign/draw-sample.c, doc/draw.md):
 * the seed's encoding and a fixed sample from it (the same figures contrib/verify-draw, an
 * independent Python implementation, gives), rejection sampling that discards candidates and
 * stays below n, every index reachable and none favoured, shuffles without duplicates, and the
 * sample and teams files with teams assigned round-robin.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"
#include "unit.h"

static void
seed_of(uint8_t seed[DRAW_SEED_BYTES])
{
	draw_seed("CJ-000001", "b68f5ff187423204de625f07cdd4092a2704b004", "3 8 1", seed);
}

static void
test_seed_encoding(void **state)
{
	uint8_t seed[DRAW_SEED_BYTES];
	char hex[2 * DRAW_SEED_BYTES + 1];

	(void)state;
	seed_of(seed);
	draw_seed_hex(seed, hex);
	/* printf 'huitou-draw-v1\ndraw CJ-000001\ncommit b68f…\nvalue 3 8 1\n' | sha256sum */
	assert_string_equal(hex, "b18b476cac515d2cbc39f7861a9ef9ecf0f38cafa11c2e06a41a2a33a7229f59");
	draw_seed("CJ-000001", "b68f5ff187423204de625f07cdd4092a2704b004", "3 8 2", seed);
	draw_seed_hex(seed, hex);
	assert_string_not_equal(hex, "b18b476cac515d2cbc39f7861a9ef9ecf0f38cafa11c2e06a41a2a33a7229f59");
}

static void
test_fixed_seed_fixed_sample(void **state)
{
	uint8_t seed[DRAW_SEED_BYTES], team_seed[DRAW_SEED_BYTES];
	size_t got[10];
	static const size_t want14[] = { 1, 13, 4, 7, 12 };
	static const size_t want100[] = { 19, 78, 30, 43, 20, 74, 88, 36, 71, 33 };
	static const size_t want_teams[] = { 0, 3, 2, 1, 4 };

	(void)state;
	seed_of(seed);
	draw_pick(seed, 14, 5, got);
	assert_memory_equal(got, want14, sizeof want14);
	draw_pick(seed, 100, 10, got);
	assert_memory_equal(got, want100, sizeof want100);
	draw_team_seed(seed, team_seed);
	draw_pick(team_seed, 5, 5, got);
	assert_memory_equal(got, want_teams, sizeof want_teams);
}

static void
test_rejection_discards_and_stays_below(void **state)
{
	uint8_t zero[DRAW_SEED_BYTES] = { 0 };
	struct draw_stream s;
	uint64_t n = (UINT64_C(1) << 63) + 1;	/* about half of all candidates are rejected */

	(void)state;
	draw_stream_init(&s, zero);
	for (int i = 0; i < 64; i++)
		assert_true(draw_stream_below(&s, n) < n);
	assert_int_equal(s.counter, 135);	/* 71 discarded, as contrib/verify-draw counts */
	draw_stream_init(&s, zero);
	for (int i = 0; i < 100; i++)
		assert_int_equal(draw_stream_below(&s, 1), 0);
	assert_int_equal(s.counter, 100);	/* below 1 (and any power of two) rejects none */
}

static void
test_every_index_reachable_none_favoured(void **state)
{
	uint8_t zero[DRAW_SEED_BYTES] = { 0 };
	struct draw_stream s;
	size_t counts[7] = { 0 }, firsts[7] = { 0 }, got[1];
	char id[16];

	(void)state;
	draw_stream_init(&s, zero);
	for (int i = 0; i < 70000; i++)
		counts[draw_stream_below(&s, 7)]++;
	for (int v = 0; v < 7; v++)	/* 10,000 expected; 5 standard deviations is ±410 */
		assert_in_range(counts[v], 9590, 10410);
	for (int i = 0; i < 700; i++) {	/* the first pick of many draws: every row comes first */
		uint8_t seed[DRAW_SEED_BYTES];

		snprintf(id, sizeof id, "CJ-%06d", i);
		draw_seed(id, "0000000000000000000000000000000000000000", "x", seed);
		draw_pick(seed, 7, 1, got);
		firsts[got[0]]++;
	}
	for (int v = 0; v < 7; v++)
		assert_in_range(firsts[v], 60, 140);
}

static void
test_shuffle_has_no_duplicates(void **state)
{
	uint8_t seed[DRAW_SEED_BYTES];
	size_t got[500];
	bool seen[500] = { false };

	(void)state;
	seed_of(seed);
	draw_pick(seed, 500, 500, got);
	for (size_t i = 0; i < 500; i++) {
		assert_true(got[i] < 500);
		assert_false(seen[got[i]]);
		seen[got[i]] = true;
	}
}

static void
test_sample_and_teams_files(void **state)
{
	uint8_t seed[DRAW_SEED_BYTES];
	struct draw_rows population, pool;
	struct error err = ERROR_INIT;
	char *sample, *teams;

	(void)state;
	seed_of(seed);
	assert_int_equal(draw_rows_parse("id,name\nA-01,甲\nA-02,\"乙,丙\"\nA-03,丁\nA-04,戊\n"
	    "A-05,己\nA-06,庚\nA-07,辛\nA-08,壬\nA-09,癸\nA-10,子\nA-11,丑\nA-12,寅\nA-13,卯\n"
	    "A-14,辰\n", "population.csv", &population, &err), 0);
	assert_int_equal(population.n, 14);
	assert_string_equal(population.rest[1], "\"乙,丙\"");	/* kept as written */
	assert_int_equal(draw_rows_parse("id,name\nRY-1,一\nRY-2,二\nRY-3,三\nRY-4,四\nRY-5,五\n",
	    "pool.csv", &pool, &err), 0);
	draw_result_texts(seed, &population, 5, &pool, 2, &sample, &teams);
	/* picks 1 13 4 7 12; two teams of two from the pool shuffled 0 3 2 1 4, 五 left over */
	assert_string_equal(sample, "order,id,name,team\n1,A-02,\"乙,丙\",1\n2,A-14,辰,2\n"
	    "3,A-05,己,1\n4,A-08,壬,2\n5,A-13,卯,1\n");
	assert_string_equal(teams, "team,role,id,name\n1,lead,RY-1,一\n1,member,RY-4,四\n"
	    "2,lead,RY-3,三\n2,member,RY-2,二\n");
	free(sample);
	free(teams);
	draw_result_texts(seed, &population, 2, NULL, 0, &sample, &teams);
	assert_null(teams);
	assert_string_equal(sample, "order,id,name,team\n1,A-02,\"乙,丙\",\n2,A-14,辰,\n");
	free(sample);
	draw_rows_free(&pool);
	assert_int_equal(draw_rows_parse("id,name\nA-01\n", "population.csv", &pool, &err), -1);
	assert_string_equal(err.message, "population.csv: line 2 is not a row id,name");
	error_clear(&err);
	draw_rows_free(&population);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_encoding),
		cmocka_unit_test(test_fixed_seed_fixed_sample),
		cmocka_unit_test(test_rejection_discards_and_stays_below),
		cmocka_unit_test(test_every_index_reachable_none_favoured),
		cmocka_unit_test(test_shuffle_has_no_duplicates),
		cmocka_unit_test(test_sample_and_teams_files),
	};

	return UNIT_RUN(tests);
}
