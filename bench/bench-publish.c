/*
 * bench-publish.c — "bench/bench-publish DIR [RUNS]": the monthly publication at scale. On a
 * data directory of bench-import -k (100,000 institutions; with bench-board's orders for the
 * serious and overdue facts), times RUNS publications of successive months from 2030-01 on
 * (default 3): the plan (membership by the rules and decisions, the last publication read back
 * from its tag, the difference) and the publication (one write transaction, the lists' files
 * and the notice, one audit commit and its annotated tag), as "huitou publish --yes" does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "campaign/lists.h"
#include "cli/cli.h"

static int
time_publication(struct cli *cli, int run)
{
	struct list_publish_plan plan;
	char month[24], *id = NULL;
	uint64_t t0 = clock_us(), t1, t2;
	int rc;

	snprintf(month, sizeof month, "%04d-%02d", 2030 + run / 12, run % 12 + 1);
	rc = lists_plan(cli->store, cli->dir, month, false, NULL, NULL, NULL, &plan, &cli->err);
	t1 = clock_us();
	if (rc == 0)
		rc = lists_publish(cli->store, cli->dir, &plan, &id, &cli->err);
	t2 = clock_us();
	if (rc == 0)
		printf("%s: plan %.1f ms, publish %.1f ms, total %.1f ms (white %zu, black %zu, "
		    "%zu changes)\n", month, (double)(t1 - t0) / 1000, (double)(t2 - t1) / 1000,
		    (double)(t2 - t0) / 1000, plan.now.n_white, plan.now.n_black, plan.diff.n);
	list_publish_plan_free(&plan);
	free(id);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli cli = { 0 };
	long runs = argc > 2 ? atol(argv[2]) : 3;
	int rc = -1;

	if (argc < 2 || runs < 1) {
		fprintf(stderr, "usage: bench-publish DIR [RUNS]\n");
		return 2;
	}
	setenv("HUITOU_NOW", "2026-11-28", 0);
	lang_init("en");
	cli.dir = argv[1];
	if (cli_open(&cli) == 0)
		for (int i = 0; i < runs && (rc = time_publication(&cli, i)) == 0; i++)
			;
	if (rc != 0)
		fprintf(stderr, "bench-publish: %s\n", cli.err.message != NULL ? cli.err.message : "failed");
	cli_close(&cli);
	return rc == 0 ? 0 : 1;
}
