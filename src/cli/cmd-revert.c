/*
 * cmd-revert.c — "huitou revert COMMIT": undo a commit with a new commit that sets back every
 * field it changed, never a rewrite of history. Refused (exit 1, nothing written) when such a
 * field changed again since, or when the commit created records.
 */
#include "config.h"

#include "cli/cli.h"

static int
cmd_revert_exec(struct cli *cli, const struct cmd_args *args)
{
	struct store_revert r;
	int rc = store_revert(cli->store, args->argv[0], &r, &cli->err);

	if (rc == 0) {
		cli_warn_pending_audit(cli);
		printf(_("reverted %.12s (records: %zu): "), r.commit, r.records);
		cli_print_safe(stdout, r.subject);
		fputc('\n', stdout);
	}
	store_revert_clear(&r);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_revert_entry = {
	"revert", N_("COMMIT"),
	N_("undo a commit with a new one that sets its fields back; refused if they changed since"),
	{ { NULL, false } }, 1, 1, CMD_WRITES_STORE,
	cmd_revert_exec,
};
