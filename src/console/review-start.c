/*
 * review-start.c — the ways into a review queue: a table's tagged rows (else the rows its
 * limit shows), a task board column's cards, any list of ids another view hands over
 * (view_review_new), and the saved review, offered again when the same records are reviewed
 * or ":review" is typed with nothing to review.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/board.h"
#include "console/review.h"
#include "console/table.h"

/* A review goes one record at a time and is saved at each decision: more than this is a
 * set to narrow first. */
#define REVIEW_MAX 10000

/* The user's saved queue of this data directory, or NULL; a file that cannot be read is said
 * on the message line and left to be replaced. */
static struct review_queue *
saved_queue(struct app *app)
{
	struct review_queue *q = NULL;
	struct error err = ERROR_INIT;

	if (review_queue_load(app->opt->dir, &q, &err) < 0) {
		app_message(app, true, _("the saved review cannot be read (%s); a new one starts"),
		    err.message);
		q = NULL;
	}
	error_clear(&err);
	return q;
}

static bool
ask_resume(struct app *app, const struct review_queue *q)
{
	char *question = xasprintf(_("Resume the review of %zu records (%s) at %zu/%zu?"), q->n,
	    q->name, q->pos + 1, q->n);
	bool yes = app_confirm(app, question);

	free(question);
	return yes;
}

struct view *
view_review_new(struct app *app, const struct form *form, char *const *ids, size_t n,
    const char *name)
{
	struct review_queue *saved;
	char *title;

	if (n == 0) {
		app_message(app, true, _("nothing to review"));
		return NULL;
	}
	if (n > REVIEW_MAX) {
		app_message(app, true, _("%zu records are too many to review one at a time (at most %d): tag or limit fewer"),
		    n, REVIEW_MAX);
		return NULL;
	}
	if ((saved = saved_queue(app)) != NULL && !review_queue_finished(saved) &&
	    review_queue_same_ids(saved, ids, n) && ask_resume(app, saved))
		return view_review_of_queue(app, saved);
	review_queue_free(saved);
	title = name != NULL ? xstrdup(name) : form != NULL ? xstrdup(form_label(form)) :
	    xstrdup(_("records"));
	saved = review_queue_new(app->opt->dir, title, ids, n);
	free(title);
	return view_review_of_queue(app, saved);
}

static void
push_review(struct app *app, struct view *v)
{
	if (v != NULL)
		app_push(app, v);
}

void
review_resume(struct app *app)
{
	struct review_queue *q = saved_queue(app);

	if (q == NULL) {
		if (app->message == NULL)
			app_message(app, true, _("no review is saved: tag rows (t) or limit a table (l), then R; or R on the task board"));
		return;
	}
	if (ask_resume(app, q))
		app_push(app, view_review_of_queue(app, q));
	else
		review_queue_free(q);
}

void
review_from_table(struct app *app, const struct table *t)
{
	char **ids;
	char *name;
	size_t n = 0;

	if (t->n_tagged == 0 && t->limit == NULL) {
		review_resume(app);
		return;
	}
	if (t->n_tagged > 0) {
		ids = tagged_ids(t);
		n = t->n_tagged;
		name = xasprintf(_("%s, %zu tagged"), form_label(t->form), n);
	} else {
		ids = xcalloc(t->n_rows + 1, sizeof *ids);
		for (; n < t->n_rows; n++)
			ids[n] = xstrdup(t->ids[t->rows[n]]);
		name = xasprintf("%s: %s", form_label(t->form), t->limit);
	}
	push_review(app, view_review_new(app, t->form, ids, n, name));
	strv_free(ids);
	free(name);
}

void
review_from_board(struct app *app, struct board *b, int column)
{
	size_t n = board_count(b, (enum board_column)column), got = 0;
	char **ids = xcalloc(n + 1, sizeof *ids);
	struct error err = ERROR_INIT;
	char *name;

	for (size_t i = 0; i < n; i++) {
		const struct board_card *c = board_card(b, (enum board_column)column, i, &err);

		if (c != NULL)
			ids[got++] = xstrdup(c->id);
		error_clear(&err);
	}
	name = xasprintf(_("task board: %s"), board_column_label((enum board_column)column));
	push_review(app, view_review_new(app, NULL, ids, got, name));
	strv_free(ids);
	free(name);
}
