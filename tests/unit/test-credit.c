/*
 * test-credit.c — the credit tier engine (src/campaign/credit.c) with fixed weights: the most
 * specific finding line wins, the score and the tier at and around each threshold, the
 * explanation line by line, the shipped credit.rules, and bad lines named FILE:LINE.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/credit.h"
#include "unit.h"
#include "forms-fixture.h"

#define RULES \
	"start 100\n" \
	"finding * * -5\n" \
	"finding * critical -12\n" \
	"finding safety * -8\n" \
	"finding safety critical -20\n" \
	"overdue -10\n" \
	"open -2\n" \
	"on-time 3\n" \
	"complaint investigating -4\n" \
	"complaint * -1\n" \
	"list black -40\n" \
	"list white 5\n" \
	"tier A 90\n" \
	"tier B 75\n" \
	"tier C 60\n" \
	"tier D *\n"

static struct credit_rules *
load(const char *text)
{
	struct credit_rules *r = NULL;
	struct error err = ERROR_INIT;

	if (credit_rules_parse("test.rules", text, &forms, &r, &err) != 0)
		fail_msg("%s", err.message);
	return r;
}

static void
test_most_specific_finding_wins(void **state)
{
	struct credit_rules *r = load(RULES);
	struct credit_facts f;

	(void)state;
	credit_facts_init(r, &f);
	credit_note_finding(r, f.counts, "safety", "critical");		/* -20 */
	assert_int_equal(credit_score(r, f.counts), 80);
	credit_note_finding(r, f.counts, "safety", "minor");		/* -8 */
	assert_int_equal(credit_score(r, f.counts), 72);
	credit_note_finding(r, f.counts, "platform", "critical");	/* -12 */
	assert_int_equal(credit_score(r, f.counts), 60);
	credit_note_finding(r, f.counts, "platform", "minor");		/* -5 */
	assert_int_equal(credit_score(r, f.counts), 55);
	credit_facts_reset(r, &f);
	assert_int_equal(credit_score(r, f.counts), 100);
	credit_note_complaint(r, f.counts, "investigating");		/* -4 */
	credit_note_complaint(r, f.counts, "closed");			/* -1 */
	assert_int_equal(credit_score(r, f.counts), 95);
	credit_facts_free(&f);
	credit_rules_free(r);
	/* No line names both: the check's line wins over the severity's. */
	r = load("finding * critical -12\nfinding safety * -8\ntier A 0\n");
	credit_facts_init(r, &f);
	credit_note_finding(r, f.counts, "safety", "critical");
	assert_int_equal(credit_score(r, f.counts), -8);
	credit_facts_free(&f);
	credit_rules_free(r);
}

static void
test_tier_boundaries(void **state)
{
	struct credit_rules *r = load(RULES);

	(void)state;
	assert_string_equal(credit_tier_of(r, 1000), "A");
	assert_string_equal(credit_tier_of(r, 90), "A");
	assert_string_equal(credit_tier_of(r, 89), "B");
	assert_string_equal(credit_tier_of(r, 75), "B");
	assert_string_equal(credit_tier_of(r, 74), "C");
	assert_string_equal(credit_tier_of(r, 60), "C");
	assert_string_equal(credit_tier_of(r, 59), "D");
	assert_string_equal(credit_tier_of(r, -500), "D");
	credit_rules_free(r);
	/* Without a "*" tier the lowest tier takes every lower score too. */
	r = load("start 0\ntier A 10\ntier B 5\n");
	assert_string_equal(credit_tier_of(r, 10), "A");
	assert_string_equal(credit_tier_of(r, 5), "B");
	assert_string_equal(credit_tier_of(r, -3), "B");
	credit_rules_free(r);
}

static void
test_orders_and_list(void **state)
{
	struct credit_rules *r = load(RULES);
	struct credit_facts f;

	(void)state;
	credit_facts_init(r, &f);
	credit_note_order(r, f.counts, CREDIT_ORDER_OVERDUE);
	credit_note_order(r, f.counts, CREDIT_ORDER_OVERDUE);
	credit_note_order(r, f.counts, CREDIT_ORDER_OPEN);
	credit_note_order(r, f.counts, CREDIT_ORDER_ON_TIME);
	credit_note_order(r, f.counts, CREDIT_ORDER_LATE);	/* no "late" line: counts nothing */
	assert_int_equal(credit_score(r, f.counts), 100 - 20 - 2 + 3);
	credit_note_list(r, f.counts, "black");
	assert_int_equal(credit_score(r, f.counts), 41);
	assert_string_equal(credit_tier_of(r, credit_score(r, f.counts)), "D");
	credit_note_list(r, f.counts, "none");			/* no line for none */
	credit_note_list(r, f.counts, "");
	assert_int_equal(credit_score(r, f.counts), 41);
	credit_facts_free(&f);
	credit_rules_free(r);
}

