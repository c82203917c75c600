/*
 * cmd-new.c — "huitou new TYPE FIELD=VALUE…": validates like the form does, saves, and prints
 * the new record's id.
 */
#include "config.h"

#include "cli/cli.h"

static int
cmd_new_exec(struct cli *cli, int argc, char **argv)
{
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	const struct form *form;
	int rc = -1;

	if (argc < 2)
		return cli_usage(&cmd_new_entry);
	if (cli_open(cli) != 0 || (form = cli_form(cli, argv[1])) == NULL ||
	    store_txn_begin(cli->store, true, &txn, &cli->err) != 0)
		goto out;
	rec = record_new(form);
	if (cli_apply_assignments(cli, txn, rec, argv + 2, argc - 2) != 0 ||
	    store_insert(txn, rec, &cli->err) != 0)
		goto out;
	store_txn_describe(txn, "record.create", NULL, NULL);
	rc = store_txn_commit(txn, &cli->err);
	txn = NULL;
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
	cmd_new_exec,
};
