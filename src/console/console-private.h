/*
 * console-private.h — what the files of src/console/ share: the app (screen, keymap, store,
 * the stack of views) and the view operations, in the manner of tig's view ops. Handlers
 * return a reaction instead of drawing; the app loop draws once per key.
 */
#ifndef HUITOU_CONSOLE_PRIVATE_H
#define HUITOU_CONSOLE_PRIVATE_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>

#include "console/console.h"
#include "console/keymap.h"

#define MIN_COLS 80
#define MIN_LINES 24

enum reaction {
	R_NONE = 0,
	R_DRAW = 1,		/* repaint the view */
	R_BACK = 2,		/* pop the view */
	R_QUIT = 4,
	R_UNHANDLED = 8,	/* not this view's key: try the app's */
};

struct app;
struct view;

struct view_ops {
	const char *context;			/* the keymap context */
	void (*draw)(struct app *app, struct view *v);
	int (*handle)(struct app *app, struct view *v, enum action a, int key);
	void (*destroy)(struct view *v);
	const char *(*title)(struct view *v);
};

struct view {
	const struct view_ops *ops;
	void *data;
	struct view *below;			/* the view this one was opened from */
};

enum color_pair { PAIR_TITLE = 1, PAIR_STATUS, PAIR_CURSOR, PAIR_ERROR, PAIR_HEADER };

#define N_SCREENS 9	/* keys 1–9 */

struct app {
	struct store *store;
	const struct console_options *opt;
	struct keymap *keymap;
	struct view *top;	/* the top of the current screen's stack */
	struct view *screens[N_SCREENS];	/* the others' tops, kept while away */
	int screen;		/* the current screen, 0 for screen 1 */
	struct identity who;
	char *message;		/* the message line: results and errors */
	bool message_is_error;
	bool colors;
	int lines, cols;
	bool too_small;
};

/* app.c */
void app_push(struct app *app, struct view *v);
void app_message(struct app *app, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Reads a line at the bottom (search, limit, command); NULL on Esc. Caller frees. */
char *app_prompt(struct app *app, const char *prompt, const char *initial);
/* Asks a yes/no question on the message line; true only for y. */
bool app_confirm(struct app *app, const char *question);

/* draw.c: all text goes through here; widths in display columns, never raw control bytes. */
int draw_text(WINDOW *w, int y, int x, int width, const char *s, bool pad);
void draw_fill(WINDOW *w, int y, int x, int width);
void draw_status(struct app *app, const char *left, const char *right);
const char *value_text(struct app *app, const struct field *f, const char *value);

/* The views. */
struct view *view_table_new(struct app *app, const struct form *form, struct error *err);
/* The table showing only the rows limit matches, as if typed after l. */
struct view *view_table_new_limited(struct app *app, const struct form *form, const char *limit,
    struct error *err);
struct view *view_dashboard_new(struct app *app, struct error *err);
struct view *view_record_new(struct app *app, const struct form *form, const char *id);
struct view *view_help_new(struct app *app, const char *context);

#endif
