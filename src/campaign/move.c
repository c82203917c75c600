/*
 * move.c — the one way a record changes state: the move of its states file, its guards, the
 * policy (through the store's one write path) and its effects, in one store transaction and
 * one audit commit whose subject says what happened in words ("整改 ZG-… 复查通过"). The
 * named checks are in move-checks.c, the effects in move-effects.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign/move-private.h"

void
move_list_add(char ***list, size_t *n, const char *id)
{
	for (size_t i = 0; i < *n; i++)
		if (str_eq((*list)[i], id))
			return;
	*list = xrealloc(*list, (*n + 2) * sizeof **list);
	(*list)[(*n)++] = xstrdup(id);
	(*list)[*n] = NULL;
}

int
move_date_add(const char *date, int days, char out[11])
{
	struct tm tm;
	time_t t;
	const char *end;

	memset(&tm, 0, sizeof tm);
	if ((end = strptime(date, "%Y-%m-%d", &tm)) == NULL || *end != '\0')
		return -1;
	tm.tm_hour = 12;
	t = timegm(&tm) + (time_t)days * 86400;
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	strftime(out, 11, "%Y-%m-%d", &tm);
	return 0;
}

static const char *
state_label(const struct machine *m, const char *value)
{
	return field_option_label(&m->form->fields[m->field], value);
}

static const char *
move_words(const struct machine_move *mv)
{
	return lang_pick(mv->words_zh, mv->words_en);
}

/* A "by EFFECT" guard: only that effect makes the move. */
static int
check_by(const struct move_ctx *ctx, const struct machine_move *mv, const char *effect,
    struct error *err)
{
	if (ctx->by != NULL && str_eq(ctx->by, effect))
		return 0;
	if (str_eq(effect, "verify-order"))
		return error_set(err, ST_REFUSED,
		    _("%s is not made by hand: it follows from a verification inspection (复查) that passes the order's check"),
		    move_words(mv));
	return error_set(err, ST_REFUSED, _("%s is not made by hand: it follows from %s"),
	    move_words(mv), effect);
}

