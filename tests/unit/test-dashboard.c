/*
 * test-dashboard.c — the dashboard's counts on demo data in a temporary store: values read
 * from the indexes equal the records', the shipped views/dashboard.view counts what the records
 * say (from the form's tally, which follows every write), and each kind of mistake in a view
 * file is refused with FILE:LINE and a reason.
 */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "fixture.h"
#include "campaign/campaign.h"

#define N_DEMO 600

static const struct division_row city = { "6101", "", "西安市" };
static const struct division_row divisions[] = {
	{ "610102", "", "新城区" },
	{ "610113", "", "雁塔区" },
	{ "610116", "", "长安区" },
	{ "610102001", "610102", "西一路街道" },
	{ "610113001", "610113", "小寨路街道" },
	{ "610116001", "610116", "韦曲街道" },
};

static int
setup(void **state)
{
	struct fixture *fx = fixture_new(&city, divisions, sizeof divisions / sizeof divisions[0]);
	struct error err = ERROR_INIT;

	if (fx == NULL || fx->inst == NULL || demo_generate(fx->store, fx->inst, N_DEMO, 7, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.message != NULL ? err.message : "no store");
		return -1;
	}
	*state = fx;
	return 0;
}

/* The same with its first commit made first, so that the login running it may write. */
static int
setup_writer(void **state)
{
	struct fixture *fx = fixture_new(&city, divisions, sizeof divisions / sizeof divisions[0]);
	struct error err = ERROR_INIT;

	if (fx == NULL || fx->inst == NULL || store_commit_setup(fx->store, &err) != 0 ||
	    demo_generate(fx->store, fx->inst, N_DEMO, 7, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.message != NULL ? err.message : "no store");
		return -1;
	}
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

struct dump {
	const bool *wanted;
	struct buf out;
};

/* One line per record: its id and the wanted values. */
static int
dump_record(const struct record *rec, void *arg)
{
	struct dump *d = arg;

	buf_adds(&d->out, record_id(rec));
	for (size_t i = 1; i < rec->form->n_fields; i++)
		if (d->wanted[i])
			buf_printf(&d->out, "|%s", rec->values[i]);
	buf_addc(&d->out, '\n');
	return 0;
}

static char *
scan(struct fixture *fx, const bool *wanted, bool from_records)
{
	struct dump d = { wanted, BUF_INIT };
	struct store_txn *txn;
	struct error err = ERROR_INIT;

	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	if (from_records)
		assert_int_equal(store_foreach(txn, fx->inst, dump_record, &d, &err), 0);
	else
		assert_int_equal(store_scan_fields(txn, fx->inst, wanted, dump_record, &d, &err), 0);
	store_txn_abort(txn);
	return buf_detach(&d.out);
}

static void
test_scan_equals_records(void **state)
{
	struct fixture *fx = *state;
	bool *wanted = xcalloc(fx->inst->n_fields, sizeof *wanted);
	static const char *const sets[][4] = {
		{ "district", "status", "rectify_deadline", NULL },	/* all indexed */
		{ "credit_code", "list", NULL },			/* a unique one */
		{ "status", "name", NULL },				/* text: the records */
	};
	char *a, *b;

	for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
		memset(wanted, 0, fx->inst->n_fields * sizeof *wanted);
		for (size_t i = 0; sets[s][i] != NULL; i++)
			wanted[form_field_index(fx->inst, sets[s][i])] = true;
		a = scan(fx, wanted, false);
		b = scan(fx, wanted, true);
		assert_string_equal(a, b);
		assert_true(strlen(a) > N_DEMO * 10);
		free(a);
		free(b);
	}
	free(wanted);
}

struct expect {
	size_t cells[3][5], open, overdue, total, funds;
};

