/*
 * cmd-push.c — "huitou push REMOTE": replicates the audit branch and its tags to another
 * repository, named by a remote the administrator configured (site-config.c) or, unless huitou
 * runs setgid, by its URL (a path, file://, git:// or ssh://). History is never forced: a
 * remote that has diverged refuses, and that is an error. A push only sends main out: one to
 * the data directory's own audit record is refused.
 */
#include "config.h"

#include <stdlib.h>

#include "cli/cli.h"

/* The URL to push to: a configured remote's, else the argument itself unless setgid. */
static const char *
push_url(struct cli *cli, const char *remote)
{
	const char *url = cli_site_remote(remote);

	if (url != NULL || !cli_privileged())
		return url != NULL ? url : remote;
	error_set(&cli->err, ST_REFUSED,
	    _("'%s' is not a remote configured in %s: installed setgid, huitou pushes only to those"),
	    remote, cli_site_config_path());
	security_log(cli->dir, "push.refused", cli->err.message);
	return NULL;
}

static int
cmd_push_exec(struct cli *cli, const struct cmd_args *args)
{
	const char *url = push_url(cli, args->argv[0]);
	char *shown;

	if (url == NULL)
		return cli_report(cli);
	/* a configured remote's push is recorded for its lag (huitou status) */
	if (cli_site_remote(args->argv[0]) != NULL ?
	    store_push_named(cli->store, args->argv[0], url, &cli->err) != 0 :
	    store_push(cli->store, url, &cli->err) != 0)
		return cli_report(cli);
	shown = cli_escape(url);
	printf(_("pushed the audit record to %s\n"), shown);
	free(shown);
	return ST_OK;
}

const struct cmd_entry cmd_push_entry = {
	"push", N_("REMOTE"),
	N_("replicate the audit record to a configured remote or another git repository"),
	{ { NULL, false } }, 1, 1, CMD_READS_STORE,
	cmd_push_exec,
};
