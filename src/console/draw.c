/*
 * draw.c — the one place text reaches the screen. Widths are display columns (Chinese is two),
 * a cut never splits a character, and control characters from data are drawn as visible
 * escapes, bidirectional controls too ("\u202e"): nothing a record holds can move the cursor,
 * change the terminal or reorder what a line shows.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/console-private.h"

/* Draws s in at most width columns from (y, x); pads with spaces when pad. Returns columns used. */
int
draw_text(WINDOW *w, int y, int x, int width, const char *s, bool pad)
{
	struct buf safe = BUF_INIT;
	size_t used = 0, bytes;

	if (width <= 0)
		return 0;
	width_escape_controls(&safe, s != NULL ? s : "");
	bytes = width_fit_bytes(buf_str(&safe), (size_t)width, &used);
	mvwaddnstr(w, y, x, buf_str(&safe), (int)bytes);
	if (pad)
		for (size_t i = used; i < (size_t)width; i++)
			waddch(w, ' ');
	buf_free(&safe);
	return pad ? width : (int)used;
}

void
draw_fill(WINDOW *w, int y, int x, int width)
{
	wmove(w, y, x);
	for (int i = 0; i < width; i++)
		waddch(w, ' ');
}

/* The status line: who, where, what (left) and counts and time (right). */
void
draw_status(struct app *app, const char *left, const char *right)
{
	int rw = (int)width_of(right);

	if (app->colors)
		attron(COLOR_PAIR(PAIR_STATUS));
	else
		attron(A_REVERSE);
	draw_fill(stdscr, app->lines - 2, 0, app->cols);
	draw_text(stdscr, app->lines - 2, 0, app->cols - rw - 1, left, false);
	if (rw < app->cols)
		draw_text(stdscr, app->lines - 2, app->cols - rw, rw, right, false);
	if (app->colors)
		attroff(COLOR_PAIR(PAIR_STATUS));
	else
		attroff(A_REVERSE);
}

char *
status_join(const char *const *parts, size_t n, int width)
{
	struct buf line = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		size_t before = line.len;

		if (parts[i] == NULL)
			continue;
		if (line.len > 0)
			buf_adds(&line, " | ");
		buf_adds(&line, parts[i]);
		if (before > 0 && width_of(buf_str(&line)) > (size_t)width) {
			line.len = before;	/* this part and the ones after it do not fit */
			line.data[before] = '\0';
			break;
		}
	}
	return buf_detach(&line);
}

void
draw_heading(struct app *app, int y, const char *text)
{
	move(y, 0);
	clrtoeol();
	attron(A_BOLD | (app->colors ? COLOR_PAIR(PAIR_HEADER) : 0));
	draw_text(stdscr, y, 1, app->cols - 2, text, false);
	attroff(A_BOLD | (app->colors ? COLOR_PAIR(PAIR_HEADER) : 0));
}

/* The titles of records referred to, by a hash of "FORM ID" into a fixed table: a screen shows
 * a few dozen, a sort reads each once and copies it at once. A title is valid until another
 * lookup lands on its slot; every key's repaint reads them afresh (app_draw forgets them). */
#define REF_TITLES 1024
struct ref_titles {
	char *key[REF_TITLES];		/* "FORM ID" */
	char *title[REF_TITLES];
};

void
ref_titles_free(struct app *app)
{
	struct ref_titles *t = app->titles;

	for (size_t i = 0; t != NULL && i < REF_TITLES; i++) {
		free(t->key[i]);
		free(t->title[i]);
	}
	free(t);
	app->titles = NULL;
}

static size_t
title_slot(const char *key)
{
	return str_hash(key, strlen(key)) % REF_TITLES;
}

/* The record's title read from the store now ("" when it cannot be read). */
static char *
read_title(struct app *app, const struct form *form, const char *id)
{
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	char *title;

	if (store_txn_begin(app->store, false, &txn, &err) != 0) {
		error_clear(&err);
		return xstrdup("");
	}
	title = store_record_title(txn, form, id);
	store_txn_abort(txn);
	return title;
}

static const char *
ref_title(struct app *app, const char *form_name, const char *id)
{
	const struct form *form = formset_find(store_forms(app->store), form_name);
	struct ref_titles *t;
	char *key;
	size_t i;

	if (form == NULL || form->title == NULL)
		return id;
	if (app->titles == NULL)
		app->titles = xcalloc(1, sizeof *app->titles);
	t = app->titles;
	key = xasprintf("%s %s", form_name, id);
	i = title_slot(key);
	if (t->key[i] != NULL && str_eq(t->key[i], key)) {
		free(key);
	} else {
		free(t->key[i]);
		free(t->title[i]);
		t->key[i] = key;
		t->title[i] = read_title(app, form, id);
	}
	return *t->title[i] != '\0' ? t->title[i] : id;
}

const char *
value_text(struct app *app, const struct field *f, const char *value)
{
	if (f->kind == FT_DIVISION && *value != '\0') {
		const struct division *d = store_division_find(app->store, value, f->level, NULL);

		return d != NULL ? d->name : value;
	}
	if (f->kind == FT_REF && *value != '\0')
		return ref_title(app, f->ref_form, value);
	return field_display(f, value);
}

struct first_key {
	enum action action;
	int key;
	bool typed;	/* a form: printable keys are typed into the field, never actions */
};

static void
note_first_key(void *arg, int key, enum action a, const char *context)
{
	struct first_key *k = arg;

	(void)context;
	if (k->typed && key >= 0x20 && key != 0x7f && key < KEY_FUNCTION)
		return;
	if (a == k->action && k->key == 0)
		k->key = key;
}

/* "Tab next  C-s save  Esc cancel": the first key the keymap in force binds to each action,
 * so the hint on screen is never out of date; actions without a key are left out. */
char *
keys_hint(struct app *app, const char *context, const struct key_hint *hints, size_t n)
{
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		struct first_key k = { hints[i].action, 0, str_eq(context, VIEW_CONTEXT(form)) };
		struct buf name = BUF_INIT;

		keymap_each(app->keymap, context, note_first_key, &k);
		if (k.key == 0)
			continue;
		key_to_name(k.key, &name);
		buf_printf(&out, "%s%s %s", out.len > 0 ? "  " : "", buf_str(&name), _(hints[i].word));
		buf_free(&name);
	}
	return buf_detach(&out);
}
