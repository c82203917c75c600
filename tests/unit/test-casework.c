/*
 * test-casework.c — the casework's engine on the shipped states and rules files and a real
 * store in a temporary directory: states files read (and each bad line named FILE:LINE),
 * moves found, the board's neighbours, overdue with a pinned today, the deadline rules, and
 * every guard and effect of a move, each checked by the values it leaves.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "casework-fixture.h"

#define FORMS ABS_TOP_SRCDIR "/forms"

static int
setup_world(void **state)
{
	return world_setup_xincheng(state, NULL);
}

static const char *const all_pass[] = { "platform=pass", "disclosure=pass",
	"joint_enforcement=pass", "licence=pass", "filing_review=pass", "rules=pass",
	"unlicensed=pass", "advertising=pass", "moonlighting=pass" };

/* An inspection of inst with safety=SAFETY and the given extra pairs, every other check passed. */
static char *
inspection(struct world *w, const char *inst, const char *const *extra)
{
	const char *pairs[24];
	char *inst_pair = xasprintf("institution=%s", inst), *id;
	size_t n = 0;

	pairs[n++] = inst_pair;
	pairs[n++] = "date=2026-11-20";
	pairs[n++] = "method=unannounced";
	for (size_t i = 0; i < sizeof all_pass / sizeof *all_pass; i++)
		pairs[n++] = all_pass[i];
	for (size_t i = 0; extra[i] != NULL; i++)
		pairs[n++] = extra[i];
	pairs[n] = NULL;
	id = world_add(w, "inspection", pairs);
	free(inst_pair);
	return id;
}

/* ---- reading states files ---- */

static void
test_machine_shipped(void **state)
{
	struct world *w = *state;
	const struct machine *m = casework_machine(w->cw, world_form(w, "rectification"));
	const struct machine_move *mv;

	assert_non_null(m);
	assert_int_equal(m->n_states, 4);
	assert_true(machine_state(m, "verified")->final);
	assert_false(machine_state(m, "submitted")->final);
	assert_int_equal(machine_state(m, "submitted")->column, COLUMN_VERIFY);
	assert_string_equal(m->form->fields[m->deadline_field].name, "deadline");
	assert_string_equal(m->form->fields[m->person_field].name, "responsible");
	mv = machine_find_move(m, "open", "verified");	/* only "* verified" */
	assert_non_null(mv);
	assert_string_equal(mv->from, "*");
	assert_string_equal(mv->action, "rectification.verify");
	mv = machine_find_move(m, "verified", "in_progress");	/* exact before "*" */
	assert_string_equal(mv->action, "rectification.relapse");
	assert_string_equal(machine_find_move(m, "submitted", "in_progress")->action,
	    "rectification.reopen");
	assert_null(machine_find_move(m, "open", "open"));
	assert_null(machine_find_move(m, "verified", "submitted"));
	assert_string_equal(machine_neighbour(m, "open", 1), "in_progress");
	assert_string_equal(machine_neighbour(m, "in_progress", 1), "submitted");
	assert_string_equal(machine_neighbour(m, "submitted", 1), "verified");
	assert_string_equal(machine_neighbour(m, "in_progress", -1), "open");
	assert_string_equal(machine_neighbour(m, "verified", -1), "in_progress");
	assert_null(machine_neighbour(m, "verified", 1));
	assert_null(machine_neighbour(m, "open", -1));
}

/* An exact "from" wins over "*" wherever it stands in the file. */
static void
test_machine_star(void **state)
{
	static const char text[] = "machine rectification\nfield state\n"
	    "state open\nstate in_progress\nstate submitted\nstate verified\n  final\n"
	    "move * in_progress\n  action t.any\n  words 任意\n"
	    "move open in_progress\n  action t.exact\n  words 确切\n";
	struct world *w = *state;
	struct machine *m;

	assert_int_equal(machine_parse("t.states", text, &w->fx->forms, &m, &w->err), 0);
	assert_string_equal(machine_find_move(m, "open", "in_progress")->action, "t.exact");
	assert_string_equal(machine_find_move(m, "submitted", "in_progress")->action, "t.any");
	assert_null(machine_find_move(m, "in_progress", "in_progress"));
	assert_null(machine_find_move(m, "open", "verified"));
	assert_int_equal(m->deadline_field, -1);
	machine_free(m);
}

