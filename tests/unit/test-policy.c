/*
 * test-policy.c — the policy as data: the rule file's parser (every refusal names FILE:LINE),
 * the engine's decisions for each role of the shipped forms/policy.rules, and, on a store, the
 * refusal sentences, the write path's check and security log, init's first person, and what a
 * check costs a save (reported as a figure; the budget is 0.1 ms).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "fixture.h"
#include "store/store-private.h"

static const struct division_row city = { "6101", "", "西安市" };
static const struct division_row divisions[] = {
	{ "610102", "", "新城区" },
	{ "610113", "", "雁塔区" },
	{ "610113001", "610113", "小寨路街道" },
};

static struct formset forms;
static struct policy *shipped;

static int
load_shipped(void **state)
{
	struct error err = ERROR_INIT;
	struct buf text = BUF_INIT;

	(void)state;
	if (formset_load_dir(ABS_TOP_SRCDIR "/forms", &forms, &err) != 0 ||
	    file_read_all(ABS_TOP_SRCDIR "/forms/policy.rules", &text, &err) != 0 ||
	    policy_parse("policy.rules", buf_str(&text), &forms, &shipped, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.message);
		return -1;
	}
	buf_free(&text);
	return 0;
}

static int
free_shipped(void **state)
{
	(void)state;
	policy_free(shipped);
	formset_free(&forms);
	return 0;
}

static void
test_shipped_rules(void **state)
{
	static const char *const names[] = {
		"no-self-grant", "people-by-city", "draw-by-city", "lists-by-city", "city-all",
		"views-own-district", "district-scope", "expert-filing-review", "expert-nothing-else",
		"auditor-read-only", "private-city", "private-own-district",
	};

	(void)state;
	assert_int_equal(shipped->n_rules, COUNT(names));
	for (size_t i = 0; i < COUNT(names); i++)
		assert_string_equal(shipped->rules[i].name, names[i]);
	assert_int_equal(shipped->rules[0].scope, SCOPE_NOT_SELF);
	assert_string_equal(shipped->rules[0].fields[3], "active");
	assert_int_equal(shipped->rules[2].scope, SCOPE_NONE);	/* only city coordinators draw */
	assert_string_equal(shipped->rules[2].forms[0], "draw");
	assert_int_equal(shipped->rules[3].scope, SCOPE_NONE);	/* nor publish the lists */
	assert_string_equal(shipped->rules[3].forms[1], "listing");
	assert_int_equal(shipped->rules[5].scope, SCOPE_DISTRICT);
	assert_int_equal(shipped->rules[6].scope, SCOPE_DISTRICT);
	assert_int_equal(shipped->rules[7].scope, SCOPE_ALL);
	assert_string_equal(shipped->rules[7].only[1], "determination");
	assert_null(shipped->rules[6].only);
}

static void
test_bad_lines(void **state)
{
	static const char *const cases[][2] = {
		{ "roles *\n", "p.rules:1: 'roles' before the first 'rule NAME' line" },
		{ "rule a\n  roles boss\n", "p.rules:2: unknown role 'boss'" },
		{ "rule a\n  roles *\n  forms nope\n", "p.rules:3: unknown form 'nope'" },
		{ "rule a\n roles *\n forms *\n fields nofield\n scope all\n",
		    "p.rules:4: no form the rule names has the field 'nofield'" },
		{ "rule a\n roles *\n forms institution\n fields login\n scope all\n",
		    "p.rules:4: no form the rule names has the field 'login'" },
		{ "rule a\n roles *\n forms *\n scope some\n", "p.rules:4: unknown scope 'some'" },
		{ "rule a\n roles *\n forms *\n", "p.rules:1: the rule a has no scope" },
		{ "\n\nrule a\n forms *\n scope all\n", "p.rules:3: the rule a names no roles" },
		{ "rule a\n roles *\n scope all\n", "p.rules:1: the rule a names no forms" },
		{ "rule a\n roles *\n forms *\n scope all\nrule a\n", "p.rules:5: the rule a is named twice" },
		{ "rule A!\n", "p.rules:1: A!: a rule line is 'rule NAME'" },
		{ "# only a comment\n", "p.rules: holds no rule" },
		{ "rule a\n roles *\n roles *\n", "p.rules:3: 'roles' is given twice" },
		{ "rule a\n grant all\n", "p.rules:2: 'grant' is not a policy line" },
		{ "rule a\n scope all none\n", "p.rules:2: 'scope' takes one word" },
		{ "rule a\n roles\n", "p.rules:2: 'roles' names nothing" },
		{ "rule a\n roles *\n forms institution\n only class_name\n scope all\n",
		    "p.rules:4: no form the rule names has the field 'class_name'" },
		{ "rule a\n roles *\n forms *\n only state\n only state\n",
		    "p.rules:5: 'only' is given twice" },
		{ "rule a\n roles *\n forms *\n only\n", "p.rules:4: 'only' names nothing" },
		{ "rule a\n roles *\n forms * -nosuch\n scope none\n",
		    "p.rules:3: unknown form 'nosuch'" },
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		struct error err = ERROR_INIT;
		struct policy *p = NULL;

		assert_int_equal(policy_parse("p.rules", cases[i][0], &forms, &p, &err), -1);
		assert_null(p);
		if (strstr(err.message, cases[i][1]) == NULL)
			fail_msg("case %zu: wanted '%s', got '%s'", i, cases[i][1], err.message);
		error_clear(&err);
	}
}

