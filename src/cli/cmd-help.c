/*
 * cmd-help.c — "huitou help": the commands from the command table, so it is never out of date.
 */
#include "config.h"

#include "cli/cli.h"

static int
cmd_help_exec(struct cli *cli, const struct cmd_args *args)
{
	const struct cmd_entry *const *t = cmd_table();

	(void)cli;
	if (args->argc == 1 && cmd_find(args->argv[0]) != NULL) {	/* "help import": that command alone */
		const struct cmd_entry *one = cmd_find(args->argv[0]);

		printf(_("usage: huitou [-d DIR] %s %s\n"), one->name, _(one->usage));
		printf("  %s\n", _(one->summary));
		return ST_OK;
	}
	if (args->argc > 0)
		return cli_usage(&cmd_help_entry);
	printf(_("usage: huitou [-d DIR] [--lang zh|en] COMMAND [ARGS…]\n"
	    "DIR: -d, else $HUITOU_DIR, else %s. With no command, huitou opens the console.\n\n"),
	    HUITOU_DEFAULT_DIR);
	for (size_t i = 0; t[i] != NULL; i++) {
		printf("  %s %s\n", t[i]->name, _(t[i]->usage));
		printf("      %s\n", _(t[i]->summary));
	}
	printf(_("\nExit status: 0 done, 1 refused (bad input, conflict), 2 usage, 3 storage or internal failure.\n"));
	printf(_("Site configuration (read when installed setgid): %s\n"), cli_site_config_path());
	return ST_OK;
}

const struct cmd_entry cmd_help_entry = {
	"help", "[COMMAND]",
	N_("list the commands"),
	{ { NULL, false } }, 0, 1, CMD_NEEDS_NOTHING,
	cmd_help_exec,
};
