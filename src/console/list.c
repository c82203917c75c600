/*
 * list.c — the cursor and scroll of every list of the console (list.h): one place where a
 * cursor is clamped, a page is turned and the top row is kept so the cursor stays visible.
 */
#include "config.h"

#include "console/list.h"

static size_t
clamp(long v, size_t n)
{
	if (n == 0 || v < 0)
		return 0;
	return (size_t)v >= n ? n - 1 : (size_t)v;
}

void
list_fit(struct list *l, size_t n, int rows)
{
	size_t page = rows > 0 ? (size_t)rows : 1;

	l->cursor = n == 0 ? 0 : l->cursor < n ? l->cursor : n - 1;
	if (l->top > l->cursor)
		l->top = l->cursor;
	if (l->cursor >= l->top + page)
		l->top = l->cursor - page + 1;
	/* a page that could show more rows above the last one does (after a resize, a filter) */
	if (n > 0 && l->top > 0 && l->top + page > n)
		l->top = n > page ? n - page : 0;
}

void
list_move(struct list *l, size_t n, int rows, long delta)
{
	long c = (long)l->cursor + delta;

	if (delta < 0 && (size_t)-delta > l->cursor)
		c = 0;
	l->cursor = clamp(c, n);
	list_fit(l, n, rows);
}

void
list_goto(struct list *l, size_t n, int rows, size_t i)
{
	l->cursor = i < n ? i : n > 0 ? n - 1 : 0;
	list_fit(l, n, rows);
}

/* How far a page key moves: a page, one row at least. */
static long
page_of(int rows)
{
	return rows > 1 ? rows : 1;
}

bool
list_action(struct list *l, size_t n, int rows, enum action a)
{
	switch (a) {
	case ACT_UP:		list_move(l, n, rows, -1); break;
	case ACT_DOWN:		list_move(l, n, rows, 1); break;
	case ACT_PAGE_UP:	list_move(l, n, rows, -page_of(rows)); break;
	case ACT_PAGE_DOWN:	list_move(l, n, rows, page_of(rows)); break;
	case ACT_FIRST:		list_goto(l, n, rows, 0); break;
	case ACT_LAST:		list_goto(l, n, rows, n > 0 ? n - 1 : 0); break;
	default:		return false;
	}
	return true;
}

/* How many tops a pager has: those that keep its page full, or the one top 0. */
static size_t
pager_tops(size_t n, int rows)
{
	size_t page = rows > 0 ? (size_t)rows : 1;

	return n > page ? n - page + 1 : 1;
}

void
list_pager_fit(struct list *l, size_t n, int rows)
{
	l->top = l->cursor = clamp((long)l->top, pager_tops(n, rows));
}

bool
list_pager_action(struct list *l, size_t n, int rows, enum action a)
{
	size_t tops = pager_tops(n, rows);
	long top = (long)l->top;

	switch (a) {
	case ACT_UP:		top -= 1; break;
	case ACT_DOWN:		top += 1; break;
	case ACT_PAGE_UP:	top -= page_of(rows); break;
	case ACT_PAGE_DOWN:	top += page_of(rows); break;
	case ACT_FIRST:		top = 0; break;
	case ACT_LAST:		top = (long)tops - 1; break;
	default:		return false;
	}
	l->top = l->cursor = clamp(top, tops);
	return true;
}
