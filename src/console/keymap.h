/*
 * keymap.h — named actions and the key bindings that invoke them. Every action is named once,
 * in the ACTIONS table below (an X-macro: the enum, the kebab-case name and the help text come
 * from the same line), so the help screen and the documentation cannot drift from the code.
 * Bindings are data: keymaps/NAME.keys files of "bind CONTEXT KEY ACTION" lines (keymaps/README.md).
 */
#ifndef HUITOU_KEYMAP_H
#define HUITOU_KEYMAP_H

#include "base/base.h"

/* X(ENUM, "name", help) — help is an N_() string shown translated. */
#define ACTIONS(X) \
	X(ACT_NONE, "none", N_("do nothing")) \
	X(ACT_QUIT, "app.quit", N_("leave huitou")) \
	X(ACT_BACK, "view.back", N_("go back; quit from the top screen")) \
	X(ACT_HELP, "view.help", N_("show the keys of this screen")) \
	X(ACT_REDRAW, "view.redraw", N_("redraw the screen")) \
	X(ACT_COMMAND, "app.command", N_("type a command")) \
	X(ACT_SCREEN_1, "screen.1", N_("switch to screen 1 (institutions)")) \
	X(ACT_SCREEN_2, "screen.2", N_("switch to screen 2 (dashboard)")) \
	X(ACT_SCREEN_3, "screen.3", N_("switch to screen 3")) \
	X(ACT_SCREEN_4, "screen.4", N_("switch to screen 4")) \
	X(ACT_SCREEN_5, "screen.5", N_("switch to screen 5")) \
	X(ACT_SCREEN_6, "screen.6", N_("switch to screen 6")) \
	X(ACT_SCREEN_7, "screen.7", N_("switch to screen 7")) \
	X(ACT_SCREEN_8, "screen.8", N_("switch to screen 8")) \
	X(ACT_SCREEN_9, "screen.9", N_("switch to screen 9")) \
	X(ACT_SCREEN_PICK, "screen.pick", N_("choose a screen from the list of every screen")) \
	X(ACT_UP, "cursor.up", N_("move up one row")) \
	X(ACT_DOWN, "cursor.down", N_("move down one row")) \
	X(ACT_LEFT, "cursor.left", N_("move left")) \
	X(ACT_RIGHT, "cursor.right", N_("move right")) \
	X(ACT_PAGE_UP, "cursor.page-up", N_("move up one page")) \
	X(ACT_PAGE_DOWN, "cursor.page-down", N_("move down one page")) \
	X(ACT_FIRST, "cursor.first", N_("go to the first row")) \
	X(ACT_LAST, "cursor.last", N_("go to the last row")) \
	X(ACT_OPEN, "record.open", N_("open the record under the cursor")) \
	X(ACT_NEW, "record.new", N_("add a new record")) \
	X(ACT_SET, "record.set", N_("set fields of the row (after ;, of the tagged rows): FIELD=VALUE")) \
	X(ACT_SEARCH, "table.search", N_("search forward as you type")) \
	X(ACT_SEARCH_NEXT, "table.search-next", N_("go to the next match")) \
	X(ACT_SEARCH_PREV, "table.search-prev", N_("go to the previous match")) \
	X(ACT_LIMIT, "table.limit", N_("show only the rows matching an expression")) \
	X(ACT_SORT, "table.sort", N_("sort by the column under the cursor; again to reverse")) \
	X(ACT_COLUMNS, "table.columns", N_("choose the columns shown, by field names or labels")) \
	X(ACT_TAG, "table.tag", N_("tag or untag the row")) \
	X(ACT_TAG_PATTERN, "table.tag-pattern", N_("tag the rows matching an expression")) \
	X(ACT_APPLY_TAGGED, "table.apply-tagged", N_("apply the next action to the tagged rows")) \
	X(ACT_UNDO, "record.undo", N_("undo the last change (a reverting commit)")) \
	X(ACT_HISTORY, "record.history", N_("show the record's history")) \
	X(ACT_SAVE, "record.save", N_("save the record")) \
	X(ACT_CANCEL, "form.cancel", N_("cancel; asks first when something changed")) \
	X(ACT_NEXT_FIELD, "form.next-field", N_("go to the next field")) \
	X(ACT_PREV_FIELD, "form.prev-field", N_("go to the previous field")) \
	X(ACT_MOVE, "record.move", N_("move the record to another state (a pick list of its moves)")) \
	X(ACT_BOARD_MOVE_LEFT, "board.move-left", N_("move the card one column left (a move of its state)")) \
	X(ACT_BOARD_MOVE_RIGHT, "board.move-right", N_("move the card one column right (a move of its state)")) \
	X(ACT_BOARD_DISTRICT, "board.filter-district", N_("show one district's cards, chosen from a list")) \
	X(ACT_BOARD_PERSON, "board.filter-person", N_("show one person's cards, chosen from a list")) \
	X(ACT_BOARD_MINE, "board.filter-mine", N_("show only my cards; again for everyone's")) \
	X(ACT_BOARD_TYPE, "board.filter-type", N_("show one type of card, chosen from a list")) \
	X(ACT_BOARD_CLEAR, "board.filter-clear", N_("show every card again")) \
	X(ACT_REVIEW, "review.start", N_("review records one at a time: tagged rows, else the rows shown, or the column's cards")) \
	X(ACT_REVIEW_ACCEPT, "review.accept", N_("accept the record: the move its state's review line names")) \
	X(ACT_REVIEW_REJECT, "review.reject", N_("reject the record, with a reason")) \
	X(ACT_REVIEW_SKIP, "review.skip", N_("skip the record, deciding nothing")) \
	X(ACT_REVIEW_EDIT, "review.edit", N_("edit the record in its form; leaving it returns to the review")) \
	X(ACT_REVIEW_PREV, "review.previous", N_("go to the previous record of the review")) \
	X(ACT_REVIEW_NEXT, "review.next", N_("go to the next record of the review")) \
	X(ACT_REVIEW_BATCH, "review.batch", N_("switch between committing each decision at once and keeping them to commit at the end")) \
	X(ACT_REVIEW_COMMIT, "review.commit", N_("commit the decisions kept for the end")) \
	X(ACT_FREQUENCY, "table.frequency", N_("count the rows by a column or a pair of columns")) \
	X(ACT_VIEW_DELETE, "views.delete", N_("delete the saved view under the cursor")) \
	X(ACT_LISTS_SWITCH, "lists.switch", N_("switch between this month's preview and the past publications")) \
	X(ACT_LISTS_DIFF, "lists.diff", N_("mark a publication; on another, show what changed between the two")) \
	X(ACT_LISTS_PUBLISH, "lists.publish", N_("publish this month's lists: one commit and its tag (asks first)")) \
	X(ACT_LIMIT_STOP, "table.stop-limit", N_("stop a limit still filtering; every row is shown again"))

