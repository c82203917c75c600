/*
 * batch-confirm.c — the question before ";=" runs (issue 13, "batch confirmation"): a panel
 * above the message line says how many records will change (those already holding the values
 * do not count) with a few of them before → after, in labels and names as the table shows
 * them; the records the policy refuses are named on the question's line and left out.
 */
#include "config.h"

#include <stdlib.h>

#include "console/ask.h"

/* "办学状态 持证→停办" for each field that differs, joined by "; ". */
static char *
sample_changes(struct app *app, const struct record *before, const struct record *after)
{
	struct buf out = BUF_INIT;

	for (size_t i = 1; i < after->form->n_fields; i++) {
		const struct field *f = &after->form->fields[i];
		char *was;

		if (str_eq(before->values[i], after->values[i]))
			continue;
		/* copied: the next value_text may reuse the slot of a reference's name */
		was = xstrdup(*before->values[i] != '\0' ? value_text(app, f, before->values[i]) : _("(empty)"));
		buf_printf(&out, "%s%s %s→%s", out.len > 0 ? _("; ") : "", field_label(f), was,
		    *after->values[i] != '\0' ? value_text(app, f, after->values[i]) : _("(empty)"));
		free(was);
	}
	return buf_detach(&out);
}

/* "Left out (rule R): ID ID +N; set the other M?", as many ids as the line holds. */
static char *
left_out_question(struct app *app, const struct bulk_split *s)
{
	struct buf ids = BUF_INIT;
	char *q = NULL, *more;
	size_t shown;

	for (shown = 0; shown <= s->n_refused; shown++) {
		char *next;

		more = shown < s->n_refused ? xasprintf(" +%zu", s->n_refused - shown) : xstrdup("");
		next = xasprintf(_("left out (rule %s): %s%s; set the other %zu?"), s->rule,
		    buf_str(&ids), more, s->n_allowed);
		free(more);
		if (q != NULL && (int)width_of(next) > app->cols - 8) {
			free(next);
			break;
		}
		free(q);
		q = next;
		if (shown < s->n_refused)
			buf_printf(&ids, "%s%s", shown > 0 ? " " : "", s->refused[shown]);
	}
	buf_free(&ids);
	return q;
}

static void
draw_line(struct app *app, int y, int x, const char *text)
{
	move(y, 0);
	clrtoeol();
	draw_text(stdscr, y, x, app->cols - x - 1, text, false);
}

/* The panel, its last line just above the message line. */
static void
draw_panel(struct app *app, const struct assignments *a, const struct bulk_split *p)
{
	size_t more = p->n_changing - p->n_sample, same = p->n_allowed - p->n_changing;
	int rows = 2 + (int)p->n_sample + (more > 0), y = app->lines - 1 - rows;
	char *what = assignments_describe(a, p->after[0]), *line;

	line = xasprintf(_("batch: %s"), what);
	draw_heading(app, y++, line);
	free(line);
	line = same > 0 ? xasprintf(_("%zu records will change (%zu already hold it); for example:"), p->n_changing, same) :
	    xasprintf(_("%zu records will change; for example:"), p->n_changing);
	draw_line(app, y++, 1, line);
	free(line);
	for (size_t i = 0; i < p->n_sample; i++) {
		char *changes = sample_changes(app, p->before[i], p->after[i]);

		line = xasprintf("%s  %s", record_id(p->after[i]), changes);
		draw_line(app, y++, 3, line);
		free(changes);
		free(line);
	}
	if (more > 0) {
		line = xasprintf(_("… and %zu more"), more);
		draw_line(app, y, 3, line);
		free(line);
	}
	free(what);
}

bool
batch_confirm(struct app *app, const struct bulk_split *s, const struct assignments *a,
    bool *none)
{
	char *q;
	bool yes;

	*none = s->n_changing == 0;
	if (*none)
		return false;
	draw_panel(app, a, s);
	q = s->n_refused > 0 ? left_out_question(app, s) :
	    xasprintf(_("change these %zu records in one commit?"), s->n_changing);
	yes = app_confirm(app, q);
	free(q);
	return yes;
}
