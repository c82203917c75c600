/*
 * move-private.h — what move.c, move-checks.c and move-effects.c share and nobody else sees:
 * the context a move runs in, and the tables of named checks ("check NAME") and effects
 * ("effect NAME ARGS…") with their load-time validation.
 */
#ifndef HUITOU_MOVE_PRIVATE_H
#define HUITOU_MOVE_PRIVATE_H

#include "campaign/casework.h"

/* One move being made: by a person (by NULL) or by an effect of another move. */
struct move_ctx {
	struct store *store;
	struct store_txn *txn;
	const struct casework *cw;
	const char *by;			/* the effect making this move; NULL: a person */
	const char *reason;
	const char *expect_from;	/* the state the person saw; NULL: whatever it is now */
	char today[11];			/* clock_today(), YYYY-MM-DD */
	struct move_result *out;	/* what the person's move wrote besides its record */
	struct buf *notes;		/* the moves effects made, in words, for the commit */
	int depth;			/* moves made by effects nest at most MOVE_MAX_DEPTH */
	bool together;			/* one of several moves in one commit (move-batch.c) */
};
#define MOVE_MAX_DEPTH 3

/* move-checks.c: a named check of the moved record; err says why it does not hold. */
int move_check_run(struct move_ctx *ctx, const struct machine *m, const char *name,
    const struct record *rec, struct error *err);
/* move-checks.c: the guard "when FIELD VALUE…" of the move called words: the record's field
 * holds one of the values; err names the field, the values and what it holds. */
int move_check_when(const struct machine *m, const char *words, const struct machine_guard *g,
    const struct record *rec, struct error *err);
/* Whether the check guard g fits machine m; err "FILE:LINE: reason" when not. */
int move_check_validate(const struct casework *cw, const struct machine *m,
    const struct machine_guard *g, const struct formset *forms, struct error *err);

/* move-effects.c: an effect on the moved record rec (changed in place, written by the caller)
 * and on others (written here, listed in ctx->out). */
int move_effect_run(struct move_ctx *ctx, const struct machine *m,
    const struct machine_effect *e, struct record *rec, struct error *err);
bool move_effect_known(const char *name);
/* Every check, "by" and effect a states file names, checked against the tables and the
 * forms: "FILE:LINE: reason" for the first that is wrong. */
int move_validate(const struct casework *cw, const struct formset *forms, struct error *err);

/* move.c: moves another record id to state to, as the effect named by ctx->by does, with
 * that move's guards (reason given) and effects, in ctx->txn; change, when not NULL, changes
 * it before the write (e.g. relapses + 1). Already in state to: only changed. The id goes
 * into ctx->out->changed. */
int move_by_effect(struct move_ctx *ctx, const char *id, const char *to, const char *reason,
    void (*change)(struct record *rec, void *arg), void *arg, struct error *err);
/* move.c: a person's move of id to state to in ctx->txn, its guards checked; with write, the
 * record, its effects and (unless ctx->together) the commit's words, else only the policy's
 * answer. */
int move_by_hand(struct move_ctx *ctx, const char *id, const char *to, bool write,
    struct error *err);
/* Appends id to a NULL-terminated list of n ids. */
void move_list_add(char ***list, size_t *n, const char *id);

/* move-complaints.c: a complaint's effects (response-deadline, open-institution,
 * open-inspection METHOD) and its check supervisor-named, with what each needs of the forms
 * (a sentence when missing), as move-effects.c's and move-checks.c's tables take them. */
int effect_response_deadline(struct move_ctx *ctx, const struct machine *m,
    const struct machine_effect *e, struct record *rec, struct error *err);
const char *response_deadline_needs(const struct casework *cw, const struct machine *m,
    const struct machine_effect *e, const struct formset *forms);
int effect_open_institution(struct move_ctx *ctx, const struct machine *m,
    const struct machine_effect *e, struct record *rec, struct error *err);
const char *open_institution_needs(const struct casework *cw, const struct machine *m,
    const struct machine_effect *e, const struct formset *forms);
int effect_open_inspection(struct move_ctx *ctx, const struct machine *m,
    const struct machine_effect *e, struct record *rec, struct error *err);
const char *open_inspection_needs(const struct casework *cw, const struct machine *m,
    const struct machine_effect *e, const struct formset *forms);
int check_supervisor_named(struct move_ctx *ctx, const struct machine *m,
    const struct record *rec, struct error *err);
const char *supervisor_named_needs(const struct casework *cw, const struct machine *m,
    const struct formset *forms);

/* Dates "YYYY-MM-DD": date + days, into out; -1 when date is not one. */
int move_date_add(const char *date, int days, char out[11]);

#endif
