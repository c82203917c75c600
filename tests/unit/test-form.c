/*
 * test-form.c — the form file parser: the shipped forms load; each kind of mistake is refused
 * with FILE:LINE and a reason.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "store/form.h"

#define GOOD_HEAD "form shop\nversion 2\nlabel 店 | Shop\nid-format SP-{seq:4}\n" \
	"field id\n type id\n label 编号 | ID\n"

static void
test_shipped_forms_load(void **state)
{
	struct formset set;
	struct error err = ERROR_INIT;
	const struct form *inst;
	const struct field *f;

	(void)state;
	assert_int_equal(formset_load_dir(ABS_TOP_SRCDIR "/forms", &set, &err), 0);
	inst = formset_find(&set, "institution");
	assert_non_null(inst);
	assert_int_equal(inst->version, 6);
	assert_string_equal(inst->id_format, "JG-{district}-{seq:6}");
	assert_int_equal(inst->fields[0].kind, FT_ID);
	f = form_field(inst, "status");
	assert_non_null(f);
	assert_int_equal(f->kind, FT_ENUM);
	assert_int_equal(f->n_options, 5);
	assert_string_equal(f->options[2].value, "rectifying");
	assert_string_equal(f->options[2].label_zh, "整改中");
	assert_string_equal(f->options[2].label_en, "Rectifying");
	assert_true(f->indexed);
	assert_true(form_field(inst, "credit_code")->unique);
	assert_string_equal(form_field(inst, "street")->within, "district");
	assert_int_equal(form_field(inst, "rectify_deadline")->kind, FT_DATE);
	assert_true(form_field(inst, "rectify_deadline")->indexed);
	assert_int_equal(form_field(inst, "responsible")->kind, FT_REF);
	assert_string_equal(form_field(inst, "responsible")->ref_form, "user");
	/* The inspections' tally, with each check's failures counted. */
	f = NULL;
	inst = formset_find(&set, "inspection");
	assert_non_null(inst);
	assert_int_equal(inst->n_tally, 4);
	assert_string_equal(inst->tally[1], "institution");
	assert_int_equal(inst->n_tally_count, 10);
	assert_string_equal(inst->tally_count_field[9], "moonlighting");
	assert_string_equal(inst->tally_count_value[9], "fail");
	inst = formset_find(&set, "institution");
	/* The people: a login kept unique, a role among six, a district. */
	f = form_field(formset_find(&set, "user"), "role");
	assert_non_null(f);
	assert_int_equal(f->n_options, 6);
	assert_true(form_field(formset_find(&set, "user"), "login")->unique);
	assert_int_equal(form_field(formset_find(&set, "user"), "district")->kind, FT_DIVISION);
	/* Why is asked for a change of status or list, or of the credit tier's override (issue
	 * 15), of no other field (issue 13, item 11); the people's table counts the orders they
	 * answer for (item 9). */
	for (size_t i = 0; i < inst->n_fields; i++)
		assert_int_equal(inst->fields[i].needs_reason,
		    str_eq(inst->fields[i].name, "status") || str_eq(inst->fields[i].name, "list") ||
		    str_eq(inst->fields[i].name, "credit_override"));
	assert_string_equal(formset_find(&set, "user")->answers, "rectification");
	assert_null(inst->answers);
	/* Headers may use labels in either language. */
	assert_ptr_equal(form_field_by_header(inst, "机构名称"), form_field(inst, "name"));
	assert_ptr_equal(form_field_by_header(inst, "Phone"), form_field(inst, "phone"));
	/* Every field the foundation issue names is there, in that order, and the deadline. */
	{
		static const char *want[] = { "id", "name", "credit_code", "district", "street",
		    "address", "category", "status", "rectify_deadline", "list", "permit_no",
		    "legal_representative", "phone", "credit_tier", "platform_entered", "notes",
		    "responsible", "escalation", "escalated_by", "escalated_on",
		    /* Credit tiers and funds supervision (issue 15). */
		    "credit_override", "prepaid", "funds_bank", "funds_account", "funds_status" };

		assert_int_equal(inst->n_fields, sizeof want / sizeof want[0]);
		for (size_t i = 0; i < inst->n_fields; i++)
			assert_string_equal(inst->fields[i].name, want[i]);
	}
	formset_free(&set);
}

static void
test_good_form_parses(void **state)
{
	struct form *form = NULL;
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(form_parse("shop.form", GOOD_HEAD
	    "# a comment\n\nfield owner\n type ref\n ref institution\n label 主办 | Owner\n"
	    "field fee\n  type money\n  label 收费 | Fee\n  max 100000\n  reason\n", &form, &err), 0);
	assert_string_equal(form->name, "shop");
	assert_int_equal(form->n_fields, 3);
	assert_int_equal(form->fields[1].kind, FT_REF);
	assert_string_equal(form->fields[1].ref_form, "institution");
	assert_true(form->fields[2].has_max);
	assert_int_equal(form->fields[2].max, 100000);
	assert_int_equal(form->fields[2].line, 14);
	assert_true(form->fields[2].needs_reason);
	assert_false(form->fields[1].needs_reason);
	form_free(form);
}

