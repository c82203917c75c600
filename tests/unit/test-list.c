/*
 * test-list.c — the console's one list cursor (src/console/list.c): clamping at both ends,
 * paging, first and last, an empty list, a window that shrinks or grows, and the pager (help)
 * whose top stops where the last page is full.
 */
#include "config.h"

#include "console/list.h"
#include "unit.h"

#define ROWS 10

static void
test_moves_clamp_at_both_ends(void **state)
{
	struct list l = { 0, 0 };

	(void)state;
	list_move(&l, 50, ROWS, -1);
	assert_int_equal(l.cursor, 0);
	list_move(&l, 50, ROWS, 3);
	assert_int_equal(l.cursor, 3);
	assert_int_equal(l.top, 0);	/* still on the first page: no scroll */
	list_move(&l, 50, ROWS, 1000);
	assert_int_equal(l.cursor, 49);
	assert_int_equal(l.top, 40);	/* the last page, full */
	list_move(&l, 50, ROWS, 1);
	assert_int_equal(l.cursor, 49);
	list_move(&l, 50, ROWS, -1000);
	assert_int_equal(l.cursor, 0);
	assert_int_equal(l.top, 0);
}

static void
test_one_row_past_the_page_scrolls_one_row(void **state)
{
	struct list l = { 0, 0 };

	(void)state;
	for (int i = 0; i < ROWS - 1; i++)
		list_action(&l, 50, ROWS, ACT_DOWN);
	assert_int_equal(l.cursor, ROWS - 1);
	assert_int_equal(l.top, 0);
	list_action(&l, 50, ROWS, ACT_DOWN);	/* the foot of the page: the top moves by one */
	assert_int_equal(l.cursor, ROWS);
	assert_int_equal(l.top, 1);
	list_action(&l, 50, ROWS, ACT_UP);	/* up within the page: the top stays */
	assert_int_equal(l.cursor, ROWS - 1);
	assert_int_equal(l.top, 1);
}

static void
test_paging(void **state)
{
	struct list l = { 0, 0 };

	(void)state;
	assert_true(list_action(&l, 25, ROWS, ACT_PAGE_DOWN));
	assert_int_equal(l.cursor, 10);
	assert_int_equal(l.top, 1);
	list_action(&l, 25, ROWS, ACT_PAGE_DOWN);
	assert_int_equal(l.cursor, 20);
	assert_int_equal(l.top, 11);
	list_action(&l, 25, ROWS, ACT_PAGE_DOWN);	/* less than a page left: the last row */
	assert_int_equal(l.cursor, 24);
	assert_int_equal(l.top, 15);
	list_action(&l, 25, ROWS, ACT_PAGE_UP);
	assert_int_equal(l.cursor, 14);
	assert_int_equal(l.top, 14);
	list_action(&l, 25, ROWS, ACT_PAGE_UP);
	list_action(&l, 25, ROWS, ACT_PAGE_UP);
	assert_int_equal(l.cursor, 0);
	assert_int_equal(l.top, 0);
}

static void
test_first_and_last(void **state)
{
	struct list l = { 7, 3 };

	(void)state;
	assert_true(list_action(&l, 100, ROWS, ACT_LAST));
	assert_int_equal(l.cursor, 99);
	assert_int_equal(l.top, 90);
	assert_true(list_action(&l, 100, ROWS, ACT_FIRST));
	assert_int_equal(l.cursor, 0);
	assert_int_equal(l.top, 0);
	assert_false(list_action(&l, 100, ROWS, ACT_OPEN));	/* not a move: the view's */
	assert_int_equal(l.cursor, 0);
}

static void
test_empty_list(void **state)
{
	struct list l = { 5, 2 };

	(void)state;
	list_fit(&l, 0, ROWS);
	assert_int_equal(l.cursor, 0);
	assert_int_equal(l.top, 0);
	for (enum action a = ACT_UP; a <= ACT_LAST; a++) {
		list_action(&l, 0, ROWS, a);
		assert_int_equal(l.cursor, 0);
		assert_int_equal(l.top, 0);
	}
	list_goto(&l, 0, ROWS, 3);
	assert_int_equal(l.cursor, 0);
	list_pager_action(&l, 0, ROWS, ACT_LAST);
	assert_int_equal(l.top, 0);
}

