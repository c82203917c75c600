/*
 * cmd-maintain.c — "huitou maintain": packs the audit repository's loose objects and refs
 * (libgit2 has no gc). Safe while others work; meant for a daily timer.
 */
#include "config.h"

#include "cli/cli.h"

static int
cmd_maintain_exec(struct cli *cli, int argc, char **argv)
{
	size_t packed;

	(void)argv;
	if (argc != 1)
		return cli_usage(&cmd_maintain_entry);
	if (cli_open(cli) != 0 || store_maintain(cli->store, &packed, &cli->err) != 0)
		return cli_report(cli);
	printf(_("packed %zu objects of the audit repository\n"), packed);
	return ST_OK;
}

const struct cmd_entry cmd_maintain_entry = {
	"maintain", "",
	N_("pack the audit repository (safe while others work)"),
	cmd_maintain_exec,
};