enum action {
#define X(e, name, help) e,
	ACTIONS(X)
#undef X
	ACT_COUNT
};

const char *action_name(enum action a);
const char *action_help(enum action a);	/* translated */
int action_from_name(const char *name, enum action *out);

/*
 * Keys as one int: a character is its code point; a function key (curses KEY_*) is
 * KEY_FUNCTION | code. Ctrl-letters are their control characters (C-s is 0x13).
 */
#define KEY_FUNCTION 0x40000000
int key_from_name(const char *name, int *out);	/* "j", "C-s", "PgDn", "S-Tab", "F2", "Space" */
void key_to_name(int key, struct buf *out);	/* the inverse, for the help screen */

/*
 * The views, by the name of their keymap context, as tig derives its keymaps from its views:
 * a new kind of view is one line here, and its bindings are "bind NAME KEY ACTION". "global"
 * applies everywhere unless a view's context overrides.
 */
#define VIEW_CONTEXTS(X) X(global) X(table) X(form) X(help) X(history) X(dashboard) \
	X(board) X(review) X(freq) X(views) \
	X(draw) X(lists)

enum view_context {
#define X(name) CTX_##name,
	VIEW_CONTEXTS(X)
#undef X
	CTX_COUNT
};
#define KEYMAP_CONTEXT_NAME(name) #name,
/* Contexts a binding applies in, as an initializer: the names of VIEW_CONTEXTS. */
#define KEYMAP_CONTEXTS VIEW_CONTEXTS(KEYMAP_CONTEXT_NAME)
/* A view's context name, checked against VIEW_CONTEXTS when it compiles: VIEW_CONTEXT(table). */
extern const char view_context_names[CTX_COUNT][16];
#define VIEW_CONTEXT(name) (view_context_names[CTX_##name])

struct keymap;
struct keymap *keymap_new(void);
void keymap_free(struct keymap *km);
/* Each bad line is reported through warn as "FILE:LINE: reason" and skipped. */
typedef void (*keymap_warn_fn)(void *arg, const char *message);
int keymap_load_text(struct keymap *km, const char *name, const char *text, keymap_warn_fn warn,
    void *arg);
int keymap_load_file(struct keymap *km, const char *path, keymap_warn_fn warn, void *arg);
enum action keymap_lookup(const struct keymap *km, const char *context, int key);
/* Every binding of a context (global ones too, unless overridden), in file order. */
typedef void (*keymap_binding_fn)(void *arg, int key, enum action a, const char *context);
void keymap_each(const struct keymap *km, const char *context, keymap_binding_fn fn, void *arg);

#endif
