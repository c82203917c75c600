/*
 * cmd-verify.c — "huitou verify": the store and git HEAD hold the same records (after the
 * outbox is flushed). Exit 0 when equal, 1 with each difference listed.
 */
#include "config.h"

#include "cli/cli.h"

static void
print_difference(void *arg, const char *line)
{
	(void)arg;
	cli_print_safe(stdout, line);
	fputc('\n', stdout);
}

static int
cmd_verify_exec(struct cli *cli, const struct cmd_args *args)
{
	struct verify_result res;

	(void)args;
	if (store_verify(cli->store, print_difference, NULL, &res, &cli->err) != 0)
		return cli_report(cli);
	if (res.differences > 0) {
		error_set(&cli->err, ST_REFUSED,
		    _("%zu differences between the store and the audit record"), res.differences);
		return cli_report(cli);
	}
	printf(_("verified: %zu records, the store equals git HEAD\n"), res.records);
	return ST_OK;
}

const struct cmd_entry cmd_verify_entry = {
	"verify", "",
	N_("check that the store equals the audit record (git HEAD)"),
	{ { NULL, false } }, 0, 0, CMD_READS_STORE,
	cmd_verify_exec,
};