static void
test_comments_and_blanks(void **state)
{
	struct error err = ERROR_INIT;
	struct policy *p = NULL;

	(void)state;
	assert_int_equal(policy_parse("p.rules", "rule a-1 # the first\n\troles city_coordinator auditor"
	    "   # two\n  forms user institution\n\n  scope none\r\n", &forms, &p, &err), 0);
	assert_int_equal(p->n_rules, 1);
	assert_string_equal(p->rules[0].roles[1], "auditor");
	assert_null(p->rules[0].roles[2]);
	assert_string_equal(p->rules[0].forms[1], "institution");
	assert_null(p->rules[0].fields);
	assert_int_equal(p->rules[0].scope, SCOPE_NONE);
	policy_free(p);
}

static struct record *
make(const char *form_name, const char *id, const char *const *pairs)
{
	struct record *rec = record_new(formset_find(&forms, form_name));

	record_set_raw(rec, 0, id);
	for (size_t i = 0; pairs[i] != NULL; i += 2)
		record_set_raw(rec, (size_t)form_field_index(rec->form, pairs[i]), pairs[i + 1]);
	return rec;
}

/* The name of the rule that refuses, or "" when allowed. */
static const char *
decide(const char *role, const char *district, const struct record *old,
    const struct record *rec)
{
	struct store_actor who = { "wang", "RY-00002", (char *)role, (char *)district, "" };
	const struct policy_rule *r = policy_decide(shipped, &who, old, rec);

	return r != NULL ? r->name : "";
}

static void
test_institutions(void **state)
{
	struct record *xc = make("institution", "JG-610102-000001",
	    (const char *[]){ "district", "610102", NULL });
	struct record *yt = make("institution", "JG-610113-000001",
	    (const char *[]){ "district", "610113", NULL });
	struct record *none = make("institution", "", (const char *[]){ NULL });

	(void)state;
	assert_string_equal(decide("city_coordinator", "", xc, yt), "");
	assert_string_equal(decide("city_coordinator", "", NULL, none), "");
	for (int i = 0; i < 3; i++) {
		const char *role = (const char *[]){ "district_coordinator", "street_officer",
		    "inspector" }[i];

		assert_string_equal(decide(role, "610113", yt, yt), "");
		assert_string_equal(decide(role, "610113", NULL, yt), "");
		assert_string_equal(decide(role, "610113", xc, xc), "district-scope");
		assert_string_equal(decide(role, "610113", NULL, xc), "district-scope");
		assert_string_equal(decide(role, "610113", yt, xc), "district-scope");	/* moved out */
		assert_string_equal(decide(role, "610113", xc, yt), "district-scope");	/* moved in */
		assert_string_equal(decide(role, "610113", NULL, none), "district-scope");
		assert_string_equal(decide(role, "", yt, yt), "district-scope");
	}
	assert_string_equal(decide("expert", "610113", yt, yt), "expert-nothing-else");
	assert_string_equal(decide("expert", "610113", NULL, yt), "expert-nothing-else");
	assert_string_equal(decide("auditor", "", yt, yt), "auditor-read-only");
	assert_string_equal(decide("", "", yt, yt), "no-rule");
	assert_string_equal(decide("boss", "", yt, yt), "no-rule");
	record_free(xc);
	record_free(yt);
	record_free(none);
}

/* "only": an expert changes a filing's review fields and state, of any district (scope all),
 * and nothing else of it; never a new one. */
