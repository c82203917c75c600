/*
 * test-ledger.c — the joint-enforcement ledger's parts on the shipped forms and a real store:
 * the set field type (parse, labels, option order, refusals, the form's rules for it), the
 * states files' "when FIELD VALUE…" guard and the check sealed-by-ledger on the ban of an
 * unlicensed institution, and a list document filled with chosen records.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "casework-fixture.h"
#include "campaign/template.h"

static int
setup_world(void **state)
{
	return world_setup_xincheng(state, NULL);
}

static const struct field *
actions_field(struct world *w)
{
	const struct form *ledger = formset_find(&w->fx->forms, "enforcement");

	assert_non_null(ledger);
	return form_field(ledger, "actions");
}

static void
parses_as(const struct field *f, const char *in, const char *want)
{
	struct error err = ERROR_INIT;
	char *out = NULL;

	if (field_parse(f, in, NULL, &out, &err) != 0)
		fail_msg("'%s' refused: %s", in, err.message);
	if (strcmp(out, want) != 0)
		fail_msg("'%s' became '%s', not '%s'", in, out, want);
	free(out);
}

static void
refused_as(const struct field *f, const char *in, const char *want)
{
	struct error err = ERROR_INIT;
	char *out = NULL;

	assert_int_equal(field_parse(f, in, NULL, &out, &err), -1);
	assert_null(out);
	assert_int_equal(err.status, ST_REFUSED);
	if (strstr(err.message, want) == NULL)
		fail_msg("'%s': wanted '%s' in '%s'", in, want, err.message);
	error_clear(&err);
}

/* ---- the set type ---- */

static void
test_set_parse(void **state)
{
	const struct field *f = actions_field(*state);

	assert_int_equal(f->kind, FT_SET);
	parses_as(f, "sealed", "sealed");
	parses_as(f, "查封、没收", "sealed,confiscated");
	parses_as(f, "fined sealed", "sealed,fined");			/* option order */
	parses_as(f, "罚款，查封；警告", "sealed,fined,warned");	/* full-width separators */
	parses_as(f, "Signs removed, SEALED", "sealed,signs_removed");	/* a label with a space */
	parses_as(f, "sealed,sealed, 查封", "sealed");			/* once each */
	parses_as(f, "  sealed\u3000fined ", "sealed,fined");
	parses_as(f, "", "");
	parses_as(f, " , 、", "");					/* only separators: empty */
	refused_as(f, "sealed bogus", "'bogus' is not an option: use one of sealed");
	refused_as(f, "查封、拆除", "'拆除' is not an option");
	refused_as(f, "sealed\nfined", "not an option");
}

static void
test_set_labels(void **state)
{
	const struct field *f = actions_field(*state);
	char **values = field_set_values("sealed,confiscated");

	assert_string_equal(field_display_zh(f, "sealed,confiscated,fined"), "查封、没收、罚款");
	assert_string_equal(field_display(f, "sealed,fined"), "Sealed, Fined");
	assert_string_equal(field_display_zh(f, ""), "");
	assert_string_equal(field_display_zh(f, "sealed,gone"), "查封、gone");	/* an old option */
	lang_init("zh");
	assert_string_equal(field_display(f, "sealed,fined"), "查封、罚款");
	lang_init("en");
	assert_string_equal(values[0], "sealed");
	assert_string_equal(values[1], "confiscated");
	assert_null(values[2]);
	strv_free(values);
	assert_true(field_set_has("sealed,fined", "fined"));
	assert_true(field_set_has("sealed,fined", "sealed"));
	assert_false(field_set_has("sealed,fined", "seal"));
	assert_false(field_set_has("", "sealed"));
}

static void
form_refused(const char *fields, const char *want)
{
	char *text = xasprintf("form t\nversion 1\nlabel 测试\nid-format T-{seq:4}\n"
	    "field id\n  type id\n  label 编号\n%s", fields);
	struct form *form = NULL;
	struct error err = ERROR_INIT;

	assert_int_equal(form_parse("t.form", text, &form, &err), -1);
	if (strstr(err.message, want) == NULL)
		fail_msg("wanted '%s' in '%s'", want, err.message);
	error_clear(&err);
	free(text);
}

