/*
 * bench-import.c — "bench/bench-import [-l|-i] [-k] [N]": how fast N demo institutions (default
 * 100,000) go from CSV into the store and its audit repository the way "huitou import" does
 * it, how fast they are found again by id and through the district index, and what saving one
 * record (LMDB and its git commit) costs at that size. With -l, only the LMDB phase of the
 * import (for timing it again and again), with -i only the import (LMDB and git); with -k
 * the data directory is kept (to check the audit repository with git fsck, or for bench-save). A benchmark
 * to read, not a timed test.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-save-one.h"
#include "campaign/campaign.h"
#include "cli/cli.h"

#define LOOKUPS 100000
#define DISTRICT_LOOKUPS 1000
#define SAVES 200

static bool lmdb_only;	/* -l: stop after the LMDB phase of the import */
static bool import_only;	/* -i: stop after the import, LMDB and git */
static bool keep_dir;	/* -k: leave the data directory for a look */

struct ids {
	char **v;	/* NULL-terminated */
	size_t n, cap;
};

static double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		fatal("clock_gettime: %s", strerror(errno));
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Processor time of this process, user and system: less noisy than the clock when the
 * other core is busy, and blind to waiting for the disk. */
static double
cpu_now(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		fatal("getrusage: %s", strerror(errno));
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double
per_second(size_t n, double seconds)
{
	return seconds > 0 ? (double)n / seconds : 0;
}

extern char **environ;

/* The data directory as "huitou -d DIR init --city 6101" makes it, by this build's binary. */
static int
run_init(const char *dir)
{
	char *argv[] = { ABS_TOP_BUILDDIR "/src/huitou", "-d", (char *)dir, "init", "--city",
	    "6101", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc, st;

	if ((rc = posix_spawn_file_actions_init(&fa)) != 0 ||
	    (rc = posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0))
	    != 0)
		fatal("posix_spawn_file_actions: %s", strerror(rc));
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "bench-import: %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			fprintf(stderr, "bench-import: waitpid: %s\n", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "bench-import: %s init failed (status %d)\n", argv[0], st);
		return -1;
	}
	return 0;
}

static int
write_csv(struct cli *cli, const struct form *form, const char *path, size_t n)
{
	FILE *fp = fopen(path, "w");
	double t0 = now();
	int rc;

	if (fp == NULL)
		return error_set(&cli->err, ST_FAILED, "%s: %s", path, strerror(errno));
	rc = demo_write_csv(cli->store, form, n, 1, fp, &cli->err);
	if (fclose(fp) != 0 && rc == 0)
		rc = error_set(&cli->err, ST_FAILED, "%s: %s", path, strerror(errno));
	if (rc == 0)
		printf("generate: %zu rows of CSV in %.2f s\n", n, now() - t0);
	return rc;
}

/* (a) Read, decode and parse the CSV, validate and insert every row in one transaction. */
static int
bench_import(struct cli *cli, const struct form *form, const char *path, size_t n)
{
	struct import_options opt = { false, false, NULL, stderr, false, NULL };
	struct import_result res;
	struct buf text = BUF_INIT;
	const char *used;
	double t0 = now(), c0 = cpu_now(), dt, cpu;
	int rc;

	store_audit_defer(cli->store, true);
	rc = file_read_all(path, &text, &cli->err);
	if (rc == 0)
		rc = text_to_utf8(&text, NULL, path, &used, &cli->err);
	if (rc == 0)
		rc = import_csv_text(cli, form, path, &text, &opt, &res);
	dt = now() - t0;
	cpu = cpu_now() - c0;
	store_audit_defer(cli->store, false);
	buf_free(&text);
	if (rc == 0 && res.inserted != n)
		rc = error_set(&cli->err, ST_FAILED, "imported %zu rows of %zu", res.inserted, n);
	if (rc != 0)
		return -1;
	printf("import into LMDB (with its outbox entry): %zu rows in %.2f s (%.0f rows/s, "
	    "processor %.2f s)\n", n, dt, per_second(n, dt), cpu);
	if (lmdb_only)
		return 0;
	t0 = now();
	c0 = cpu_now();
	if (store_audit_flush(cli->store, &cli->err) != 0)
		return -1;
	printf("its git commit (one pack): %.2f s (processor %.2f s); import in all: %.2f s "
	    "(processor %.2f s)\n", now() - t0, cpu_now() - c0, now() - t0 + dt,
	    cpu_now() - c0 + cpu);
	return 0;
}

