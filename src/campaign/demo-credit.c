/*
 * demo-credit.c — the demo's credit tiers as the weights give them: the generator draws a
 * tier for each institution, and once the casework is there a credit update (as "huitou
 * credit --update") makes the stored tiers agree with forms/credit.rules, in one commit.
 */
#include "config.h"

#include <stdlib.h>

#include "campaign/credit.h"

int
demo_credit(struct store *store, const struct casework *cw, const char *data_dir,
    struct error *err)
{
	char *dir = xasprintf("%s/forms", data_dir), today[11];
	struct credit_rules *rules = NULL;
	size_t changed;
	int rc = credit_rules_load(dir, store_forms(store), &rules, err);

	if (rc > 0)	/* no weights: the tiers stay as drawn */
		rc = 0;
	else if (rc == 0) {
		clock_format_date(clock_today(), today);
		rc = credit_update(store, cw, rules, today, NULL, NULL, &changed, err);
	}
	credit_rules_free(rules);
	free(dir);
	return rc;
}