static void
test_a_shorter_list_clamps_the_cursor(void **state)
{
	struct list l = { 0, 0 };

	(void)state;
	list_action(&l, 100, ROWS, ACT_LAST);
	list_fit(&l, 30, ROWS);		/* a limit left 30 rows */
	assert_int_equal(l.cursor, 29);
	assert_int_equal(l.top, 20);
	list_fit(&l, 4, ROWS);		/* fewer than a page: all shown from the first */
	assert_int_equal(l.cursor, 3);
	assert_int_equal(l.top, 0);
}

static void
test_resizing_keeps_the_cursor_visible(void **state)
{
	struct list l = { 0, 0 };

	(void)state;
	list_goto(&l, 100, 20, 19);	/* the foot of a 20-row page */
	assert_int_equal(l.top, 0);
	list_fit(&l, 100, 5);		/* the window shrinks */
	assert_int_equal(l.cursor, 19);
	assert_int_equal(l.top, 15);
	list_fit(&l, 100, 20);		/* and grows: the cursor stays, the top need not move */
	assert_int_equal(l.cursor, 19);
	assert_int_equal(l.top, 15);
	list_goto(&l, 100, 20, 99);
	assert_int_equal(l.top, 80);
	list_fit(&l, 100, 40);		/* a taller window shows more above the last row */
	assert_int_equal(l.cursor, 99);
	assert_int_equal(l.top, 60);
	list_fit(&l, 100, 0);		/* a page of no rows still shows the cursor's */
	assert_int_equal(l.top, 99);
}

static void
test_pager_first_last_and_stops(void **state)
{
	struct list l = { 0, 0 };

	(void)state;
	list_pager_action(&l, 35, ROWS, ACT_UP);
	assert_int_equal(l.top, 0);
	assert_true(list_pager_action(&l, 35, ROWS, ACT_LAST));
	assert_int_equal(l.top, 25);	/* the last page full: lines 25 … 34 */
	list_pager_action(&l, 35, ROWS, ACT_DOWN);
	assert_int_equal(l.top, 25);
	list_pager_action(&l, 35, ROWS, ACT_PAGE_UP);
	assert_int_equal(l.top, 15);
	list_pager_action(&l, 35, ROWS, ACT_DOWN);
	assert_int_equal(l.top, 16);
	assert_true(list_pager_action(&l, 35, ROWS, ACT_FIRST));
	assert_int_equal(l.top, 0);
	list_pager_action(&l, 35, ROWS, ACT_PAGE_DOWN);
	list_pager_action(&l, 35, ROWS, ACT_PAGE_DOWN);
	list_pager_action(&l, 35, ROWS, ACT_PAGE_DOWN);
	assert_int_equal(l.top, 25);
	assert_int_equal(l.cursor, l.top);
	list_pager_fit(&l, 35, 30);	/* taller: the top comes back so the page stays full */
	assert_int_equal(l.top, 5);	/* lines 5 … 34 */
	list_pager_action(&l, 8, ROWS, ACT_LAST);	/* shorter than a page: no scrolling */
	assert_int_equal(l.top, 0);
	assert_false(list_pager_action(&l, 35, ROWS, ACT_OPEN));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_moves_clamp_at_both_ends),
		cmocka_unit_test(test_one_row_past_the_page_scrolls_one_row),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_first_and_last),
		cmocka_unit_test(test_empty_list),
		cmocka_unit_test(test_a_shorter_list_clamps_the_cursor),
		cmocka_unit_test(test_resizing_keeps_the_cursor_visible),
		cmocka_unit_test(test_pager_first_last_and_stops),
	};

	return UNIT_RUN(tests);
}
