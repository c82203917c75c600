/*
 * view-review.c — the review queue on screen: one record at a time, its fields in two columns
 * and below them its open related records and the last closed one of each kind (an
 * institution's open orders and last inspection, from form-related.c), progress "11/20" and
 * the counts on the status line. One key each accepts, rejects (with a reason), skips or
 * edits; what accept and reject do is the review line of the record's state in its states file
 * (forms/README.md). A decision is a move (casework_move_from, with the state seen, so one
 * made stale by someone else is refused) made at once, or kept and committed at the end.
 * The queue is saved at each decision and when it is left (review-queue.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/form-private.h"
#include "console/review.h"

#define HEAD_ROWS 2		/* the record's heading and its decision line */
#define LABEL_MAX 12		/* the widest label kept in a column */

struct rview {
	struct review_queue *q;
	struct form_view fv;	/* the current record (form, rec) and its related records */
	char *read_error;	/* why the current record cannot be shown, or NULL */
	bool stale;		/* read the record again before drawing (back from its form) */
	char *title;
};

static struct review_item *
current(struct rview *rv)
{
	return &rv->q->items[rv->q->pos];
}

static const struct machine *
current_machine(struct app *app, const struct rview *rv)
{
	return rv->fv.form != NULL ? casework_machine(app_casework(app), rv->fv.form) : NULL;
}

static const char *
current_state(struct app *app, const struct rview *rv)
{
	const struct machine *m = current_machine(app, rv);

	return m != NULL && rv->fv.rec != NULL ? rv->fv.rec->values[m->field] : NULL;
}

/* ---- reading the record shown ---- */

static void
forget_record(struct rview *rv)
{
	record_free(rv->fv.rec);
	rv->fv.rec = NULL;
	related_free(&rv->fv.related);
	free(rv->read_error);
	rv->read_error = NULL;
}

/* Whether a related row is a record in a final state (an order verified, an inspection done). */
static bool
row_is_final(struct app *app, struct store_txn *txn, const struct related_row *row)
{
	const struct machine *m = casework_machine(app_casework(app), row->form);
	struct record *rec = NULL;
	struct error err = ERROR_INIT;
	const struct machine_state *s;
	bool final = false;

	if (m != NULL && row->id != NULL && store_get(txn, row->form, row->id, &rec, &err) == 0)
		final = (s = machine_state(m, rec->values[m->field])) != NULL && s->final;
	record_free(rec);
	error_clear(&err);
	return final;
}

/* The related records cut to the open ones and the newest closed one of each kind: what a
 * reviewer weighs (open orders, the last inspection). Ids grow with time, so the last final
 * row of a kind is its newest. */
static void
keep_open_and_last(struct app *app, struct related *r)
{
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;
	bool *final = xcalloc(r->n + 1, sizeof *final);
	size_t kept = 0;

	if (store_txn_begin(app->store, false, &txn, &err) != 0) {
		error_clear(&err);
		free(final);
		return;
	}
	for (size_t i = 0; i < r->n; i++)
		final[i] = row_is_final(app, txn, &r->rows[i]);
	store_txn_abort(txn);
	for (size_t i = 0; i < r->n; i++) {
		bool later_final = false;

		for (size_t j = i + 1; j < r->n && final[i]; j++)
			later_final |= final[j] && r->rows[j].form == r->rows[i].form &&
			    r->rows[j].ref == r->rows[i].ref;
		if (later_final) {
			free(r->rows[i].id);
			free(r->rows[i].text);
		} else
			r->rows[kept++] = r->rows[i];
	}
	r->n = kept;
	free(final);
}

