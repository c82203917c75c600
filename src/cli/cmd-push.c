/*
 * cmd-push.c — "huitou push URL": replicates the audit branch and its tags to another
 * repository (a path, file://, git:// or ssh://). History is never forced: a remote that has
 * diverged refuses, and that is an error.
 */
#include "config.h"

#include "cli/cli.h"

static int
cmd_push_exec(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(&cmd_push_entry);
	if (cli_open(cli) != 0 || store_push(cli->store, argv[1], &cli->err) != 0)
		return cli_report(cli);
	printf(_("pushed the audit record to %s\n"), argv[1]);
	return ST_OK;
}

const struct cmd_entry cmd_push_entry = {
	"push", N_("REMOTE-URL"),
	N_("replicate the audit record to another git repository"),
	cmd_push_exec,
};
