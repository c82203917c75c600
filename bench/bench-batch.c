/*
 * bench-batch.c — "bench/bench-batch DIR [N] [ROUNDS] [PATTERN]": the bulk review budgets in a data
 * directory of bench-import -k (100,000 institutions). Tag by pattern: select_matching over
 * every id with the search keys in memory, as the console's T finds them once its background
 * has made the keys (the store and query part; no curses), for a few patterns, and the same
 * without keys as `huitou batch --where` reads it. Then ROUNDS (default 3) of a batch of N
 * records (default 10,000) as `huitou batch` makes it (one store transaction, one git commit)
 * and its undo as `huitou undo` makes it (the caller's last action found, one reverting commit).
 * With PATTERN, tag by pattern is timed for it alone, with keys ("-": not at all). Budgets (issue 13): tag by pattern ≤ 50 ms, the batch ≤ 1 s, its undo ≤ 1 s.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "cli/cli.h"

#define REPEATS 5	/* tag by pattern: runs of each pattern, the median reported */

struct keyed {
	char **ids, **keys;
	size_t n;
};

static double
ms_since(uint64_t t0)
{
	return (double)(clock_us() - t0) / 1000;
}

static int
add_key(const struct record *rec, void *arg)
{
	struct keyed *k = arg;

	k->keys[k->n++] = query_record_key(rec);
	return 0;
}

/* Every id and search key, as the console's background makes them (not timed). */
static int
load_keys(struct cli *cli, const struct form *form, struct keyed *k)
{
	struct store_txn *txn;
	size_t n = 0;
	int rc = store_txn_begin(cli->store, false, &txn, &cli->err);

	if (rc == 0)
		rc = store_list_ids(txn, form, &k->ids, &n, &cli->err);
	if (rc == 0) {
		k->keys = xcalloc(n + 1, sizeof *k->keys);
		rc = store_foreach(txn, form, add_key, k, &cli->err);
	}
	store_txn_abort(txn);
	if (rc == 0 && k->n != n)
		rc = error_set(&cli->err, ST_FAILED, "%zu ids but %zu keys", n, k->n);
	return rc;
}

static int
compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One pattern REPEATS times, with keys or without; prints the median and the range. */
static int
tag_by_pattern(struct cli *cli, const struct form *form, const struct keyed *k,
    const char *pattern, bool with_keys)
{
	double ms[REPEATS];
	bool *match = xcalloc(k->n + 1, sizeof *match);
	size_t hits = 0;
	int rc = 0;

	for (int r = 0; r < REPEATS && rc == 0; r++) {
		struct store_txn *txn = NULL;
		struct query *q = NULL;
		uint64_t t0 = clock_us();

		rc = store_txn_begin(cli->store, false, &txn, &cli->err);
		if (rc == 0)
			rc = select_parse(txn, form, pattern, &q, &cli->err);
		if (rc == 0)
			rc = select_matching(txn, form, q, k->ids, with_keys ? k->keys : NULL, k->n,
			    match, &hits, &cli->err);
		ms[r] = ms_since(t0);
		query_free(q);
		store_txn_abort(txn);
	}
	free(match);
	if (rc != 0)
		return rc;
	qsort(ms, REPEATS, sizeof *ms, compare_doubles);
	printf("tag by pattern, %-7s %6zu of %zu: median %7.1f ms (%.1f–%.1f)  %s\n",
	    with_keys ? "keys" : "no keys", hits, k->n, ms[REPEATS / 2], ms[0], ms[REPEATS - 1],
	    pattern);
	return 0;
}

/* The batch as "huitou batch" makes it: the records chosen, the policy asked, one commit. */
static int
one_batch(struct cli *cli, const struct form *form, char **ids, size_t n, const char *set)
{
	char *words[] = { (char *)set };
	struct assignments a;
	struct bulk_split split;
	size_t changed = 0;
	uint64_t t0, t1;
	int rc;

	if (assignments_parse(form, words, 1, &a, &cli->err) != 0)
		return -1;
	t0 = clock_us();
	rc = bulk_split_allowed(cli->store, form, ids, n, &a, &split, &cli->err);
	t1 = clock_us();
	if (rc == 0)
		rc = bulk_set_reason(cli->store, form, split.allowed, split.n_allowed, &a, "bench",
		    &changed, &cli->err);
	if (rc == 0)
		printf("batch %-18s %zu records changed: store and commit %.0f ms "
		    "(the policy and preview before it %.0f ms)\n", set, changed, ms_since(t1),
		    (double)(t1 - t0) / 1000);
	bulk_split_free(&split);
	assignments_free(&a);
	return rc;
}

/* The undo as "huitou undo" makes it. */
static int
one_undo(struct cli *cli)
{
	struct store_revert r;
	char commit[41];
	uint64_t t0 = clock_us(), t1;
	int rc = store_last_action(cli->store, store_actor(cli->store)->login, commit, &cli->err);

	t1 = clock_us();
	memset(&r, 0, sizeof r);
	if (rc == 0)
		rc = store_revert(cli->store, commit, &r, &cli->err);
	if (rc == 0)
		printf("undo of it                %zu records: %.0f ms (finding it %.1f ms)\n",
		    r.records, ms_since(t0), (double)(t1 - t0) / 1000);
	store_revert_clear(&r);
	return rc;
}

static int
bench(struct cli *cli, size_t want, int rounds, const char *only)
{
	static const char *const patterns[] = { "status=rectifying", "district=yt and status=licensed",
	    "name~启明", "qmx", "rectify_deadline<today and status=rectifying" };
	const struct form *form = cli_form(cli, "institution");
	struct keyed k = { NULL, NULL, 0 };
	char **ids = NULL;
	size_t n = 0;
	bool tag = only == NULL || !str_eq(only, "-");
	int rc = form == NULL ? -1 : tag ? load_keys(cli, form, &k) : 0;

	if (only != NULL && tag && rc == 0)
		rc = tag_by_pattern(cli, form, &k, only, true);
	for (size_t p = 0; p < COUNT(patterns) && rc == 0 && only == NULL; p++)
		rc = tag_by_pattern(cli, form, &k, patterns[p], true);
	for (size_t p = 0; p < COUNT(patterns) && rc == 0 && only == NULL; p++)
		rc = tag_by_pattern(cli, form, &k, patterns[p], false);
	if (rc == 0)
		rc = select_ids(cli->store, form, "status=licensed", &ids, &n, &cli->err);
	if (rc == 0 && n < want)
		rc = error_set(&cli->err, ST_FAILED, "only %zu licensed institutions, not %zu", n, want);
	for (int r = 0; r < rounds && rc == 0; r++) {
		rc = one_batch(cli, form, ids, want, "status=suspended");
		if (rc == 0)
			rc = one_undo(cli);
	}
	strv_free(ids);
	strv_free(k.ids);
	strv_free(k.keys);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli cli = { 0 };
	size_t want = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
	int rounds = argc > 3 ? atoi(argv[3]) : 3, rc = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-batch DIR [N] [ROUNDS] [PATTERN]\n");
		return 2;
	}
	lang_init("en");
	cli.dir = argv[1];
	if (cli_open(&cli) == 0)
		rc = bench(&cli, want, rounds, argc > 4 ? argv[4] : NULL);
	if (rc != 0)
		fprintf(stderr, "bench-batch: %s\n", cli.err.message != NULL ? cli.err.message : "failed");
	cli_close(&cli);
	return rc == 0 ? 0 : 1;
}
