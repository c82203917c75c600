/*
 * fuzz-rules.c — libFuzzer targets for the rules files, one program per format, chosen when
 * it is compiled (-DRULES_FORMAT=N, the row of formats below): each is parsed against the
 * shipped forms, as a deployment's forms directory is read, then freed.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz/fuzz.h"
#include "store/policy.h"
#include "campaign/campaign.h"
#include "campaign/casework.h"
#include "campaign/credit.h"
#include "campaign/evaluation.h"
#include "campaign/lists.h"

#ifndef RULES_FORMAT
#error "RULES_FORMAT names the rules format this target reads"
#endif

static void
parse_policy(const char *text, struct error *err)
{
	struct policy *p;

	if (policy_parse("policy.rules", text, fuzz_forms(), &p, err) == 0)
		policy_free(p);
}

static void
parse_lists(const char *text, struct error *err)
{
	struct list_rules *r;

	if (list_rules_parse("lists.rules", text, fuzz_forms(), &r, err) == 0)
		list_rules_free(r);
}

static void
parse_credit(const char *text, struct error *err)
{
	struct credit_rules *r;

	if (credit_rules_parse("credit.rules", text, fuzz_forms(), &r, err) == 0)
		credit_rules_free(r);
}

static void
parse_evaluation(const char *text, struct error *err)
{
	struct eval_rules *r;

	if (eval_rules_parse("evaluation.rules", text, &r, err) == 0)
		eval_rules_free(r);
}

static void
parse_states(const char *text, struct error *err)
{
	struct machine *m;

	if (machine_parse("fuzz.states", text, fuzz_forms(), &m, err) == 0)
		machine_free(m);
}

static void
parse_deadlines(const char *text, struct error *err)
{
	struct deadline_rules *r;

	if (deadline_rules_parse("deadlines.rules", text, &r, err) == 0) {
		(void)deadline_rules_check(r, fuzz_forms(), err);
		deadline_rules_free(r);
	}
}

static void
parse_responses(const char *text, struct error *err)
{
	struct response_rules *r;

	if (response_rules_parse("responses.rules", text, &r, err) == 0) {
		(void)response_rules_check(r, fuzz_forms(), err);
		response_rules_free(r);
	}
}

static void
parse_checks(const char *text, struct error *err)
{
	struct checklist *cl;

	if (checklist_parse("checks.list", text, fuzz_forms(), &cl, err) == 0)
		checklist_free(cl);
}

static void (*const formats[])(const char *text, struct error *err) = {
	parse_policy, parse_lists, parse_credit, parse_evaluation,
	parse_states, parse_deadlines, parse_responses, parse_checks,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct error err = ERROR_INIT;

	formats[RULES_FORMAT](text, &err);
	error_clear(&err);
	free(text);
	return 0;
}
