/*
 * bench-bulk.c — "bench/bench-bulk DIR [N]": a bulk action over N records (default 10,000) of
 * an existing data directory, the way the console's ";=" does it: the same field set on every
 * one, in one store transaction and one audit commit. Reports the seconds of each of a few
 * rounds (status set to suspended, then back). A benchmark to read, not a timed test;
 * DESIGN.md's budget is 1 s for 10,000 records.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign/campaign.h"
#include "cli/cli.h"

static double
now(void)
{
	return (double)clock_us() / 1e6;
}

static int
first_ids(struct cli *cli, const struct form *form, size_t want, char ***ids, size_t *n)
{
	struct store_txn *txn;

	if (store_txn_begin(cli->store, false, &txn, &cli->err) != 0)
		return -1;
	if (store_list_ids(txn, form, ids, n, &cli->err) != 0) {
		store_txn_abort(txn);
		return -1;
	}
	store_txn_abort(txn);
	if (*n > want) {
		for (size_t i = want; i < *n; i++)
			free((*ids)[i]);
		(*ids)[want] = NULL;
		*n = want;
	}
	return 0;
}

static int
one_round(struct cli *cli, const struct form *form, char **ids, size_t n, const char *line)
{
	struct assignments a;
	size_t changed;
	double t0 = now();
	int rc;

	if (assignments_parse_line(form, line, &a, &cli->err) != 0)
		return -1;
	rc = bulk_set_reason(cli->store, form, ids, n, &a, "bench", &changed, &cli->err);
	assignments_free(&a);
	if (rc == 0)
		printf("bulk %-20s %zu of %zu records changed, one commit: %.3f s\n", line, changed, n,
		    now() - t0);
	return rc;
}

int
main(int argc, char **argv)
{
	static const char *const rounds[] = { "status=suspended", "status=licensed",
	    "status=suspended", "status=licensed" };
	struct cli cli = { 0 };
	const struct form *form;
	char **ids = NULL;
	size_t n = 0, want = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
	int rc = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-bulk DIR [N]\n");
		return 2;
	}
	lang_init("en");
	cli.dir = argv[1];
	if (cli_open(&cli) == 0 && (form = cli_form(&cli, "institution")) != NULL &&
	    first_ids(&cli, form, want, &ids, &n) == 0) {
		rc = 0;
		for (size_t i = 0; i < sizeof rounds / sizeof *rounds && rc == 0; i++)
			rc = one_round(&cli, form, ids, n, rounds[i]);
	}
	if (rc != 0)
		fprintf(stderr, "bench-bulk: %s\n", cli.err.message != NULL ? cli.err.message : "failed");
	strv_free(ids);
	cli_close(&cli);
	return rc == 0 ? 0 : 1;
}