static void
test_explanation_lines(void **state)
{
	struct credit_rules *r = load(RULES);
	struct credit_facts f;
	char **lines;
	size_t n;

	(void)state;
	credit_facts_init(r, &f);
	credit_note_finding(r, f.counts, "safety", "critical");
	credit_note_finding(r, f.counts, "platform", "major");
	credit_note_finding(r, f.counts, "disclosure", "minor");
	credit_note_order(r, f.counts, CREDIT_ORDER_OVERDUE);
	credit_note_order(r, f.counts, CREDIT_ORDER_OVERDUE);
	credit_note_order(r, f.counts, CREDIT_ORDER_ON_TIME);
	credit_note_complaint(r, f.counts, "investigating");
	lines = credit_explain(r, &f, &n);
	assert_int_equal(n, 7);
	assert_string_equal(lines[0], "starting score 100");
	assert_string_equal(lines[1], "2 findings −10");
	assert_string_equal(lines[2], "1 findings (Safety, Critical) −20");
	assert_string_equal(lines[3], "2 rectification orders overdue −20");
	assert_string_equal(lines[4], "1 rectification orders verified on time +3");
	assert_string_equal(lines[5], "1 complaints (Investigating) −4");
	assert_string_equal(lines[6], "score 49: tier D (seriously untrustworthy)");
	assert_null(lines[7]);
	strv_free(lines);
	credit_facts_free(&f);
	credit_rules_free(r);
}

static void
test_shipped_rules(void **state)
{
	struct credit_rules *r = NULL;
	struct error err = ERROR_INIT;
	struct credit_facts f;

	(void)state;
	assert_int_equal(credit_rules_load("/nonexistent", &forms, &r, &err), 0);
	credit_facts_init(r, &f);
	assert_string_equal(credit_tier_of(r, credit_score(r, f.counts)), "A");
	credit_note_list(r, f.counts, "black");	/* the list field: not weighed any more */
	assert_string_equal(credit_tier_of(r, credit_score(r, f.counts)), "A");
	assert_true(credit_rules_weigh_history(r));
	credit_note_published(r, f.counts, "black", false);
	credit_note_published(r, f.counts, "black", true);	/* the latest publication */
	assert_string_equal(credit_tier_of(r, credit_score(r, f.counts)), "D");
	credit_facts_free(&f);
	credit_rules_free(r);
}

/* Months on the published lists: one line per rule, naming the months it counted. */
static void
test_list_history_names_months(void **state)
{
	struct credit_rules *r = load("start 100\npublished black -20\nlatest black -30\n"
	    "latest white 5\ntier A 90\ntier D *\n");
	struct credit_facts f;
	char **lines;
	size_t n;

	(void)state;
	credit_facts_init(r, &f);
	credit_facts_name_month(r, &f, credit_note_published(r, f.counts, "black", false),
	    "2026-10");
	credit_facts_name_month(r, &f, credit_note_published(r, f.counts, "black", false),
	    "2026-11");
	credit_facts_name_month(r, &f, credit_note_published(r, f.counts, "black", true),
	    "2026-11-c1");
	assert_int_equal(credit_note_published(r, f.counts, "none", false), -1);
	lines = credit_explain(r, &f, &n);
	assert_int_equal(n, 4);
	assert_string_equal(lines[1], "2 published months on the list Black (2026-10, 2026-11) −40");
	assert_string_equal(lines[2], "on the list Black of the latest publication (2026-11-c1) −30");
	assert_string_equal(lines[3], "score 30: tier D (seriously untrustworthy)");
	strv_free(lines);
	credit_facts_free(&f);
	credit_rules_free(r);
}

static void
refused(const char *text, const char *want)
{
	struct credit_rules *r = NULL;
	struct error err = ERROR_INIT;

	assert_int_equal(credit_rules_parse("x.rules", text, &forms, &r, &err), -1);
	assert_null(r);
	assert_string_equal(err.message, want);
	error_clear(&err);
}

static void
test_bad_lines_name_file_and_line(void **state)
{
	(void)state;
	refused("start 100\nfinding safe * -3\ntier A 0\n",
	    "x.rules:2: 'safe' is not an option of field check");
	refused("finding * * -3\nfinding * * -4\ntier A 0\n", "x.rules:2: this line repeats line 1");
	refused("overdue ten\ntier A 0\n", "x.rules:1: 'ten' is not a number from -10000 to 10000");
	refused("complaint -3\ntier A 0\n", "x.rules:1: 'complaint' takes VALUE POINTS");
	refused("list grey -3\ntier A 0\n", "x.rules:1: 'grey' is not an option of field list");
	refused("published grey -3\ntier A 0\n", "x.rules:1: 'grey' is not an option of field list");
	refused("latest black\ntier A 0\n", "x.rules:1: 'latest' takes VALUE POINTS");
	refused("tier A 90\ntier B 95\n",
	    "x.rules:2: the tiers go from the highest score down: 95 is not below 90");
	refused("tier A 90\ntier E 50\n", "x.rules:2: 'E' is not an option of field credit_tier");
	refused("tier D *\ntier C 50\n", "x.rules:2: no tier can follow 'tier D *'");
	refused("start 100\n", "x.rules: no 'tier' line: say which scores make each tier");
	refused("bonus 3\ntier A 0\n", "x.rules:1: unknown line 'bonus'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_most_specific_finding_wins, load_shipped_forms, free_forms),
		cmocka_unit_test_setup_teardown(test_tier_boundaries, load_shipped_forms, free_forms),
		cmocka_unit_test_setup_teardown(test_orders_and_list, load_shipped_forms, free_forms),
		cmocka_unit_test_setup_teardown(test_explanation_lines, load_shipped_forms, free_forms),
		cmocka_unit_test_setup_teardown(test_shipped_rules, load_shipped_forms, free_forms),
		cmocka_unit_test_setup_teardown(test_list_history_names_months, load_shipped_forms, free_forms),
		cmocka_unit_test_setup_teardown(test_bad_lines_name_file_and_line, load_shipped_forms, free_forms),
	};

	return UNIT_RUN(tests);
}
