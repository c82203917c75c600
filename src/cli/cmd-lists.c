/*
 * cmd-lists.c — "huitou lists": the past publications of the black and white lists, one a line
 * (name, id, published on, white count, black count, what it corrects), tab-separated; "huitou
 * lists diff A B": what changed from publication A to B, each change a line (list, + or -, id,
 * name, reason), both read from git, from the trees their tags name.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "campaign/lists.h"
#include "cli/cli.h"

static int
lists_table(struct cli *cli)
{
	struct list_publications ps;
	struct store_txn *txn = NULL;
	int rc = store_txn_begin(cli->store, false, &txn, &cli->err);

	if (rc == 0 && (rc = lists_publications(cli->store, txn, &ps, &cli->err)) == 0) {
		for (size_t i = 0; i < ps.n; i++) {
			const struct list_publication *p = &ps.p[i];

			printf("%s\t%s\t%s\t%zu\t%zu\t", p->name, p->id, p->published_on, p->white,
			    p->black);
			cli_print_safe(stdout, p->corrects_name);
			putchar('\n');
		}
		lists_publications_free(&ps);
	}
	store_txn_abort(txn);
	return rc;
}

static int
lists_diff(struct cli *cli, const char *a, const char *b)
{
	struct list_membership before = { 0 }, after = { 0 };
	struct list_diff d = { 0 };
	int rc = lists_read_published(cli->store, a, &before, &cli->err);

	if (rc == 0)
		rc = lists_read_published(cli->store, b, &after, &cli->err);
	if (rc == 0) {
		list_diff_make(&before, &after, &d);
		for (size_t i = 0; i < d.n; i++)
			cli_print_list_change(&d.changes[i]);
	}
	list_diff_free(&d);
	list_membership_free(&before);
	list_membership_free(&after);
	return rc;
}

static int
cmd_lists_exec(struct cli *cli, const struct cmd_args *args)
{
	int rc;

	if (args->argc == 0)
		rc = lists_table(cli);
	else if (args->argc == 3 && str_eq(args->argv[0], "diff"))
		rc = lists_diff(cli, args->argv[1], args->argv[2]);
	else
		return cli_usage(&cmd_lists_entry);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_lists_entry = {
	"lists", N_("[diff A B]"),
	N_("list the publications of the black and white lists, or what changed between two"),
	{ { NULL, false } }, 0, 3, CMD_READS_STORE, cmd_lists_exec,
};