/* The guards the move must pass; err names the first that fails. */
static int
check_guards(struct move_ctx *ctx, const struct machine *m, const struct machine_move *mv,
    const struct record *rec, struct error *err)
{
	for (size_t i = 0; i < mv->n_guards; i++) {
		const struct machine_guard *g = &mv->guards[i];
		const struct field *f;

		switch (g->kind) {
		case GUARD_REQUIRE:
			f = form_field(m->form, g->arg);
			if (*record_get(rec, g->arg) == '\0')
				return error_set(err, ST_REFUSED, _("%s needs %s (%s) first"),
				    move_words(mv), field_label(f), f->name);
			break;
		case GUARD_REASON:
			if (ctx->reason == NULL || *ctx->reason == '\0')
				return error_set(err, ST_REFUSED, _("%s needs a reason (--reason TEXT)"),
				    move_words(mv));
			break;
		case GUARD_BY:
			if (check_by(ctx, mv, g->arg, err) != 0)
				return -1;
			break;
		case GUARD_CHECK:
			if (move_check_run(ctx, m, g->arg, rec, err) != 0)
				return -1;
			break;
		case GUARD_WHEN:
			if (move_check_when(m, move_words(mv), g, rec, err) != 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* The move of rec's machine from its state to state to; err says why there is none. */
static int
find_move_of(const struct machine *m, const struct record *rec, const char *to,
    const struct machine_move **mv, struct error *err)
{
	const char *id = record_id(rec), *from = rec->values[m->field];

	if (machine_state(m, to) == NULL)
		return error_set(err, ST_REFUSED, _("'%s' is not a state of %s (field %s)"), to,
		    form_label(m->form), m->form->fields[m->field].name);
	if (str_eq(from, to))
		return error_set(err, ST_REFUSED, _("%s is already %s"), id, state_label(m, to));
	if ((*mv = machine_find_move(m, from, to)) == NULL)
		return error_set(err, ST_REFUSED, _("%s cannot go from %s to %s"), id,
		    state_label(m, from), state_label(m, to));
	return 0;
}

/* Reads the record id and its machine; err says why it cannot move. */
static int
read_movable(const struct move_ctx *ctx, const char *id, struct record **rec,
    const struct machine **m, struct error *err)
{
	const struct form *form = formset_form_of_id(store_forms(ctx->store), id);

	if (form == NULL)
		return error_set(err, ST_REFUSED, _("'%s' is not an id of any record type"), id);
	if ((*m = casework_machine(ctx->cw, form)) == NULL)
		return error_set(err, ST_REFUSED, _("%s records have no states to move between"),
		    form_label(form));
	if (!store_exists(ctx->txn, form, id))
		return error_set(err, ST_REFUSED, _("there is no %s %s"), form_label(form), id);
	return store_get(ctx->txn, form, id, rec, err);
}

/* Sets the state and runs the move's effects on rec and on others (rec is not written). */
static int
run_effects(struct move_ctx *ctx, const struct machine *m, const struct machine_move *mv,
    struct record *rec, struct error *err)
{
	record_set_raw(rec, m->field, mv->to);
	for (size_t i = 0; i < mv->n_effects; i++)
		if (move_effect_run(ctx, m, &mv->effects[i], rec, err) != 0)
			return -1;
	return 0;
}

int
move_by_effect(struct move_ctx *ctx, const char *id, const char *to, const char *reason,
    void (*change)(struct record *rec, void *arg), void *arg, struct error *err)
{
	struct move_ctx sub = *ctx;
	struct record *rec = NULL;
	const struct machine *m;
	const struct machine_move *mv = NULL;
	int rc = -1;

	if (ctx->depth >= MOVE_MAX_DEPTH)
		return error_set(err, ST_REFUSED, _("the effects of this move go %d moves deep"),
		    MOVE_MAX_DEPTH);
	sub.reason = reason;
	sub.depth++;
	if (read_movable(ctx, id, &rec, &m, err) != 0)
		goto out;
	if (!str_eq(rec->values[m->field], to) &&
	    (find_move_of(m, rec, to, &mv, err) != 0 || check_guards(&sub, m, mv, rec, err) != 0 ||
	    run_effects(&sub, m, mv, rec, err) != 0))
		goto out;
	if (change != NULL)
		change(rec, arg);
	if ((rc = store_update(ctx->txn, rec, err)) == 0)
		move_list_add(&ctx->out->changed, &ctx->out->n_changed, id);
	if (rc == 0 && mv != NULL && ctx->notes != NULL)
		buf_printf(ctx->notes, "%s %s %s%s%s\n", m->form->label_zh, id, mv->words_zh,
		    reason != NULL ? "：" : "", reason != NULL ? reason : "");
out:
	if (rc != 0)
		error_prefix(err, "%s: ", id);
	record_free(rec);
	return rc;
}

static char *
move_subject(const struct machine *m, const struct machine_move *mv, const char *id)
{
	return xasprintf("%s %s %s", m->form->label_zh, id, mv->words_zh);
}

/* The casework's files whose text git lacks go into the move's commit. */
static int
add_rules_files(struct store_txn *txn, const struct casework *cw, struct error *err)
{
	for (size_t i = 0; i < cw->n_machines; i++) {
		char *path = xasprintf("forms/%s.states", cw->machines[i]->form->name);
		int rc = store_txn_add_rules_file(txn, path, cw->machines[i]->text, err);

		free(path);
		if (rc != 0)
			return -1;
	}
	if (cw->responses_text != NULL &&
	    store_txn_add_rules_file(txn, "forms/responses.rules", cw->responses_text, err) != 0)
		return -1;
	if (cw->deadlines_text == NULL)
		return 0;
	return store_txn_add_rules_file(txn, "forms/deadlines.rules", cw->deadlines_text, err);
}

/* The reason as a Reason trailer too, on one line (its lines joined by a space), as a set's
 * is: "huitou log", the history screen and git's %(trailers:key=Reason) read every reason
 * the same way; the body keeps it as typed. */
static void
add_reason_trailer(struct move_ctx *ctx)
{
	char *line;

	if (ctx->reason == NULL || *ctx->reason == '\0')
		return;
	line = xstrdup(ctx->reason);
	for (char *p = line; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	store_txn_add_trailer(ctx->txn, "Reason", line);
	free(line);
}

/* What the commit says: the move in words, the reason, who decided, and the states. */
static void
describe_move(struct move_ctx *ctx, const struct machine *m, const struct machine_move *mv,
    const struct record *rec)
{
	const struct store_actor *actor = store_actor(ctx->store);
	char *subject = move_subject(m, mv, record_id(rec)), *body = NULL;

	if (ctx->reason != NULL && *ctx->reason != '\0')
		body = xasprintf("%s\n%s%s", ctx->reason, ctx->notes->len > 0 ? "\n" : "",
		    buf_str(ctx->notes));
	else if (ctx->notes->len > 0)
		body = xstrdup(buf_str(ctx->notes));
	store_txn_describe(ctx->txn, mv->action, subject, body);
	store_txn_set_record(ctx->txn, record_id(rec));
	store_txn_add_trailer(ctx->txn, "From-State", ctx->out->from);
	store_txn_add_trailer(ctx->txn, "To-State", ctx->out->to);
	if (actor != NULL && (actor->id != NULL || actor->login != NULL))
		store_txn_add_trailer(ctx->txn, "Decided-By",
		    actor->id != NULL ? actor->id : actor->login);
	add_reason_trailer(ctx);
	free(subject);
	free(body);
}

/* A person's move, in ctx->txn: guards, then (write) the state, effects and the commit's
 * words (unless it is one of several, ctx->together), or (!write) only the policy's answer. */
int
move_by_hand(struct move_ctx *ctx, const char *id, const char *to, bool write,
    struct error *err)
{
	struct record *rec = NULL, *after;
	const struct machine *m;
	const struct machine_move *mv;
	int rc = -1;

	if (read_movable(ctx, id, &rec, &m, err) != 0)
		goto out;
	if (ctx->expect_from != NULL && !str_eq(rec->values[m->field], ctx->expect_from)) {
		error_set(err, ST_REFUSED, _("%s was moved meanwhile: it is %s now, not %s; nothing was done"),
		    id, field_option_label(&m->form->fields[m->field], rec->values[m->field]),
		    field_option_label(&m->form->fields[m->field], ctx->expect_from));
		goto out;
	}
	if (find_move_of(m, rec, to, &mv, err) != 0 || check_guards(ctx, m, mv, rec, err) != 0)
		goto out;
	if (!write) {
		after = record_copy(rec);
		record_set_raw(after, m->field, mv->to);
		rc = store_may_write(ctx->store, rec, after, err);
		record_free(after);
		goto out;
	}
	ctx->out->id = xstrdup(record_id(rec));
	ctx->out->from = xstrdup(rec->values[m->field]);
	ctx->out->to = xstrdup(mv->to);
	if (run_effects(ctx, m, mv, rec, err) != 0 || store_update(ctx->txn, rec, err) != 0 ||
	    add_rules_files(ctx->txn, ctx->cw, err) != 0)
		goto out;
	if (!ctx->together)
		describe_move(ctx, m, mv, rec);
	rc = 0;
out:
	record_free(rec);
	return rc;
}

static int
move_in_txn(struct store *store, const struct casework *cw, const char *id, const char *from,
    const char *to, const char *given_reason, bool write, struct move_result *out,
    struct error *err)
{
	struct buf notes = BUF_INIT;
	struct move_ctx ctx = { .store = store, .cw = cw, .expect_from = from, .out = out,
	    .notes = &notes };
	char *reason;
	int rc;

	if (reason_parse(given_reason, false, &reason, err) != 0) {	/* kept in git as given */
		err->status = ST_REFUSED;
		return error_prefix(err, _("the reason: "));
	}
	ctx.reason = reason;
	clock_format_date(clock_today(), ctx.today);
	if (store_txn_begin(store, write, &ctx.txn, err) != 0) {
		free(reason);
		return -1;
	}
	if (write)
		store_txn_allow_moves(ctx.txn);
	rc = move_by_hand(&ctx, id, to, write, err);
	if (rc == 0 && write) {
		rc = store_txn_commit(ctx.txn, err);
		ctx.txn = NULL;
	}
	store_txn_abort(ctx.txn);
	buf_free(&notes);
	free(reason);
	return rc;
}

int
casework_move(struct store *store, const struct casework *cw, const char *id, const char *to,
    const char *reason, struct move_result *out, struct error *err)
{
	return casework_move_from(store, cw, id, NULL, to, reason, out, err);
}

int
casework_move_from(struct store *store, const struct casework *cw, const char *id,
    const char *from, const char *to, const char *reason, struct move_result *out,
    struct error *err)
{
	memset(out, 0, sizeof *out);
	return move_in_txn(store, cw, id, from, to, reason, true, out, err);
}

int
casework_move_check(struct store *store, const struct casework *cw, const char *id,
    const char *to, const char *reason, struct error *err)
{
	struct move_result unused;
	int rc;

	memset(&unused, 0, sizeof unused);
	rc = move_in_txn(store, cw, id, NULL, to, reason, false, &unused, err);
	move_result_clear(&unused);
	return rc;
}

void
move_result_clear(struct move_result *r)
{
	free(r->id);
	free(r->from);
	free(r->to);
	strv_free(r->created);
	strv_free(r->changed);
	memset(r, 0, sizeof *r);
}