static int
collect_id(const struct record *rec, void *arg)
{
	struct ids *ids = arg;

	if (ids->n == ids->cap)
		return 1;
	ids->v[ids->n++] = xstrdup(record_id(rec));
	return 0;
}

/* (b) Random lookups by id in one read transaction. */
static int
bench_get(struct cli *cli, const struct form *form, const struct ids *ids)
{
	struct store_txn *txn;
	struct record *rec;
	uint64_t x = 88172645463325252ULL;	/* xorshift64: the same ids each run */
	double t0, dt;
	int rc = 0;

	if (store_txn_begin(cli->store, false, &txn, &cli->err) != 0)
		return -1;
	t0 = now();
	for (size_t i = 0; i < LOOKUPS && rc == 0; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if ((rc = store_get(txn, form, ids->v[x % ids->n], &rec, &cli->err)) == 0)
			record_free(rec);
	}
	dt = now() - t0;
	store_txn_abort(txn);
	if (rc == 0)
		printf("lookup by id: %d in %.3f s (%.0f per second)\n", LOOKUPS, dt,
		    per_second(LOOKUPS, dt));
	return rc;
}

/* (c) Lookups through the district index, the districts in turn, in one read transaction. */
static int
bench_find(struct cli *cli, const struct form *form)
{
	size_t nd = store_division_count(cli->store, DIV_DISTRICT), found = 0, n;
	struct store_txn *txn;
	char **ids;
	double t0, dt;
	int rc = 0;

	if (nd == 0)
		return error_set(&cli->err, ST_FAILED, "the city has no districts");
	if (store_txn_begin(cli->store, false, &txn, &cli->err) != 0)
		return -1;
	t0 = now();
	for (size_t i = 0; i < DISTRICT_LOOKUPS && rc == 0; i++) {
		const struct division *d = store_division_at(cli->store, DIV_DISTRICT, i % nd);

		rc = store_find_by(txn, form, "district", d->code, &ids, &n, &cli->err);
		found += n;
		strv_free(ids);
	}
	dt = now() - t0;
	store_txn_abort(txn);
	if (rc == 0)
		printf("lookup by district: %d in %.3f s (%.0f per second, %.0f ids each, "
		    "%.0f ids per second)\n", DISTRICT_LOOKUPS, dt,
		    per_second(DISTRICT_LOOKUPS, dt), (double)found / DISTRICT_LOOKUPS,
		    per_second(found, dt));
	return rc;
}

static int
compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* (d) Saves of one record each, as the console makes them: LMDB and its git commit. */
static int
bench_save(struct cli *cli, const struct form *form, const struct ids *ids)
{
	double t[SAVES], total = 0;
	uint64_t x = 2463534242ULL;
	int rc = 0;

	for (int i = 0; i < SAVES && rc == 0; i++) {
		char note[32];
		double t0 = now();

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		snprintf(note, sizeof note, "bench save %d", i);
		rc = bench_save_one(cli, form, ids->v[x % ids->n], note);
		t[i] = (now() - t0) * 1000;
		total += t[i];
	}
	if (rc != 0)
		return -1;
	qsort(t, SAVES, sizeof t[0], compare_doubles);
	printf("save one record (LMDB + git commit): %d saves, mean %.2f ms, median %.2f ms, "
	    "p90 %.2f ms\n", SAVES, total / SAVES, t[SAVES / 2], t[SAVES * 9 / 10]);
	return 0;
}