static void
load_record(struct app *app, struct rview *rv)
{
	const char *id = current(rv)->id;
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;

	forget_record(rv);
	rv->stale = false;
	rv->fv.form = formset_form_of_id(store_forms(app->store), id);
	if (rv->fv.form == NULL)
		rv->read_error = xasprintf(_("'%s' is not an id of any record type"), id);
	else if (store_txn_begin(app->store, false, &txn, &err) != 0 ||
	    store_get(txn, rv->fv.form, id, &rv->fv.rec, &err) != 0) {
		rv->read_error = xstrdup(err.message);
		rv->fv.rec = NULL;
	}
	store_txn_abort(txn);
	error_clear(&err);
	if (rv->fv.rec == NULL)
		return;
	store_mask_record(app->store, rv->fv.rec);
	related_load(app, &rv->fv);
	keep_open_and_last(app, &rv->fv.related);
	rv->fv.in_related = false;
}

/* ---- drawing ---- */

static const char *
decision_word(enum review_decision d)
{
	static const char *const words[] = { N_("undecided"), N_("accepted"), N_("rejected"),
		N_("skipped") };

	return _(words[d]);
}

/* The words of the move a review line names, or NULL when it names none. */
static const char *
review_move_words(const struct machine *m, const char *state, const char *to)
{
	const struct machine_move *mv = to != NULL ? machine_find_move(m, state, to) : NULL;

	return mv != NULL ? lang_pick(mv->words_zh, mv->words_en) : NULL;
}

/* "a 通过：整改完成  r 退回：停办", or why this record can only be skipped or edited. */
static char *
choices_text(struct app *app, const struct rview *rv)
{
	const struct machine *m = current_machine(app, rv);
	const char *state = current_state(app, rv);
	const struct machine_review *r = state != NULL ? machine_review(m, state) : NULL;
	const char *acc = r != NULL ? review_move_words(m, state, r->accept_to) : NULL;
	const char *rej = r != NULL ? review_move_words(m, state, r->reject_to) : NULL;

	if (acc == NULL && rej == NULL)
		return xstrdup(_("no review line for this state: skip or edit it"));
	return xasprintf(_("accept: %s   reject: %s"), acc != NULL ? acc : _("(none)"),
	    rej != NULL ? rej : _("(none)"));
}

static void
draw_head(struct app *app, struct rview *rv)
{
	const struct review_item *it = current(rv);
	const struct machine *m = current_machine(app, rv);
	const char *state = current_state(app, rv);
	char *head, *line;

	head = xasprintf("%zu/%zu  %s %s  %s", rv->q->pos + 1, rv->q->n,
	    rv->fv.form != NULL ? form_label(rv->fv.form) : "", it->id,
	    state != NULL ? field_option_label(&m->form->fields[m->field], state) : "");
	draw_heading(app, 1, head);
	free(head);
	if (it->note != NULL)
		line = xasprintf(_("refused: %s"), it->note);
	else if (it->decision != DECIDE_NONE)
		line = xasprintf("%s%s%s%s", decision_word(it->decision),
		    it->pending ? _(" (kept for the end)") : "", it->reason != NULL ? ": " : "",
		    it->reason != NULL ? it->reason : "");
	else
		line = choices_text(app, rv);
	move(2, 0);
	clrtoeol();
	if (it->note != NULL)
		attron(app->colors ? COLOR_PAIR(PAIR_ERROR) : A_BOLD);
	draw_text(stdscr, 2, 1, app->cols - 2, line, false);
	attroff(app->colors ? COLOR_PAIR(PAIR_ERROR) : A_BOLD);
	free(line);
}

/* The fields the two columns show, after the id: all when they fit in rows, else the ones
 * that hold something. */
static size_t
shown_fields(const struct record *rec, size_t *out, int rows)
{
	bool all = rec->form->n_fields <= 2 * (size_t)rows + 1;
	size_t n = 0;

	for (size_t k = 1; k < rec->form->n_fields; k++)
		if (all || *rec->values[k] != '\0')
			out[n++] = k;
	return n;
}

static void
draw_field(struct app *app, const struct record *rec, size_t k, int y, int x, int width,
    int label_w)
{
	const struct field *f = &rec->form->fields[k];
	draw_text(stdscr, y, x, label_w, field_label(f), true);
	draw_text(stdscr, y, x + label_w + 1, width - label_w - 3,
	    value_text(app, f, rec->values[k]), false);
}

