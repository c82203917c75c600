/*
 * test-filing.c — a subject-class filing's machine (forms/filing.states) on a real store with
 * a pinned HUITOU_NOW: its states and review line, an expert's take stamping who and when,
 * approval and rejection decided by the determination, the reason kept in the review, and a
 * rejection referred as a rectification order of check filing_review.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "fixture.h"
#include "campaign/casework.h"

static const struct division_row city = { "6101", "", "西安市" };
static const struct division_row divisions[] = { { "610113", "", "雁塔区" } };

struct world {
	struct fixture *fx;
	struct casework *cw;
	struct error err;
};

static int
setup_world(void **state)
{
	struct world *w = xcalloc(1, sizeof *w);

	setenv("HUITOU_NOW", "2026-11-28", 1);
	w->fx = fixture_new(&city, divisions, COUNT(divisions));
	if (w->fx == NULL || store_commit_setup(w->fx->store, &w->err) != 0 ||
	    casework_load(ABS_TOP_SRCDIR "/forms", &w->fx->forms, &w->cw, &w->err) != 0) {
		fprintf(stderr, "setup: %s\n", w->err.message);
		return -1;
	}
	*state = w;
	return 0;
}

static int
teardown_world(void **state)
{
	struct world *w = *state;

	casework_free(w->cw);
	fixture_free(w->fx);
	error_clear(&w->err);
	free(w);
	unsetenv("HUITOU_NOW");
	return 0;
}

/* A new record of form from "field=value" pairs, NULL-terminated; returns its id. */
static char *
add(struct world *w, const char *form, const char *const *pairs)
{
	struct store_txn *txn;
	struct record *rec = record_new(formset_find(&w->fx->forms, form));
	struct field_ctx ctx;
	char *id;

	assert_int_equal(store_txn_begin(w->fx->store, true, &txn, &w->err), 0);
	store_field_ctx(txn, rec, &ctx);
	for (size_t i = 0; pairs[i] != NULL; i++) {
		char *name = xstrdup(pairs[i]), *eq = strchr(name, '=');

		*eq = '\0';
		if (record_set_input(rec, name, eq + 1, &ctx, &w->err) != 0)
			fail_msg("%s: %s", pairs[i], w->err.message);
		free(name);
	}
	if (store_insert(txn, rec, &w->err) != 0)
		fail_msg("insert: %s", w->err.message);
	id = xstrdup(record_id(rec));
	assert_int_equal(store_txn_commit(txn, &w->err), 0);
	record_free(rec);
	return id;
}

/* Sets one field of a stored record (as `huitou set` does, not a move). */
static void
set(struct world *w, const char *id, const char *field, const char *value)
{
	const struct form *form = formset_form_of_id(&w->fx->forms, id);
	struct store_txn *txn;
	struct record *rec;

	assert_int_equal(store_txn_begin(w->fx->store, true, &txn, &w->err), 0);
	assert_int_equal(store_get(txn, form, id, &rec, &w->err), 0);
	record_set_raw(rec, (size_t)form_field_index(form, field), value);
	if (store_update(txn, rec, &w->err) != 0 || store_txn_commit(txn, &w->err) != 0)
		fail_msg("set %s %s: %s", id, field, w->err.message);
	record_free(rec);
}

/* A stored field's value (static buffer: one at a time). */
static const char *
get(struct world *w, const char *id, const char *field)
{
	static char value[512];
	const struct form *form = formset_form_of_id(&w->fx->forms, id);
	struct store_txn *txn;
	struct record *rec;

	assert_int_equal(store_txn_begin(w->fx->store, false, &txn, &w->err), 0);
	assert_int_equal(store_get(txn, form, id, &rec, &w->err), 0);
	snprintf(value, sizeof value, "%s", record_get(rec, field));
	record_free(rec);
	store_txn_abort(txn);
	return value;
}

static void
refused(struct world *w, const char *id, const char *to, const char *reason, const char *want)
{
	struct move_result r;

	error_clear(&w->err);
	assert_int_equal(casework_move(w->fx->store, w->cw, id, to, reason, &r, &w->err), -1);
	assert_int_equal(w->err.status, ST_REFUSED);
	if (strstr(w->err.message, want) == NULL)
		fail_msg("wanted '%s' in '%s'", want, w->err.message);
	move_result_clear(&r);
	error_clear(&w->err);
}

static void
moved(struct world *w, const char *id, const char *to, const char *reason,
    struct move_result *r)
{
	if (casework_move(w->fx->store, w->cw, id, to, reason, r, &w->err) != 0)
		fail_msg("move %s %s: %s", id, to, w->err.message);
	assert_string_equal(r->to, to);
}

/* An institution of 雁塔区 and a submitted filing of it; the filing's id. */
static char *
filing(struct world *w, char **inst)
{
	char *pair;
	char *id;

	*inst = add(w, "institution", (const char *[]){ "name=启明星培训学校", "district=雁塔区",
	    "category=subject", NULL });
	pair = xasprintf("institution=%s", *inst);
	id = add(w, "filing", (const char *[]){ pair, "class_name=初二数学提高班",
	    "subject=数学", "target=初中", "submitted_on=2026-11-20", NULL });
	free(pair);
	return id;
}

