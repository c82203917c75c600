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
#include <stdio.h>

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

/* Work done while no key waits (reading ahead), a few milliseconds a call; returns true while
 * some remains. */
typedef bool (*background_fn)(struct app *app, void *arg);

struct view {
	const struct view_ops *ops;
	void *data;
	struct view *below;			/* the view this one was opened from */
};

enum color_pair { PAIR_TITLE = 1, PAIR_STATUS, PAIR_CURSOR, PAIR_ERROR, PAIR_HEADER };

#define N_SCREEN_KEYS 9	/* keys 1–9; the others are reached through the screen picker */

struct app {
	struct store *store;
	const struct console_options *opt;
	struct keymap *keymap;
	struct view *top;	/* the top of the current screen's stack */
	struct view **screens;	/* per screen of screens.c: the others' tops, kept while away */
	size_t n_screens;
	size_t screen;		/* the current screen, 0 for screen 1 */
	struct identity who;
	char *who_text;		/* the login with the role and district of its person record */
	char *message;		/* the message line: results and errors */
	bool message_is_error;
	bool colors;
	int lines, cols;
	bool too_small;
	bool waiting;		/* the main loop waits for a key: background work may repaint */
	int caret_y, caret_x;	/* where a view editing text wants the cursor; -1: hidden */
	char *pending_input;	/* a command's argument, which the next app_prompt returns */
	background_fn background;	/* NULL: nothing to do between keys */
	void *background_arg;
	FILE *timings;		/* --timings: where events are appended; NULL: off */
	uint64_t key_at;	/* when the key being handled came (clock_us); 0: none */
	const char *key_event;	/* its timing event ("key", "first-screen") … */
	const char *key_detail;	/* … and the action, e.g. "cursor.down" (may be NULL) */
	struct ref_titles *titles;	/* draw.c: the names of records referred to, recently shown */
	/* The casework (states, moves) and the checklist, read from DATA/forms on first use by
	 * app_casework and app_checklist (form-move.c); freed when the console ends. */
	struct casework *casework;
	struct checklist *checklist;
	bool casework_tried, checklist_tried;
	/* The credit weights (forms/credit.rules), read on first use by app_credit_rules
	 * (form-credit.c); freed when the console ends. */
	struct credit_rules *credit_rules;
	bool credit_tried;
};