/* Review lines: accept and reject name moves from the state by their action, resolved to the
 * state they move to; the shipped files review submitted orders, inspections in progress and
 * rectifying institutions. */
static void
test_machine_review(void **state)
{
	static const char text[] = "machine rectification\nfield state\n"
	    "state open\nstate in_progress\nstate submitted\nstate verified\n  final\n"
	    "review submitted accept t.ok reject t.back\n"
	    "review open reject t.any\n"
	    "move submitted verified\n  action t.ok\n  words 通过\n"
	    "move * in_progress\n  action t.any\n  words 任意\n"
	    "move submitted in_progress\n  action t.back\n  words 退回\n  reason\n";
	struct world *w = *state;
	const struct machine *shipped;
	const struct machine_review *r;
	struct machine *m;

	assert_int_equal(machine_parse("t.states", text, &w->fx->forms, &m, &w->err), 0);
	r = machine_review(m, "submitted");
	assert_non_null(r);
	assert_string_equal(r->accept, "t.ok");
	assert_string_equal(r->accept_to, "verified");
	assert_string_equal(r->reject_to, "in_progress");
	assert_true(machine_move_needs_reason(machine_find_move(m, "submitted", r->reject_to)));
	assert_false(machine_move_needs_reason(machine_find_move(m, "submitted", r->accept_to)));
	r = machine_review(m, "open");	/* through "*" */
	assert_null(r->accept);
	assert_null(r->accept_to);
	assert_string_equal(r->reject_to, "in_progress");
	assert_null(machine_review(m, "verified"));
	machine_free(m);

	shipped = casework_machine(w->cw, world_form(w, "rectification"));
	r = machine_review(shipped, "submitted");
	assert_null(r->accept);		/* verify is made only by a verification inspection */
	assert_string_equal(r->reject, "rectification.reopen");
	assert_string_equal(r->reject_to, "in_progress");
	shipped = casework_machine(w->cw, world_form(w, "inspection"));
	assert_string_equal(machine_review(shipped, "in_progress")->accept_to, "done");
	assert_string_equal(machine_review(shipped, "in_progress")->reject_to, "planned");
	shipped = casework_machine(w->cw, world_form(w, "institution"));
	assert_string_equal(machine_review(shipped, "rectifying")->accept_to, "none");
	assert_string_equal(machine_review(shipped, "rectifying")->reject_to, "suspended");
}

#define ALL_STATES "machine rectification\nfield state\nstate open\nstate in_progress\n" \
	"state submitted\nstate verified\n"