static void
test_set_form_rules(void **state)
{
	(void)state;
	form_refused("field a\n  type set\n  label 甲\n", "t.form:8: a set field needs at least one 'option'");
	form_refused("field a\n  type set\n  label 甲\n  option x 乙\n  index\n",
	    "a set field cannot be unique, indexed or have a default");
	form_refused("field a\n  type set\n  label 甲\n  option x 乙\n  default x\n",
	    "a set field cannot be unique, indexed or have a default");
	form_refused("field a\n  type text\n  label 甲\n  option x 乙\n",
	    "'option' is only for enum and set fields");
}

/* ---- the "when" guard and the ban of an unlicensed institution ---- */

/* world_add with name, value pairs, NULL-terminated, turned into its "name=value" ones. */
static char *
add(struct world *w, const char *form, const char *const *pairs)
{
	char *kv[16];
	size_t n = 0;
	char *id;

	for (size_t i = 0; pairs[i] != NULL; i += 2)
		kv[n++] = xasprintf("%s=%s", pairs[i], pairs[i + 1]);
	kv[n] = NULL;
	id = world_add(w, form, (const char *const *)kv);
	while (n > 0)
		free(kv[--n]);
	return id;
}

/* The ban of id expected to be refused with a message holding want. */
static void
ban_refused(struct world *w, const char *id, const char *want)
{
	world_refused(w, id, "banned", "查封后取缔", want);
}

static void
test_when_guard_reads(void **state)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "  when status\n", "x.states:5: 'when' takes a field and the values it may hold" },
		{ "  when nosuch x\n", "x.states:5: 'when' names a field of form institution, not 'nosuch'" },
		{ "  when status bogus\n", "x.states:5: 'bogus' is not an option of field status" },
	};
	struct world *w = *state;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *text = xasprintf("machine institution\nfield escalation\nmove none banned\n"
		    "  action t.ban\n%s  words 取缔\n", bad[i].text);
		struct machine *m = NULL;

		assert_int_equal(machine_parse("x.states", text, &w->fx->forms, &m, &w->err), -1);
		if (strstr(w->err.message, bad[i].want) == NULL)
			fail_msg("%zu: wanted '%s' in '%s'", i, bad[i].want, w->err.message);
		error_clear(&w->err);
		free(text);
	}
}

static void
test_ban_of_unlicensed(void **state)
{
	struct world *w = *state;
	char *flat = add(w, "institution", (const char *[]){ "name", "居民楼教学点",
	    "district", "新城区", "category", "subject", "status", "unlicensed", NULL });
	char *school = add(w, "institution", (const char *[]){ "name", "持证培训学校",
	    "district", "新城区", "category", "subject", NULL });
	char *visit, *sealing;
	struct move_result r;

	/* No entry yet, then one that did not seal: refused by the check. */
	ban_refused(w, flat, "no entry of the enforcement ledger records");
	visit = add(w, "enforcement", (const char *[]){ "date", "2026-11-20", "district", "新城区",
	    "institution", flat, "actions", "ordered_to_stop,warned", NULL });
	ban_refused(w, flat, "record the operation first");
	/* A licensed one sealed too: refused by the when guard, naming its status. */
	sealing = add(w, "enforcement", (const char *[]){ "date", "2026-11-21",
	    "district", "新城区", "institution", school, "actions", "sealed", NULL });
	ban_refused(w, school, "only when Status (status) is Unlicensed: " );
	ban_refused(w, school, "is Licensed");
	assert_string_equal(world_get(w, school, "status"), "licensed");
	free(sealing);
	sealing = add(w, "enforcement", (const char *[]){ "date", "2026-11-22",
	    "district", "新城区", "institution", flat, "actions", "查封、摘牌", NULL });
	setenv("HUITOU_NOW", "2026-11-28", 1);
	if (casework_move(w->fx->store, w->cw, flat, "banned", "查封后取缔", &r, &w->err) != 0)
		fail_msg("ban: %s", w->err.message);
	unsetenv("HUITOU_NOW");
	assert_string_equal(world_get(w, flat, "escalation"), "banned");
	assert_string_equal(world_get(w, flat, "status"), "banned");
	assert_string_equal(world_get(w, flat, "list"), "black");
	assert_string_equal(world_get(w, flat, "escalated_on"), "2026-11-28");
	assert_string_equal(world_get(w, flat, "escalated_by"), "RY-00001");
	move_result_clear(&r);
	free(flat);
	free(school);
	free(visit);
	free(sealing);
}