/* The fields in two columns, down the left one first, on rows y .. y + rows - 1. */
static void
draw_fields(struct app *app, struct rview *rv, int y, int rows)
{
	const struct record *rec = rv->fv.rec;
	size_t *idx = xcalloc(rec->form->n_fields, sizeof *idx);
	size_t n = shown_fields(rec, idx, rows), per_col;
	int col_w = app->cols / 2, label_w = 0;

	for (size_t i = 0; i < n; i++) {
		int w = (int)width_of(field_label(&rec->form->fields[idx[i]]));

		label_w = w > label_w ? w : label_w;
	}
	label_w = label_w > LABEL_MAX ? LABEL_MAX : label_w;
	per_col = (n + 1) / 2;
	if (per_col > (size_t)rows)
		per_col = (size_t)rows;
	for (int r = 0; r < rows; r++) {
		move(y + r, 0);
		clrtoeol();
	}
	for (size_t i = 0; i < n && i < 2 * per_col; i++)
		draw_field(app, rec, idx[i], y + (int)(i % per_col), i < per_col ? 1 : col_w, col_w,
		    label_w);
	if (n > 2 * per_col) {
		char *more = xasprintf(_("... %zu more fields (e opens the form)"), n - 2 * per_col);

		draw_text(stdscr, y + rows - 1, col_w, col_w - 1, more, true);
		free(more);
	}
	free(idx);
}

static void
draw_status_line(struct app *app, struct rview *rv)
{
	const struct review_queue *q = rv->q;
	char *progress = xasprintf(_(" Review %zu/%zu"), q->pos + 1, q->n);
	char *counts = xasprintf(_("accepted %zu  rejected %zu  skipped %zu"),
	    review_queue_count(q, DECIDE_ACCEPT, false), review_queue_count(q, DECIDE_REJECT, false),
	    review_queue_count(q, DECIDE_SKIP, false));
	size_t kept = review_queue_count(q, DECIDE_ACCEPT, true) +
	    review_queue_count(q, DECIDE_REJECT, true);
	char *pending = kept > 0 ? xasprintf(_("%zu kept for the end"), kept) : NULL;
	char *left = status_join((const char *const[]){ progress, counts, pending, q->name }, 4,
	    app->cols - 12);

	draw_status(app, left, q->at_end ? _("commit at the end") : _("commit each"));
	free(left);
	free(pending);
	free(counts);
	free(progress);
}

static void
review_draw(struct app *app, struct view *v)
{
	struct rview *rv = v->data;
	int bottom = app->lines - 2, related = 0;	/* the status line's row */

	if (rv->stale)
		load_record(app, rv);
	draw_head(app, rv);
	if (rv->fv.rec == NULL) {
		for (int y = HEAD_ROWS + 1; y < bottom; y++) {
			move(y, 0);
			clrtoeol();
		}
		draw_text(stdscr, HEAD_ROWS + 1, 1, app->cols - 2, rv->read_error, false);
	} else {
		related = related_rows(app, &rv->fv);
		draw_fields(app, rv, HEAD_ROWS + 1, bottom - HEAD_ROWS - 1 - related);
		if (related > 0)
			related_draw(app, &rv->fv, bottom - related, related);
	}
	draw_status_line(app, rv);
}

/* ---- decisions ---- */

static void
save_queue(struct app *app, struct rview *rv)
{
	struct error err = ERROR_INIT;

	if (review_queue_finished(rv->q) ? review_queue_forget(rv->q->dir, &err) :
	    review_queue_save(rv->q, &err))
		app_message(app, true, "%s", err.message);
	error_clear(&err);
}

static void
go_to(struct app *app, struct rview *rv, size_t pos)
{
	rv->q->pos = pos;
	load_record(app, rv);
}

/* After a decision: the next record, or a word that this was the last. */
static void
advance(struct app *app, struct rview *rv)
{
	if (rv->q->pos + 1 < rv->q->n)
		go_to(app, rv, rv->q->pos + 1);
	else
		app_message(app, false, _("that was the last record: %zu of %zu decided; q leaves the review"),
		    rv->q->n - review_queue_count(rv->q, DECIDE_NONE, false), rv->q->n);
}

