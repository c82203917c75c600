/*
 * cmd-push.c — "huitou push URL": replicates the audit branch and its tags to another
 * repository (a path, file://, git:// or ssh://). History is never forced: a remote that has
 * diverged refuses, and that is an error.
 */
#include "config.h"

#include "cli/cli.h"

static int
cmd_push_exec(struct cli *cli, const struct cmd_args *args)
{
	if (store_push(cli->store, args->argv[0], &cli->err) != 0)
		return cli_report(cli);
	printf(_("pushed the audit record to %s\n"), args->argv[0]);
	return ST_OK;
}

const struct cmd_entry cmd_push_entry = {
	"push", N_("REMOTE-URL"),
	N_("replicate the audit record to another git repository"),
	{ { NULL, false } }, 1, 1, CMD_READS_STORE,
	cmd_push_exec,
};
