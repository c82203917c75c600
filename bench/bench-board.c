/*
 * bench-board.c — "bench/bench-board DIR [ORDERS]": the task board at scale. In a data
 * directory of bench-import -k (100,000 institutions), ORDERS rectification orders (default
 * 300,000) are imported once, spread over the states with deadlines either side of today, some
 * overdue; then it times the board's count (a screen switch's work), reading the first page of
 * cards, the same with a district filter, and a move with the board brought up to date.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/board.h"
#include "cli/cli.h"

#define PAGE 6		/* cards a column shows at 80x24 */

static double
ms_since(uint64_t t0)
{
	return (double)(clock_us() - t0) / 1000;
}

/* ORDERS orders as CSV over the institutions, the person answering for them the actor. */
static void
orders_csv(char **inst, size_t n_inst, size_t orders, const char *person, struct buf *csv)
{
	static const char *const states[] = { "verified", "verified", "open", "in_progress",
		"submitted" };
	uint64_t x = 88172645463325252ull;

	buf_adds(csv, "institution,district,check,finding,deadline,responsible,state,response\n");
	for (size_t i = 0; i < orders; i++) {
		const char *id = inst[i % n_inst], *st;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		st = states[x % 5];
		buf_printf(csv, "%s,%.6s,safety,bench finding %zu,%d-%02d-%02d,%s,%s,%s\n", id, id + 3,
		    i, 2026 + (int)((x >> 8) % 2), 1 + (int)((x >> 16) % 12), 1 + (int)((x >> 24) % 28),
		    person, st, str_eq(st, "submitted") || str_eq(st, "verified") ? "done" : "");
	}
}

static int
add_orders(struct cli *cli, size_t orders)
{
	const struct form *inst = cli_form(cli, "institution"), *rect = cli_form(cli, "rectification");
	const char *person = store_actor(cli->store)->id;
	struct import_options opt = { .report = stderr };
	struct import_result res;
	struct store_txn *txn;
	struct buf csv = BUF_INIT;
	char **ids = NULL;
	size_t n = 0, have = 0;
	uint64_t t0;
	int rc;

	if (inst == NULL || rect == NULL || store_txn_begin(cli->store, false, &txn, &cli->err) != 0)
		return -1;
	rc = store_list_ids(txn, inst, &ids, &n, &cli->err);
	if (rc == 0)
		rc = store_count(txn, rect, &have, &cli->err);
	store_txn_abort(txn);
	if (rc == 0 && have < orders && n > 0) {
		orders_csv(ids, n, orders - have, person != NULL ? person : "RY-00001", &csv);
		t0 = clock_us();
		rc = import_csv_text(cli, rect, "bench-orders.csv", &csv, &opt, &res);
		printf("import %zu orders over %zu institutions: %.0f ms\n", orders - have, n,
		    ms_since(t0));
	}
	buf_free(&csv);
	strv_free(ids);
	return rc;
}

/* The first page of every column, as the screen reads it. */
static int
first_page(struct board *b, struct error *err)
{
	for (int c = 0; c < N_COLUMNS; c++)
		for (size_t i = 0; i < PAGE && i < board_count(b, (enum board_column)c); i++)
			if (board_card(b, (enum board_column)c, i, err) == NULL)
				return -1;
	return 0;
}

static int
time_board(struct cli *cli, const struct casework *cw, const struct board_filter *f,
    const char *what, struct board **keep)
{
	char today[11];
	struct board *b = NULL;
	uint64_t t0 = clock_us();
	double counted, paged;

	clock_format_date(clock_today(), today);
	if (board_open(cli->store, cw, f, today, &b, &cli->err) != 0)
		return -1;
	counted = ms_since(t0);
	t0 = clock_us();
	if (first_page(b, &cli->err) != 0) {
		board_free(b);
		return -1;
	}
	paged = ms_since(t0);
	printf("%s: count %.1f ms, first page %.1f ms, together %.1f ms; ", what, counted, paged,
	    counted + paged);
	for (int c = 0; c < N_COLUMNS; c++)
		printf("%s %zu (%zu overdue)%s", board_column_name((enum board_column)c),
		    board_count(b, (enum board_column)c), board_overdue(b, (enum board_column)c),
		    c + 1 < N_COLUMNS ? ", " : "\n");
	if (keep != NULL)
		*keep = b;
	else
		board_free(b);
	return 0;
}

/* The first to-do card moved right, and the board brought up to date. */
static int
time_move(struct cli *cli, const struct casework *cw, struct board *b)
{
	const struct board_card *c = board_card(b, COLUMN_TO_DO, 0, &cli->err);
	struct move_result r;
	const char *to;
	char *id;
	uint64_t t0;
	double moved;
	int rc;

	if (c == NULL || (to = machine_neighbour(c->machine, c->state, +1)) == NULL)
		return error_set(&cli->err, ST_FAILED, "no card to move");
	id = xstrdup(c->id);
	t0 = clock_us();
	rc = casework_move(cli->store, cw, id, to, NULL, &r, &cli->err);
	moved = ms_since(t0);
	t0 = clock_us();
	if (rc == 0 && (rc = board_apply_move(b, &r, &cli->err)) == 0 &&
	    (rc = first_page(b, &cli->err)) == 0)
		printf("move %s → %s: %.1f ms (LMDB and git), board up to date and repainted %.1f ms\n",
		    id, to, moved, ms_since(t0));
	move_result_clear(&r);
	free(id);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli cli = { 0 };
	struct casework *cw = NULL;
	struct board *b = NULL;
	struct board_filter district = { .district = "610113" };
	long orders = argc > 2 ? atol(argv[2]) : 300000;
	int rc = -1;

	if (argc < 2 || orders < 1) {
		fprintf(stderr, "usage: bench-board DIR [ORDERS]\n");
		return 2;
	}
	setenv("HUITOU_NOW", "2026-11-28", 0);
	lang_init("en");
	cli.dir = argv[1];
	if (cli_open(&cli) == 0 && add_orders(&cli, (size_t)orders) == 0 &&
	    (cw = cli_casework(&cli)) != NULL &&
	    time_board(&cli, cw, NULL, "board, first time", NULL) == 0 &&
	    time_board(&cli, cw, NULL, "board, again", &b) == 0 &&
	    time_board(&cli, cw, &district, "board of 雁塔区", NULL) == 0)
		rc = time_move(&cli, cw, b);
	if (rc != 0)
		fprintf(stderr, "bench-board: %s\n", cli.err.message != NULL ? cli.err.message : "failed");
	board_free(b);
	casework_free(cw);
	cli_close(&cli);
	return rc == 0 ? 0 : 1;
}
