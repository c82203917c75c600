/*
 * bench-move.c — "bench/bench-move DIR [N]": N rounds (default 100) in an existing data
 * directory (bench-import -k): an inspection of a random institution with all ten checks
 * failed is recorded (not timed), started (a plain move, timed) and closed (ten orders in one
 * commit, timed), each a store transaction and its git commit as "huitou move" makes them.
 * DESIGN.md's budgets at 100,000 institutions: a move ≤ 5 ms, the close ≤ 10 ms.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/casework.h"
#include "cli/cli.h"

static const char *const checks[] = { "safety", "platform", "disclosure", "joint_enforcement",
	"licence", "filing_review", "rules", "unlicensed", "advertising", "moonlighting" };

static int
compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A planned inspection of institution inst with every check failed; its id into *id. */
static int
new_inspection(struct cli *cli, const char *inst, char **id)
{
	const struct form *form = cli_form(cli, "inspection");
	const char *inspector = store_actor(cli->store)->id;
	struct record *rec = record_new(form);
	struct store_txn *txn;
	char today[11];
	int rc;

	clock_format_date(clock_today(), today);
	record_set_raw(rec, (size_t)form_field_index(form, "institution"), inst);
	record_set_raw(rec, (size_t)form_field_index(form, "date"), today);
	record_set_raw(rec, (size_t)form_field_index(form, "method"), "unannounced");
	record_set_raw(rec, (size_t)form_field_index(form, "inspector"),
	    inspector != NULL ? inspector : "");
	for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
		record_set_raw(rec, (size_t)form_field_index(form, checks[i]), "fail");
	if ((rc = store_txn_begin(cli->store, true, &txn, &cli->err)) == 0) {
		if ((rc = store_insert(txn, rec, &cli->err)) == 0)
			*id = xstrdup(record_id(rec));
		rc = rc == 0 ? store_txn_commit(txn, &cli->err) : (store_txn_abort(txn), -1);
	}
	record_free(rec);
	return rc;
}

/* One move, timed in milliseconds into *ms; the orders it made counted into *made. */
static int
timed_move(struct cli *cli, const struct casework *cw, const char *id, const char *to,
    double *ms, size_t *made)
{
	struct move_result r;
	uint64_t t0 = clock_us();
	int rc = casework_move(cli->store, cw, id, to, NULL, &r, &cli->err);

	*ms = (double)(clock_us() - t0) / 1000;
	*made = r.n_created;
	move_result_clear(&r);
	return rc;
}

static void
report(const char *what, double *t, int n)
{
	double total = 0;

	for (int i = 0; i < n; i++)
		total += t[i];
	qsort(t, (size_t)n, sizeof *t, compare_doubles);
	printf("%s: %d, median %.2f ms, p10 %.2f, p90 %.2f, least %.2f, most %.2f, mean %.2f\n",
	    what, n, t[n / 2], t[n / 10], t[n * 9 / 10], t[0], t[n - 1], total / n);
}

static int
run(struct cli *cli, const struct casework *cw, char **ids, size_t n_ids, int rounds)
{
	double *moves = xcalloc((size_t)rounds, sizeof *moves);
	double *closes = xcalloc((size_t)rounds, sizeof *closes);
	uint64_t x = (uint64_t)clock_us() | 1;
	size_t made = 0;
	int rc = 0;

	for (int i = 0; i < rounds && rc == 0; i++) {
		char *jc = NULL;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		rc = new_inspection(cli, ids[x % n_ids], &jc);
		if (rc == 0)
			rc = timed_move(cli, cw, jc, "in_progress", &moves[i], &made);
		if (rc == 0)
			rc = timed_move(cli, cw, jc, "done", &closes[i], &made);
		if (rc == 0 && made != 10)
			rc = error_set(&cli->err, ST_FAILED, "%s made %zu orders, not 10", jc, made);
		free(jc);
	}
	if (rc == 0) {
		printf("moves in a store of %zu institutions:\n", n_ids);
		report("move (start an inspection)", moves, rounds);
		report("close with ten failed checks (ten orders, one commit)", closes, rounds);
	}
	free(moves);
	free(closes);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli cli = { 0 };
	struct casework *cw = NULL;
	struct store_txn *txn;
	char **ids = NULL;
	size_t n = 0;
	int rounds = argc > 2 ? atoi(argv[2]) : 100, rc = 1;

	if (argc < 2 || rounds < 1) {
		fprintf(stderr, "usage: bench-move DIR [N]\n");
		return 2;
	}
	lang_init("en");
	cli.dir = argv[1];
	if (cli_open(&cli) == 0 && (cw = cli_casework(&cli)) != NULL &&
	    store_txn_begin(cli.store, false, &txn, &cli.err) == 0) {
		rc = store_list_ids(txn, cli_form(&cli, "institution"), &ids, &n, &cli.err);
		store_txn_abort(txn);
		if (rc == 0 && n == 0)
			rc = error_set(&cli.err, ST_FAILED, "no institutions in %s", cli.dir);
		if (rc == 0)
			rc = run(&cli, cw, ids, n, rounds);
	}
	if (rc != 0)
		fprintf(stderr, "bench-move: %s\n", cli.err.message != NULL ? cli.err.message : "failed");
	strv_free(ids);
	casework_free(cw);
	cli_close(&cli);
	return rc == 0 ? 0 : 1;
}
