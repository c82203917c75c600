/*
 * edit.c — the text of one field being typed (see edit.h): a UTF-8 buffer and a caret that
 * moves by whole characters, with the layouts a form needs to put the caret on screen.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/edit.h"

static bool
is_continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

void
edit_set(struct edit *e, const char *s)
{
	buf_reset(&e->text);
	buf_adds(&e->text, s != NULL ? s : "");
	e->caret = e->text.len;
}

void
edit_free(struct edit *e)
{
	buf_free(&e->text);
	e->caret = 0;
}

const char *
edit_text(const struct edit *e)
{
	return buf_str(&e->text);
}

void
edit_insert(struct edit *e, const char *s)
{
	size_t n = strlen(s), tail = e->text.len - e->caret;

	buf_grow(&e->text, n + 1);
	memmove(e->text.data + e->caret + n, e->text.data + e->caret, tail);
	memcpy(e->text.data + e->caret, s, n);
	e->text.len += n;
	e->text.data[e->text.len] = '\0';
	e->caret += n;
}

/* The byte offset of the character before (after) offset at. */
static size_t
char_before(const struct edit *e, size_t at)
{
	while (at > 0 && is_continuation(e->text.data[--at]))
		;
	return at;
}

static size_t
char_after(const struct edit *e, size_t at)
{
	if (at >= e->text.len)
		return e->text.len;
	while (++at < e->text.len && is_continuation(e->text.data[at]))
		;
	return at;
}

static void
cut(struct edit *e, size_t from, size_t to)
{
	memmove(e->text.data + from, e->text.data + to, e->text.len - to + 1);
	e->text.len -= to - from;
}

void
edit_backspace(struct edit *e)
{
	size_t from = char_before(e, e->caret);

	cut(e, from, e->caret);
	e->caret = from;
}

void
edit_delete(struct edit *e)
{
	cut(e, e->caret, char_after(e, e->caret));
}

void
edit_left(struct edit *e)
{
	e->caret = char_before(e, e->caret);
}

void
edit_right(struct edit *e)
{
	e->caret = char_after(e, e->caret);
}

void
edit_home(struct edit *e)
{
	e->caret = 0;
}

void
edit_end(struct edit *e)
{
	e->caret = e->text.len;
}

/* The display width of s[from, to). */
static int
span_width(const char *s, size_t from, size_t to)
{
	char *part = xstrndup(s + from, to - from);
	int w = (int)width_of(part);

	free(part);
	return w;
}

size_t
edit_scroll(const struct edit *e, int width, int *caret_col)
{
	const char *s = buf_str(&e->text);
	size_t start = 0;
	int col = span_width(s, 0, e->caret);

	/* Drop characters from the left until the caret fits with a column to spare. */
	while (col > width - 1 && start < e->caret) {
		size_t next = char_after(e, start);

		col -= span_width(s, start, next);
		start = next;
	}
	*caret_col = col;
	return start;
}

size_t
edit_wrap(const char *s, int width, size_t *starts, size_t max)
{
	size_t rows = 0, at = 0, len = strlen(s);

	if (width < 2)
		width = 2;
	while (rows < max) {
		size_t used, n;
		const char *nl;

		starts[rows++] = at;
		n = width_fit_bytes(s + at, (size_t)width, &used);
		nl = memchr(s + at, '\n', n);
		if (nl != NULL)
			at = (size_t)(nl - s) + 1;
		else if (at + n < len && s[at + n] == '\n')
			at += n + 1;	/* a full row that ends at a line break */
		else if (at + n >= len)
			break;
		else
			at += n;
	}
	return rows;
}

void
edit_caret_at(const struct edit *e, int width, int *row, int *col)
{
	const char *s = buf_str(&e->text);
	size_t starts[256];
	size_t n = edit_wrap(s, width, starts, sizeof starts / sizeof *starts), r = 0;

	while (r + 1 < n && starts[r + 1] <= e->caret)
		r++;
	*row = (int)r;
	*col = span_width(s, starts[r], e->caret);
}
