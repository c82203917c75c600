/*
 * list.h — the one cursor of the console's lists (the table, the dashboard, pick lists, the
 * screen picker) and the one scroll of its pagers (help): clamping, paging, first and last,
 * and a top row that moves as little as it can, so that curses scrolls one line, not repaints.
 */
#ifndef HUITOU_LIST_H
#define HUITOU_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "console/keymap.h"

/* cursor: the row chosen; top: the first row on screen. Both index rows 0 … n-1 of a list
 * whose size (n) and page height (rows) the caller gives each time, for they change. */
struct list {
	size_t cursor, top;
};

/* The cursor within the n rows (0 when there are none) and visible in a page of rows rows. */
void list_fit(struct list *l, size_t n, int rows);
/* The cursor delta rows down (up when negative), clamped; the top follows only as needed. */
void list_move(struct list *l, size_t n, int rows, long delta);
/* The cursor on row i (clamped). */
void list_goto(struct list *l, size_t n, int rows, size_t i);
/* Up, down, page up, page down, first, last on the cursor; false for any other action. */
bool list_action(struct list *l, size_t n, int rows, enum action a);
/* The same keys for a pager without a cursor: they move the top, which stops where the last
 * page is full; the cursor stays on the top row. */
bool list_pager_action(struct list *l, size_t n, int rows, enum action a);
/* The pager's top within its range after the size or the page changed. */
void list_pager_fit(struct list *l, size_t n, int rows);

#endif
