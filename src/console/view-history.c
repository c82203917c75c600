/*
 * view-history.c — a record's history from the audit record (git), newest first: for each
 * commit when (local time), who and what in words, why (its Reason trailer), then each field
 * it changed from what to what, labels in the user's language and values as people read them
 * (a person's name beside their id). The cursor moves from
 * commit to commit; a commit whose changes do not fit scrolls line by line first. "u" undoes
 * the commit under the cursor with a reverting commit (undo.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/console-private.h"

#define AUTHOR_COLS 14
#define CHANGE_INDENT 4

struct history_change {
	size_t field;
	char *was, *now;
};

struct history_entry {
	char commit[41];
	char *author, *email, *subject;
	char *reason;		/* the commit's Reason trailer, or NULL */
	time_t when;
	struct history_change *changes;
	size_t n_changes;
};

struct history {
	const struct form *form;
	char *id;
	struct history_entry *entries;
	size_t n;
	size_t *first_line;	/* per entry, its header's line; [n] is the number of lines */
	size_t cursor;		/* an entry */
	size_t top;		/* the first line shown */
	int label_w;
	char *error;		/* why the history could not be read */
	char *title;
};

static int
page_lines(const struct app *app)
{
	return app->lines - 3;	/* title, status, message */
}

static void
entry_add_change(struct history_entry *e, size_t field, const char *was, const char *now)
{
	struct history_change *c;

	e->changes = xrealloc(e->changes, (e->n_changes + 1) * sizeof *e->changes);
	c = &e->changes[e->n_changes++];
	c->field = field;
	c->was = xstrdup(was);
	c->now = xstrdup(now);
}

static int
collect_entry(void *arg, const struct store_history *h)
{
	struct history *hv = arg;
	struct history_entry *e;

	hv->entries = xrealloc(hv->entries, (hv->n + 1) * sizeof *hv->entries);
	e = &hv->entries[hv->n++];
	memset(e, 0, sizeof *e);
	memcpy(e->commit, h->commit, sizeof e->commit);
	e->author = xstrdup(h->author_name);
	e->email = xstrdup(h->author_email);
	e->subject = xstrndup(h->message, strcspn(h->message, "\n"));
	e->reason = store_message_trailer(h->message, "Reason");
	e->when = h->when;
	for (size_t i = 1; i < hv->form->n_fields; i++) {
		const char *was = h->before != NULL ? h->before->values[i] : "";
		const char *now = h->after != NULL ? h->after->values[i] : "";

		if (!str_eq(was, now))
			entry_add_change(e, i, was, now);
	}
	return 0;
}

static void
entries_free(struct history *hv)
{
	for (size_t i = 0; i < hv->n; i++) {
		struct history_entry *e = &hv->entries[i];

		for (size_t c = 0; c < e->n_changes; c++) {
			free(e->changes[c].was);
			free(e->changes[c].now);
		}
		free(e->changes);
		free(e->author);
		free(e->email);
		free(e->subject);
		free(e->reason);
	}
	free(hv->entries);
	free(hv->first_line);
	free(hv->error);
	hv->entries = NULL;
	hv->first_line = NULL;
	hv->error = NULL;
	hv->n = hv->cursor = hv->top = 0;
}

/* The header, the reason when there is one, a line per change. */
static size_t
entry_lines(const struct history_entry *e)
{
	return 1 + (e->reason != NULL) + e->n_changes;
}

/* (Re)reads the record's commits from git; a failure is kept to be shown in the view. */
static void
history_load(struct app *app, struct history *hv)
{
	struct error err = ERROR_INIT;

	entries_free(hv);
	if (store_history(app->store, hv->form, hv->id, collect_entry, hv, &err) < 0)
		hv->error = xstrdup(err.message != NULL ? err.message : _("unknown error"));
	error_clear(&err);
	hv->first_line = xcalloc(hv->n + 1, sizeof *hv->first_line);
	for (size_t i = 0; i < hv->n; i++)
		hv->first_line[i + 1] = hv->first_line[i] + entry_lines(&hv->entries[i]);
}

/* The entry a line belongs to. */
static size_t
entry_at_line(const struct history *hv, size_t line)
{
	size_t e = 0;

	while (e + 1 < hv->n && hv->first_line[e + 1] <= line)
		e++;
	return e;
}

