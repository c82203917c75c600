/*
 * cmd-credit.c — "huitou credit [ID] [--update]": an institution's credit tier with the
 * explanation of its score (forms/credit.rules), its override and stored tier; without an ID
 * how many institutions are in each tier; --update writes every tier that changed in one
 * commit (credit-update.c), with progress on standard error when it is a terminal.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/campaign.h"
#include "campaign/credit.h"
#include "cli/cli.h"

struct credit_cmd {
	struct casework *cw;
	struct credit_rules *rules;
	char today[11];
};

static int
credit_open(struct cli *cli, struct credit_cmd *c)
{
	char *dir = xasprintf("%s/forms", cli->dir);
	int rc;

	clock_format_date(clock_today(), c->today);
	c->cw = cli_casework(cli);
	rc = c->cw != NULL ? credit_rules_load(dir, &cli->forms, &c->rules, &cli->err) : -1;
	if (rc > 0)
		rc = error_set(&cli->err, ST_FAILED, _("no %s in %s or the shipped forms"),
		    CREDIT_RULES_FILE, dir);
	free(dir);
	return rc;
}

static const char *
tier_label(const struct field *f, const char *value)
{
	return *value != '\0' ? field_option_label(f, value) : "-";
}

static void
print_tiers(const struct record *inst, const char *computed)
{
	const struct field *tier = form_field(inst->form, CREDIT_TIER_FIELD);
	const char *override = record_get(inst, CREDIT_OVERRIDE_FIELD);
	const char *stored = record_get(inst, CREDIT_TIER_FIELD);
	const char *effective = *override != '\0' ? override : computed;

	if (*override != '\0')
		printf(_("tier: %s (override; computed %s)\n"), tier_label(tier, effective),
		    tier_label(tier, computed));
	else
		printf(_("tier: %s (computed)\n"), tier_label(tier, effective));
	if (!str_eq(stored, effective))
		printf(_("stored tier: %s, out of date: huitou credit --update\n"),
		    tier_label(tier, stored));
}

static int
credit_show(struct cli *cli, struct credit_cmd *c, const char *id)
{
	const struct form *form = cli_form(cli, CREDIT_INSTITUTION_FORM);
	struct store_txn *txn = NULL;
	struct record *inst = NULL;
	struct credit_facts f;
	char **lines;
	size_t n;
	int rc;

	if (form == NULL)
		return -1;
	if (cli_form_of_id(cli, id) != form)
		return error_set(&cli->err, ST_USAGE, _("%s is not an institution's id"), id);
	credit_facts_init(c->rules, &f);
	rc = store_txn_begin(cli->store, false, &txn, &cli->err);
	if (rc == 0 && (rc = store_get(txn, form, id, &inst, &cli->err)) == 0)
		rc = credit_facts_of(cli->store, txn, c->cw, c->rules, c->today, inst, &f,
		    &cli->err);
	if (rc == 0) {
		lines = credit_explain(c->rules, &f, &n);
		cli_print_safe(stdout, id);
		putchar(' ');
		cli_print_safe(stdout, record_get(inst, "name"));
		putchar('\n');
		print_tiers(inst, credit_tier_of(c->rules, credit_score(c->rules, f.counts)));
		for (size_t i = 0; i < n; i++)
			printf("  %s\n", lines[i]);
		strv_free(lines);
	}
	if (txn != NULL)
		store_txn_abort(txn);
	record_free(inst);
	credit_facts_free(&f);
	return rc;
}

static void
show_progress(void *arg, size_t done, size_t total)
{
	(void)arg;
	fprintf(stderr, _("\rcredit tiers: %zu of %zu records read"), done, total);
	if (done >= total)
		fputc('\n', stderr);
}

#define FUNDS_FLAG "prepaid=yes funds_status!=supervised"

/* How many institutions take prepaid fees without supervised funds (a form without the
 * funds fields: nothing said). */
static int
print_funds_flag(struct cli *cli, const struct form *form)
{
	char **ids = NULL;
	size_t n = 0;

	if (form_field(form, "prepaid") == NULL || form_field(form, "funds_status") == NULL)
		return 0;
	if (select_ids(cli->store, form, FUNDS_FLAG, &ids, &n, &cli->err) != 0)
		return -1;
	printf(_("funds flagged (%s): %zu\n"), FUNDS_FLAG, n);
	strv_free(ids);
	return 0;
}

/* How many institutions are in each effective tier, and how many are stored otherwise. */
static int
credit_summary(struct cli *cli, struct credit_cmd *c)
{
	struct store_txn *txn = NULL;
	struct credit_book book;
	const struct field *tier;
	size_t *per, stale = 0;
	int rc = store_txn_begin(cli->store, false, &txn, &cli->err);

	memset(&book, 0, sizeof book);
	if (rc == 0)
		rc = credit_book_fill(cli->store, txn, c->cw, c->rules, c->today, &book, NULL, NULL,
		    &cli->err);
	if (txn != NULL)
		store_txn_abort(txn);
	if (rc != 0) {
		credit_book_free(&book);
		return -1;
	}
	tier = form_field(book.form, CREDIT_TIER_FIELD);
	per = xcalloc(tier->n_options + 1, sizeof *per);
	for (size_t i = 0; i < book.n; i++) {
		const char *t = *book.override[i] != '\0' ? book.override[i] :
		    credit_book_tier(&book, i);

		for (size_t k = 0; k < tier->n_options; k++)
			per[k] += str_eq(tier->options[k].value, t);
		stale += !str_eq(t, book.stored[i]);
	}
	for (size_t k = 0; k < tier->n_options; k++)
		printf("%s\t%zu\n", field_option_label(tier, tier->options[k].value), per[k]);
	if (stale > 0)
		printf(_("%zu stored tiers out of date: huitou credit --update\n"), stale);
	free(per);
	rc = print_funds_flag(cli, book.form);
	credit_book_free(&book);
	return rc;
}

static int
credit_run_update(struct cli *cli, struct credit_cmd *c)
{
	size_t changed = 0;

	if (credit_update(cli->store, c->cw, c->rules, c->today,
	    isatty(STDERR_FILENO) ? show_progress : NULL, NULL, &changed, &cli->err) != 0)
		return -1;
	cli_warn_pending_audit(cli);
	if (changed > 0)
		printf(_("%zu institutions changed tier in one commit\n"), changed);
	else
		printf(_("every stored tier is current; nothing was written\n"));
	return 0;
}

static int
cmd_credit_exec(struct cli *cli, const struct cmd_args *args)
{
	struct credit_cmd c;
	int rc;

	memset(&c, 0, sizeof c);
	if (args->argc > 0 && cmd_flag(args, "update"))
		return cli_usage(&cmd_credit_entry);
	rc = credit_open(cli, &c);
	if (rc == 0 && cmd_flag(args, "update"))
		rc = credit_run_update(cli, &c);
	else if (rc == 0 && args->argc > 0)
		rc = credit_show(cli, &c, args->argv[0]);
	else if (rc == 0)
		rc = credit_summary(cli, &c);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = error_set(&cli->err, ST_FAILED, _("cannot write to standard output"));
	credit_rules_free(c.rules);
	casework_free(c.cw);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_credit_entry = {
	"credit", N_("[ID] [--update]"),
	N_("an institution's credit tier and why; without ID the count per tier; --update writes the tiers that changed in one commit"),
	{ { "update", false }, { NULL, false } }, 0, 1, CMD_WRITES_STORE,
	cmd_credit_exec,
};
