/*
 * cmd-set.c — "huitou set ID FIELD=VALUE… [--expect-version N] [--reason TEXT]": edits with
 * the same validation as the form; the reason goes into the commit as a Reason trailer. With
 * --expect-version, a record saved by someone else since version N is a conflict that shows
 * their values and yours, and nothing is written.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int
parse_version(struct cli *cli, const char *arg, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v == 0)
		return error_set(&cli->err, ST_USAGE, _("--expect-version takes a version number, not '%s'"), arg);
	*out = v;
	return 0;
}

/*
 * One save as "huitou set" makes it, its words in args (operands ID FIELD=VALUE…, options
 * --expect-version and --reason; reason_all, when not NULL, stands for a --reason not
 * given). The outcome goes into *out; nothing is printed. Also the work of "set --stdin".
 */
int
cli_set_one(struct cli *cli, const struct cmd_args *args, const char *reason_all,
    struct set_outcome *out)
{
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	const struct form *form;
	const char *expect = cmd_value(args, "expect-version"), *id = args->argv[0];
	const char *given = cmd_value(args, "reason");
	char *reason = NULL;
	uint64_t want = 0, before;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if ((expect != NULL && parse_version(cli, expect, &want) != 0) ||
	    cli_parse_reason(cli, given != NULL ? given : reason_all, &reason) != 0 ||
	    (form = cli_form_of_id(cli, id)) == NULL ||
	    store_txn_begin(cli->store, true, &txn, &cli->err) != 0 ||
	    store_get(txn, form, id, &rec, &cli->err) != 0)
		goto out;
	if (expect != NULL)
		rec->version = want;
	before = rec->version;
	if (cli_apply_assignments(cli, txn, rec, args->argv + 1, args->argc - 1) != 0 ||
	    store_update(txn, rec, &cli->err) != 0)
		goto out;
	store_txn_describe(txn, "record.update", NULL, NULL);
	if (reason != NULL)
		store_txn_add_trailer(txn, "Reason", reason);
	rc = store_txn_commit(txn, &cli->err);
	txn = NULL;
	if (rc == 0) {
		out->changed = rec->version != before;
		out->version = rec->version;
		out->seq = out->changed ? store_audit_done_seq(cli->store) : 0;
		out->id = xstrdup(record_id(rec));
	}
out:
	store_txn_abort(txn);
	record_free(rec);
	free(reason);
	return rc;
}

static int
cmd_set_exec(struct cli *cli, const struct cmd_args *args)
{
	struct set_outcome res;

	if (cmd_flag(args, "stdin"))
		return cli_set_stdin(cli, args);
	if (args->argc < 2)
		return cli_usage(args->entry);
	if (cli_set_one(cli, args, NULL, &res) != 0)
		return cli_report(cli);
	cli_warn_pending_audit(cli);
	if (!res.changed)
		printf(_("%s unchanged (version %" PRIu64 ")\n"), res.id, res.version);
	else
		printf(_("%s saved (version %" PRIu64 ")\n"), res.id, res.version);
	free(res.id);
	return ST_OK;
}

const struct cmd_entry cmd_set_entry = {
	"set", N_("ID FIELD=VALUE… [--expect-version N] [--reason TEXT] | --stdin [--reason TEXT]"),
	N_("change fields of a record; refused if it changed since version N; --reason is kept in the commit"),
	{ { "expect-version", true }, { "reason", true }, { "stdin", false }, { NULL, false } }, 0, -1,
	CMD_WRITES_STORE,
	cmd_set_exec,
};
