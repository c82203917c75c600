/*
 * test-complaints.c — the complaints' casework on the shipped forms and a real store: the
 * response rules (forms/responses.rules, each bad line named FILE:LINE), the response deadline
 * an assignment sets, the supervisor-named check, a suspected site registered as an
 * unlicensed institution with its follow-up inspection, the reply's guards and overdue from
 * the deadline with a pinned today.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "casework-fixture.h"

static int
setup_world(void **state)
{
	return world_setup_xincheng(state, "2026-11-28");
}

/* A move without a reason expected to be refused with a message holding want. */
static void
refused(struct world *w, const char *id, const char *to, const char *want)
{
	world_refused(w, id, to, NULL, want);
}

/* ---- the rules file ---- */

static void
test_response_rules_shipped(void **state)
{
	struct world *w = *state;
	const struct response_rules *r = w->cw->responses;

	assert_non_null(r);
	assert_int_equal(response_days(r, "hotline"), 7);
	assert_int_equal(response_days(r, "media"), 3);
	assert_int_equal(response_days(r, "supervisor"), 10);
	assert_int_equal(response_days(r, "nosuch"), 15);	/* "*" */
	assert_int_equal(response_days(NULL, "hotline"), -1);
}

/* Parses text; with want, expects a refusal holding it. */
static struct response_rules *
parse(struct world *w, const char *text, const char *want)
{
	struct response_rules *r = NULL;
	int rc = response_rules_parse("r.rules", text, &r, &w->err);

	if (want == NULL) {
		if (rc != 0)
			fail_msg("%s: %s", text, w->err.message);
		return r;
	}
	assert_int_equal(rc, -1);
	if (strstr(w->err.message, want) == NULL)
		fail_msg("wanted '%s' in '%s'", want, w->err.message);
	error_clear(&w->err);
	return NULL;
}

static void
test_response_rules_lines(void **state)
{
	struct world *w = *state;
	struct response_rules *r = parse(w, "# c\ndays media 2\n\ndays walk_in 0\n", NULL);

	assert_int_equal(response_days(r, "media"), 2);
	assert_int_equal(response_days(r, "walk_in"), 0);
	assert_int_equal(response_days(r, "hotline"), -1);	/* no "*": none */
	assert_int_equal(response_rules_check(r, &w->fx->forms, &w->err), 0);
	response_rules_free(r);
	parse(w, "days media\n", "r.rules:1: 'days' takes CHANNEL N");
	parse(w, "days * 7\ndays media x\n", "r.rules:2: the days must be a number");
	parse(w, "days media 4000\n", "from 0 to 3650");
	parse(w, "days media -1\n", "from 0 to 3650");
	parse(w, "days * 1\ndays * 2\n", "r.rules:2: 'days *' is given twice");
	parse(w, "weeks media 2\n", "r.rules:1:");
	r = parse(w, "days * 1\n\ndays pigeon 3\n", NULL);
	assert_int_equal(response_rules_check(r, &w->fx->forms, &w->err), -1);
	assert_string_equal(w->err.message,
	    "r.rules:3: 'pigeon' is not an option of field channel of form complaint");
	error_clear(&w->err);
	response_rules_free(r);
}

/* ---- the moves ---- */

static char *
complaint(struct world *w, const char *channel, const char *const *extra)
{
	const char *pairs[16];
	char *ch = xasprintf("channel=%s", channel), *id;
	size_t n = 0;

	pairs[n++] = ch;
	pairs[n++] = "received=2026-11-25";
	pairs[n++] = "summary=居民楼内开办数学补习班";
	pairs[n++] = "district=新城区";
	for (size_t i = 0; extra[i] != NULL; i++)
		pairs[n++] = extra[i];
	pairs[n] = NULL;
	id = world_add(w, "complaint", pairs);
	free(ch);
	return id;
}

static void
test_assign_sets_deadline(void **state)
{
	struct world *w = *state;
	char *jb = complaint(w, "hotline", (const char *[]){ NULL });
	char *sup = complaint(w, "supervisor", (const char *[]){ "assignee=RY-00001", NULL });
	char *js = world_add(w, "supervisor", (const char *[]){ "name=陈立华", "district=新城区", NULL });
	struct move_result r;

	refused(w, jb, "assigned", "needs Assignee (assignee) first");
	world_set(w, jb, "assignee", "RY-00001");
	world_moved(w, jb, "assigned", NULL, &r);
	assert_string_equal(world_get(w, jb, "deadline"), "2026-12-02");	/* hotline: 7 days */
	move_result_clear(&r);

	refused(w, sup, "assigned", "a complaint from a social supervisor needs the supervisor");
	world_set(w, sup, "supervisor", js);
	world_moved(w, sup, "assigned", NULL, &r);
	assert_string_equal(world_get(w, sup, "deadline"), "2026-12-05");	/* supervisor: 10 */
	move_result_clear(&r);

	/* Sent back and assigned again: the deadline is counted again from the channel. */
	world_moved(w, sup, "received", "错派", &r);
	move_result_clear(&r);
	world_set(w, sup, "channel", "media");
	world_moved(w, sup, "assigned", NULL, &r);
	assert_string_equal(world_get(w, sup, "deadline"), "2026-11-28");	/* media: 3 */
	move_result_clear(&r);
	free(jb);
	free(sup);
	free(js);
}

