/*
 * form-conflict.c — the record was saved by someone else after this form read it. Each field
 * where their value and yours differ is shown with both; the user keeps one or the other,
 * field by field, and saves the result against their version. A field only they changed starts
 * on their value and one only you changed on yours, so saving at once loses nobody's work.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "console/console-private.h"

struct conflict {
	const struct record *mine, *theirs;
	size_t *fields;		/* the fields that differ */
	bool *keep_theirs;
	size_t n, cur, top;
};

static void
find_differences(struct conflict *c, const struct record *base)
{
	const struct form *form = c->mine->form;

	c->fields = xcalloc(form->n_fields, sizeof *c->fields);
	c->keep_theirs = xcalloc(form->n_fields, sizeof *c->keep_theirs);
	for (size_t i = 1; i < form->n_fields; i++) {
		if (str_eq(c->mine->values[i], c->theirs->values[i]))
			continue;
		c->keep_theirs[c->n] = str_eq(c->mine->values[i], base->values[i]);
		c->fields[c->n++] = i;
	}
}

static void
draw_choice(struct app *app, int y, bool chosen, const char *who, const struct field *f,
    const char *value)
{
	char *line = xasprintf("  [%c] %s: %s", chosen ? 'x' : ' ', who, value_text(app, f, value));

	if (chosen)
		attron(A_BOLD);
	draw_text(stdscr, y, 2, app->cols - 3, line, false);
	if (chosen)
		attroff(A_BOLD);
	free(line);
}

static void
conflict_draw(struct app *app, struct conflict *c)
{
	static const struct key_hint hints[] = {
		{ ACT_NEXT_FIELD, N_("next") }, { ACT_SAVE, N_("save") }, { ACT_CANCEL, N_("back") },
	};
	const struct form *form = c->mine->form;
	int per = 3, shown = (app->lines - 5) / per, y = 3;
	char *head = xasprintf(_("%s was saved by someone else since you opened it (now version %" PRIu64 "). Keep whose value?"),
	    record_id(c->theirs), c->theirs->version), *keys = keys_hint(app, VIEW_CONTEXT(form), hints, 3);
	char *status = xasprintf(_(" conflict: %zu fields differ | Space: the other value | %s"), c->n, keys);

	erase();
	attron(app->colors ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD);
	draw_text(stdscr, 1, 1, app->cols - 2, head, false);
	attroff(app->colors ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD);
	if (c->cur < c->top)
		c->top = c->cur;
	if (c->cur >= c->top + (size_t)shown)
		c->top = c->cur - (size_t)shown + 1;
	for (size_t k = c->top; k < c->n && k < c->top + (size_t)shown; k++, y += per) {
		const struct field *f = &form->fields[c->fields[k]];

		mvaddstr(y, 0, k == c->cur ? ">" : " ");
		draw_text(stdscr, y, 2, app->cols - 3, field_label(f), false);
		draw_choice(app, y + 1, c->keep_theirs[k], _("theirs"), f, c->theirs->values[c->fields[k]]);
		draw_choice(app, y + 2, !c->keep_theirs[k], _("yours"), f, c->mine->values[c->fields[k]]);
	}
	draw_status(app, status, "");
	refresh();
	free(head);
	free(keys);
	free(status);
}

/* 1 save, 0 back to the form, -1 go on. */
static int
conflict_key(struct app *app, struct conflict *c, int key)
{
	enum action a = keymap_lookup(app->keymap, VIEW_CONTEXT(form), key);

	if (key == ' ' || a == ACT_LEFT || a == ACT_RIGHT) {
		if (c->n > 0)
			c->keep_theirs[c->cur] = !c->keep_theirs[c->cur];
	} else if ((a == ACT_DOWN || a == ACT_NEXT_FIELD) && c->cur + 1 < c->n)
		c->cur++;
	else if ((a == ACT_UP || a == ACT_PREV_FIELD) && c->cur > 0)
		c->cur--;
	else if (a == ACT_SAVE)
		return 1;
	else if (a == ACT_CANCEL || a == ACT_BACK)
		return 0;
	return -1;
}

int
form_resolve_conflict(struct app *app, const struct record *base, const struct record *mine,
    const struct record *theirs, struct record **merged)
{
	struct conflict c = { mine, theirs, NULL, NULL, 0, 0, 0 };
	int done = -1;

	find_differences(&c, base);
	while (done < 0) {
		int key;

		if (!app->too_small)
			conflict_draw(app, &c);
		if ((key = app_get_key(app)) != APP_KEY_RESIZE)
			done = conflict_key(app, &c, key);
	}
	if (done == 1) {
		*merged = record_copy(theirs);
		for (size_t k = 0; k < c.n; k++)
			if (!c.keep_theirs[k])
				record_set_raw(*merged, c.fields[k], mine->values[c.fields[k]]);
	}
	free(c.fields);
	free(c.keep_theirs);
	clear();
	return done;
}