static int
expect_record(const struct record *rec, void *arg)
{
	struct expect *e = arg;
	const char *status = record_get(rec, "status"), *due = record_get(rec, "rectify_deadline");
	static const char *const districts[] = { "610102", "610113", "610116" };
	const struct field *f = form_field(rec->form, "status");

	for (size_t d = 0; d < 3; d++)
		if (str_eq(record_get(rec, "district"), districts[d]))
			e->cells[d][field_option(f, status) - f->options]++;
	e->total++;
	e->open += str_eq(status, "unlicensed") || str_eq(status, "rectifying");
	e->overdue += str_eq(status, "rectifying") && *due != '\0' && strcmp(due, "2026-11-28") < 0;
	e->funds += str_eq(record_get(rec, "prepaid"), "yes") &&
	    !str_eq(record_get(rec, "funds_status"), "supervised");
	return 0;
}

static void
test_shipped_view_counts(void **state)
{
	struct fixture *fx = *state;
	struct dashboard *d;
	struct error err = ERROR_INIT;
	struct expect e;
	struct store_txn *txn;

	memset(&e, 0, sizeof e);
	assert_int_equal(setenv("HUITOU_NOW", "2026-11-28", 1), 0);
	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	assert_int_equal(store_foreach(txn, fx->inst, expect_record, &e, &err), 0);
	store_txn_abort(txn);
	assert_int_equal(dashboard_load(fx->store, ABS_TOP_SRCDIR "/views/dashboard.view", &d, &err), 0);
	assert_int_equal(dashboard_compute(fx->store, d, &err), 0);
	assert_int_equal(d->n_rows, 3);
	assert_string_equal(d->row_labels[1], "雁塔区");
	assert_int_equal(d->n_columns, 5);
	assert_int_equal(d->n_counts, 3);
	assert_int_equal(d->n_table_counts, 2);	/* the funds flag is a summary line */
	assert_string_equal(d->counts[1].name, "overdue");
	assert_string_equal(d->counts[2].name, "unsupervised_funds");
	assert_true(d->counts[2].summary);
	assert_string_equal(d->counts[1].label_en, "Overdue");
	for (size_t r = 0; r < 3; r++)
		for (size_t c = 0; c < 5; c++)
			assert_int_equal(d->cells[r * 5 + c], e.cells[r][c]);
	assert_int_equal(d->total, N_DEMO);
	assert_int_equal(d->unplaced, 0);
	assert_int_equal(d->counts[0].total, e.open);
	assert_int_equal(d->counts[1].total, e.overdue);
	assert_true(e.overdue > 0);
	assert_int_equal(d->counts[1].per_row[0] + d->counts[1].per_row[1] + d->counts[1].per_row[2],
	    e.overdue);
	assert_true(e.funds > 0);
	assert_int_equal(d->counts[2].total, e.funds);
	assert_int_equal(d->counts[2].per_row[0] + d->counts[2].per_row[1] + d->counts[2].per_row[2],
	    e.funds);
	/* counted again, the same */
	assert_int_equal(dashboard_compute(fx->store, d, &err), 0);
	assert_int_equal(d->counts[1].total, e.overdue);
	dashboard_free(d);
	assert_int_equal(unsetenv("HUITOU_NOW"), 0);
}

struct walk_sum {
	size_t entries, records;
};

static int
sum_tally(void *arg, const char *const *values, const size_t *counts)
{
	struct walk_sum *w = arg;

	(void)values;
	w->entries++;
	w->records += counts[0];
	return 0;
}

/* The dashboard (from the tally) against a walk of the records, cell by cell and count by
 * count; the tally's counts sum to the records. */
static void
assert_counts_match(struct fixture *fx)
{
	struct dashboard *d;
	struct error err = ERROR_INIT;
	struct expect e;
	struct walk_sum w = { 0, 0 };
	struct store_txn *txn;

	memset(&e, 0, sizeof e);
	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	assert_int_equal(store_foreach(txn, fx->inst, expect_record, &e, &err), 0);
	assert_int_equal(store_walk_tally(txn, fx->inst, sum_tally, &w, &err), 0);
	store_txn_abort(txn);
	assert_int_equal(w.records, e.total);
	assert_true(w.entries > 15 && w.entries < e.total);
	assert_int_equal(dashboard_load(fx->store, ABS_TOP_SRCDIR "/views/dashboard.view", &d, &err), 0);
	assert_int_equal(dashboard_compute(fx->store, d, &err), 0);
	for (size_t r = 0; r < 3; r++)
		for (size_t c = 0; c < 5; c++)
			assert_int_equal(d->cells[r * 5 + c], e.cells[r][c]);
	assert_int_equal(d->total, e.total);
	assert_int_equal(d->counts[0].total, e.open);
	assert_int_equal(d->counts[1].total, e.overdue);
	dashboard_free(d);
}

