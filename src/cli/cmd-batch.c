/*
 * cmd-batch.c — "huitou batch TYPE --where EXPR --set FIELD=VALUE… [--reason TEXT]
 * [--dry-run] [--yes] [--skip-refused]": the same fields set on every record the expression
 * names, in one store transaction and one audit commit (the count in its subject and Count
 * trailer, every id in its body), as the console's ";=" does. All or nothing by default: a
 * record the policy refuses is named and nothing is written (exit 1); --skip-refused leaves
 * such records out, naming them on standard error. Without --yes it shows what would change
 * and asks on a terminal; with no terminal to ask it refuses (exit 2).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/campaign.h"
#include "cli/cli.h"

struct batch {
	const struct form *form;
	struct assignments a;
	char **ids;		/* the records --where names */
	size_t n;
	struct bulk_split split;
	char *reason;
};

/* The --set values as assignments; a field changed only by moves is refused here, before any
 * record is read, with the command that changes it. */
static int
batch_assignments(struct cli *cli, const struct cmd_args *args, struct batch *b)
{
	const char **sets = xcalloc((size_t)args->all_argc + 1, sizeof *sets);
	size_t n = cmd_values(args, "set", sets);
	int rc = -1;

	if (n == 0)
		error_set(&cli->err, ST_USAGE, _("say what to set: --set FIELD=VALUE, e.g. --set status=suspended"));
	else if (assignments_parse(b->form, (char *const *)sets, n, &b->a, &cli->err) == 0)
		rc = 0;
	for (size_t i = 0; rc == 0 && i < b->a.n; i++)
		if (b->a.fields[i]->by_move)
			rc = error_set(&cli->err, ST_REFUSED,
			    _("%s (%s) changes only by a move, one record at a time: huitou move ID STATE"),
			    field_label(b->a.fields[i]), b->a.fields[i]->name);
	free(sets);
	return rc;
}

/* The records the policy refuses, on standard error: each id, and the first reason. */
static void
print_refused(const struct bulk_split *s, const char *heading)
{
	fprintf(stderr, heading, s->n_refused);
	fputc('\n', stderr);
	for (size_t i = 0; i < s->n_refused; i++) {
		fputs("  ", stderr);
		cli_print_safe(stderr, s->refused[i]);
		fputc('\n', stderr);
	}
	fputs("  ", stderr);
	cli_print_safe(stderr, s->why);
	fprintf(stderr, _(" (rule %s)\n"), s->rule);
}

/* How many would change, and a few of them before → after. */
static void
print_preview(const struct batch *b)
{
	printf(_("%zu of %zu records matching would change:\n"), b->split.n_changing, b->n);
	for (size_t i = 0; i < b->split.n_sample; i++) {
		char *change = bulk_describe_change(b->split.before[i], b->split.after[i]);

		fputs("  ", stdout);
		cli_print_safe(stdout, change);
		fputc('\n', stdout);
		free(change);
	}
	if (b->split.n_changing > b->split.n_sample)
		printf(_("  … and %zu more\n"), b->split.n_changing - b->split.n_sample);
	fflush(stdout);
}

/* Without --yes: asked on a terminal, refused without one. 0 go on, 1 declined, -1 error. */
static int
confirm(struct cli *cli, const struct batch *b)
{
	char line[16];

	if (!isatty(STDIN_FILENO))
		return error_set(&cli->err, ST_USAGE,
		    _("batch would change %zu records: give --yes to run it without a terminal to ask on, or --dry-run to see them"),
		    b->split.n_changing);
	print_preview(b);
	fprintf(stderr, _("Change these %zu records in one commit? [y/N] "), b->split.n_changing);
	if (fgets(line, sizeof line, stdin) == NULL ||
	    (line[0] != 'y' && line[0] != 'Y' && !str_starts(line, "是")))
		return 1;
	return 0;
}

static int
batch_run(struct cli *cli, const struct cmd_args *args, struct batch *b)
{
	size_t changed = 0;
	int asked;

	if (b->split.n_refused > 0 && !cmd_flag(args, "skip-refused")) {
		print_refused(&b->split, _("the policy refuses %zu of the records; nothing was written (--skip-refused leaves them out):"));
		return error_set(&cli->err, ST_REFUSED, _("batch refused: %s"), b->split.why);
	}
	if (b->split.n_refused > 0)
		print_refused(&b->split, _("left out, the policy refuses %zu of the records:"));
	if (cmd_flag(args, "dry-run")) {
		print_preview(b);
		return 0;
	}
	if (b->split.n_changing > 0 && !cmd_flag(args, "yes") && (asked = confirm(cli, b)) != 0) {
		if (asked > 0)
			printf(_("nothing was changed\n"));
		return asked > 0 ? 0 : -1;
	}
	if (bulk_set_reason(cli->store, b->form, b->split.allowed, b->split.n_allowed, &b->a,
	    b->reason, &changed, &cli->err) != 0)
		return -1;
	cli_warn_pending_audit(cli);
	printf(_("%zu records changed in one commit\n"), changed);
	return 0;
}

static int
cmd_batch_exec(struct cli *cli, const struct cmd_args *args)
{
	struct batch b;
	const char *where = cmd_value(args, "where");
	int rc = -1;

	memset(&b, 0, sizeof b);
	if (where == NULL)
		error_set(&cli->err, ST_USAGE, _("say which records: --where EXPR (--where '' for all)"));
	else if ((b.form = cli_form(cli, args->argv[0])) != NULL &&
	    cli_parse_reason(cli, cmd_value(args, "reason"), &b.reason) == 0 &&
	    batch_assignments(cli, args, &b) == 0 &&
	    select_ids(cli->store, b.form, where, &b.ids, &b.n, &cli->err) == 0 &&
	    bulk_split_allowed(cli->store, b.form, b.ids, b.n, &b.a, &b.split, &cli->err) == 0)
		rc = batch_run(cli, args, &b);
	bulk_split_free(&b.split);
	assignments_free(&b.a);
	strv_free(b.ids);
	free(b.reason);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_batch_entry = {
	"batch", N_("TYPE --where EXPR --set FIELD=VALUE… [--reason TEXT] [--dry-run] [--yes] "
	    "[--skip-refused]"),
	N_("set fields on every record the expression names, in one commit; asks first unless --yes"),
	{ { "where", true }, { "set", true }, { "reason", true }, { "dry-run", false },
	  { "yes", false }, { "skip-refused", false } }, 1, 1, CMD_WRITES_STORE,
	cmd_batch_exec,
};