static void
test_only(void **state)
{
	struct record *old = make("filing", "BA-610102-000001", (const char *[]){
	    "institution", "JG-610102-000001", "district", "610102", "class_name", "初二数学",
	    "state", "review", NULL });
	struct record *rec = record_copy(old), *fresh = make("filing", "", (const char *[]){
	    "district", "610102", "state", "review", NULL });
	struct error err = ERROR_INIT;
	struct policy *p = NULL;
	struct store_actor who = { "wang", "RY-00002", "inspector", "610113", "" };

	(void)state;
	assert_string_equal(decide("expert", "", old, rec), "");	/* no change at all */
	record_set_raw(rec, (size_t)form_field_index(rec->form, "determination"), "ahead");
	record_set_raw(rec, (size_t)form_field_index(rec->form, "review_reason"), "超前");
	record_set_raw(rec, (size_t)form_field_index(rec->form, "state"), "rejected");
	assert_string_equal(decide("expert", "", old, rec), "");
	assert_string_equal(decide("expert", "610113", old, rec), "");	/* another district */
	assert_null(policy_outside_only(&shipped->rules[7], old, rec));
	record_set_raw(rec, (size_t)form_field_index(rec->form, "class_name"), "初三数学");
	assert_string_equal(decide("expert", "", old, rec), "expert-filing-review");
	assert_string_equal(policy_outside_only(&shipped->rules[7], old, rec)->name, "class_name");
	assert_string_equal(decide("expert", "", NULL, fresh), "expert-filing-review");
	assert_string_equal(policy_outside_only(&shipped->rules[7], NULL, fresh)->name, "id");
	assert_string_equal(decide("district_coordinator", "610102", old, rec), "");
	assert_string_equal(decide("auditor", "", old, rec), "auditor-read-only");

	/* with a scope and with fields: both must hold, and only its fields make it apply */
	assert_int_equal(policy_parse("p.rules", "rule all\n roles *\n forms *\n scope all\n"
	    "rule notes-here\n roles inspector\n forms filing\n fields state\n"
	    " only state expert\n scope district\n", &forms, &p, &err), 0);
	assert_null(policy_decide(p, &who, old, old));
	assert_string_equal(policy_decide(p, &who, old, rec)->name, "notes-here");	/* 610102 */
	who.district = "610102";
	assert_string_equal(policy_decide(p, &who, old, rec)->name, "notes-here");	/* class */
	record_set_raw(rec, (size_t)form_field_index(rec->form, "class_name"), "初二数学");
	record_set_raw(rec, (size_t)form_field_index(rec->form, "determination"), "");
	record_set_raw(rec, (size_t)form_field_index(rec->form, "review_reason"), "");
	assert_null(policy_decide(p, &who, old, rec));
	record_set_raw(rec, (size_t)form_field_index(rec->form, "state"), "review");
	record_set_raw(rec, (size_t)form_field_index(rec->form, "class_name"), "初三数学");
	assert_null(policy_decide(p, &who, old, rec));	/* the state unchanged: it applies not */
	policy_free(p);
	record_free(old);
	record_free(rec);
	record_free(fresh);
}

static void
test_people(void **state)
{
	struct record *own = make("user", "RY-00002", (const char *[]){ "login", "wang",
	    "role", "district_coordinator", "district", "610113", NULL });
	struct record *other = make("user", "RY-00003", (const char *[]){ "login", "li",
	    "role", "inspector", "district", "610113", NULL });
	struct record *own2 = record_copy(own), *other2 = record_copy(other);
	struct record *claim = make("user", "", (const char *[]){ "login", "wang",
	    "role", "city_coordinator", NULL });

	(void)state;
	record_set_raw(own2, (size_t)form_field_index(own->form, "role"), "city_coordinator");
	record_set_raw(other2, (size_t)form_field_index(own->form, "active"), "no");
	assert_string_equal(decide("city_coordinator", "", own, own2), "no-self-grant");
	assert_string_equal(decide("city_coordinator", "", NULL, claim), "no-self-grant");
	assert_string_equal(decide("city_coordinator", "", other, other2), "");
	assert_string_equal(decide("district_coordinator", "610113", own, own2), "no-self-grant");
	assert_string_equal(decide("district_coordinator", "610113", other, other2), "people-by-city");
	assert_string_equal(decide("auditor", "", own, own2), "no-self-grant");
	assert_string_equal(decide("auditor", "", other, other2), "people-by-city");
	record_set_raw(own2, (size_t)form_field_index(own->form, "role"), "district_coordinator");
	record_set_raw(own2, (size_t)form_field_index(own->form, "phone"), "13912345678");
	assert_string_equal(decide("city_coordinator", "", own, own2), "");	/* own phone */
	assert_string_equal(decide("district_coordinator", "610113", own, own2), "people-by-city");
	record_free(own);
	record_free(own2);
	record_free(other);
	record_free(other2);
	record_free(claim);
}