/* Scrolls so the cursor's header shows, and as much of its changes as fit. */
static void
show_cursor(const struct app *app, struct history *hv)
{
	size_t rows = (size_t)page_lines(app), head = hv->first_line[hv->cursor];
	size_t end = hv->first_line[hv->cursor + 1];

	if (end > hv->top + rows)
		hv->top = end - rows;
	if (head < hv->top)
		hv->top = head;
}

static void
draw_header_line(struct app *app, const struct history_entry *e, int y, bool current)
{
	char when[32];
	struct tm tm;
	int x = 1;

	localtime_r(&e->when, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	if (current)
		attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
	draw_fill(stdscr, y, 0, app->cols);
	x += draw_text(stdscr, y, x, app->cols - x, when, false) + 2;
	attron(A_BOLD);
	draw_text(stdscr, y, x, AUTHOR_COLS, e->author, false);
	attroff(A_BOLD);
	x += AUTHOR_COLS + 2;
	draw_text(stdscr, y, x, app->cols - x - 1, e->subject, false);
	if (current)
		attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
}

/* What a value shows; a reference its id and the name of what it names. Caller frees. */
static char *
change_value(struct app *app, const struct field *f, const char *value)
{
	const char *shown = *value != '\0' ? value_text(app, f, value) : _("(empty)");

	if (f->kind == FT_REF && *value != '\0' && !str_eq(shown, value))
		return xasprintf("%s %s", value, shown);
	return xstrdup(shown);
}

/* "理由：…" under a commit's header. */
static void
draw_reason_line(struct app *app, const struct history_entry *e, int y)
{
	int x = CHANGE_INDENT;

	move(y, 0);
	clrtoeol();
	attron(A_BOLD);
	x += draw_text(stdscr, y, x, app->cols - x - 1, _("Reason: "), false);
	attroff(A_BOLD);
	draw_text(stdscr, y, x, app->cols - x - 1, e->reason, false);
}

/* "label  old -> new": the old value gets at most half the room, the new value the rest. */
static void
draw_change_line(struct app *app, const struct history *hv, const struct history_change *c,
    int y)
{
	const struct field *f = &hv->form->fields[c->field];
	int x = CHANGE_INDENT, room, used;
	char *was, *now;

	move(y, 0);
	clrtoeol();
	attron(A_BOLD);
	draw_text(stdscr, y, x, hv->label_w, field_label(f), false);
	attroff(A_BOLD);
	x += hv->label_w + 2;
	room = app->cols - x - 1 - 4;	/* a right margin and " -> " */
	was = change_value(app, f, c->was);
	now = change_value(app, f, c->now);
	used = draw_text(stdscr, y, x, room / 2, was, false);
	draw_text(stdscr, y, x + used, 4, " -> ", false);
	draw_text(stdscr, y, x + used + 4, room - used, now, false);
	free(was);
	free(now);
}

static void
history_status(struct app *app, const struct history *hv)
{
	char *left, *right;

	if (hv->n == 0) {
		draw_status(app, hv->title, "");
		return;
	}
	left = xasprintf(" %s | %.12s | %s <%s>", hv->id, hv->entries[hv->cursor].commit,
	    hv->entries[hv->cursor].author, hv->entries[hv->cursor].email);
	right = xasprintf("%zu/%zu ", hv->cursor + 1, hv->n);
	draw_status(app, left, right);
	free(left);
	free(right);
}

static void
history_draw(struct app *app, struct view *v)
{
	struct history *hv = v->data;
	int rows = page_lines(app);

	for (int y = 0; y < rows; y++) {
		size_t line = hv->top + (size_t)y, e, c, r;

		move(1 + y, 0);
		clrtoeol();
		if (line >= hv->first_line[hv->n])
			continue;
		e = entry_at_line(hv, line);
		c = line - hv->first_line[e];
		r = hv->entries[e].reason != NULL;
		if (c == 0)
			draw_header_line(app, &hv->entries[e], 1 + y, e == hv->cursor);
		else if (r && c == 1)
			draw_reason_line(app, &hv->entries[e], 1 + y);
		else
			draw_change_line(app, hv, &hv->entries[e].changes[c - 1 - r], 1 + y);
	}
	if (hv->error != NULL)
		draw_text(stdscr, 2, 2, app->cols - 4, hv->error, false);
	else if (hv->n == 0)
		draw_text(stdscr, 2, 2, app->cols - 4, _("The audit record has no change of this record yet."), false);
	history_status(app, hv);
}

/* Down: first scroll through the cursor's changes that do not fit, then the next commit. */
static void
move_down(struct app *app, struct history *hv)
{
	size_t rows = (size_t)page_lines(app);

	if (hv->first_line[hv->cursor + 1] > hv->top + rows)
		hv->top++;
	else if (hv->cursor + 1 < hv->n)
		hv->cursor++;
	show_cursor(app, hv);
}

static void
move_up(struct app *app, struct history *hv)
{
	if (hv->top > hv->first_line[hv->cursor])
		hv->top--;
	else if (hv->cursor > 0)
		hv->cursor--;
	if (hv->top > hv->first_line[hv->cursor])
		hv->top = hv->first_line[hv->cursor];
	else
		show_cursor(app, hv);
}

/* A page: to the commit a page of lines away; within one long commit, a page of its lines. */
static void
move_page(struct app *app, struct history *hv, bool down)
{
	size_t rows = (size_t)page_lines(app), total = hv->first_line[hv->n];
	size_t head = hv->first_line[hv->cursor], to;

	to = down ? (head + rows < total ? head + rows : total - 1) : (head > rows ? head - rows : 0);
	if (entry_at_line(hv, to) != hv->cursor || !down) {
		hv->cursor = entry_at_line(hv, to);
		hv->top = hv->first_line[hv->cursor];
		show_cursor(app, hv);
	} else if (total > rows) {
		hv->top = hv->top + rows < total - rows ? hv->top + rows : total - rows;
	}
}

static void
move_to(struct app *app, struct history *hv, size_t entry)
{
	hv->cursor = entry;
	hv->top = hv->first_line[entry];
	show_cursor(app, hv);
}

static void
history_act(struct app *app, struct history *hv, enum action a)
{
	switch (a) {
	case ACT_DOWN:		move_down(app, hv); break;
	case ACT_UP:		move_up(app, hv); break;
	case ACT_PAGE_DOWN:	move_page(app, hv, true); break;
	case ACT_PAGE_UP:	move_page(app, hv, false); break;
	case ACT_FIRST:		move_to(app, hv, 0); break;
	case ACT_LAST:		move_to(app, hv, hv->n - 1); break;
	case ACT_UNDO:
		if (undo_commit(app, hv->entries[hv->cursor].commit))
			history_load(app, hv);	/* the reverting commit is the newest now */
		break;
	default:
		break;
	}
}

static int
history_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct history *hv = v->data;

	(void)key;
	switch (a) {
	case ACT_DOWN: case ACT_UP: case ACT_PAGE_DOWN: case ACT_PAGE_UP:
	case ACT_FIRST: case ACT_LAST: case ACT_UNDO:
		if (hv->n > 0)
			history_act(app, hv, a);
		return R_DRAW;
	default:
		return R_UNHANDLED;
	}
}

static const char *
history_title(struct view *v)
{
	struct history *hv = v->data;

	return hv->title;
}

static void
history_destroy(struct view *v)
{
	struct history *hv = v->data;

	entries_free(hv);
	free(hv->id);
	free(hv->title);
	free(hv);
}

static const struct view_ops history_ops = {
	VIEW_CONTEXT(history), history_draw, history_handle, history_destroy, history_title,
};

/* Never NULL: a history that cannot be read shows why. */
struct view *
view_history_new(struct app *app, const struct form *form, const char *id)
{
	struct history *hv = xcalloc(1, sizeof *hv);
	struct view *v = xcalloc(1, sizeof *v);

	hv->form = form;
	hv->id = xstrdup(id);
	hv->title = xasprintf(_("History of %s %s"), form_label(form), id);
	for (size_t i = 1; i < form->n_fields; i++) {
		int w = (int)width_of(field_label(&form->fields[i]));

		hv->label_w = w > hv->label_w ? w : hv->label_w;
	}
	if (hv->label_w > 20)
		hv->label_w = 20;
	history_load(app, hv);
	v->ops = &history_ops;
	v->data = hv;
	return v;
}
