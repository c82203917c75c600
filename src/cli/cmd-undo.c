/*
 * cmd-undo.c — "huitou undo [--dry-run]": the caller's last action (the newest commit of main
 * whose author is the login of the real uid) undone by one reverting commit, as "huitou revert"
 * makes it. An undo is never undone by the next: repeated undos walk back through the
 * caller's actions. Refused (exit 1, nothing written) where a record changed since, or the
 * action created records; --dry-run says what would be undone and writes nothing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct newest {
	char commit[41];
	char *subject;
};

static int
newest_entry(void *arg, const struct store_history *h)
{
	struct newest *n = arg;

	snprintf(n->commit, sizeof n->commit, "%s", h->commit);
	n->subject = xstrndup(h->message, strcspn(h->message, "\n"));
	return 1;	/* the first is the newest: stop */
}

/* What the undo made: main's newest commit, which this process just wrote. */
static void
print_new_commit(struct cli *cli)
{
	struct newest n = { "", NULL };
	struct error err = ERROR_INIT;

	if (store_history(cli->store, NULL, NULL, newest_entry, &n, &err) >= 0 &&
	    n.subject != NULL) {
		printf(_("new commit %.12s: "), n.commit);
		cli_print_safe(stdout, n.subject);
		fputc('\n', stdout);
	}
	error_clear(&err);
	free(n.subject);
}

static void
print_undone(const char *format, const struct store_revert *r)
{
	printf(format, r->commit, r->records);
	cli_print_safe(stdout, r->subject);
	fputc('\n', stdout);
}

static int
cmd_undo_exec(struct cli *cli, const struct cmd_args *args)
{
	const char *login = store_actor(cli->store)->login;
	struct store_revert r;
	char commit[41];
	int rc;

	memset(&r, 0, sizeof r);
	rc = store_last_action(cli->store, login, commit, &cli->err);
	if (rc == 0 && cmd_flag(args, "dry-run")) {
		rc = store_revert_check(cli->store, commit, &r, &cli->err);
		if (rc == 0)
			print_undone(_("would undo %.12s (records: %zu): "), &r);
	} else if (rc == 0) {
		rc = store_revert(cli->store, commit, &r, &cli->err);
		if (rc == 0) {
			cli_warn_pending_audit(cli);
			print_undone(_("undid %.12s (records: %zu): "), &r);
			print_new_commit(cli);
		}
	}
	store_revert_clear(&r);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_undo_entry = {
	"undo", N_("[--dry-run]"),
	N_("undo your last change with a new commit; again: the one before; refused if changed since"),
	{ { "dry-run", false }, { NULL, false } }, 0, 0, CMD_WRITES_STORE,
	cmd_undo_exec,
};
