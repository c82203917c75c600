/*
 * test-board-ids.c — the task board's set of ids (src/campaign/board-ids.c): every id added is
 * found with its tag and its arena offset, through growth from one slot table to the next;
 * ids longer than a slot holds are found too; ids not added are not; a tag changed through
 * the pointer stays; reserving keeps what is there.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "campaign/board.h"
#include "unit.h"

#define N 50000

static void
id_of(char *out, size_t size, int i)
{
	snprintf(out, size, "ZG-6101%02d-%06d", 2 + i % 13, i);
}

static void
test_added_ids_are_found_through_growth(void **state)
{
	struct idset s = { .arena = BUF_INIT };
	char id[32];
	uint32_t off;

	(void)state;
	for (int i = 0; i < N; i++) {
		id_of(id, sizeof id, i);
		assert_int_equal(idset_add(&s, id, strlen(id), (uint8_t)(i % 7 + 1), NULL), 0);
	}
	assert_int_equal(s.n, N);
	for (int i = 0; i < N; i++) {
		uint8_t *t;

		id_of(id, sizeof id, i);
		t = idset_find(&s, id, strlen(id), &off);
		assert_non_null(t);
		assert_int_equal(*t, i % 7 + 1);
		assert_string_equal(idset_str(&s, off), id);
	}
	id_of(id, sizeof id, N);
	assert_null(idset_find(&s, id, strlen(id), NULL));
	assert_null(idset_find(&s, "ZG-610102-00000", 15, NULL));	/* a prefix of one */
	idset_free(&s);
}

static void
test_long_ids_and_tags(void **state)
{
	struct idset s = { .arena = BUF_INIT };
	const char *longer = "INSPECTION-610113-000000000001-extra";	/* past a slot's key */
	uint32_t a, b;
	uint8_t *t;

	(void)state;
	assert_null(idset_find(&s, "x", 1, NULL));	/* empty: nothing */
	idset_add(&s, longer, strlen(longer), 3, &a);
	idset_add(&s, longer, 20, 4, &b);		/* its first 20 bytes: another id */
	assert_int_not_equal(a, b);
	assert_int_equal(s.n, 2);
	t = idset_find(&s, longer, strlen(longer), NULL);
	assert_non_null(t);
	assert_int_equal(*t, 3);
	*t = 9;
	idset_add(&s, longer, strlen(longer), 5, &b);	/* again: the same id, its tag set */
	assert_int_equal(a, b);
	assert_int_equal(s.n, 2);
	assert_int_equal(*idset_find(&s, longer, strlen(longer), NULL), 5);
	assert_int_equal(*idset_find(&s, longer, 20, NULL), 4);
	idset_reserve(&s, 100000);
	assert_int_equal(*idset_find(&s, longer, 20, NULL), 4);
	assert_string_equal(idset_str(&s, a), longer);
	idset_free(&s);
}

static void
count_tag(void *arg, uint8_t *tag)
{
	((size_t *)arg)[*tag]++;
}

static void
test_each_tag(void **state)
{
	struct idset s = { .arena = BUF_INIT };
	size_t seen[4] = { 0 };
	char id[32];

	(void)state;
	for (int i = 0; i < 3000; i++) {
		id_of(id, sizeof id, i);
		idset_add(&s, id, strlen(id), (uint8_t)(i % 3 + 1), NULL);
	}
	idset_each_tag(&s, count_tag, seen);
	assert_int_equal(seen[1], 1000);
	assert_int_equal(seen[2], 1000);
	assert_int_equal(seen[3], 1000);
	idset_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_added_ids_are_found_through_growth),
		cmocka_unit_test(test_long_ids_and_tags),
		cmocka_unit_test(test_each_tag),
	};

	return UNIT_RUN(tests);
}