/* ---- a list document ---- */

static void
test_list_document(void **state)
{
	struct world *w = *state;
	const struct form *ledger = formset_find(&w->fx->forms, "enforcement");
	char *a = add(w, "enforcement", (const char *[]){ "date", "2026-11-20",
	    "district", "新城区", "site_address", "某小区<3>号", "actions", "sealed,fined", NULL });
	char *b = add(w, "enforcement", (const char *[]){ "date", "2026-11-02",
	    "district", "新城区", "site_address", "乙地", NULL });
	struct template *t = template_new(&w->fx->forms, NULL);
	const char *settings = "form enforcement\nlist\nparam district count\nset head {{district}}台账\n";
	char *params[] = { "district", "新城区", "count", "2", NULL };
	struct store_txn *txn;
	struct record *recs[2] = { NULL, NULL };
	struct buf out = BUF_INIT;

	assert_int_equal(template_read_settings(t, "l.settings", settings, strlen(settings),
	    &w->err), 0);
	assert_int_equal(template_read(t, "l.html", "{{head}} {{count}}:{{#each records}}[{{id}} "
	    "{{date|date}} {{site_address}} {{actions}}]{{/each}}", &w->err), 0);
	assert_true(template_is_list(t));
	assert_int_equal(template_read(t, "l.html", "{{date}}", &w->err), -1);
	assert_non_null(strstr(w->err.message, "l.html:1: unknown field 'date'"));
	error_clear(&w->err);
	assert_int_equal(template_read(t, "l.html", "{{#each records}}{{#each records}}{{/each}}"
	    "{{/each}}", &w->err), -1);
	assert_non_null(strstr(w->err.message, "unknown list 'records'"));
	error_clear(&w->err);
	assert_int_equal(template_read(t, "l.html", "{{head}} {{count}}:{{#each records}}[{{id}} "
	    "{{date|date}} {{site_address}} {{actions}}]{{/each}}", &w->err), 0);

	assert_int_equal(store_txn_begin(w->fx->store, false, &txn, &w->err), 0);
	assert_int_equal(store_get(txn, ledger, b, &recs[0], &w->err), 0);
	assert_int_equal(store_get(txn, ledger, a, &recs[1], &w->err), 0);
	assert_int_equal(template_render_list(t, w->fx->store, txn, recs, 2, params, &out,
	    &w->err), 0);
	assert_int_equal(template_render(t, w->fx->store, txn, recs[0], &out, &w->err), -1);
	error_clear(&w->err);
	store_txn_abort(txn);
	assert_string_equal(buf_str(&out), "新城区台账 2:[ZF-610102-000002 2026年11月2日 乙地 ]"
	    "[ZF-610102-000001 2026年11月20日 某小区&lt;3&gt;号 查封、罚款]");
	record_free(recs[0]);
	record_free(recs[1]);
	buf_free(&out);
	template_free(t);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_parse, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_set_labels, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_set_form_rules, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_when_guard_reads, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_ban_of_unlicensed, setup_world, world_teardown),
		cmocka_unit_test_setup_teardown(test_list_document, setup_world, world_teardown),
	};

	return UNIT_RUN(tests);
}