static void
test_machine_bad_lines(void **state)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "field state\n", "x.states:1: the file must start with 'machine FORM'" },
		{ "machine nosuch\n", "x.states:1: 'machine' names a form in force" },
		{ "machine rectification\nfield deadline\n", "x.states:2: field 'deadline' is not of type" },
		{ "machine rectification\nfield state\nstate bogus\n", "x.states:3: 'bogus' is not an option" },
		{ "machine rectification\nfield state\nstate open\n  column left\n", "x.states:4: 'column' takes one of" },
		{ "machine rectification\nfield state\nmove open open\n", "x.states:3: a move goes to another state" },
		{ "machine rectification\nfield state\nmove open submitted\n  require nosuch\n", "x.states:4: 'require' names fields" },
		{ "machine rectification\nfield state\nfrobnicate\n", "x.states:3: unknown line 'frobnicate'" },
		{ "machine rectification\nfield state\nstate open\n", "x.states: option 'in_progress' of field state is not a state" },
		{ ALL_STATES "review open\n", "x.states:7: 'review' takes a state, then" },
		{ ALL_STATES "review bogus accept x\n", "x.states:7: 'bogus' is not an option" },
		{ ALL_STATES "review open take x\n", "x.states:7: 'review' takes 'accept ACTION' and 'reject ACTION', once each, not 'take'" },
		{ ALL_STATES "review open accept x accept y\n", "x.states:7: 'review' takes 'accept ACTION'" },
		{ ALL_STATES "review open accept x\nreview open reject y\n", "x.states:8: state 'open' has a review line already" },
		{ ALL_STATES "review open accept t.none\n", "x.states:7: no move from open has the action 't.none'" },
		{ ALL_STATES "review open accept t.by\nmove * verified\n  action t.by\n  words 通过\n  by verify-order\n",
		    "x.states:7: 't.by' is made only by verify-order, never by a person" },
		{ ALL_STATES "review open accept t.late\nmove open verified\n  action t.first\n  words 甲\n"
		    "move open verified\n  action t.late\n  words 乙\n", "x.states:7: 't.late' is not the move from open to verified" },
	};
	struct world *w = *state;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct machine *m = NULL;

		assert_int_equal(machine_parse("x.states", bad[i].text, &w->fx->forms, &m, &w->err), -1);
		if (strstr(w->err.message, bad[i].want) == NULL)
			fail_msg("%zu: wanted '%s' in '%s'", i, bad[i].want, w->err.message);
		error_clear(&w->err);
	}
}

/* A copy of the shipped forms dir's rules with one states file's text replaced. */
static void
load_with(struct world *w, const char *name, const char *append, const char *want)
{
	char dir[] = "/tmp/huitou-cw-XXXXXX", *path, *src;
	struct buf text = BUF_INIT;
	struct casework *cw = NULL;
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	src = xasprintf("%s/%s", FORMS, name);
	path = xasprintf("%s/%s", dir, name);
	assert_int_equal(file_read_all(src, &text, &w->err), 0);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "%s%s", buf_str(&text), append);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(casework_load(dir, &w->fx->forms, &cw, &w->err), -1);
	if (strstr(w->err.message, want) == NULL)
		fail_msg("wanted '%s' in '%s'", want, w->err.message);
	error_clear(&w->err);
	remove(path);
	remove(dir);
	free(src);
	free(path);
	buf_free(&text);
}

static void
test_load_refuses_unknown_names(void **state)
{
	struct world *w = *state;
	char *line = NULL;
	struct buf text = BUF_INIT;
	size_t n;

	assert_int_equal(file_read_all(FORMS "/institution.states", &text, &w->err), 0);
	n = 0;
	for (const char *p = buf_str(&text); *p != '\0'; p++)
		n += *p == '\n';
	line = xasprintf("institution.states:%zu:", n + 1);
	load_with(w, "institution.states", "  check no-such\n", line);
	load_with(w, "institution.states", "  check no-such\n", "unknown check 'no-such'");
	load_with(w, "institution.states", "  effect explode\n", "unknown effect 'explode'");
	load_with(w, "institution.states", "  effect set status\n", "takes 2 arguments, not 1");
	load_with(w, "institution.states", "  effect set status closed\n", "not an option");
	load_with(w, "institution.states", "  effect set nosuch x\n", "names a field");
	load_with(w, "institution.states", "  effect stamp list escalated_on\n", "ref field");
	load_with(w, "institution.states", "  by magic\n", "'by' names an effect");
	load_with(w, "institution.states", "  check checklist-complete\n", "names no field of this form");
	load_with(w, "institution.states", "  effect open-orders\n", "only an inspection");
	load_with(w, "deadlines.rules", "days nosuch * 3\n", "deadlines.rules:24: 'nosuch' is not an option");
	load_with(w, "deadlines.rules", "severity nosuch dire\n", "'nosuch' is not an option");
	load_with(w, "deadlines.rules", "days * dire 3\n", "'dire' is not an option");
	free(line);
	buf_free(&text);
}

/* ---- deadlines and overdue ---- */

