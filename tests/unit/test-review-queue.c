/*
 * test-review-queue.c — the console's review queue kept between sessions: saved and read
 * back whole (place, decisions, the ones kept for the end, reasons), one file per data
 * directory under $XDG_STATE_HOME/huitou, a bad file refused with FILE:LINE, a finished queue
 * forgotten; and how long saving a queue of the largest size takes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "console/review.h"

struct dirs {
	char state[64], data[64], other[64];
};

static int
setup(void **state)
{
	struct dirs *d = xcalloc(1, sizeof *d);

	strcpy(d->state, "/tmp/huitou-rq-state-XXXXXX");
	strcpy(d->data, "/tmp/huitou-rq-data-XXXXXX");
	strcpy(d->other, "/tmp/huitou-rq-other-XXXXXX");
	if (mkdtemp(d->state) == NULL || mkdtemp(d->data) == NULL || mkdtemp(d->other) == NULL)
		return -1;
	setenv("XDG_STATE_HOME", d->state, 1);
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	struct dirs *d = *state;

	dir_remove_tree(d->state);
	dir_remove_tree(d->data);
	dir_remove_tree(d->other);
	unsetenv("XDG_STATE_HOME");
	free(d);
	return 0;
}

static char *const ids[] = { "JG-610102-000001", "JG-610102-000002", "ZG-610102-000003" };

static void
test_saved_and_read_back(void **state)
{
	struct dirs *d = *state;
	struct review_queue *q = review_queue_new(d->data, "校外培训机构，已标记 3 条", ids, 3), *r;
	struct error err = ERROR_INIT;
	char *path = review_queue_path(d->data);

	q->pos = 2;
	q->at_end = true;
	q->items[0].decision = DECIDE_ACCEPT;
	q->items[0].seen = xstrdup("rectifying");
	q->items[0].reason = xstrdup("已整改 完毕");
	q->items[1].decision = DECIDE_REJECT;
	q->items[1].pending = true;
	q->items[1].seen = xstrdup("rectifying");
	q->items[1].reason = xstrdup("拒不整改");
	q->items[2].note = xstrdup("not saved");
	assert_int_equal(review_queue_save(q, &err), 0);
	assert_true(str_starts(path, d->state));
	assert_true(path_exists(path));

	assert_int_equal(review_queue_load(d->data, &r, &err), 0);
	assert_string_equal(r->name, "校外培训机构，已标记 3 条");
	assert_int_equal(r->n, 3);
	assert_int_equal(r->pos, 2);
	assert_true(r->at_end);
	assert_true(review_queue_same_ids(r, ids, 3));
	assert_false(review_queue_same_ids(r, ids, 2));
	assert_int_equal(r->items[0].decision, DECIDE_ACCEPT);
	assert_false(r->items[0].pending);
	assert_string_equal(r->items[0].reason, "已整改 完毕");
	assert_int_equal(r->items[1].decision, DECIDE_REJECT);
	assert_true(r->items[1].pending);
	assert_string_equal(r->items[1].seen, "rectifying");
	assert_null(r->items[2].seen);
	assert_null(r->items[2].note);
	assert_int_equal(review_queue_count(r, DECIDE_REJECT, true), 1);
	assert_int_equal(review_queue_count(r, DECIDE_NONE, false), 1);
	assert_false(review_queue_finished(r));

	/* Another data directory has no saved queue. */
	review_queue_free(r);
	assert_int_equal(review_queue_load(d->other, &r, &err), 1);
	assert_null(r);

	/* Finished: every record decided, nothing kept; then forgotten. */
	q->items[1].pending = false;
	q->items[2].decision = DECIDE_SKIP;
	assert_true(review_queue_finished(q));
	assert_int_equal(review_queue_forget(d->data, &err), 0);
	assert_false(path_exists(path));
	assert_int_equal(review_queue_load(d->data, &r, &err), 1);
	review_queue_free(q);
	free(path);
}

static void
write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
test_bad_files_are_refused(void **state)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "review 9\n", ":1: not a review queue" },
		{ "review 1\nitem JG-1 maybe no -\n", ":2: 'item' takes ID DECISION PENDING SEEN" },
		{ "review 1\nitem JG-1 skip yes -\n", ":2: only an accept or a reject is kept" },
		{ "review 1\nreason 没有记录\n", ":2: 'reason' follows the item" },
		{ "review 1\nat -3\n", ":2: 'at' takes the place" },
		{ "review 1\nmode sometimes\n", ":2: 'mode' is each or end" },
		{ "review 1\nfrobnicate\n", ":2: unknown line 'frobnicate'" },
		{ "review 1\n", ": names no records" },
	};
	struct dirs *d = *state;
	struct review_queue *q = review_queue_new(d->data, "x", ids, 1), *r;
	struct error err = ERROR_INIT;
	char *path = review_queue_path(d->data);

	assert_int_equal(review_queue_save(q, &err), 0);	/* makes the state dir */
	for (size_t i = 0; i < COUNT(bad); i++) {
		write_text(path, bad[i].text);
		assert_int_equal(review_queue_load(d->data, &r, &err), -1);
		assert_null(r);
		if (strstr(err.message, bad[i].want) == NULL || !str_starts(err.message, path))
			fail_msg("%zu: wanted '%s' in '%s'", i, bad[i].want, err.message);
		error_clear(&err);
	}
	/* A place past the end is the last record. */
	write_text(path, "review 1\nat 7\nitem JG-1 - no -\n");
	assert_int_equal(review_queue_load(d->data, &r, &err), 0);
	assert_int_equal(r->pos, 0);
	review_queue_free(r);
	review_queue_free(q);
	free(path);
}

/* The largest queue (10,000 records, review-start.c) is saved at each decision: it must stay
 * well under a keystroke's budget. */
static void
test_saving_the_largest_queue(void **state)
{
	struct dirs *d = *state;
	char **many = xcalloc(10001, sizeof *many);
	struct review_queue *q;
	struct error err = ERROR_INIT;
	uint64_t t0;
	double ms;

	for (size_t i = 0; i < 10000; i++)
		many[i] = xasprintf("JG-610102-%06zu", i + 1);
	q = review_queue_new(d->data, "big", many, 10000);
	for (size_t i = 0; i < 5000; i++) {
		q->items[i].decision = DECIDE_REJECT;
		q->items[i].seen = xstrdup("rectifying");
		q->items[i].reason = xstrdup("拒不整改，予以停办");
	}
	t0 = clock_us();
	assert_int_equal(review_queue_save(q, &err), 0);
	ms = (double)(clock_us() - t0) / 1000.0;
	printf("# saving a queue of 10000 records: %.1f ms\n", ms);
	review_queue_free(q);
	strv_free(many);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_saved_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_saving_the_largest_queue, setup, teardown),
	};

	return UNIT_RUN(tests);
}