/* Sets field to value in every nth record, in one write transaction; committed or not. */
static void
set_every(struct fixture *fx, size_t nth, const char *field, const char *value, bool commit)
{
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	char **ids;
	size_t n;

	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	assert_int_equal(store_list_ids(txn, fx->inst, &ids, &n, &err), 0);
	for (size_t i = 0; i < n; i += nth) {
		struct record *rec = NULL;

		assert_int_equal(store_get(txn, fx->inst, ids[i], &rec, &err), 0);
		record_set_raw(rec, (size_t)form_field_index(fx->inst, field), value);
		record_follow_change(rec, (size_t)form_field_index(fx->inst, field), NULL);
		if (store_update(txn, rec, &err) != 0)
			fail_msg("%s: %s", ids[i], err.message);
		record_free(rec);
	}
	store_txn_add_trailer(txn, "Reason", "a test");	/* status needs one */
	if (commit)
		assert_int_equal(store_txn_commit(txn, &err), 0);
	else
		store_txn_abort(txn);
	strv_free(ids);
}

/* The tally the dashboard counts from follows every write, and an aborted one leaves it. */
static void
test_tally_follows_writes(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(setenv("HUITOU_NOW", "2026-11-28", 1), 0);
	assert_counts_match(fx);
	set_every(fx, 7, "status", "rectifying", true);
	assert_counts_match(fx);
	set_every(fx, 5, "rectify_deadline", "2026-01-05", true);
	assert_counts_match(fx);
	set_every(fx, 3, "district", "610116", true);
	assert_counts_match(fx);
	set_every(fx, 2, "status", "banned", false);
	assert_counts_match(fx);
	set_every(fx, 4, "phone", "13912345678", true);	/* no tally field */
	assert_counts_match(fx);
	assert_int_equal(unsetenv("HUITOU_NOW"), 0);
}

/* A where expression's matches by a whole-record walk: the oracle of select_ids. */
struct brute {
	const struct query *q;
	size_t n;
	char **ids;
};

static int
brute_match(const struct record *rec, void *arg)
{
	struct brute *b = arg;

	if (query_match(b->q, rec, NULL)) {
		b->ids = xrealloc(b->ids, (b->n + 2) * sizeof *b->ids);
		b->ids[b->n++] = xstrdup(record_id(rec));
		b->ids[b->n] = NULL;
	}
	return 0;
}

/* select_ids against every record read whole and matched, for expressions no index answers
 * (the fields they name read in place) and for one an index answers. */
static void
test_select_reads_named_fields(void **state)
{
	static const char *const wheres[] = { "street=610113001", "phone~139",
	    "not street=610102001", "street=610116001 or phone~138", "address~路",
	    "北", "not phone~1", "district=610113 and phone~139", NULL };
	struct fixture *fx = *state;
	struct error err = ERROR_INIT;

	for (const char *const *w = wheres; *w != NULL; w++) {
		struct brute b = { NULL, 0, NULL };
		struct store_txn *txn;
		struct query *q = NULL;
		char **ids = NULL;
		size_t n = 0;

		assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
		if (select_parse(txn, fx->inst, *w, &q, &err) != 0)
			fail_msg("%s: %s", *w, err.message);
		b.q = q;
		assert_int_equal(store_foreach(txn, fx->inst, brute_match, &b, &err), 0);
		assert_int_equal(select_ids_in(txn, fx->inst, *w, &ids, &n, &err), 0);
		store_txn_abort(txn);
		if (n != b.n)
			fail_msg("%s: %zu ids, %zu records match", *w, n, b.n);
		for (size_t i = 0; i < n; i++)
			assert_string_equal(ids[i], b.ids[i]);
		if (b.n == 0 || b.n == N_DEMO)
			fail_msg("%s: %zu of %d match", *w, b.n, N_DEMO);
		strv_free(ids);
		strv_free(b.ids);
		query_free(q);
	}
}