/* app.c */
#define APP_KEY_RESIZE (KEY_FUNCTION | KEY_RESIZE)
int app_get_key(struct app *app);
void app_draw(struct app *app);
int app_dispatch(struct app *app, enum action a, int key);	/* the reaction */
void app_push(struct app *app, struct view *v);
void app_message(struct app *app, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets (fn NULL: clears) the one background job; a view that sets it clears it when it goes. */
void app_background(struct app *app, background_fn fn, void *arg);
/* Reads a line at the bottom (search, limit, command); NULL on Esc. Caller frees. */
char *app_prompt(struct app *app, const char *prompt, const char *initial);
/* Called after each change of a prompt's text; returns true when the view must be repainted
 * (e.g. an incremental search moved the cursor). */
typedef bool (*prompt_change_fn)(struct app *app, const char *text, void *arg);
/* app_prompt that calls on_change (when not NULL) after each change of the text. */
char *app_prompt_live(struct app *app, const char *prompt, const char *initial,
    prompt_change_fn on_change, void *arg);
/* Asks a yes/no question on the message line; true only for y. */
bool app_confirm(struct app *app, const char *question);

/* timings.c: --timings FILE or HUITOU_TIMINGS; only durations, never identity. */
void timings_open(struct app *app);
void timings_note(struct app *app, const char *event, const char *detail, uint64_t since);
void timings_close(struct app *app);

/* draw.c: all text goes through here; widths in display columns, never raw control bytes. */
int draw_text(WINDOW *w, int y, int x, int width, const char *s, bool pad);
void draw_fill(WINDOW *w, int y, int x, int width);
void draw_status(struct app *app, const char *left, const char *right);
/* A panel's heading on line y: cleared, bold, in the header colour. */
void draw_heading(struct app *app, int y, const char *text);
/* The status line's left text: the parts (NULL ones skipped) joined by " | ", the last ones
 * left out while it would be wider than width; the first is always kept. Caller frees. */
char *status_join(const char *const *parts, size_t n, int width);
/* A short note of the remotes whose replica lags past their lag-warn, or NULL (replica-note.c). */
const char *replica_note(struct app *app);
/* What a value shows: enum and bool words, division names, for a ref the title of the record
 * it names (forms/README.md "title"), the rest as stored. Valid until many more calls. */
const char *value_text(struct app *app, const struct field *f, const char *value);
void ref_titles_free(struct app *app);
struct key_hint {
	enum action action;
	const char *word;	/* N_(): a word or two for the hint line */
};
char *keys_hint(struct app *app, const char *context, const struct key_hint *hints, size_t n);

/* command.c: ":" and a command — an action's name or a short word, then its argument. */
int command_prompt(struct app *app);
int command_run(struct app *app, const char *line);

/* pick.c: a list to choose from, narrowed by typing; the index chosen, or -1 on Esc. */
struct pick_item {
	const char *value;
	const char *label;
};
int app_pick(struct app *app, const char *title, const struct pick_item *items, size_t n,
    const char *initial, size_t current);

/* form-conflict.c: someone saved the record since it was opened; the user picks, field by
 * field, whose value to keep. 1 with *merged (at their version) to save, 0 to go back. */
int form_resolve_conflict(struct app *app, const struct record *base, const struct record *mine,
    const struct record *theirs, struct record **merged);

/* screens.c: the registry of screens; a screen is one entry of its table. */
struct screen_def {
	const char *name;	/* a word for the picker's typing, e.g. "institutions" */
	const char *title_zh, *title_en;
	struct view *(*open)(struct app *app, const char *arg, struct error *err);
	const char *arg;	/* what open shows, e.g. the form of a table */
};
size_t screens_count(void);
const struct screen_def *screen_def(size_t i);	/* NULL past the last */
const char *screen_title(const struct screen_def *s);	/* in the user's language */
/* Screen i's first view; NULL with err when it cannot be made or there is no screen i. */
struct view *screen_open(struct app *app, size_t i, struct error *err);
/* The screen picker: every screen listed, narrowed by typing; the index chosen or -1 (Esc). */
int screen_pick(struct app *app, size_t current);

/* The views. */
struct view *view_table_new(struct app *app, const struct form *form, struct error *err);
/* A record's form; a new record when id is NULL. NULL with err when it cannot be read. */
struct view *view_form_new(struct app *app, const struct form *form, const char *id,
    struct error *err);
/* The table showing only the rows limit matches, as if typed after l. */
struct view *view_table_new_limited(struct app *app, const struct form *form, const char *limit,
    struct error *err);
struct view *view_dashboard_new(struct app *app, struct error *err);
struct view *view_casework_new(struct app *app, struct error *err);
/* view-supervision.c: the districts' evaluation, drill-down to its records (in the picker). */
struct view *view_supervision_new(struct app *app, struct error *err);
struct view *view_board_new(struct app *app, struct error *err);	/* the task board */
struct view *view_lists_new(struct app *app, struct error *err);	/* the black and white lists */
struct view *view_help_new(struct app *app, const char *context);
/* A record's history from git, newest first; never NULL (a failure is shown in the view). */
struct view *view_history_new(struct app *app, const struct form *form, const char *id);

/* review-start.c: a review queue of ids (form NULL: of any forms), named name for its title,
 * resuming the saved one when it is of the same ids and the user says so; NULL (a message
 * says why) when there is nothing to review. The ways in: a table's tagged or shown rows, a
 * board column's cards, and the saved review (":review" with no set). */
struct view *view_review_new(struct app *app, const struct form *form, char *const *ids,
    size_t n, const char *name);
struct table;
struct board;
void review_from_table(struct app *app, const struct table *t);
void review_from_board(struct app *app, struct board *b, int column);
void review_resume(struct app *app);

/* undo.c: checks, asks, reverts with a new commit and reports on the message line; true when
 * the reverting commit was made. */
bool undo_commit(struct app *app, const char *commit);
bool undo_newest_change(struct app *app, const struct form *form, const char *id);

#endif