static void
set_decision(struct review_item *it, enum review_decision d, bool pending, const char *seen,
    char *reason)
{
	it->decision = d;
	it->pending = pending;
	free(it->seen);
	it->seen = seen != NULL ? xstrdup(seen) : NULL;
	free(it->reason);
	it->reason = reason;
	free(it->note);
	it->note = NULL;
}

/* A state of the record id in the user's language. */
static const char *
state_words(struct app *app, const char *id, const char *state)
{
	const struct form *form = formset_form_of_id(store_forms(app->store), id);
	const struct machine *m = form != NULL ? casework_machine(app_casework(app), form) : NULL;

	return m != NULL ? field_option_label(&m->form->fields[m->field], state) : state;
}

/* The move of a decision, from the state seen; refused when someone moved the record since. */
static int
make_decision_move(struct app *app, struct review_item *it, const char *to, struct error *err)
{
	struct move_result res;
	int rc = casework_move_from(app->store, app_casework(app), it->id, it->seen, to,
	    it->reason, &res, err);
	const char *warning = store_audit_warning(app->store);

	if (rc == 0)
		app_message(app, false, "%s: %s → %s%s%s", it->id, state_words(app, it->id, res.from),
		    state_words(app, it->id, res.to), warning != NULL ? "; " : "",
		    warning != NULL ? warning : "");
	move_result_clear(&res);
	return rc;
}

/* The state a decision moves a record to, from its state's review line now; NULL with a
 * message when there is none. */
static const char *
decision_target(struct app *app, struct rview *rv, enum review_decision d, const char *state)
{
	const struct machine *m = current_machine(app, rv);
	const struct machine_review *r = m != NULL && state != NULL ? machine_review(m, state) : NULL;
	const char *to = r == NULL ? NULL : d == DECIDE_ACCEPT ? r->accept_to : r->reject_to;

	if (to == NULL)
		app_message(app, true, _("%s %s has no %s for its state (%s) in the states file: s skips it, e edits it"),
		    rv->fv.form != NULL ? form_label(rv->fv.form) : "", current(rv)->id,
		    d == DECIDE_ACCEPT ? _("accept") : _("reject"),
		    state != NULL ? state_words(app, current(rv)->id, state) : "-");
	return to;
}

static void
decide(struct app *app, struct rview *rv, enum review_decision d)
{
	struct review_item *it = current(rv);
	const char *state = current_state(app, rv);
	const char *to = decision_target(app, rv, d, state);
	const struct machine_move *mv;
	struct error err = ERROR_INIT;
	char *reason = NULL;

	if (to == NULL)
		return;
	mv = machine_find_move(current_machine(app, rv), state, to);
	if ((d == DECIDE_REJECT || machine_move_needs_reason(mv)) &&
	    ((reason = app_prompt(app, d == DECIDE_REJECT ? _("Reason for rejecting: ") :
	    _("Reason for the move: "), "")) == NULL || *str_trim(reason) == '\0')) {
		app_message(app, false, _("nothing decided: a reason is needed"));
		free(reason);
		return;
	}
	set_decision(it, d, rv->q->at_end, state, reason);
	if (!rv->q->at_end && make_decision_move(app, it, to, &err) != 0) {
		set_decision(it, DECIDE_NONE, false, NULL, NULL);
		it->note = xstrdup(err.message);
		app_message(app, true, "%s", err.message);
	}
	error_clear(&err);
	save_queue(app, rv);
	if (it->note == NULL)
		advance(app, rv);
	else
		load_record(app, rv);
}

static void
skip(struct app *app, struct rview *rv)
{
	struct review_item *it = current(rv);

	if (it->decision != DECIDE_NONE && !it->pending) {
		app_message(app, true, _("%s is %s already, in git: u in its table undoes it"), it->id,
		    decision_word(it->decision));
		advance(app, rv);
		return;
	}
	set_decision(it, DECIDE_SKIP, false, NULL, NULL);
	save_queue(app, rv);
	advance(app, rv);
}