/* A view file of text must be refused with a message that starts with want. */
static void
expect_refused(struct fixture *fx, const char *text, const char *want, const char *reason)
{
	char *path = xasprintf("%s/bad.view", fx->dir);
	char *prefix = xasprintf("%s:%s", path, want);
	FILE *fp = fopen(path, "w");
	struct dashboard *d = NULL;
	struct error err = ERROR_INIT;

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(dashboard_load(fx->store, path, &d, &err), -1);
	assert_null(d);
	if (!str_starts(err.message, prefix) || strstr(err.message, reason) == NULL)
		fail_msg("wanted %s ... %s, got %s", prefix, reason, err.message);
	error_clear(&err);
	free(prefix);
	free(path);
}

#define HEAD "form institution\nrows district\ncolumns status\n"

static void
test_bad_lines(void **state)
{
	struct fixture *fx = *state;

	expect_refused(fx, "form shop\n", "1:", "no form named 'shop'");
	expect_refused(fx, "rows district\n", "1:", "after the 'form' line");
	expect_refused(fx, "# a comment\n\nform institution\nrows nothing\n", "4:", "'nothing'");
	expect_refused(fx, "form institution\nrows name\n", "2:", "district or an enum");
	expect_refused(fx, "form institution\ncolumns district\n", "2:", "enum field");
	expect_refused(fx, HEAD "rows status\n", "4:", "second 'rows'");
	expect_refused(fx, HEAD "colour red\n", "4:", "unknown line 'colour'");
	expect_refused(fx, HEAD "where status=banned\n", "4:", "belongs to a count");
	expect_refused(fx, HEAD "count a\n  where colour=red\n", "5:", "unknown field 'colour'");
	expect_refused(fx, HEAD "count a\n  where status=purple\n", "5:", "purple");
	expect_refused(fx, HEAD "count a\n  where (status=banned\n", "5:", "never closed");
	expect_refused(fx, HEAD "count a\n  where status=banned\ncount a\n", "6:", "second count");
	expect_refused(fx, HEAD "count two words\n", "4:", "one name");
	expect_refused(fx, HEAD "count Late-ones\n", "4:", "one name");
	expect_refused(fx, HEAD "count a\n  label A\n", "4:", "no 'where' line");
	expect_refused(fx, "form institution\n", " ", "no 'rows FIELD' line");
	/* a count of another form: its where is read against that form */
	expect_refused(fx, HEAD "count a\n  where status=banned\n  form case\n", "6:",
	    "before its 'where'");
	expect_refused(fx, HEAD "count a\n  form case\n  form case\n", "6:", "second 'form'");
	expect_refused(fx, HEAD "count a\n  form case\n  where status=banned\n", "6:",
	    "unknown field 'status'");
	expect_refused(fx, HEAD "count a\n  form case\n  where kind=purple\n", "6:", "purple");
	expect_refused(fx, HEAD "streets\ncount a\n  where status=banned\nstreets\n", "7:",
	    "before the counts");
	expect_refused(fx, "\xff\n", "1:", "UTF-8");
}

/* Writes text as a view file and loads it, per district or (within) per street. */
static struct dashboard *
load_text(struct fixture *fx, const char *text, const char *within)
{
	char *path = xasprintf("%s/t.view", fx->dir);
	FILE *fp = fopen(path, "w");
	struct dashboard *d = NULL;
	struct error err = ERROR_INIT;

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	if (dashboard_load_within(fx->store, path, within, &d, &err) != 0 ||
	    dashboard_compute(fx->store, d, &err) != 0)
		fail_msg("%s", err.message);
	free(path);
	return d;
}