/* The ids of all n institutions, then (b), (c) and (d). */
static int
bench_lookups(struct cli *cli, const struct form *form, size_t n)
{
	struct ids ids = { xcalloc(n + 1, sizeof *ids.v), 0, n };
	struct store_txn *txn;
	size_t count;
	int rc;

	if (store_txn_begin(cli->store, false, &txn, &cli->err) != 0) {
		free(ids.v);
		return -1;
	}
	rc = store_count(txn, form, &count, &cli->err);
	if (rc == 0 && count != n)
		rc = error_set(&cli->err, ST_FAILED, "the store holds %zu institutions, not %zu",
		    count, n);
	if (rc == 0 && (rc = store_foreach(txn, form, collect_id, &ids, &cli->err)) > 0)
		rc = error_set(&cli->err, ST_FAILED, "more institutions than counted");
	store_txn_abort(txn);
	if (rc == 0)
		rc = bench_get(cli, form, &ids);
	if (rc == 0)
		rc = bench_find(cli, form);
	if (rc == 0)
		rc = bench_save(cli, form, &ids);
	strv_free(ids.v);
	return rc;
}

static void
print_size(const char *dir, size_t n)
{
	char *path = xasprintf("%s/store/data.mdb", dir);
	struct stat st;
	double bytes;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "bench-import: %s: %s\n", path, strerror(errno));
	} else {
		bytes = (double)st.st_blocks * 512;
		printf("store on disk: %.1f MB (%.0f bytes per institution)\n", bytes / 1e6,
		    bytes / (double)n);
	}
	free(path);
}

static double tree_bytes;
static size_t tree_files;

static int
add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F) {
		tree_bytes += (double)st->st_blocks * 512;
		tree_files++;
	}
	return 0;
}

/* The audit repository: its size on disk and how many files (loose objects would show). */
static void
print_audit_size(const char *dir)
{
	char *path = xasprintf("%s/audit.git", dir);

	tree_bytes = 0;
	tree_files = 0;
	if (nftw(path, add_size, 16, FTW_PHYS) != 0)
		fprintf(stderr, "bench-import: %s: %s\n", path, strerror(errno));
	else
		printf("audit.git on disk: %.1f MB in %zu files\n", tree_bytes / 1e6, tree_files);
	free(path);
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "bench-import: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

static int
bench(const char *dir, size_t n)
{
	struct cli cli = { dir, { NULL, 0 }, NULL, ERROR_INIT };
	const struct form *form;
	char *csv = xasprintf("%s/demo.csv", dir);
	int rc = -1;

	if (run_init(dir) != 0)
		goto out;
	if (cli_open(&cli) == 0 && (form = cli_form(&cli, "institution")) != NULL &&
	    write_csv(&cli, form, csv, n) == 0 && bench_import(&cli, form, csv, n) == 0 &&
	    (lmdb_only || import_only || bench_lookups(&cli, form, n) == 0))
		rc = 0;
	if (rc != 0)
		cli_report(&cli);
	else if (!lmdb_only && !import_only) {
		print_size(dir, n);
		print_audit_size(dir);
	}
out:
	cli_close(&cli);
	free(csv);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *end;
	size_t n = 100000;
	int rc;

	lang_init(NULL);
	for (; argc > 1 && argv[1][0] == '-' && strchr("lik", argv[1][1]) != NULL &&
	    argv[1][2] == '\0'; argc--, argv++)
		*(argv[1][1] == 'l' ? &lmdb_only : argv[1][1] == 'i' ? &import_only : &keep_dir) = true;
	if (argc > 2 || (argc == 2 && ((n = strtoul(argv[1], &end, 10)) == 0 || *end != '\0'))) {
		fprintf(stderr, "usage: bench-import [-l|-i] [-k] [N]\n");
		return ST_USAGE;
	}
	dir = xasprintf("%s/bench-import.XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "bench-import: mkdtemp %s: %s\n", dir, strerror(errno));
		free(dir);
		return ST_FAILED;
	}
	printf("bench-import: %zu institutions in %s\n", n, dir);
	rc = bench(dir, n);
	if (keep_dir)
		printf("bench-import: kept %s\n", dir);
	else if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "bench-import: cannot clean up %s: %s\n", dir, strerror(errno));
	free(dir);
	return rc == 0 ? ST_OK : ST_FAILED;
}
