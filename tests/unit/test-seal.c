/*
 * test-seal.c — private fields: a value sealed and opened again, the same text for the same
 * value (unchanged records stay unchanged in git), refusals of a tampered text, of another
 * key and of a seal moved to another record or field; the record text holding only seals;
 * the read rules of the policy (parse errors as FILE:LINE, who reads what).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "store/store-private.h"
#include "forms-fixture.h"

static const unsigned char key_a[SEAL_KEY_BYTES] = "0123456789abcdef0123456789abcdef";
static const unsigned char key_b[SEAL_KEY_BYTES] = "fedcba9876543210fedcba9876543210";

static const char tip_form[] =
    "form tip\nversion 1\nlabel 线索 | Tip\nid-format XS-{district}-{seq:6}\n"
    "field id\n type id\n label 编号 | ID\n"
    "field district\n type division\n level district\n label 区县 | District\n required\n"
    "field summary\n type text\n label 内容 | Summary\n"
    "field complainant\n type text\n label 举报人 | Complainant\n private\n"
    "field contact\n type phone\n label 联系电话 | Contact\n private\n";

/* The shipped forms and the tip form above, which has private fields. */
static int
load_forms(void **state)
{
	struct error err = ERROR_INIT;
	struct form *tip;

	if (load_shipped_forms(state) != 0)
		return -1;
	if (form_parse("tip.form", tip_form, &tip, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.message);
		return -1;
	}
	forms.forms = xrealloc(forms.forms, (forms.n + 1) * sizeof *forms.forms);
	forms.forms[forms.n++] = tip;
	return 0;
}

static void
test_round_trip(void **state)
{
	struct seal *s = seal_new(key_a);
	struct error err = ERROR_INIT;
	char *sealed = seal_value(s, "XS-610113-000001", "contact", "13912345678"), *back = NULL;
	char *again = seal_value(s, "XS-610113-000001", "contact", "13912345678");

	(void)state;
	assert_true(seal_is_sealed(sealed));
	assert_null(strstr(sealed, "13912345678"));
	assert_string_equal(sealed, again);	/* deterministic */
	assert_int_equal(seal_open(s, "XS-610113-000001", "contact", sealed, &back, &err), 0);
	assert_string_equal(back, "13912345678");
	free(back);
	free(again);
	again = seal_value(s, "XS-610113-000001", "contact", "13912345679");
	assert_string_not_equal(sealed, again);	/* a changed value shows as a changed seal */
	free(again);
	again = seal_value(s, "XS-610113-000001", "complainant", "张三丰");
	assert_int_equal(seal_open(s, "XS-610113-000001", "complainant", again, &back, &err), 0);
	assert_string_equal(back, "张三丰");
	free(back);
	free(again);
	free(sealed);
	seal_free(s);
}

/* Opening with the given id, field and key: 0, or -1 with the reason. */
static int
try_open(const unsigned char *key, const char *id, const char *field, const char *text,
    struct error *err)
{
	struct seal *s = key != NULL ? seal_new(key) : NULL;
	char *back = NULL;
	int rc = seal_open(s, id, field, text, &back, err);

	free(back);
	seal_free(s);
	return rc;
}

static void
test_refusals(void **state)
{
	struct seal *s = seal_new(key_a);
	char *sealed = seal_value(s, "XS-610113-000001", "contact", "13912345678");
	size_t n = strlen(sealed);
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(try_open(key_b, "XS-610113-000001", "contact", sealed, &err), -1);
	assert_non_null(strstr(err.message, "is not the key it was sealed with"));
	error_clear(&err);
	assert_int_equal(try_open(key_a, "XS-610113-000002", "contact", sealed, &err), -1);
	error_clear(&err);	/* another record's seal moved here */
	assert_int_equal(try_open(key_a, "XS-610113-000001", "complainant", sealed, &err), -1);
	error_clear(&err);	/* another field's */
	sealed[n - 3] = sealed[n - 3] == 'A' ? 'B' : 'A';	/* one byte changed */
	assert_int_equal(try_open(key_a, "XS-610113-000001", "contact", sealed, &err), -1);
	error_clear(&err);
	assert_int_equal(try_open(key_a, "XS-610113-000001", "contact", "sealed:v1:@@", &err), -1);
	assert_non_null(strstr(err.message, "damaged"));
	error_clear(&err);
	assert_int_equal(try_open(NULL, "XS-610113-000001", "contact", sealed, &err), -1);
	assert_non_null(strstr(err.message, "has no seal.key"));
	error_clear(&err);
	free(sealed);
	seal_free(s);
}

