/*
 * pick.c — a pick list over the screen: the choices of an enum, a yes/no, a district or
 * street, or the records a reference may name. Typing narrows the list the way "/" searches
 * (case, full width, Traditional Chinese and pinyin folded: "yt" finds 雁塔区); arrows choose,
 * Enter takes, Esc leaves the value as it was.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/console-private.h"
#include "console/edit.h"
#include "console/list.h"
#include "store/query.h"

struct picker {
	const struct pick_item *items;
	size_t n;
	char **keys;		/* per item: its folded label, pinyin and value */
	size_t *shown;		/* indexes of the items that match the filter */
	size_t n_shown;
	struct list list;	/* the cursor and top, indexes into shown */
	struct edit filter;
};

static char *
item_key(const struct pick_item *it)
{
	char *text = fold_text(it->label), *full = fold_pinyin(it->label, false),
	    *initials = fold_pinyin(it->label, true), *value = fold_text(it->value);
	char *key = xasprintf("%s\n%s\n%s\n%s", text, full, initials, value);

	free(text);
	free(full);
	free(initials);
	free(value);
	return key;
}

static void
apply_filter(struct picker *p)
{
	char *word = fold_text(edit_text(&p->filter));

	p->n_shown = 0;
	for (size_t i = 0; i < p->n; i++)
		if (*word == '\0' || query_word_matches(word, p->keys[i]))
			p->shown[p->n_shown++] = i;
	free(word);
	p->list.cursor = p->list.top = 0;
}

/* The box: a title, the filter line with the caret, then the items. */
static void
picker_draw(struct app *app, struct picker *p, const char *title, WINDOW *w, int rows)
{
	int width = getmaxx(w), used;

	werase(w);
	wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');	/* ASCII: right in every terminal */
	draw_text(w, 0, 2, width - 4, title, false);
	mvwaddstr(w, 1, 2, "> ");
	used = draw_text(w, 1, 4, width - 6, edit_text(&p->filter), false);
	for (int y = 0; y < rows; y++) {
		size_t i = p->list.top + (size_t)y;

		if (i >= p->n_shown)
			break;
		if (i == p->list.cursor)
			wattron(w, app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
		draw_fill(w, 2 + y, 1, width - 2);
		draw_text(w, 2 + y, 2, width - 4, p->items[p->shown[i]].label, false);
		if (i == p->list.cursor)
			wattroff(w, app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
	}
	if (p->n_shown == 0)
		draw_text(w, 2, 2, width - 4, _("(nothing matches)"), false);
	wmove(w, 1, 4 + used);
	wrefresh(w);
}

/* What a key does to the picker: 1 taken, -1 cancelled, 0 go on. */
static int
picker_key(struct app *app, struct picker *p, int key, int rows)
{
	enum action a = keymap_lookup(app->keymap, VIEW_CONTEXT(form), key);

	if (key == '\r' || key == '\n' || key == (KEY_FUNCTION | KEY_ENTER))
		return p->n_shown > 0 ? 1 : 0;
	if (key == 27 || key == 7)
		return -1;
	if (key == 127 || key == 8 || key == (KEY_FUNCTION | KEY_BACKSPACE)) {
		edit_backspace(&p->filter);
		apply_filter(p);
	} else if (key >= 0x20 && key < KEY_FUNCTION) {
		char mb[8] = { 0 };

		if (wctomb(mb, (wchar_t)key) > 0) {
			edit_insert(&p->filter, mb);
			apply_filter(p);
		}
	} else if (a == ACT_PREV_FIELD || a == ACT_NEXT_FIELD)
		list_move(&p->list, p->n_shown, rows, a == ACT_PREV_FIELD ? -1 : 1);
	else
		list_action(&p->list, p->n_shown, rows, a);
	return 0;
}

static void
picker_free(struct picker *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->keys[i]);
	free(p->keys);
	free(p->shown);
	edit_free(&p->filter);
}

int
app_pick(struct app *app, const char *title, const struct pick_item *items, size_t n,
    const char *initial, size_t current)
{
	struct picker p = { items, n, xcalloc(n + 1, sizeof *p.keys), xcalloc(n + 1, sizeof *p.shown),
	    0, { 0, 0 }, { BUF_INIT, 0 } };
	int done = 0, chosen = -1;

	for (size_t i = 0; i < n; i++)
		p.keys[i] = item_key(&items[i]);
	edit_set(&p.filter, initial);
	apply_filter(&p);
	if (*edit_text(&p.filter) == '\0' && current < n)
		p.list.cursor = current;
	curs_set(1);
	while (done == 0) {
		int height = app->lines - 6 < (int)n + 3 ? app->lines - 6 : (int)n + 3;
		int width = app->cols - 8 < 60 ? app->cols - 8 : 60, rows = height - 3, key;
		WINDOW *w;

		if (height < 4)
			height = 4, rows = 1;
		list_fit(&p.list, p.n_shown, rows);
		w = newwin(height, width, 3, (app->cols - width) / 2);
		if (w == NULL)
			break;
		picker_draw(app, &p, title, w, rows);
		key = app_get_key(app);
		delwin(w);
		if (key == APP_KEY_RESIZE) {
			app_draw(app);
			continue;
		}
		done = picker_key(app, &p, key, rows);
	}
	if (done == 1)
		chosen = (int)p.shown[p.list.cursor];
	picker_free(&p);
	touchwin(stdscr);
	return chosen;
}
