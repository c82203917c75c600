/*
 * cmd-recover.c — "huitou recover [--from-git | --keep-store] [--reason TEXT]": the explicit
 * way out when writes are stopped because the store and main disagree (a restored store, a
 * commit added by hand, a rewritten history). Without an option it explains the case and what
 * each option would do; each recovery is itself an audit commit and a security log line.
 */
#include "config.h"

#include <stdlib.h>

#include "cli/cli.h"

static void
print_commits(const struct store_trust *t)
{
	bool rewritten = t->kind == STORE_HISTORY_REWRITTEN;

	if (rewritten)
		printf(_("  the store's anchor (the last commit it checked on main): %.12s\n"),
		    *t->anchor != '\0' ? t->anchor : "-");
	for (size_t i = 0; i < t->n_commits; i++) {
		printf("  %.12s ", t->commits[i].oid);
		cli_print_safe(stdout, t->commits[i].author);
		fputs(": ", stdout);
		cli_print_safe(stdout, t->commits[i].subject);
		printf(" (%s)\n", rewritten ? _("main's tip") : t->commits[i].foreign ?
		    _("not made by huitou") : _("made by huitou, not by this store"));
	}
}

static int
explain(struct cli *cli)
{
	struct store_trust t;

	if (store_trust_check(cli->store, &t, &cli->err) != 0)
		return cli_report(cli);
	if (t.kind == STORE_TRUSTED) {
		printf(_("the store and the audit record agree: there is nothing to recover\n"));
		store_trust_clear(&t);
		return ST_OK;
	}
	printf("%s\n", store_trust_sentence(t.kind));
	print_commits(&t);
	printf(_("huitou recover --from-git [--reason TEXT]: rebuilds the store from main's tip (%.12s), keeping the old store beside it, then commits a note of the recovery; changes only the store has are dropped\n"),
	    t.tip);
	printf(_("huitou recover --keep-store --reason TEXT: commits the store's state on top of main, naming the commits above, and trusts main from there\n"));
	store_trust_clear(&t);
	return ST_OK;
}

static int
keep_store(struct cli *cli, const char *reason)
{
	struct store_trust was;
	char commit[41];
	int rc = store_recover_keep(cli->store, reason, &was, commit, &cli->err);

	if (rc == 0)
		printf(_("recovered: the store's state is committed on top of main as %.12s; writes are open again\n"),
		    commit);
	store_trust_clear(&was);
	return rc == 0 ? ST_OK : cli_report(cli);
}

static int
from_git(struct cli *cli, const char *reason)
{
	struct store_trust was;
	char *kept = NULL, commit[41];
	struct error undo = ERROR_INIT;
	size_t records = 0;
	int rc = -1;

	if (store_trust_check(cli->store, &was, &cli->err) != 0)
		return cli_report(cli);
	if (was.kind == STORE_TRUSTED) {
		store_trust_clear(&was);
		error_set(&cli->err, ST_REFUSED,
		    _("the store and the audit record agree: there is nothing to recover"));
		return cli_report(cli);
	}
	cli_close(cli);		/* the store is replaced */
	if (store_rebuild(cli->dir, &kept, &records, &cli->err) != 0)
		goto out;
	if (cli_open(cli) == 0 &&
	    store_recover_note(cli->store, &was, reason, commit, &cli->err) == 0) {
		printf(_("recovered: the store is rebuilt from git (%zu records; the old store is kept as %s); commit %.12s records it; writes are open again\n"),
		    records, kept, commit);
		rc = 0;
		goto out;
	}
	/* No recovery commit, no recovery: the old store goes back, writes stay stopped. */
	cli_close_store(cli);
	if (store_rebuild_undo(cli->dir, kept, &undo) != 0)
		error_prefix(&cli->err, "%s; %s: ", undo.message, _("the rebuilt store is left in place"));
	else
		error_prefix(&cli->err, "%s ", _("the recovery is undone, the old store is back:"));
	error_clear(&undo);
out:
	free(kept);
	store_trust_clear(&was);
	return rc == 0 ? ST_OK : cli_report(cli);
}

static int
cmd_recover_exec(struct cli *cli, const struct cmd_args *args)
{
	bool from = cmd_flag(args, "from-git"), keep = cmd_flag(args, "keep-store");
	const char *reason = cmd_value(args, "reason");

	if ((from && keep) || (keep && (reason == NULL || *reason == '\0')))
		return cli_usage(&cmd_recover_entry);
	if (!from && !keep)
		return explain(cli);
	if (store_may_recover(cli->store, &cli->err) != 0)	/* before anything is written */
		return cli_report(cli);
	if (from)
		return from_git(cli, reason != NULL ? reason : "");
	return keep_store(cli, reason);
}

const struct cmd_entry cmd_recover_entry = {
	"recover", N_("[--from-git | --keep-store --reason TEXT]"),
	N_("when writes are stopped because the store and git disagree: explain, or resolve it"),
	{ { "from-git", false }, { "keep-store", false }, { "reason", true }, { NULL, false } },
	0, 0, CMD_WRITES_STORE,
	cmd_recover_exec,
};