static struct record *
tip_record(void)
{
	struct record *rec = record_new(formset_find(&forms, "tip"));

	record_set_raw(rec, 0, "XS-610113-000001");
	record_set_raw(rec, 1, "610113");
	record_set_raw(rec, 2, "居民楼内有培训");
	record_set_raw(rec, 3, "张三丰");
	record_set_raw(rec, 4, "13912345678");
	rec->version = 3;
	return rec;
}

static void
test_record_text(void **state)
{
	struct seal *s = seal_new(key_a);
	struct record *rec = tip_record(), *back = NULL;
	struct buf text = BUF_INIT, again = BUF_INIT;
	struct error err = ERROR_INIT;

	(void)state;
	record_text(rec, s, &text);
	assert_null(strstr(buf_str(&text), "13912345678"));
	assert_null(strstr(buf_str(&text), "张三丰"));
	assert_non_null(strstr(buf_str(&text), "\ncontact: sealed:v1:"));
	assert_non_null(strstr(buf_str(&text), "\nsummary: 居民楼内有培训\n"));
	record_text(rec, s, &again);
	assert_string_equal(buf_str(&text), buf_str(&again));
	assert_int_equal(record_from_text(rec->form, s, text.data, text.len, &back, &err), 0);
	for (size_t i = 0; i < rec->form->n_fields; i++)
		assert_string_equal(back->values[i], rec->values[i]);
	assert_int_equal(back->version, 3);
	record_free(back);
	/* Another key: refused, naming the field and the record. */
	seal_free(s);
	s = seal_new(key_b);
	assert_int_equal(record_from_text(rec->form, s, text.data, text.len, &back, &err), -1);
	assert_non_null(strstr(err.message, "complainant of XS-610113-000001 cannot be unsealed"));
	error_clear(&err);
	/* No key: never plain. */
	record_text(rec, NULL, &again);
	assert_non_null(strstr(buf_str(&again), "\ncontact: sealed:none\n"));
	/* A text from before the field was private: taken as it is. */
	assert_int_equal(record_from_text(rec->form, s, "# huitou tip 1\nid: XS-610113-000001\n"
	    "contact: 13900000000\nversion: 1\n", 68, &back, &err), 0);
	assert_string_equal(record_get(back, "contact"), "13900000000");
	record_free(back);
	buf_free(&text);
	buf_free(&again);
	record_free(rec);
	seal_free(s);
}

static void
test_read_rule_errors(void **state)
{
	static const char *const cases[][2] = {
		{ "rule a\n read\n roles boss\n", "p.rules:3: unknown role 'boss'" },
		{ "rule a\n read\n roles *\n forms nope\n", "p.rules:4: unknown form 'nope'" },
		{ "rule a\n read\n roles *\n forms tip\n fields phone\n scope all\n",
		    "p.rules:5: no form the rule names has the field 'phone'" },
		{ "rule a\n read\n roles *\n forms tip\n fields summary\n scope all\n",
		    "p.rules:5: the field 'summary' of tip is not private" },
		{ "rule a\n read read\n", "p.rules:2: 'read' takes no words" },
		{ "rule a\n read\n read\n", "p.rules:3: 'read' is given twice" },
		{ "rule a\n read\n roles *\n forms tip\n", "p.rules:1: the rule a has no scope" },
		{ "read\n", "p.rules:1: 'read' before the first 'rule NAME' line" },
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		struct error err = ERROR_INIT;
		struct policy *p = NULL;

		assert_int_equal(policy_parse("p.rules", cases[i][0], &forms, &p, &err), -1);
		if (strstr(err.message, cases[i][1]) == NULL)
			fail_msg("case %zu: wanted '%s', got '%s'", i, cases[i][1], err.message);
		error_clear(&err);
	}
}