static void
test_deadline_rules(void **state)
{
	struct world *w = *state;
	const struct deadline_rules *r = w->cw->deadlines;

	assert_int_equal(deadline_days(r, "safety", "critical"), 3);	/* check and severity */
	assert_int_equal(deadline_days(r, "platform", "critical"), 10);	/* the check beats */
	assert_int_equal(deadline_days(r, "safety", "major"), 15);	/* a severity */
	assert_int_equal(deadline_days(r, "rules", "minor"), 30);
	assert_int_equal(deadline_days(r, "nosuch", "nosuch"), 30);	/* "* *" */
	assert_string_equal(deadline_severity(r, "unlicensed"), "critical");
	assert_null(deadline_severity(r, "nosuch"));
	assert_int_equal(deadline_days(NULL, "safety", "critical"), -1);
}

static void
test_overdue(void **state)
{
	struct world *w = *state;
	const struct machine *m = casework_machine(w->cw, world_form(w, "rectification"));
	struct record *rec = record_new(m->form);
	char today[11];

	record_set_raw(rec, (size_t)form_field_index(m->form, "deadline"), "2026-11-23");
	setenv("HUITOU_NOW", "2026-11-24", 1);
	clock_format_date(clock_today(), today);
	assert_string_equal(today, "2026-11-24");
	assert_true(machine_overdue(m, rec, today));
	assert_false(machine_overdue(m, rec, "2026-11-23"));	/* the deadline day itself */
	record_set_raw(rec, m->field, "verified");
	assert_false(machine_overdue(m, rec, today));		/* final: never overdue */
	record_set_raw(rec, m->field, "submitted");
	assert_true(machine_overdue(m, rec, today));
	record_set_raw(rec, (size_t)form_field_index(m->form, "deadline"), "");
	assert_false(machine_overdue(m, rec, today));
	unsetenv("HUITOU_NOW");
	record_free(rec);
}

/* ---- guards and effects on a real store ---- */

static void
test_close_opens_orders(void **state)
{
	struct world *w = *state;
	char *inst = world_add(w, "institution", (const char *[]){ "name=启明星培训学校",
	    "district=新城区", "category=subject", NULL });
	char *pair = xasprintf("institution=%s", inst);
	char *jc = world_add(w, "inspection", (const char *[]){ pair, "date=2026-11-20", "method=unannounced", "safety=fail",
	    NULL });
	struct move_result r;

	free(pair);
	world_refused(w, jc, "done", NULL, "not complete: Platform entry, Disclosure, Joint enforcement");
	free(jc);
	jc = inspection(w, inst, (const char *[]){ "safety=fail", "moonlighting=fail", NULL });
	world_refused(w, jc, "done", NULL, "no one answers for the orders");	/* no person at all */
	world_set(w, jc, "inspector", "RY-00001");
	setenv("HUITOU_NOW", "2026-11-28", 1);
	world_moved(w, jc, "done", NULL, &r);
	assert_int_equal(r.n_created, 2);
	assert_string_equal(world_get(w, r.created[0], "check"), "safety");
	assert_string_equal(world_get(w, r.created[0], "severity"), "critical");
	assert_string_equal(world_get(w, r.created[0], "deadline"), "2026-11-23");
	assert_string_equal(world_get(w, r.created[0], "finding"), "检查项「安全管理」不合格");
	assert_string_equal(world_get(w, r.created[0], "responsible"), "RY-00001");	/* the inspector */
	assert_string_equal(world_get(w, r.created[0], "inspection"), jc);
	assert_string_equal(world_get(w, r.created[0], "district"), "610102");
	assert_string_equal(world_get(w, r.created[1], "check"), "moonlighting");
	assert_string_equal(world_get(w, r.created[1], "deadline"), "2026-12-05");	/* major: 15 */
	assert_string_equal(world_get(w, r.created[1], "state"), "open");
	assert_string_equal(world_get(w, jc, "state"), "done");
	move_result_clear(&r);

	/* The institution's responsible person comes first. */
	world_set(w, inst, "responsible", "RY-00001");
	free(jc);
	jc = inspection(w, inst, (const char *[]){ "safety=na", "platform=fail", NULL });
	world_moved(w, jc, "done", NULL, &r);
	assert_int_equal(r.n_created, 1);
	assert_string_equal(world_get(w, r.created[0], "finding"), "检查项「平台录入」不合格");
	assert_string_equal(world_get(w, r.created[0], "deadline"), "2026-11-30");
	move_result_clear(&r);
	unsetenv("HUITOU_NOW");
	free(jc);
	free(inst);
}