/* The state a kept decision moves its record to, from the review line of the state it was
 * decided on; NULL when the states file has none now. */
static const char *
kept_target(struct app *app, const struct review_item *it)
{
	const struct form *form = formset_form_of_id(store_forms(app->store), it->id);
	const struct machine *m = form != NULL ? casework_machine(app_casework(app), form) : NULL;
	const struct machine_review *r = m != NULL && it->seen != NULL ?
	    machine_review(m, it->seen) : NULL;

	if (r == NULL)
		return NULL;
	return it->decision == DECIDE_ACCEPT ? r->accept_to : r->reject_to;
}

static void
refuse_kept(struct review_item *it, const char *why)
{
	char *note = xstrdup(why);

	set_decision(it, DECIDE_NONE, false, NULL, NULL);
	it->note = note;
}

/* One try at the kept decisions as one commit: 0 when made (or none is left), 1 when one was
 * refused and marked (try the others again), -1 on another failure (err). */
static int
commit_kept_once(struct app *app, struct rview *rv, size_t *done, struct error *err)
{
	struct move_request *req = xcalloc(rv->q->n, sizeof *req);
	size_t *at = xcalloc(rv->q->n, sizeof *at), n = 0, refused;
	struct move_result *res;
	int rc;

	for (size_t i = 0; i < rv->q->n; i++) {
		struct review_item *it = &rv->q->items[i];
		const char *to;

		if (!it->pending)
			continue;
		if ((to = kept_target(app, it)) == NULL) {
			refuse_kept(it, _("its state has no such review move now"));
			continue;
		}
		req[n] = (struct move_request){ it->id, it->seen, to, it->reason };
		at[n++] = i;
	}
	res = xcalloc(n + 1, sizeof *res);
	rc = n == 0 ? 0 : casework_moves(app->store, app_casework(app), req, n, res, &refused, err);
	if (rc == 0)
		for (size_t k = 0; k < n; k++)
			rv->q->items[at[k]].pending = false;
	else if (err->status == ST_REFUSED && refused < n) {
		refuse_kept(&rv->q->items[at[refused]], err->message);
		error_clear(err);
		rc = 1;
	}
	*done = rc == 0 ? n : 0;
	for (size_t k = 0; k < n; k++)
		move_result_clear(&res[k]);
	free(res);
	free(at);
	free(req);
	return rc;
}

/* The decisions kept for the end, all in one commit (casework_moves: all or nothing); one
 * refused (made stale by someone else, a guard) is marked, undecided again, and the others
 * are tried again without it. */
static void
commit_kept(struct app *app, struct rview *rv)
{
	size_t n = review_queue_count(rv->q, DECIDE_ACCEPT, true) +
	    review_queue_count(rv->q, DECIDE_REJECT, true), done = 0;
	struct error err = ERROR_INIT;
	int rc = 1;

	if (n == 0) {
		app_message(app, false, _("no decisions are kept for the end"));
		return;
	}
	app_message(app, false, _("committing %zu decisions in one commit …"), n);
	app_draw(app);
	while (rc == 1)
		rc = commit_kept_once(app, rv, &done, &err);
	save_queue(app, rv);
	load_record(app, rv);
	if (rc < 0)
		app_message(app, true, _("nothing was committed: %s"), err.message);
	else
		app_message(app, done < n, _("%zu of %zu decisions committed in one commit; %zu refused (marked, undecided again)"),
		    done, n, n - done);
	error_clear(&err);
}

static void
toggle_mode(struct app *app, struct rview *rv)
{
	size_t kept = review_queue_count(rv->q, DECIDE_ACCEPT, true) +
	    review_queue_count(rv->q, DECIDE_REJECT, true);

	rv->q->at_end = !rv->q->at_end;
	save_queue(app, rv);
	if (rv->q->at_end)
		app_message(app, false, _("decisions are kept now; c commits them all at the end"));
	else if (kept > 0)
		app_message(app, false, _("each decision is committed at once now; %zu kept ones wait for c"),
		    kept);
	else
		app_message(app, false, _("each decision is committed at once now"));
}