static int
setup_store(void **state)
{
	struct fixture *fx = fixture_new(&city, divisions, COUNT(divisions));

	*state = fx;
	return fx != NULL ? 0 : -1;
}

static int
teardown_store(void **state)
{
	fixture_free(*state);
	return 0;
}

static void
set_actor(struct store *store, const char *role, const char *district)
{
	free(store->actor.role);
	free(store->actor.district);
	store->actor.role = xstrdup(role);
	store->actor.district = xstrdup(district);
}

static void
test_sentences(void **state)
{
	struct fixture *fx = *state;
	struct record *xc = make("institution", "JG-610102-000001",
	    (const char *[]){ "district", "610102", NULL });
	struct record *yt = make("institution", "JG-610113-000001",
	    (const char *[]){ "district", "610113", NULL });
	const char *me = store_actor(fx->store)->login;
	struct error err = ERROR_INIT;
	char *want;

	assert_null(store_actor(fx->store)->id);	/* the founder, before anyone is registered */
	assert_string_equal(store_actor(fx->store)->role, "city_coordinator");
	assert_int_equal(store_may_write(fx->store, xc, yt, &err), 0);
	set_actor(fx->store, "district_coordinator", "610113");
	assert_int_equal(store_may_write(fx->store, xc, xc, &err), -1);
	assert_int_equal(err.status, ST_REFUSED);
	want = xasprintf("District coordinator %s may change only records of their own district "
	    "(雁塔区): JG-610102-000001 belongs to 新城区 (rule district-scope)", me);
	assert_string_equal(err.message, want);
	free(want);
	error_clear(&err);
	assert_int_equal(store_may_write(fx->store, yt, xc, &err), -1);
	assert_non_null(strstr(err.message, "JG-610102-000001 would move to 新城区 (rule district-scope)"));
	error_clear(&err);
	assert_int_equal(store_may_create(fx->store, fx->inst, &err), 0);
	set_actor(fx->store, "auditor", "");
	assert_int_equal(store_may_create(fx->store, fx->inst, &err), -1);
	want = xasprintf("Auditor %s may not change Training institution records: "
	    "a new Training institution (rule auditor-read-only)", me);
	assert_string_equal(err.message, want);
	free(want);
	error_clear(&err);
	assert_string_equal(store_refusing_rule(fx->store, yt, yt), "auditor-read-only");
	set_actor(fx->store, "expert", "");
	assert_int_equal(store_may_create(fx->store, formset_find(&forms, "filing"), &err), -1);
	want = xasprintf("Expert %s may not create Filing records, only change Expert, "
	    "Determination, Review reason, Reviewed on, State: a new Filing (rule expert-filing-review)", me);
	assert_string_equal(err.message, want);
	free(want);
	error_clear(&err);
	{
		struct record *a = make("filing", "BA-610113-000001", (const char *[]){
		    "district", "610113", "class_name", "初二数学", NULL });
		struct record *b = record_copy(a);

		record_set_raw(b, (size_t)form_field_index(b->form, "class_name"), "初三数学");
		assert_int_equal(store_may_write(fx->store, a, b, &err), -1);
		want = xasprintf("Expert %s may not change Class name: BA-610113-000001 (rule "
		    "expert-filing-review: only Expert, Determination, Review reason, Reviewed on, "
		    "State of Filing records)", me);
		assert_string_equal(err.message, want);
		free(want);
		error_clear(&err);
		record_free(a);
		record_free(b);
	}
	record_free(xc);
	record_free(yt);
}

