/*
 * draw.h — random spot checks (随机抽查) anyone can re-check (doc/draw.md). A draw is announced
 * (its population, pool and parameters committed), then completed with a public value that was
 * unknown when the announcement was committed: the seed is SHA-256 over the announcement
 * commit's id, that value and the draw's id, and the sample a partial Fisher–Yates shuffle
 * driven by SHA-256 in counter mode with rejection sampling, so no index is favoured.
 */
#ifndef HUITOU_DRAW_H
#define HUITOU_DRAW_H

#include <stdint.h>

#include "campaign/campaign.h"

#define DRAW_FORM "draw"
#define DRAW_SEED_BYTES 32

/* draw-sample.c: the procedure, on bytes and indexes only (doc/draw.md, "The procedure"). */
void draw_seed(const char *draw_id, const char *commit_hex, const char *public_value,
    uint8_t seed[DRAW_SEED_BYTES]);
void draw_team_seed(const uint8_t seed[DRAW_SEED_BYTES], uint8_t out[DRAW_SEED_BYTES]);
void draw_seed_hex(const uint8_t seed[DRAW_SEED_BYTES], char hex[2 * DRAW_SEED_BYTES + 1]);
/* The random numbers of a seed: block i = SHA-256(seed ‖ i as 8 bytes big-endian). */
struct draw_stream {
	uint8_t seed[DRAW_SEED_BYTES];
	uint64_t counter;
};
void draw_stream_init(struct draw_stream *s, const uint8_t seed[DRAW_SEED_BYTES]);
/* A number below n (n ≥ 1), uniform: a block's first 8 bytes, big-endian, rejected at or
 * above the largest multiple of n below 2^64. */
uint64_t draw_stream_below(struct draw_stream *s, uint64_t n);
/* The first k indexes (k ≤ n) of a Fisher–Yates shuffle of 0 … n-1, in the order drawn. */
void draw_pick(const uint8_t seed[DRAW_SEED_BYTES], size_t n, size_t k, size_t *out);

/* What an announcement asks for (huitou draw --where … --size …). */
struct draw_params {
	const char *where;		/* over institutions; "" for all */
	size_t size;
	const char *inspectors;		/* over people; NULL or "" for no teams */
	size_t per_team;		/* with inspectors: how many a team */
	const char *public_source;	/* what public value will complete it */
};

/* The result of a completion or a verification, as the files hold it. */
struct draw_outcome {
	char *id;
	char *commit;			/* the announcement commit, in full */
	char *public_value;
	char seed[2 * DRAW_SEED_BYTES + 1];
	char *sample_csv;		/* draws/ID/sample.csv */
	char *teams_csv;		/* draws/ID/teams.csv, or NULL without a pool */
	size_t population, sample;
	size_t planned;			/* inspections planned with it (--plan) */
};
void draw_outcome_clear(struct draw_outcome *o);

/* draw.c. Announces a draw: one commit with the record and its population (and pool);
 * *id gets the draw's id (caller frees), *population how many institutions it holds. */
int draw_announce(struct store *store, const struct draw_params *p, char **id,
    size_t *population, struct error *err);
/* Completes an announced draw with the public value: one commit with the seed, sample and
 * teams. Refused (ST_REFUSED) when it is drawn already or its parameters changed since. */
int draw_complete(struct store *store, const char *id, const char *public_value, bool plan,
    struct draw_outcome *out, struct error *err);
/* draw-plan.c: with plan, in the completion's transaction, one planned inspection (method
 * spot_check, today) per sampled institution, its inspector the lead of its team; *n: how many. */
int draw_plan_inspections(struct store_txn *txn, const struct formset *forms,
    const struct draw_outcome *o, size_t *n, struct error *err);
/* Recomputes a drawn draw from git and compares it with what was committed: 0 when it
 * matches, ST_REFUSED with a sentence saying what differs. */
int draw_verify(struct store *store, const char *id, struct draw_outcome *out,
    struct error *err);
/* The file draws/ID/NAME as main holds it now (caller frees; NULL when absent). */
int draw_file(struct store *store, const char *id, const char *name, char **text,
    struct error *err);

/* demo-draw.c: the demo's draw, announced and completed (two commits, after the ledger's). */
int demo_draw(struct store *store, struct error *err);

/* draw-files.c: the committed files' texts, built and read. */
struct draw_rows {
	char **ids;		/* the first cell of each row after the header, in file order */
	char **rest;		/* the rest of the row as written (the name, CSV-quoted) */
	size_t n;
};
void draw_rows_free(struct draw_rows *r);
/* "id,name" rows of records, in the order given; names from the form's title field. */
int draw_rows_text(struct store_txn *txn, const struct form *form, char *const *ids, size_t n,
    struct buf *out, struct error *err);
/* Rows of such a text; err names the line that is not one. */
int draw_rows_parse(const char *text, const char *what, struct draw_rows *out,
    struct error *err);
/* sample.csv ("order,id,name,team") and teams.csv ("team,role,id,name") of a draw. */
void draw_result_texts(const uint8_t seed[DRAW_SEED_BYTES], const struct draw_rows *population,
    size_t size, const struct draw_rows *pool, size_t per_team, char **sample_csv,
    char **teams_csv);
/* A path of a draw's files: draws/ID/NAME (caller frees). */
char *draw_path(const char *id, const char *name);

#endif
