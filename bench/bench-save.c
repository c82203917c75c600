/*
 * bench-save.c — "bench/bench-save DIR [N]": N saves (default 200) of one random institution
 * each in an existing data directory, as the console makes them: one store transaction and its
 * git commit. Prints the median, the spread and the mean in milliseconds. With bench-import -k,
 * a data directory of 100,000 institutions is made once and its saves timed again and again;
 * DESIGN.md's budget is 5 ms at 100,000 and 1.5 times the figure at 1,000.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-save-one.h"
#include "campaign/campaign.h"
#include "cli/cli.h"

static int
compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int
save_one(struct cli *cli, const struct form *form, const char *id, int i)
{
	char note[48];

	snprintf(note, sizeof note, "bench save %d %lld", i, (long long)clock_us());
	return bench_save_one(cli, form, id, note);
}

static int
run(struct cli *cli, const struct form *form, char **ids, size_t n_ids, int saves)
{
	double *t = xcalloc((size_t)saves + 1, sizeof *t), total = 0;
	uint64_t x = (uint64_t)clock_us() | 1;
	int rc = 0;

	for (int i = 0; i < saves && rc == 0; i++) {
		int64_t t0 = clock_us();

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		rc = save_one(cli, form, ids[x % n_ids], i);
		t[i] = (double)(clock_us() - t0) / 1000;
		total += t[i];
	}
	if (rc == 0) {
		qsort(t, (size_t)saves, sizeof *t, compare_doubles);
		printf("save one record: %d saves of %zu records, median %.2f ms, p10 %.2f, p90 %.2f, "
		    "least %.2f, most %.2f, mean %.2f\n", saves, n_ids, t[saves / 2],
		    t[saves / 10], t[saves * 9 / 10], t[0], t[saves - 1], total / saves);
	}
	free(t);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const struct form *form;
	struct store_txn *txn;
	char **ids = NULL;
	size_t n = 0;
	int saves = argc > 2 ? atoi(argv[2]) : 200, rc = 1;

	if (argc < 2 || saves < 1) {
		fprintf(stderr, "usage: bench-save DIR [N]\n");
		return 2;
	}
	lang_init("en");
	cli.dir = argv[1];
	if (cli_open(&cli) == 0 && (form = cli_form(&cli, "institution")) != NULL &&
	    store_txn_begin(cli.store, false, &txn, &cli.err) == 0) {
		rc = store_list_ids(txn, form, &ids, &n, &cli.err);
		store_txn_abort(txn);
		if (rc == 0 && n == 0)
			rc = error_set(&cli.err, ST_FAILED, "no institutions in %s", cli.dir);
		if (rc == 0)
			rc = run(&cli, form, ids, n, saves);
	}
	if (rc != 0)
		fprintf(stderr, "bench-save: %s\n", cli.err.message != NULL ? cli.err.message : "failed");
	strv_free(ids);
	cli_close(&cli);
	return rc == 0 ? 0 : 1;
}
