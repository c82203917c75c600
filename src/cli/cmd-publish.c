/*
 * cmd-publish.c — "huitou publish YYYY-MM [--dry-run] [--correct --reason TEXT] [--yes]": the
 * month's black and white lists (一月一公布). Shows what changed since the last publication
 * (each change a tab-separated line: list, + or -, id, name, reason) and the counts, then on
 * confirmation publishes them in one commit with an annotated tag lists/NAME
 * (src/campaign/lists-publish.c). A month is published once; a correction is a new
 * publication that names the one it corrects.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/lists.h"
#include "cli/cli.h"

/* A line of the preview or of "lists diff": list, +/-, id, name, reason, tab-separated. */
void
cli_print_list_change(const struct list_change *c)
{
	const struct list_member *m = c->member;

	printf("%s\t%s\t", list_kind_value(m->list), c->added ? "+" : "-");
	cli_print_safe(stdout, m->id);
	putchar('\t');
	cli_print_safe(stdout, m->name);
	putchar('\t');
	cli_print_safe(stdout, c->why);
	putchar('\n');
}

static void
progress_stderr(void *arg, size_t done, size_t whole)
{
	(void)arg;
	fputc('\r', stderr);
	fprintf(stderr, _("computing the lists: %zu of %zu institutions"), done, whole);
	if (done >= whole)
		fputc('\n', stderr);
}

static void
print_preview(const struct list_publish_plan *p)
{
	if (p->last_name != NULL)
		printf(_("# %s compared with %s:\n"), p->name, p->last_name);
	else
		printf(_("# %s, the first publication:\n"), p->name);
	for (size_t i = 0; i < p->diff.n; i++)
		cli_print_list_change(&p->diff.changes[i]);
	printf(_("# white list: %zu (+%zu -%zu); black list: %zu (+%zu -%zu)\n"), p->now.n_white,
	    p->diff.added[LIST_WHITE], p->diff.removed[LIST_WHITE], p->now.n_black,
	    p->diff.added[LIST_BLACK], p->diff.removed[LIST_BLACK]);
	if (p->corrects_name != NULL)
		printf(_("# a correction of %s\n"), p->corrects_name);
	fflush(stdout);
}

/* 0 go on, 1 declined, -1 refused (no terminal to ask on). */
static int
confirm(struct cli *cli, const struct list_publish_plan *p)
{
	char line[16];

	if (!isatty(STDIN_FILENO))
		return error_set(&cli->err, ST_USAGE, _("publish %s: give --yes to publish without a "
		    "terminal to ask on, or --dry-run to see it"), p->name);
	fprintf(stderr, _("Publish %s in one commit with the tag lists/%s? [y/N] "), p->name,
	    p->name);
	if (fgets(line, sizeof line, stdin) == NULL ||
	    (line[0] != 'y' && line[0] != 'Y' && !str_starts(line, "是")))
		return 1;
	return 0;
}

static int
publish_checks(struct cli *cli, const struct cmd_args *args, char **reason)
{
	const struct form *form = formset_find(&cli->forms, "publication");

	*reason = NULL;
	if (cmd_flag(args, "correct") && cmd_value(args, "reason") == NULL)
		return error_set(&cli->err, ST_USAGE, _("a correction needs --reason TEXT: why the "
		    "published lists are corrected"));
	if (!cmd_flag(args, "correct") && cmd_value(args, "reason") != NULL)
		return error_set(&cli->err, ST_USAGE, _("--reason is for a correction (--correct)"));
	if (cli_parse_reason(cli, cmd_value(args, "reason"), reason) != 0)
		return -1;
	if (form == NULL)
		return error_set(&cli->err, ST_FAILED, _("this data directory has no publications: "
		    "copy the shipped forms/publication.form and listing.form into its forms/"));
	if (cmd_flag(args, "dry-run"))
		return 0;
	return store_may_create(cli->store, form, &cli->err);
}

static int
cmd_publish_exec(struct cli *cli, const struct cmd_args *args)
{
	struct list_publish_plan plan;
	char *reason = NULL, *id = NULL;
	int rc = -1, asked = 0;

	memset(&plan, 0, sizeof plan);
	if (publish_checks(cli, args, &reason) != 0 ||
	    lists_plan(cli->store, cli->dir, args->argv[0], cmd_flag(args, "correct"), reason,
	    isatty(STDERR_FILENO) ? progress_stderr : NULL, NULL, &plan, &cli->err) != 0)
		goto out;
	print_preview(&plan);
	rc = 0;
	if (cmd_flag(args, "dry-run"))
		goto out;
	if (!cmd_flag(args, "yes") && (asked = confirm(cli, &plan)) != 0) {
		if (asked > 0)
			printf(_("nothing was published\n"));
		rc = asked > 0 ? 0 : -1;
		goto out;
	}
	rc = lists_publish(cli->store, cli->dir, &plan, &id, &cli->err);
	if (rc == 0) {
		cli_warn_pending_audit(cli);
		printf(_("published %s as %s with the tag lists/%s: white list %zu, black list %zu\n"),
		    plan.name, id, plan.name, plan.now.n_white, plan.now.n_black);
	}
out:
	list_publish_plan_free(&plan);
	free(reason);
	free(id);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_publish_entry = {
	"publish", N_("YYYY-MM [--dry-run] [--correct --reason TEXT] [--yes]"),
	N_("publish the month's black and white lists: one commit and the tag lists/YYYY-MM"),
	{ { "dry-run", false }, { "correct", false }, { "reason", true }, { "yes", false },
	  { NULL, false } }, 1, 1, CMD_WRITES_STORE, cmd_publish_exec,
};