#define OTHER "form case\nrows district\nstreets\n" \
	"count cases_open\n  where state!=closed\n" \
	"count banned\n  form institution\n  where status=banned\n" \
	"count named\n  form institution\n  where name~学校\n" \
	"count gone\n  form gone\n  where state!=closed\n"

/* A count of another form ("form NAME" in it) counts that form's records by its field named
 * as the rows, from its tally (banned) or its records (named); a form not in force is
 * missing; per street of a district the rows are its streets and the counts its own. */
static void
test_other_form_counts(void **state)
{
	struct fixture *fx = *state;
	struct dashboard *d, *same, *streets;
	struct expect e;
	struct store_txn *txn;
	struct error err = ERROR_INIT;

	memset(&e, 0, sizeof e);
	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	assert_int_equal(store_foreach(txn, fx->inst, expect_record, &e, &err), 0);
	store_txn_abort(txn);
	d = load_text(fx, OTHER, NULL);
	assert_true(d->streets);
	assert_int_equal(d->n_columns, 0);
	assert_int_equal(d->n_rows, 3);
	assert_int_equal(d->total, 0);		/* no cases */
	assert_false(d->counts[1].missing);
	assert_true(d->counts[3].missing);
	assert_string_equal(d->counts[3].form_name, "gone");
	for (size_t r = 0; r < 3; r++)
		assert_int_equal(d->counts[1].per_row[r], e.cells[r][4]);	/* banned */
	assert_true(d->counts[1].total > 0);
	same = load_text(fx, "form institution\nrows district\ncount named\n  where name~学校\n",
	    NULL);
	assert_true(same->counts[0].total > 0 && same->counts[0].total < N_DEMO);
	assert_int_equal(d->counts[2].total, same->counts[0].total);
	for (size_t r = 0; r < 3; r++)
		assert_int_equal(d->counts[2].per_row[r], same->counts[0].per_row[r]);

	streets = load_text(fx, OTHER, "610113");
	assert_int_equal(streets->n_rows, 2);	/* its one street, and none */
	assert_string_equal(streets->row_labels[0], "小寨路街道");
	assert_string_equal(streets->row_values[1], "");
	assert_int_equal(streets->counts[1].total, e.cells[1][4]);
	assert_int_equal(streets->counts[1].per_row[0] + streets->counts[1].per_row[1],
	    e.cells[1][4]);
	assert_int_equal(streets->counts[2].total, same->counts[0].per_row[1]);
	dashboard_free(d);
	dashboard_free(same);
	dashboard_free(streets);
}

/* The shipped casework view loads on forms without complaints, filings or a ledger. */
static void
test_casework_view(void **state)
{
	struct fixture *fx = *state;
	struct dashboard *d;
	struct error err = ERROR_INIT;

	assert_int_equal(dashboard_load(fx->store, ABS_TOP_SRCDIR "/views/casework.view", &d,
	    &err), 0);
	assert_int_equal(dashboard_compute(fx->store, d, &err), 0);
	assert_string_equal(d->form->name, "case");
	assert_int_equal(d->n_counts, 5);
	for (size_t i = 0; i < d->n_counts; i++)
		assert_int_equal(d->counts[i].missing,
		    formset_find(store_forms(fx->store), d->counts[i].form != NULL &&
		    d->counts[i].form_name == NULL ? "case" : d->counts[i].form_name) == NULL);
	dashboard_free(d);
}

static void
test_missing_file(void **state)
{
	struct fixture *fx = *state;
	struct dashboard *d;
	struct error err = ERROR_INIT;

	assert_int_equal(dashboard_load(fx->store, "/nonexistent/x.view", &d, &err), -1);
	assert_non_null(strstr(err.message, "/nonexistent/x.view"));
	error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scan_equals_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shipped_view_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tally_follows_writes, setup_writer, teardown),
		cmocka_unit_test_setup_teardown(test_select_reads_named_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_form_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_casework_view, setup, teardown),
	};

	return UNIT_RUN(tests);
}
