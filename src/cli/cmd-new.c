/*
 * cmd-new.c — "huitou new TYPE FIELD=VALUE…": validates like the form does, saves, and prints
 * the new record's id.
 */
#include "config.h"

#include "cli/cli.h"

static int
cmd_new_exec(struct cli *cli, const struct cmd_args *args)
{
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	const struct form *form;
	int rc = -1;

	if ((form = cli_form(cli, args->argv[0])) == NULL ||
	    store_txn_begin(cli->store, true, &txn, &cli->err) != 0)
		goto out;
	rec = record_new(form);
	if (cli_apply_assignments(cli, txn, rec, args->argv + 1, args->argc - 1) != 0 ||
	    store_insert(txn, rec, &cli->err) != 0)
		goto out;
	store_txn_describe(txn, "record.create", NULL, NULL);
	rc = store_txn_commit(txn, &cli->err);
	txn = NULL;
	if (rc != 0 && store_txn_stored(cli->store))	/* not acknowledged, but it exists */
		error_prefix(&cli->err, _("%s was made in the store: "), record_id(rec));
	if (rc == 0) {
		printf("%s\n", record_id(rec));
		cli_warn_pending_audit(cli);
	}
out:
	store_txn_abort(txn);
	record_free(rec);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_new_entry = {
	"new", N_("TYPE FIELD=VALUE…"),
	N_("create a record and print its id"),
	{ { NULL, false } }, 1, -1, CMD_WRITES_STORE,
	cmd_new_exec,
};
