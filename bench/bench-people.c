/*
 * bench-people.c — "bench/bench-people DIR [RUNS]": the people screen's counts at scale. On a
 * data directory of bench-board (100,000 institutions and 300,000 orders), times counting
 * every person's open and overdue rectification orders (people-counts.c: from the form's
 * tally, or from the indexes when the data directory's form has none),
 * RUNS times (default 5), as the console does when screen 3 opens or the store has changed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "campaign/people.h"
#include "cli/cli.h"

static int
time_counts(struct cli *cli, const struct machine *m, const char *today)
{
	struct people_counts *pc = NULL;
	struct store_txn *txn = NULL;
	size_t open, overdue;
	uint64_t t0 = clock_us();
	int rc = store_txn_begin(cli->store, false, &txn, &cli->err);

	if (rc == 0)
		rc = people_counts_make(txn, m, today, &pc, &cli->err);
	store_txn_abort(txn);
	people_counts_of(pc, store_actor(cli->store)->id, &open, &overdue);
	if (rc == 0)
		printf("people counted: %.1f ms (%s: %zu open, %zu overdue)\n",
		    (double)(clock_us() - t0) / 1000, store_actor(cli->store)->id, open, overdue);
	people_counts_free(pc);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli cli = { 0 };
	struct casework *cw = NULL;
	const struct form *rect;
	const struct machine *m = NULL;
	long runs = argc > 2 ? atol(argv[2]) : 5;
	char today[11];
	int rc = -1;

	if (argc < 2 || runs < 1) {
		fprintf(stderr, "usage: bench-people DIR [RUNS]\n");
		return 2;
	}
	setenv("HUITOU_NOW", "2026-11-28", 0);
	lang_init("en");
	cli.dir = argv[1];
	clock_format_date(clock_today(), today);
	if (cli_open(&cli) == 0 && (cw = cli_casework(&cli)) != NULL &&
	    (rect = formset_find(&cli.forms, "rectification")) != NULL &&
	    (m = casework_machine(cw, rect)) != NULL)
		for (rc = 0; rc == 0 && runs-- > 0; )
			rc = time_counts(&cli, m, today);
	if (rc != 0)
		fprintf(stderr, "bench-people: %s\n", cli.err.message != NULL ? cli.err.message : "failed");
	casework_free(cw);
	cli_close(&cli);
	return rc == 0 ? 0 : 1;
}
