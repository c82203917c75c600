/*
 * cmd-rebuild.c — "huitou rebuild": recreates the store from the audit repository alone.
 * Run it when nobody else is working; the old store is kept beside the new one. It works
 * under the audit lock, and a failed or killed rebuild leaves nothing that blocks the next.
 */
#include "config.h"

#include <stdlib.h>

#include "cli/cli.h"

/* A line in the security log: who rebuilt, and where the old store went. */
static void
log_rebuild(struct cli *cli, const char *kept, size_t records)
{
	char *line = xasprintf("%zu records from git; the old store kept as %s", records,
	    kept != NULL ? kept : "(none)");

	security_log(cli->dir, "store.rebuild", line);
	free(line);
}

/*
 * A store that opens is rebuilt only by a role that may recover it, and not past a trust stop:
 * that is what "recover --from-git" is for, an audited commit. A store that does not open
 * (damaged, missing) may be rebuilt by anyone in the group: that is the way back from damage,
 * and verify still names every commit on main that huitou did not make.
 */
static int
check_may_rebuild(struct cli *cli)
{
	struct store_trust t;
	char *mark = xasprintf("%s/store/data.mdb", cli->dir);
	bool present = path_exists(mark);
	int rc = 0;

	free(mark);
	if (!present)
		return 0;
	if (cli_open(cli) != 0) {
		if (!store_is_damaged(cli->dir))	/* refused otherwise: a login, a form … */
			return -1;
		cli_close(cli);		/* damaged: rebuilding is the way back */
		return 0;
	}
	if (store_may_recover(cli->store, &cli->err) != 0 ||
	    store_trust_check(cli->store, &t, &cli->err) != 0)
		return -1;
	if (t.kind != STORE_TRUSTED)
		rc = error_set(&cli->err, ST_FAILED, _("%s; rebuild does not resolve that: run "
		    "'huitou recover' (a city coordinator), which records the recovery in git"),
		    store_trust_sentence(t.kind));
	store_trust_clear(&t);
	if (rc != 0)
		return -1;
	cli_close(cli);		/* the store is replaced */
	return 0;
}

static int
cmd_rebuild_exec(struct cli *cli, const struct cmd_args *args)
{
	char *kept = NULL;
	size_t records = 0;

	(void)args;
	if (check_may_rebuild(cli) != 0)
		return cli_report(cli);
	if (store_rebuild(cli->dir, &kept, &records, &cli->err) != 0) {
		free(kept);
		return cli_report(cli);
	}
	log_rebuild(cli, kept, records);
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