static void
test_investigate_registers_site(void **state)
{
	struct world *w = *state;
	char *jb = complaint(w, "hotline", (const char *[]){ "assignee=RY-00001",
	    "street=西一路街道", NULL });
	struct move_result r;
	char *jg, *jc;

	world_moved(w, jb, "assigned", NULL, &r);
	move_result_clear(&r);
	refused(w, jb, "investigating", "names neither an institution nor a suspected site");
	world_set(w, jb, "site_name", "某小区数学补习点");
	world_set(w, jb, "site_address", "幸福小区3号楼501室");
	world_set(w, jb, "site_kind", "residential");
	refused(w, jb, "investigating", "site_category");
	world_set(w, jb, "site_category", "subject");
	world_moved(w, jb, "investigating", NULL, &r);
	assert_int_equal(r.n_created, 2);
	jg = xstrdup(r.created[0]);
	jc = xstrdup(r.created[1]);
	move_result_clear(&r);
	assert_string_equal(jg, "JG-610102-000001");
	assert_string_equal(world_get(w, jg, "name"), "某小区数学补习点");
	assert_string_equal(world_get(w, jg, "status"), "unlicensed");
	assert_string_equal(world_get(w, jg, "address"), "幸福小区3号楼501室");
	assert_string_equal(world_get(w, jg, "street"), "610102001");
	assert_string_equal(world_get(w, jg, "category"), "subject");
	assert_string_equal(world_get(w, jg, "notes"), "据举报 JB-610102-000001 登记的疑似无证场所（居民楼）");
	assert_string_equal(world_get(w, jb, "institution"), jg);
	assert_string_equal(world_get(w, jb, "inspection"), jc);
	assert_string_equal(world_get(w, jc, "institution"), jg);
	assert_string_equal(world_get(w, jc, "method"), "complaint");
	assert_string_equal(world_get(w, jc, "date"), "2026-11-28");
	assert_string_equal(world_get(w, jc, "state"), "planned");
	assert_string_equal(world_get(w, jc, "inspector"), "RY-00001");
	assert_string_equal(world_get(w, jc, "district"), "610102");

	/* Reopened and investigated again: the institution and the inspection are kept. */
	world_set(w, jb, "outcome", "substantiated");
	refused(w, jb, "replied", "needs Reply (reply) first");
	world_set(w, jb, "reply", "已取缔");
	world_moved(w, jb, "replied", NULL, &r);
	assert_string_equal(world_get(w, jb, "replied_on"), "2026-11-28");
	assert_string_equal(world_get(w, jb, "replied_by"), "RY-00001");
	move_result_clear(&r);
	refused(w, jb, "investigating", "needs a reason");
	world_moved(w, jb, "closed", NULL, &r);
	move_result_clear(&r);
	free(jg);
	free(jc);
	free(jb);
}

static void
test_investigate_known_institution(void **state)
{
	struct world *w = *state;
	char *jg = world_add(w, "institution", (const char *[]){ "name=启明星培训学校",
	    "district=新城区", "category=subject", NULL });
	char *pair = xasprintf("institution=%s", jg);
	char *jb = complaint(w, "online", (const char *[]){ pair, "assignee=RY-00001", NULL });
	struct move_result r;

	world_moved(w, jb, "assigned", NULL, &r);
	move_result_clear(&r);
	world_moved(w, jb, "investigating", NULL, &r);
	assert_int_equal(r.n_created, 1);	/* the inspection only */
	assert_string_equal(world_get(w, r.created[0], "institution"), jg);
	assert_string_equal(world_get(w, jb, "institution"), jg);
	move_result_clear(&r);
	free(pair);
	free(jb);
	free(jg);
}

static void
test_overdue(void **state)
{
	struct world *w = *state;
	const struct machine *m = casework_machine(w->cw, formset_find(&w->fx->forms, "complaint"));
	struct record *rec = record_new(m->form);

	assert_non_null(m);
	assert_string_equal(m->form->fields[m->deadline_field].name, "deadline");
	assert_string_equal(m->form->fields[m->person_field].name, "assignee");
	record_set_raw(rec, (size_t)m->deadline_field, "2026-12-02");
	record_set_raw(rec, m->field, "investigating");
	assert_false(machine_overdue(m, rec, "2026-12-02"));
	assert_true(machine_overdue(m, rec, "2026-12-03"));
	record_set_raw(rec, m->field, "replied");
	assert_false(machine_overdue(m, rec, "2026-12-03"));	/* the reply met it */
	record_set_raw(rec, m->field, "closed");
	assert_false(machine_overdue(m, rec, "2026-12-03"));	/* final */
	assert_string_equal(machine_review(m, "replied")->accept_to, "closed");
	assert_string_equal(machine_review(m, "replied")->reject_to, "investigating");
	record_free(rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_response_rules_shipped, setup_world,
		    world_teardown),
		cmocka_unit_test_setup_teardown(test_response_rules_lines, setup_world,
		    world_teardown),
		cmocka_unit_test_setup_teardown(test_assign_sets_deadline, setup_world,
		    world_teardown),
		cmocka_unit_test_setup_teardown(test_investigate_registers_site, setup_world,
		    world_teardown),
		cmocka_unit_test_setup_teardown(test_investigate_known_institution, setup_world,
		    world_teardown),
		cmocka_unit_test_setup_teardown(test_overdue, setup_world, world_teardown),
	};

	return UNIT_RUN(tests);
}
