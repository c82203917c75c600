/*
 * cmd-move.c — "huitou move ID STATE [--reason TEXT]": moves a record to another state of its
 * states file (forms/NAME.states), with the guards, effects and policy the console's moves
 * have. Exit 0 done, 1 refused with the reason.
 */
#include "config.h"

#include <stdlib.h>

#include "campaign/casework.h"
#include "cli/cli.h"

/* The casework of the data directory (its DATA/forms), or NULL with cli->err set. */
struct casework *
cli_casework(struct cli *cli)
{
	char *dir = xasprintf("%s/forms", cli->dir);
	struct casework *cw = NULL;

	if (casework_load(dir, &cli->forms, &cw, &cli->err) != 0)
		cw = NULL;
	free(dir);
	return cw;
}

static void
print_move(struct cli *cli, const struct casework *cw, const struct move_result *r)
{
	const struct form *form = cli_form_of_id(cli, r->id);
	const struct machine *m = form != NULL ? casework_machine(cw, form) : NULL;
	const struct field *f = m != NULL ? &form->fields[m->field] : NULL;

	printf("%s: %s → %s\n", r->id, f != NULL ? field_option_label(f, r->from) : r->from,
	    f != NULL ? field_option_label(f, r->to) : r->to);
	for (size_t i = 0; i < r->n_created; i++)
		printf(_("created %s\n"), r->created[i]);
	for (size_t i = 0; i < r->n_changed; i++)
		printf(_("changed %s\n"), r->changed[i]);
}

static int
cmd_move_exec(struct cli *cli, const struct cmd_args *args)
{
	struct casework *cw = cli_casework(cli);
	struct move_result res;
	int rc;

	if (cw == NULL)
		return cli_report(cli);
	rc = casework_move(cli->store, cw, args->argv[0], args->argv[1],
	    cmd_value(args, "reason"), &res, &cli->err);
	if (rc == 0) {
		cli_warn_pending_audit(cli);
		print_move(cli, cw, &res);
	}
	move_result_clear(&res);
	casework_free(cw);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_move_entry = {
	"move", N_("ID STATE [--reason TEXT]"),
	N_("move a record to another state (an inspection, a rectification order, an escalation)"),
	{ { "reason", true }, { NULL, false } }, 2, 2, CMD_WRITES_STORE,
	cmd_move_exec,
};