/* init's first person; then the write path refuses their own role change, and logs it. */
static void
test_founder_and_write_path(void **state)
{
	struct fixture *fx = *state;
	const struct form *users = formset_find(&fx->forms, "user");
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	struct record *rec;
	struct buf log = BUF_INIT;
	char *path = xasprintf("%s/security.log", fx->dir);

	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	assert_int_equal(store_setup_policy(txn, &err), 0);
	assert_int_equal(store_txn_commit(txn, &err), 0);
	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	assert_int_equal(store_get(txn, users, "RY-00001", &rec, &err), 0);
	assert_string_equal(record_get(rec, "role"), "city_coordinator");
	assert_int_equal(store_setup_policy(txn, &err), -1);	/* once only */
	error_clear(&err);
	record_set_raw(rec, (size_t)form_field_index(users, "role"), "auditor");
	assert_int_equal(store_update(txn, rec, &err), -1);
	assert_non_null(strstr(err.message, "(rule no-self-grant)"));
	store_txn_abort(txn);
	assert_string_equal(store_actor(fx->store)->id, "RY-00001");	/* read again by the write */
	assert_int_equal(file_read_all(path, &log, &err), 0);
	assert_non_null(strstr(buf_str(&log), " event=policy.refused City coordinator "));
	assert_non_null(strstr(buf_str(&log), "(rule no-self-grant)"));
	error_clear(&err);
	record_free(rec);
	buf_free(&log);
	free(path);
}

/* A store of an older huitou names no founder: its owner is taken for the founder, who may
 * register themselves, as init does now; then they are an ordinary city coordinator. */
static void
test_older_store_founder(void **state)
{
	struct fixture *fx = *state;
	const struct form *users = formset_find(&fx->forms, "user");
	MDB_val key = { strlen("founder"), (void *)"founder" };
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	struct identity id;
	struct record *me;
	struct field_ctx ctx;

	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	assert_int_equal(mdb_del(txn->txn, fx->store->meta, &key, NULL), 0);	/* as it was */
	assert_int_equal(store_txn_commit(txn, &err), 0);
	store_close(fx->store);
	assert_int_equal(store_open(fx->dir, &fx->forms, &fx->store, &err), 0);
	assert_null(store_actor(fx->store)->id);	/* the owner, as founder */
	assert_string_equal(store_actor(fx->store)->role, "city_coordinator");
	assert_int_equal(identity_current(&id, &err), 0);
	me = record_new(users);
	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	store_field_ctx(txn, me, &ctx);
	assert_int_equal(record_set_input(me, "login", id.login, &ctx, &err), 0);
	assert_int_equal(record_set_input(me, "name", "创建者", &ctx, &err), 0);
	assert_int_equal(record_set_input(me, "role", "city_coordinator", &ctx, &err), 0);
	assert_int_equal(store_insert(txn, me, &err), 0);	/* registers themselves */
	assert_int_equal(store_txn_commit(txn, &err), 0);
	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	record_set_raw(me, (size_t)form_field_index(users, "role"), "auditor");
	assert_int_equal(store_update(txn, me, &err), -1);	/* and from then on, no more */
	assert_non_null(strstr(err.message, "(rule no-self-grant)"));
	store_txn_abort(txn);
	error_clear(&err);
	identity_free(&id);
	record_free(me);
}

/* What the check costs a save: the actor read again and the decision, as store_update pays
 * it once per write, reported (the budget is 0.1 ms). Every check must pass. */
static void
test_check_cost(void **state)
{
	struct fixture *fx = *state;
	struct record *a = make("institution", "JG-610113-000001",
	    (const char *[]){ "district", "610113", NULL });
	struct record *b = record_copy(a);
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	const int n = 20000;
	uint64_t t0;
	double us;

	record_set_raw(b, (size_t)form_field_index(b->form, "notes"), "复查");
	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	t0 = clock_us();
	for (int i = 0; i < n; i++) {
		txn->actor_checked = false;
		assert_int_equal(store_policy_check(txn, a, b, &err), 0);
	}
	us = (double)(clock_us() - t0) / n;
	store_txn_abort(txn);
	/* A figure to read (the budget is 0.1 ms), not a timed check: the machine's load decides. */
	printf("# policy check (actor read again + decision): %.2f us a save\n", us);
	record_free(a);
	record_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_rules),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_comments_and_blanks),
		cmocka_unit_test(test_institutions),
		cmocka_unit_test(test_only),
		cmocka_unit_test(test_people),
		cmocka_unit_test_setup_teardown(test_sentences, setup_store, teardown_store),
		cmocka_unit_test_setup_teardown(test_founder_and_write_path, setup_store, teardown_store),
		cmocka_unit_test_setup_teardown(test_older_store_founder, setup_store, teardown_store),
		cmocka_unit_test_setup_teardown(test_check_cost, setup_store, teardown_store),
	};

	return (cmocka_set_message_output(CM_OUTPUT_TAP), lang_init("en"),
	    cmocka_run_group_tests(tests, load_shipped, free_shipped));
}