static void
test_machine(void **state)
{
	struct world *w = *state;
	const struct machine *m = casework_machine(w->cw, formset_find(&w->fx->forms, "filing"));
	const struct machine_review *rv;

	assert_non_null(m);
	assert_non_null(machine_find_move(m, "submitted", "review"));
	assert_non_null(machine_find_move(m, "review", "approved"));
	assert_non_null(machine_find_move(m, "review", "rejected"));
	assert_non_null(machine_find_move(m, "rejected", "referred"));
	assert_null(machine_find_move(m, "submitted", "approved"));
	assert_null(machine_find_move(m, "approved", "referred"));
	assert_true(machine_state(m, "approved")->final);
	assert_true(machine_state(m, "referred")->final);
	assert_false(machine_state(m, "rejected")->final);
	rv = machine_review(m, "review");
	assert_non_null(rv);
	assert_string_equal(rv->accept_to, "approved");
	assert_string_equal(rv->reject_to, "rejected");
	assert_true(machine_move_needs_reason(machine_find_move(m, "review", "rejected")));
	assert_false(machine_move_needs_reason(machine_find_move(m, "review", "approved")));
}

/* Taken, decided by the determination, rejected with the reason kept in the review. */
static void
test_review(void **state)
{
	struct world *w = *state;
	char *inst, *ba = filing(w, &inst);
	struct move_result r;

	assert_string_equal(ba, "BA-610113-000001");
	assert_string_equal(get(w, ba, "district"), "610113");	/* from the institution */
	assert_string_equal(get(w, ba, "state"), "submitted");
	refused(w, ba, "approved", NULL, "cannot go from Submitted to Approved");
	moved(w, ba, "review", NULL, &r);
	assert_string_equal(get(w, ba, "expert"), "RY-00001");	/* who took it */
	assert_string_equal(get(w, ba, "reviewed_on"), "2026-11-28");
	move_result_clear(&r);
	refused(w, ba, "approved", NULL, "needs Determination (determination) first");
	refused(w, ba, "rejected", "超前", "needs Determination (determination) first");
	set(w, ba, "determination", "ahead");
	refused(w, ba, "approved", NULL, "is determined Ahead of the curriculum: it cannot be approved");
	refused(w, ba, "rejected", NULL, "needs a reason");
	set(w, ba, "determination", "compliant");
	refused(w, ba, "rejected", "超前", "a rejection needs Determination ahead of or beyond");
	set(w, ba, "determination", "ahead_beyond");
	moved(w, ba, "rejected", "讲授初三二次函数", &r);
	assert_int_equal(r.n_created, 0);
	assert_string_equal(get(w, ba, "review_reason"), "讲授初三二次函数");
	assert_string_equal(get(w, ba, "state"), "rejected");
	move_result_clear(&r);
	free(inst);
	free(ba);
}

/* A compliant filing is approved; it is final. */
static void
test_approve(void **state)
{
	struct world *w = *state;
	char *inst, *ba = filing(w, &inst);
	struct move_result r;

	moved(w, ba, "review", NULL, &r);
	move_result_clear(&r);
	set(w, ba, "determination", "compliant");
	moved(w, ba, "approved", NULL, &r);
	assert_string_equal(get(w, ba, "state"), "approved");
	move_result_clear(&r);
	refused(w, ba, "referred", NULL, "cannot go from Approved to Referred");
	free(inst);
	free(ba);
}

/* A rejection referred: one rectification order of check filing_review, its finding the
 * review's reason, severity and deadline (today + 15) from deadlines.rules, the institution's
 * responsible person answering for it, else the person who refers it. */
static void
test_refer(void **state)
{
	struct world *w = *state;
	char *inst, *ba = filing(w, &inst), *zg;
	struct move_result r;

	moved(w, ba, "review", NULL, &r);
	move_result_clear(&r);
	set(w, ba, "determination", "beyond");
	moved(w, ba, "rejected", "超出课标要求", &r);
	move_result_clear(&r);
	moved(w, ba, "referred", NULL, &r);
	assert_int_equal(r.n_created, 1);
	zg = xstrdup(r.created[0]);
	move_result_clear(&r);
	assert_string_equal(zg, "ZG-610113-000001");
	assert_string_equal(get(w, zg, "check"), "filing_review");
	assert_string_equal(get(w, zg, "finding"), "超出课标要求");
	assert_string_equal(get(w, zg, "institution"), inst);
	assert_string_equal(get(w, zg, "inspection"), "");
	assert_string_equal(get(w, zg, "severity"), "major");
	assert_string_equal(get(w, zg, "deadline"), "2026-12-13");
	assert_string_equal(get(w, zg, "responsible"), "RY-00001");	/* who referred it */
	assert_string_equal(get(w, zg, "state"), "open");
	assert_string_equal(get(w, ba, "state"), "referred");
	free(zg);
	free(ba);
	free(inst);

	/* The institution's responsible person comes first. */
	ba = filing(w, &inst);
	set(w, inst, "responsible", "RY-00001");
	moved(w, ba, "review", NULL, &r);
	move_result_clear(&r);
	set(w, ba, "determination", "ahead");
	moved(w, ba, "rejected", "超前", &r);
	move_result_clear(&r);
	set(w, ba, "review_reason", "");	/* a finding without a reason says the check */
	moved(w, ba, "referred", NULL, &r);
	assert_string_equal(get(w, r.created[0], "finding"), "检查项「备案审核」不合格");	/* no reason */
	assert_string_equal(get(w, r.created[0], "responsible"), "RY-00001");
	move_result_clear(&r);
	free(ba);
	free(inst);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_machine, setup_world, teardown_world),
		cmocka_unit_test_setup_teardown(test_review, setup_world, teardown_world),
		cmocka_unit_test_setup_teardown(test_approve, setup_world, teardown_world),
		cmocka_unit_test_setup_teardown(test_refer, setup_world, teardown_world),
	};

	return UNIT_RUN(tests);
}
