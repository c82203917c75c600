/*
 * move-batch.c — several moves by a person as one user action: one store transaction and one
 * audit commit (a review queue's decisions kept for the end). Each move is move.c's own, with
 * its guards, effects and the policy, and the state the person saw; the first refused stops
 * them all and nothing is written, so git never shows half a decision.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/move-private.h"

/* One move into txn; its words and reason appended to body, its trailer to trailers. */
static int
batch_one(struct move_ctx *base, const struct move_request *req, struct move_result *out,
    struct buf *body, struct buf *trailers, struct error *err)
{
	struct move_ctx ctx = *base;
	struct buf notes = BUF_INIT;
	const struct form *form = formset_form_of_id(store_forms(base->store), req->id);
	const struct machine *m = form != NULL ? casework_machine(base->cw, form) : NULL;
	const struct machine_move *mv;
	char *reason = NULL;
	int rc;

	if (reason_parse(req->reason, false, &reason, err) != 0) {
		err->status = ST_REFUSED;
		return error_prefix(err, _("%s: the reason: "), req->id);
	}
	ctx.reason = reason;
	ctx.expect_from = req->from;
	ctx.out = out;
	ctx.notes = &notes;
	if ((rc = move_by_hand(&ctx, req->id, req->to, true, err)) == 0) {
		mv = m != NULL ? machine_find_move(m, out->from, out->to) : NULL;
		buf_printf(body, "%s %s %s%s%s\n%s", form->label_zh, req->id,
		    mv != NULL ? mv->words_zh : out->to, reason != NULL ? "：" : "",
		    reason != NULL ? reason : "", buf_str(&notes));
		buf_printf(trailers, "%s %s %s %s", req->id, out->from, out->to,
		    mv != NULL ? mv->action : "");
	}
	buf_free(&notes);
	free(reason);
	return rc;
}

int
casework_moves(struct store *store, const struct casework *cw,
    const struct move_request *req, size_t n, struct move_result *out, size_t *refused,
    struct error *err)
{
	struct move_ctx base = { .store = store, .cw = cw, .together = true };
	struct buf body = BUF_INIT, trailer = BUF_INIT;
	const struct store_actor *actor = store_actor(store);
	char *subject;
	int rc = 0;

	memset(out, 0, n * sizeof *out);
	*refused = n;
	clock_format_date(clock_today(), base.today);
	if (store_txn_begin(store, true, &base.txn, err) != 0)
		return -1;
	store_txn_allow_moves(base.txn);
	for (size_t i = 0; i < n && rc == 0; i++) {
		buf_reset(&trailer);
		if ((rc = batch_one(&base, &req[i], &out[i], &body, &trailer, err)) != 0)
			*refused = i;
		else
			store_txn_add_trailer(base.txn, "Move", buf_str(&trailer));
	}
	if (rc == 0) {
		subject = xasprintf("批量流转 %zu 条记录", n);
		store_txn_describe(base.txn, "casework.moves", subject, buf_str(&body));
		if (actor != NULL && (actor->id != NULL || actor->login != NULL))
			store_txn_add_trailer(base.txn, "Decided-By",
			    actor->id != NULL ? actor->id : actor->login);
		free(subject);
		rc = store_txn_commit(base.txn, err);
		base.txn = NULL;
	}
	store_txn_abort(base.txn);
	buf_free(&body);
	buf_free(&trailer);
	return rc;
}
