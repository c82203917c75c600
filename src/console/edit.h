/*
 * edit.h — the text of one field being typed, and where its caret is: insert and delete by
 * character (never by byte), caret moves, and the layout that maps the caret to a screen row
 * and display column, Chinese counting two. No curses here, so it is tested on its own.
 */
#ifndef HUITOU_EDIT_H
#define HUITOU_EDIT_H

#include "base/base.h"

struct edit {
	struct buf text;
	size_t caret;		/* a byte offset at a character boundary */
};

void edit_set(struct edit *e, const char *s);	/* the caret goes to the end */
void edit_free(struct edit *e);
const char *edit_text(const struct edit *e);
void edit_insert(struct edit *e, const char *s);
void edit_backspace(struct edit *e);		/* the character before the caret */
void edit_delete(struct edit *e);		/* the character at the caret */
void edit_left(struct edit *e);
void edit_right(struct edit *e);
void edit_home(struct edit *e);
void edit_end(struct edit *e);

/* One line in a window width columns wide: the byte offset of the first character shown so
 * that the caret stays visible, and the caret's column from there. */
size_t edit_scroll(const struct edit *e, int width, int *caret_col);

/*
 * Several lines wrapped at width columns and at line breaks: the byte offsets where rows start
 * (at most max of them; the number of rows is returned), and the caret's row and column.
 */
size_t edit_wrap(const char *s, int width, size_t *starts, size_t max);
void edit_caret_at(const struct edit *e, int width, int *row, int *col);

#endif
