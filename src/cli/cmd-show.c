/*
 * cmd-show.c — "huitou show ID [--labels]": one field a line, "name: value", then the version.
 * With --labels the names are the form's labels and enums show their words. Control
 * characters in values are shown as escapes, never sent to the terminal; private values the
 * policy's read rules keep from the reader show as 〔不公开〕.
 */
#include "config.h"


#include "cli/cli.h"

static void
show_record(const struct record *rec, bool labels)
{
	for (size_t i = 0; i < rec->form->n_fields; i++) {
		const struct field *f = &rec->form->fields[i];

		cli_print_safe(stdout, labels ? field_label(f) : f->name);
		fputs(": ", stdout);
		cli_print_safe(stdout, labels ? field_display(f, rec->values[i]) : rec->values[i]);
		fputc('\n', stdout);
	}
	printf("%s: %llu\n", labels ? _("version") : "version", (unsigned long long)rec->version);
}

static int
cmd_show_exec(struct cli *cli, const struct cmd_args *args)
{
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	const struct form *form;
	const char *id = args->argv[0];
	int rc = -1;

	if ((form = cli_form_of_id(cli, id)) == NULL ||
	    store_txn_begin(cli->store, false, &txn, &cli->err) != 0 ||
	    store_get(txn, form, id, &rec, &cli->err) != 0)
		goto out;
	store_mask_record(cli->store, rec);	/* private values the reader may not see */
	show_record(rec, cmd_flag(args, "labels"));
	rc = 0;
out:
	store_txn_abort(txn);
	record_free(rec);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_show_entry = {
	"show", N_("ID [--labels]"),
	N_("print one record, one field per line"),
	{ { "labels", false }, { NULL, false } }, 1, 1, CMD_READS_STORE,
	cmd_show_exec,
};