static void
edit(struct app *app, struct rview *rv)
{
	struct error err = ERROR_INIT;
	struct view *v;

	if (rv->fv.form == NULL)
		return;
	if ((v = view_form_new(app, rv->fv.form, current(rv)->id, &err)) != NULL) {
		app_push(app, v);
		rv->stale = true;	/* read again when the form is left */
	} else
		app_message(app, true, "%s", err.message);
	error_clear(&err);
}

static int
leave(struct app *app, struct rview *rv)
{
	size_t kept = review_queue_count(rv->q, DECIDE_ACCEPT, true) +
	    review_queue_count(rv->q, DECIDE_REJECT, true);

	save_queue(app, rv);
	if (review_queue_finished(rv->q))
		app_message(app, false, _("review finished: accepted %zu, rejected %zu, skipped %zu"),
		    review_queue_count(rv->q, DECIDE_ACCEPT, false),
		    review_queue_count(rv->q, DECIDE_REJECT, false),
		    review_queue_count(rv->q, DECIDE_SKIP, false));
	else
		app_message(app, false, _("review kept at %zu/%zu (%zu decisions not committed): R on the same rows or :review resumes it"),
		    rv->q->pos + 1, rv->q->n, kept);
	return app->top->below == NULL ? R_QUIT : R_BACK;
}

static int
review_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct rview *rv = v->data;

	(void)key;
	switch (a) {
	case ACT_REVIEW_ACCEPT:	decide(app, rv, DECIDE_ACCEPT); break;
	case ACT_REVIEW_REJECT:	decide(app, rv, DECIDE_REJECT); break;
	case ACT_REVIEW_SKIP:	skip(app, rv); break;
	case ACT_REVIEW_EDIT:	edit(app, rv); break;
	case ACT_REVIEW_BATCH:	toggle_mode(app, rv); break;
	case ACT_REVIEW_COMMIT:	commit_kept(app, rv); break;
	case ACT_REVIEW_PREV: case ACT_UP:
		if (rv->q->pos > 0)
			go_to(app, rv, rv->q->pos - 1);
		break;
	case ACT_REVIEW_NEXT: case ACT_DOWN:
		if (rv->q->pos + 1 < rv->q->n)
			go_to(app, rv, rv->q->pos + 1);
		break;
	case ACT_FIRST:		go_to(app, rv, 0); break;
	case ACT_LAST:		go_to(app, rv, rv->q->n - 1); break;
	case ACT_REVIEW:	break;
	case ACT_BACK:		return leave(app, rv);
	default:
		return R_UNHANDLED;
	}
	return R_DRAW;
}

static const char *
review_title(struct view *v)
{
	return ((struct rview *)v->data)->title;
}

static void
review_destroy(struct view *v)
{
	struct rview *rv = v->data;
	struct error err = ERROR_INIT;

	/* Quitting huitou from here (Q) keeps the place too; nothing to show it on any more. */
	if (review_queue_finished(rv->q) ? review_queue_forget(rv->q->dir, &err) :
	    review_queue_save(rv->q, &err))
		fprintf(stderr, "huitou: %s\n", err.message);
	error_clear(&err);
	forget_record(rv);
	review_queue_free(rv->q);
	free(rv->title);
	free(rv);
}

static const struct view_ops review_ops = {
	VIEW_CONTEXT(review), review_draw, review_handle, review_destroy, review_title,
};

/* The view of queue q (taken), at its saved place. */
struct view *
view_review_of_queue(struct app *app, struct review_queue *q)
{
	struct rview *rv = xcalloc(1, sizeof *rv);
	struct view *v = xcalloc(1, sizeof *v);

	rv->q = q;
	rv->title = xasprintf(_("Review: %s"), q->name);
	load_record(app, rv);
	v->ops = &review_ops;
	v->data = rv;
	return v;
}
