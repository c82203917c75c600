/*
 * test-lists-rules.c — the list rules engine (src/campaign/lists-rules.c) on the shipped
 * forms: the shipped forms/lists.rules puts each kind of institution on the list it should
 * and gives the rule's words, a fact asked "if" a field holds a value is not asked of the
 * others, a black rule wins over a white one, and each bad line is refused as FILE:LINE.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "forms-fixture.h"
#include "campaign/lists.h"

static struct list_rules *
shipped_rules(void)
{
	struct error err = ERROR_INIT;
	struct list_rules *r = NULL;
	char *text = NULL;

	if (list_rules_load(ABS_TOP_SRCDIR "/forms", &forms, &r, &text, &err) != 0)
		fail_msg("%s", err.message);
	free(text);
	return r;
}

/* An institution with the given FIELD=VALUE pairs (NULL-terminated). */
static struct record *
institution(const char *first, ...)
{
	const struct form *f = formset_find(&forms, "institution");
	struct record *rec = record_new(f);
	va_list ap;

	va_start(ap, first);
	for (const char *kv = first; kv != NULL; kv = va_arg(ap, const char *)) {
		const char *eq = strchr(kv, '=');
		char *name = strndup(kv, (size_t)(eq - kv));

		record_set_raw(rec, (size_t)form_field_index(f, name), eq + 1);
		free(name);
	}
	va_end(ap);
	return rec;
}

/* The list and the rule's name for rec with the facts given as a string of 0/1. */
static enum list_kind
apply(const struct list_rules *r, struct record *rec, const char *facts, const char **rule)
{
	bool f[FACT_COUNT];
	const struct list_rule_words *w;
	enum list_kind k;

	for (int i = 0; i < FACT_COUNT; i++)
		f[i] = facts[i] == '1';
	k = list_rules_apply(r, rec, f, &w);
	*rule = w != NULL ? w->name : NULL;
	record_free(rec);
	return k;
}

/* facts: approved-filing, open-order, serious-order, overdue-order */
static void
test_shipped_rules(void **state)
{
	struct list_rules *r = shipped_rules();
	const char *rule;

	(void)state;
	assert_int_equal(apply(r, institution("status=licensed", "category=non_subject", NULL),
	    "0000", &rule), LIST_WHITE);
	assert_string_equal(rule, "licensed");
	assert_int_equal(apply(r, institution("status=licensed", "category=subject", NULL),
	    "0000", &rule), LIST_NONE);
	assert_null(rule);
	assert_int_equal(apply(r, institution("status=licensed", "category=subject", NULL),
	    "1000", &rule), LIST_WHITE);
	assert_int_equal(apply(r, institution("status=licensed", "category=subject", NULL),
	    "1110", &rule), LIST_NONE);	/* a serious order open */
	assert_int_equal(apply(r, institution("status=licensed", "category=non_subject", NULL),
	    "0101", &rule), LIST_WHITE);	/* an order open, not serious */
	assert_int_equal(apply(r, institution("status=banned", NULL), "0000", &rule), LIST_BLACK);
	assert_string_equal(rule, "banned");
	assert_int_equal(apply(r, institution("status=licensed", "list=black",
	    "category=non_subject", NULL), "0000", &rule), LIST_BLACK);
	assert_string_equal(rule, "marked");
	assert_int_equal(apply(r, institution("status=suspended", "escalation=suspended", NULL),
	    "0101", &rule), LIST_BLACK);
	assert_string_equal(rule, "refusing");
	assert_int_equal(apply(r, institution("status=suspended", "escalation=suspended", NULL),
	    "0100", &rule), LIST_NONE);	/* not overdue: not refusing */
	assert_int_equal(apply(r, institution("status=rectifying", "escalation=rectifying", NULL),
	    "0101", &rule), LIST_NONE);	/* overdue, but not yet suspended */
	assert_true(list_rules_serious(r, "safety"));
	assert_false(list_rules_serious(r, "platform"));
	assert_true(list_rules_closed(r, "verified"));
	assert_false(list_rules_closed(r, "submitted"));
	list_rules_free(r);
}

static struct list_rules *
parse(const char *text, const char *want)
{
	struct error err = ERROR_INIT;
	struct list_rules *r = NULL;
	int rc = list_rules_parse("x.rules", text, &forms, &r, &err);

	if (want == NULL) {
		if (rc != 0)
			fail_msg("refused: %s", err.message);
		return r;
	}
	assert_int_not_equal(rc, 0);
	assert_null(r);
	if (strstr(err.message, want) == NULL)
		fail_msg("'%s' does not hold '%s'", err.message, want);
	error_clear(&err);
	return NULL;
}

static void
test_order_and_if(void **state)
{
	struct list_rules *r = parse("white any 任何 | Any\n  when category subject non_subject\n"
	    "black late 逾期 | Late\n  has overdue-order if category subject\n", NULL);
	const char *rule;

	(void)state;
	/* A black rule wins wherever it stands; a fact asked only of subject institutions. */
	assert_int_equal(apply(r, institution("category=subject", NULL), "0001", &rule), LIST_BLACK);
	assert_int_equal(apply(r, institution("category=non_subject", NULL), "0000", &rule),
	    LIST_BLACK);
	assert_int_equal(apply(r, institution("category=subject", NULL), "0000", &rule), LIST_WHITE);
	assert_string_equal(rule, "any");
	list_rules_free(r);
}

static void
test_bad_lines(void **state)
{
	(void)state;
	parse("  when status licensed\n", "x.rules:1: a condition belongs to a rule");
	parse("white a A\n  when colour red\n", "x.rules:2: form institution has no field 'colour'");
	parse("white a A\n  when status open\n", "x.rules:2: 'open' is not an option of field status");
	parse("white a A\n  when name x\n", "x.rules:2: 'name' is not a choice field");
	parse("white a A\n  has nice-weather\n", "x.rules:2: 'has' takes one of approved-filing");
	parse("white a A\n  lacks open-order when x\n", "x.rules:2: after the fact: 'if FIELD VALUE");
	parse("white a A\nblack a B\n", "x.rules:2: rule 'a' is given twice");
	parse("serious safety nosuch\n", "x.rules:1: 'nosuch' is not an option of field check");
	parse("closed verified\nclosed open\n", "x.rules:2: 'closed' is given twice");
	parse("grey a A\n", "x.rules:1: unknown line");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shipped_rules, load_shipped_forms, free_forms),
		cmocka_unit_test_setup_teardown(test_order_and_if, load_shipped_forms, free_forms),
		cmocka_unit_test_setup_teardown(test_bad_lines, load_shipped_forms, free_forms),
	};

	return UNIT_RUN(tests);
}