/* Each bad text must be refused with exactly this message. */
static void
expect_refused(const char *text, const char *message)
{
	struct form *form = NULL;
	struct error err = ERROR_INIT;

	assert_int_equal(form_parse("bad.form", text, &form, &err), -1);
	assert_null(form);
	assert_non_null(err.message);
	assert_string_equal(err.message, message);
	error_clear(&err);
}

static void
test_bad_forms_name_file_and_line(void **state)
{
	(void)state;
	expect_refused(GOOD_HEAD "field x\n type txt\n", "bad.form:9: unknown field type 'txt'");
	expect_refused(GOOD_HEAD "field x\n label a\n colour red\n",
	    "bad.form:10: unknown field setting 'colour'");
	expect_refused(GOOD_HEAD "field Bad-Name\n", "bad.form:8: bad field name 'Bad-Name' (use a-z, 0-9 and _)");
	expect_refused(GOOD_HEAD "field id\n", "bad.form:8: field 'id' is defined twice");
	expect_refused(GOOD_HEAD "field n\n type text\n label 名 | N\n max ten\n",
	    "bad.form:11: 'max' needs a number, not 'ten'");
	expect_refused(GOOD_HEAD "field s\n type enum\n label 状态 | S\n",
	    "bad.form:8: an enum field needs at least one 'option'");
	expect_refused(GOOD_HEAD "field s\n type enum\n label 状态 | S\n option a A\n option a B\n",
	    "bad.form:12: option 'a' given twice");
	expect_refused(GOOD_HEAD "field s\n type enum\n label 状态 | S\n option a A\n default b\n",
	    "bad.form:8: the default is not one of the options");
	expect_refused(GOOD_HEAD "field s\n type division\n level street\n within nowhere\n label 街道 | S\n",
	    "bad.form:8: 'within' must name a district field of this form");
	expect_refused(GOOD_HEAD "field r\n type ref\n label 主办 | R\n",
	    "bad.form:8: a ref field needs 'ref FORM'");
	expect_refused("form shop\nversion 1\nlabel 店\nid-format SP-{seq:4}\nfield name\n label 名\n",
	    "bad.form:1: the first field must be of type id");
	expect_refused("form shop\nlabel 店\nid-format SP-{seq:4}\nfield id\n type id\n label 号\n",
	    "bad.form:1: the file has no 'version N' line");
	expect_refused("form shop\nversion 1\nlabel 店\nid-format SP-{x}\nfield id\n type id\n label 号\n",
	    "bad.form:1: id-format may only use required fields");
	expect_refused("form shop\nversion 1\nlabel 店\nid-format SP-{seq:4}\ntitle nope\nfield id\n"
	    " type id\n label 号\n", "bad.form:1: 'title' must name a text field of the form");
	expect_refused(GOOD_HEAD "field d\n type division\n level district\n label 区 | D\n"
	    " from institution\n", "bad.form:12: 'from' takes REF_FIELD.FIELD, e.g. from institution.district");
	expect_refused(GOOD_HEAD "field d\n type division\n level district\n label 区 | D\n"
	    " from owner.district\n", "bad.form:8: 'from' must name a ref field of this form before the dot");
	expect_refused(GOOD_HEAD "field n\n type text\n label 名 | N\n reason always\n",
	    "bad.form:11: 'reason' takes no value");
#define TALLY_HEAD "form shop\nversion 1\nlabel 店\nid-format SP-{seq:4}\n"
#define TALLY_FIELDS "field id\n type id\n label 号\nfield s\n type enum\n label 状态\n" \
	" option a A\n option b B\nfield n\n type text\n label 名\n"
	expect_refused(TALLY_HEAD "tally-count s=a\n" TALLY_FIELDS,
	    "bad.form:1: 'tally-count' needs a 'tally' line");
	expect_refused(TALLY_HEAD "tally s\ntally-count s=c\n" TALLY_FIELDS,
	    "bad.form:1: 'tally-count': 'c' is not an option of s");
	expect_refused(TALLY_HEAD "tally s\ntally-count n=x\n" TALLY_FIELDS,
	    "bad.form:1: 'tally-count' must name fields of the form that are not the id or text");
	expect_refused(TALLY_HEAD "tally s\ntally-count s\n" TALLY_FIELDS,
	    "bad.form:6: 'tally-count' takes FIELD=VALUE, not 's'");
	expect_refused(TALLY_HEAD "tally s\ntally-count s=a\ntally-count s=b\n" TALLY_FIELDS,
	    "bad.form:7: a second 'tally-count' line");
	expect_refused("form shop\nversion x\n", "bad.form:2: 'version' needs a number, not 'x'");
	expect_refused("form shop\nversion 1\n\xff\n", "bad.form:3: the line is not valid UTF-8");
}

static void
test_missing_file_is_an_error(void **state)
{
	struct form *form = NULL;
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(form_load_file("/nonexistent/x.form", &form, &err), -1);
	assert_non_null(strstr(err.message, "/nonexistent/x.form"));
	error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_forms_load),
		cmocka_unit_test(test_good_form_parses),
		cmocka_unit_test(test_bad_forms_name_file_and_line),
		cmocka_unit_test(test_missing_file_is_an_error),
	};

	return UNIT_RUN(tests);
}
