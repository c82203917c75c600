/*
 * cmd-status.c — "huitou status": the data directory, how many records of each form, the
 * audit record's state (main's tip, commits waiting in the outbox) and, per configured
 * remote, how far its replica is behind: commits not pushed, since when, and the last push.
 * It only reads, as any registered login may.
 */
#include "config.h"

#include <stdlib.h>

#include "cli/cli.h"

/* "3d 4h", "2h 5m", "7m", "40s": an age in its two largest units. */
static char *
format_age(time_t seconds)
{
	long s = seconds < 0 ? 0 : (long)seconds;

	if (s >= 86400)
		return xasprintf("%ldd %ldh", s / 86400, s % 86400 / 3600);
	if (s >= 3600)
		return xasprintf("%ldh %ldm", s / 3600, s % 3600 / 60);
	if (s >= 60)
		return xasprintf("%ldm", s / 60);
	return xasprintf("%lds", s);
}

static int
print_counts(struct cli *cli)
{
	const struct formset *forms = store_forms(cli->store);
	struct store_txn *txn;
	int rc = 0;

	if (store_txn_begin(cli->store, false, &txn, &cli->err) != 0)
		return -1;
	printf("%s\n", _("records:"));
	for (size_t i = 0; i < forms->n && rc == 0; i++) {
		size_t n;

		if ((rc = store_count(txn, forms->forms[i], &n, &cli->err)) == 0)
			printf("  %-16s %8zu  %s\n", forms->forms[i]->name, n,
			    form_label(forms->forms[i]));
	}
	store_txn_abort(txn);
	return rc;
}

static void
print_remote_lag(const char *name, const struct store_replica_lag *lag, long warn, time_t now)
{
	char when[32];
	char *age;

	if (lag->behind == 0)
		printf(_("remote %s: up to date"), name);
	else {
		age = format_age(now - lag->behind_since);
		printf(_("remote %s: %zu commits behind, the oldest %s old"), name, lag->behind, age);
		free(age);
		if (warn > 0 && now - lag->behind_since > warn)
			printf(_(" (over its lag-warn)"));
	}
	if (lag->pushed_at == 0)
		printf(_("; never pushed\n"));
	else {
		clock_format_iso(lag->pushed_at, when);
		age = format_age(now - lag->pushed_at);
		printf(_("; last push %s (%s ago), commit %.12s\n"), when, age, lag->pushed);
		free(age);
	}
}

static int
print_remotes(struct cli *cli)
{
	size_t n;
	time_t now = clock_real();

	if (cli_site_remote_count(&n, &cli->err) != 0)
		return -1;
	if (n == 0)
		printf(_("remotes: none configured in %s\n"), cli_site_config_path());
	for (size_t i = 0; i < n; i++) {
		struct store_replica_lag lag;
		const char *url;
		long warn;
		const char *name = cli_site_remote_at(i, &url, &warn);

		if (store_replica_lag(cli->store, name, &lag, &cli->err) != 0)
			return -1;
		print_remote_lag(name, &lag, warn, now);
	}
	return 0;
}

static int
cmd_status_exec(struct cli *cli, const struct cmd_args *args)
{
	struct store_replica_lag all;
	char *dir = cli_escape(cli->dir);

	(void)args;
	printf(_("data: %s\n"), dir);
	free(dir);
	if (print_counts(cli) != 0 || store_replica_lag(cli->store, "", &all, &cli->err) != 0)
		return cli_report(cli);
	printf(_("audit: %zu commits on main, %s\n"), all.behind,
	    store_audit_pending(cli->store) ? _("commits waiting in the outbox") :
	    _("every change in git"));
	if (print_remotes(cli) != 0)
		return cli_report(cli);
	return ST_OK;
}

const struct cmd_entry cmd_status_entry = {
	"status", "",
	N_("the data directory, records per form, the audit record and each remote's lag"),
	{ { NULL, false } }, 0, 0, CMD_READS_STORE,
	cmd_status_exec,
};
