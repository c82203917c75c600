/*
 * cmd-set.c — "huitou set ID FIELD=VALUE… [--expect-version N] [--reason TEXT]": edits with
 * the same validation as the form; the reason goes into the commit as a Reason trailer. With
 * --expect-version, a record saved by someone else since version N is a conflict that shows
 * their values and yours, and nothing is written.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>

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

static int
cmd_set_exec(struct cli *cli, const struct cmd_args *args)
{
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	const struct form *form;
	const char *expect = cmd_value(args, "expect-version"), *id = args->argv[0];
	char *reason = NULL;
	uint64_t want = 0, before;
	int rc = -1;

	if ((expect != NULL && parse_version(cli, expect, &want) != 0) ||
	    cli_parse_reason(cli, cmd_value(args, "reason"), &reason) != 0 ||
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
	if (rc == 0)
		cli_warn_pending_audit(cli);
	if (rc == 0 && rec->version == before)
		printf(_("%s unchanged (version %" PRIu64 ")\n"), record_id(rec), rec->version);
	else if (rc == 0)
		printf(_("%s saved (version %" PRIu64 ")\n"), record_id(rec), rec->version);
out:
	store_txn_abort(txn);
	record_free(rec);
	free(reason);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_set_entry = {
	"set", N_("ID FIELD=VALUE… [--expect-version N] [--reason TEXT]"),
	N_("change fields of a record; refused if it changed since version N; --reason is kept in the commit"),
	{ { "expect-version", true }, { "reason", true }, { NULL, false } }, 2, -1,
	CMD_WRITES_STORE,
	cmd_set_exec,
};
