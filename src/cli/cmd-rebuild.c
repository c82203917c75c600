/*
 * cmd-rebuild.c — "huitou rebuild": recreates the store from the audit repository alone.
 * Run it when nobody else is working; the old store is kept beside the new one. It works
 * under the audit lock, and a failed or killed rebuild leaves nothing that blocks the next.
 */
#include "config.h"

#include <stdlib.h>

#include "cli/cli.h"

static int
cmd_rebuild_exec(struct cli *cli, const struct cmd_args *args)
{
	char *kept = NULL;
	size_t records = 0;

	(void)args;
	if (store_rebuild(cli->dir, &kept, &records, &cli->err) != 0) {
		free(kept);
		return cli_report(cli);
	}
	if (kept != NULL) {
		char *shown = cli_escape(kept);

		printf(_("rebuilt the store from git: %zu records; the old store is kept as %s\n"),
		    records, shown);
		free(shown);
	}
	else
		printf(_("rebuilt the store from git: %zu records (there was no store to keep)\n"),
		    records);
	free(kept);
	return ST_OK;
}

const struct cmd_entry cmd_rebuild_entry = {
	"rebuild", "",
	N_("recreate the store from the audit record alone"),
	{ { NULL, false } }, 0, 0, CMD_NEEDS_NOTHING,
	cmd_rebuild_exec,
};