/* A private field may name no record and make no id: both are shown to every reader. */
static void
test_form_refusals(void **state)
{
	static const char *const cases[][2] = {
		{ "form t\nversion 1\nlabel t\nid-format T-{seq:4}\ntitle who\n"
		    "field id\n type id\n label i\nfield who\n type text\n label w\n private\n",
		    "'title' may not name a private field" },
		{ "form t\nversion 1\nlabel t\nid-format T-{who}-{seq:4}\n"
		    "field id\n type id\n label i\nfield who\n type text\n label w\n required\n"
		    " private\n", "id-format may not use a private field" },
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		struct error err = ERROR_INIT;
		struct form *f = NULL;

		assert_int_equal(form_parse("t.form", cases[i][0], &f, &err), -1);
		if (strstr(err.message, cases[i][1]) == NULL)
			fail_msg("case %zu: wanted '%s', got '%s'", i, cases[i][1], err.message);
		error_clear(&err);
	}
}

static bool
reads(const struct policy *p, const char *role, const char *district, const struct record *rec,
    const char *field)
{
	struct store_actor who = { "wang", "RY-00002", (char *)role, (char *)district, "" };

	return policy_may_read(p, &who, rec, (size_t)form_field_index(rec->form, field));
}

static void
test_who_reads(void **state)
{
	struct error err = ERROR_INIT;
	struct buf text = BUF_INIT;
	struct policy *p = NULL;
	struct record *rec = tip_record();

	(void)state;
	assert_int_equal(file_read_all(ABS_TOP_SRCDIR "/forms/policy.rules", &text, &err), 0);
	assert_int_equal(policy_parse("policy.rules", buf_str(&text), &forms, &p, &err), 0);
	assert_true(reads(p, "city_coordinator", "", rec, "contact"));
	assert_true(reads(p, "district_coordinator", "610113", rec, "contact"));
	assert_true(reads(p, "inspector", "610113", rec, "complainant"));
	assert_false(reads(p, "district_coordinator", "610102", rec, "contact"));
	assert_false(reads(p, "auditor", "", rec, "contact"));
	assert_false(reads(p, "expert", "610113", rec, "complainant"));
	assert_true(reads(p, "auditor", "", rec, "summary"));	/* not private */
	/* A read rule is no write rule: the auditor still writes nothing. */
	assert_non_null(policy_decide(p, &(struct store_actor){ "a", "RY-3", "auditor", "", "" },
	    NULL, rec));
	policy_free(p);
	/* A rule naming one field: the other stays withheld. */
	assert_int_equal(policy_parse("p.rules", "rule w\n roles *\n forms *\n scope all\n"
	    "rule r\n read\n roles auditor\n forms tip\n fields complainant\n scope all\n", &forms,
	    &p, &err), 0);
	assert_true(reads(p, "auditor", "", rec, "complainant"));
	assert_false(reads(p, "auditor", "", rec, "contact"));
	assert_false(reads(p, "city_coordinator", "", rec, "contact"));	/* no rule: nobody */
	assert_null(policy_decide(p, &(struct store_actor){ "a", "RY-3", "auditor", "", "" },
	    NULL, rec));
	policy_free(p);
	record_free(rec);
	buf_free(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_record_text),
		cmocka_unit_test(test_read_rule_errors),
		cmocka_unit_test(test_form_refusals),
		cmocka_unit_test(test_who_reads),
	};

	return cmocka_set_message_output(CM_OUTPUT_TAP), lang_init("en"),
	    cmocka_run_group_tests(tests, load_forms, free_forms);
}