/* Several moves in one transaction: all made, or none when one is refused (stale or
 * guarded), with the index of the one refused. */
static void
test_moves_together(void **state)
{
	struct world *w = *state;
	char *a = world_add(w, "institution", (const char *[]){ "name=甲培训学校", "district=新城区",
	    "category=subject", NULL });
	char *b = world_add(w, "institution", (const char *[]){ "name=乙培训学校", "district=新城区",
	    "category=subject", NULL });
	char *c = world_add(w, "institution", (const char *[]){ "name=丙培训学校", "district=新城区",
	    "category=subject", NULL });
	struct move_request two[] = { { a, "none", "rectifying", "无证招生" },
		{ b, NULL, "rectifying", "超前培训" } };
	struct move_request stale[] = { { c, "none", "rectifying", "理由" },
		{ a, "none", "rectifying", "理由" } };
	struct move_request no_reason[] = { { c, "none", "rectifying", "理由" },
		{ b, "rectifying", "suspended", NULL } };
	struct move_result res[2];
	size_t refused;

	assert_int_equal(casework_moves(w->fx->store, w->cw, two, 2, res, &refused, &w->err), 0);
	assert_string_equal(res[0].from, "none");
	assert_string_equal(res[1].to, "rectifying");
	assert_string_equal(world_get(w, a, "escalation"), "rectifying");
	assert_string_equal(world_get(w, b, "escalation"), "rectifying");
	assert_string_equal(world_get(w, b, "status"), "rectifying");	/* its effects too */
	move_result_clear(&res[0]);
	move_result_clear(&res[1]);

	assert_int_equal(casework_moves(w->fx->store, w->cw, stale, 2, res, &refused, &w->err), -1);
	assert_int_equal(w->err.status, ST_REFUSED);
	assert_int_equal(refused, 1);
	assert_non_null(strstr(w->err.message, "meanwhile"));
	assert_string_equal(world_get(w, c, "escalation"), "none");	/* the first is not made either */
	move_result_clear(&res[0]);
	move_result_clear(&res[1]);
	error_clear(&w->err);

	assert_int_equal(casework_moves(w->fx->store, w->cw, no_reason, 2, res, &refused, &w->err), -1);
	assert_int_equal(refused, 1);
	assert_non_null(strstr(w->err.message, "reason"));
	assert_string_equal(world_get(w, c, "escalation"), "none");
	assert_string_equal(world_get(w, b, "escalation"), "rectifying");
	move_result_clear(&res[0]);
	move_result_clear(&res[1]);
	error_clear(&w->err);
	free(a);
	free(b);
	free(c);
}

