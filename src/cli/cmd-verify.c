/*
 * cmd-verify.c — "huitou verify": the store and git HEAD hold the same records (after the
 * outbox is flushed), main can be trusted (store-trust.c), and every commit of main is
 * huitou's or accepted by a recovery. Exit 0 when so, 1 with each difference listed.
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
	if (res.differences > 0 || res.foreign > 0 || res.trust != STORE_TRUSTED) {
		struct buf msg = BUF_INIT;

		buf_printf(&msg, _("%zu differences between the store and the audit record"),
		    res.differences);
		if (res.foreign > 0)
			buf_printf(&msg, _("; %zu commits on main that huitou did not make"),
			    res.foreign);
		if (res.trust != STORE_TRUSTED)
			buf_printf(&msg, _("; writes are stopped until 'huitou recover' resolves it"));
		error_set(&cli->err, ST_REFUSED, "%s", buf_str(&msg));
		buf_free(&msg);
		return cli_report(cli);
	}
	printf(_("verified: %zu records, the store equals git HEAD\n"), res.records);
	if (res.older_form > 0)
		printf(_("%zu of them were committed under an older version of their form, with the same values; each is written anew at its next change\n"),
		    res.older_form);
	return ST_OK;
}

const struct cmd_entry cmd_verify_entry = {
	"verify", "",
	N_("check that the store equals the audit record (git HEAD)"),
	{ { NULL, false } }, 0, 0, CMD_READS_STORE,
	cmd_verify_exec,
};
