/*
 * test-edit.c — the text of a field being typed: the caret moves and deletes whole characters
 * (a Chinese character is three bytes and two columns), one line scrolls to keep the caret in
 * view, and wrapped rows put the caret on the right row and column.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/edit.h"
#include "unit.h"

static void
test_insert_and_delete_by_character(void **state)
{
	struct edit e = { BUF_INIT, 0 };

	(void)state;
	edit_set(&e, "启明星");
	assert_int_equal(e.caret, strlen("启明星"));
	edit_backspace(&e);
	assert_string_equal(edit_text(&e), "启明");
	edit_left(&e);
	edit_insert(&e, "A");
	assert_string_equal(edit_text(&e), "启A明");
	assert_int_equal(e.caret, strlen("启A"));
	edit_delete(&e);
	assert_string_equal(edit_text(&e), "启A");
	edit_home(&e);
	edit_delete(&e);
	assert_string_equal(edit_text(&e), "A");
	edit_backspace(&e);		/* at the start: nothing before the caret */
	assert_string_equal(edit_text(&e), "A");
	edit_end(&e);
	edit_right(&e);			/* at the end: stays */
	assert_int_equal(e.caret, 1);
	edit_delete(&e);
	assert_string_equal(edit_text(&e), "A");
	edit_free(&e);
}

static void
test_scroll_keeps_the_caret_in_view(void **state)
{
	struct edit e = { BUF_INIT, 0 };
	int col;

	(void)state;
	edit_set(&e, "abc");
	assert_int_equal(edit_scroll(&e, 10, &col), 0);
	assert_int_equal(col, 3);
	edit_set(&e, "启明星培训学校");	/* 14 columns in a window of 8 */
	assert_int_equal(edit_scroll(&e, 8, &col), strlen("启明星培"));
	assert_int_equal(col, 6);		/* "训学校" then the caret */
	edit_home(&e);
	assert_int_equal(edit_scroll(&e, 8, &col), 0);
	assert_int_equal(col, 0);
	edit_free(&e);
}

static void
test_wrap_and_caret_rows(void **state)
{
	struct edit e = { BUF_INIT, 0 };
	size_t starts[8];
	int row, col;

	(void)state;
	assert_int_equal(edit_wrap("abcdef", 4, starts, 8), 2);
	assert_int_equal(starts[1], 4);
	assert_int_equal(edit_wrap("ab\ncd", 10, starts, 8), 2);
	assert_int_equal(starts[1], 3);
	/* 5 columns hold two Chinese characters, never half of a third. */
	assert_int_equal(edit_wrap("启明星", 5, starts, 8), 2);
	assert_int_equal(starts[1], strlen("启明"));
	edit_set(&e, "第一行\n第二");
	edit_caret_at(&e, 20, &row, &col);
	assert_int_equal(row, 1);
	assert_int_equal(col, 4);
	edit_set(&e, "ab\n");		/* a line break at the end: the caret on a new row */
	edit_caret_at(&e, 20, &row, &col);
	assert_int_equal(row, 1);
	assert_int_equal(col, 0);
	edit_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_and_delete_by_character),
		cmocka_unit_test(test_scroll_keeps_the_caret_in_view),
		cmocka_unit_test(test_wrap_and_caret_rows),
	};

	return UNIT_RUN(tests);
}
