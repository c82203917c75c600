/*
 * table-counts.c — the people screen's counts (issue 13, item 9): a table whose form says
 * "answers FORM" (user.form: rectification) shows, at its right, each row's open records of
 * FORM and the overdue among them (people-counts.c, from FORM's tally or its indexes),
 * counted again only when the store has changed; Enter on a count lists exactly those
 * records, as a limit of FORM's table.
 */
#include "config.h"

#include <stdlib.h>

#include "campaign/people.h"
#include "console/form-private.h"
#include "console/table.h"

#define COUNT_GAP 1

struct table_counts {
	const struct machine *m;
	struct people_counts *pc;	/* NULL until counted, or when they cannot be */
	uint64_t snapshot;		/* the store's state they were counted from */
	int width[TABLE_COUNTS];	/* each column's, its gap included */
};

static const char *
count_label(const struct table_counts *tc, size_t k)
{
	(void)tc;
	return k == 0 ? _("open orders") : _("overdue");
}

struct table_counts *
table_counts_new(struct app *app, const struct form *form)
{
	const struct form *answers = form->answers != NULL ?
	    formset_find(store_forms(app->store), form->answers) : NULL;
	const struct machine *m = answers != NULL && app_casework(app) != NULL ?
	    casework_machine(app_casework(app), answers) : NULL;
	struct table_counts *tc;

	if (m == NULL || m->person_field < 0)
		return NULL;
	tc = xcalloc(1, sizeof *tc);
	tc->m = m;
	for (size_t k = 0; k < TABLE_COUNTS; k++) {
		int w = (int)width_of(count_label(tc, k));

		tc->width[k] = (w > 5 ? w : 5) + COUNT_GAP;
	}
	return tc;
}

void
table_counts_free(struct table_counts *tc)
{
	if (tc != NULL)
		people_counts_free(tc->pc);
	free(tc);
}

int
table_counts_width(const struct table_counts *tc)
{
	return tc != NULL ? tc->width[0] + tc->width[1] : 0;
}

/* Counted again when the store has changed since (any write, a move included). */
static void
counts_fresh(struct app *app, struct table_counts *tc)
{
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	char today[11];

	if (store_txn_begin(app->store, false, &txn, &err) == 0 &&
	    (tc->pc == NULL || store_txn_snapshot(txn) != tc->snapshot)) {
		uint64_t t0 = clock_us();

		people_counts_free(tc->pc);
		clock_format_date(clock_today(), today);
		if (people_counts_make(txn, tc->m, today, &tc->pc, &err) != 0) {
			people_counts_free(tc->pc);
			tc->pc = NULL;
		}
		tc->snapshot = store_txn_snapshot(txn);
		timings_note(app, "count", "people", t0);	/* --timings: the benchmark's figure */
	}
	if (err.message != NULL)
		app_message(app, true, "%s", err.message);
	store_txn_abort(txn);
	error_clear(&err);
}

void
table_counts_header(struct app *app, struct table_counts *tc, int x, long selected)
{
	if (tc == NULL)
		return;
	counts_fresh(app, tc);
	for (size_t k = 0; k < TABLE_COUNTS; k++) {
		int pad = tc->width[k] - COUNT_GAP - (int)width_of(count_label(tc, k));

		if ((long)k == selected)
			attron(A_UNDERLINE);
		draw_text(stdscr, 1, x + pad, tc->width[k] - COUNT_GAP - pad, count_label(tc, k), false);
		if ((long)k == selected)
			attroff(A_UNDERLINE);
		x += tc->width[k];
	}
}

void
table_counts_row(struct table_counts *tc, int y, int x, const char *id)
{
	size_t n[TABLE_COUNTS];

	if (tc == NULL)
		return;
	people_counts_of(tc->pc, id, &n[0], &n[1]);
	for (size_t k = 0; k < TABLE_COUNTS; k++) {
		char *text = xasprintf("%*zu", tc->width[k] - COUNT_GAP, n[k]);

		draw_text(stdscr, y, x, tc->width[k] - COUNT_GAP, text, false);
		free(text);
		x += tc->width[k];
	}
}

void
table_counts_drill(struct app *app, struct table_counts *tc, const char *id, size_t k)
{
	char *limit = people_counts_limit(tc->m, id, k == 1);
	struct error err = ERROR_INIT;
	struct view *v = view_table_new_limited(app, tc->m->form, limit, &err);

	if (v != NULL)
		app_push(app, v);
	else
		app_message(app, true, "%s", err.message);
	error_clear(&err);
	free(limit);
}
