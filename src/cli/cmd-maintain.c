/*
 * cmd-maintain.c — "huitou maintain": packs the audit repository's loose objects and refs
 * (libgit2 has no gc). Safe while others work; meant for a daily timer.
 */
#include "config.h"

#include "cli/cli.h"

static int
cmd_maintain_exec(struct cli *cli, const struct cmd_args *args)
{
	size_t packed;

	(void)args;
	if (store_maintain(cli->store, &packed, &cli->err) != 0)
		return cli_report(cli);
	printf(_("packed %zu objects of the audit repository\n"), packed);
	return ST_OK;
}

const struct cmd_entry cmd_maintain_entry = {
	"maintain", "",
	N_("pack the audit repository (safe while others work)"),
	{ { NULL, false } }, 0, 0, CMD_READS_STORE,
	cmd_maintain_exec,
};