static void
test_orders_guards_and_verification(void **state)
{
	struct world *w = *state;
	char *inst = world_add(w, "institution", (const char *[]){ "name=晨曦培训学校",
	    "district=新城区", "category=subject", "responsible=RY-00001", NULL });
	char *jc = inspection(w, inst, (const char *[]){ "safety=fail", NULL }), *jv, *pair, *zg;
	struct move_result r;

	world_moved(w, jc, "done", NULL, &r);
	zg = xstrdup(r.created[0]);
	move_result_clear(&r);
	world_refused(w, zg, "verified", NULL, "not made by hand");			/* by */
	world_refused(w, zg, "submitted", NULL, "needs What was done (response) first");	/* require */
	world_refused(w, zg, "open", NULL, "is already");
	world_refused(w, zg, "nowhere", NULL, "is not a state");
	world_set(w, zg, "response", "已整改");
	world_moved(w, zg, "submitted", NULL, &r);
	move_result_clear(&r);
	world_refused(w, zg, "in_progress", NULL, "needs a reason");			/* reason */
	assert_int_equal(casework_move_check(w->fx->store, w->cw, zg, "in_progress", "退回",
	    &w->err), 0);
	assert_string_equal(world_get(w, zg, "state"), "submitted");	/* a check writes nothing */

	/* A verification decides the order: na refused, pass verifies, fail reopens. */
	pair = xasprintf("order=%s", zg);
	free(jv = world_add(w, "institution", (const char *[]){ "name=别的培训学校", "district=新城区",
	    "category=subject", NULL }));
	jv = inspection(w, "JG-610102-000002", (const char *[]){ "method=verification", pair,
	    "safety=pass", NULL });
	world_refused(w, jv, "done", NULL, "is not of institution JG-610102-000002");
	free(jv);
	jv = inspection(w, inst, (const char *[]){ "method=verification", pair, "safety=na", NULL });
	world_refused(w, jv, "done", NULL, "must decide check safety");
	world_set(w, jv, "safety", "pass");
	world_set(w, jv, "date", "2026-11-26");
	world_moved(w, jv, "done", NULL, &r);
	assert_int_equal(r.n_changed, 1);
	assert_int_equal(r.n_created, 0);
	assert_string_equal(r.changed[0], zg);
	move_result_clear(&r);
	assert_string_equal(world_get(w, zg, "state"), "verified");
	assert_string_equal(world_get(w, zg, "verified_by"), jv);
	assert_string_equal(world_get(w, zg, "verified_on"), "2026-11-26");
	free(jv);
	jv = inspection(w, inst, (const char *[]){ "method=verification", pair, "safety=fail",
	    "platform=fail", NULL });
	world_moved(w, jv, "done", NULL, &r);
	assert_int_equal(r.n_created, 1);	/* platform: a new order; safety: not again */
	assert_string_equal(world_get(w, r.created[0], "check"), "platform");
	move_result_clear(&r);
	assert_string_equal(world_get(w, zg, "state"), "in_progress");
	assert_string_equal(world_get(w, zg, "relapses"), "1");

	/* The ladder: reason, set, stamp, and no-open-orders. */
	world_refused(w, inst, "rectifying", NULL, "needs a reason");
	setenv("HUITOU_NOW", "2026-11-28", 1);
	world_moved(w, inst, "rectifying", "两项不合格", &r);
	move_result_clear(&r);
	assert_string_equal(world_get(w, inst, "status"), "rectifying");
	assert_string_equal(world_get(w, inst, "escalated_by"), "RY-00001");
	assert_string_equal(world_get(w, inst, "escalated_on"), "2026-11-28");
	world_refused(w, inst, "none", "已整改", "still has rectification orders not verified");
	world_moved(w, inst, "suspended", "逾期", &r);
	move_result_clear(&r);
	world_moved(w, inst, "banned", "取缔", &r);
	move_result_clear(&r);
	assert_string_equal(world_get(w, inst, "status"), "banned");
	assert_string_equal(world_get(w, inst, "list"), "black");
	unsetenv("HUITOU_NOW");
	free(pair);
	free(zg);
	free(jv);
	free(jc);
	free(inst);
}

static void
test_no_open_orders_passes_when_verified(void **state)
{
	struct world *w = *state;
	char *inst = world_add(w, "institution", (const char *[]){ "name=某培训学校",
	    "district=新城区", "category=subject", "responsible=RY-00001",
	    "escalation=rectifying", NULL });
	struct move_result r;

	world_moved(w, inst, "none", "无整改单", &r);
	assert_string_equal(world_get(w, inst, "status"), "licensed");
	move_result_clear(&r);
	free(inst);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_machine_shipped, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_machine_star, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_machine_review, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_machine_bad_lines, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_load_refuses_unknown_names, setup_world,
		    world_teardown),
		cmocka_unit_test_setup_teardown(test_deadline_rules, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_overdue, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_close_opens_orders, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_moves_together, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_orders_guards_and_verification, setup_world,
		    world_teardown),
		cmocka_unit_test_setup_teardown(test_no_open_orders_passes_when_verified, setup_world,
		    world_teardown),
	};

	return UNIT_RUN(tests);
}
