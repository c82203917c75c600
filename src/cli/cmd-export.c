/*
 * cmd-export.c — "huitou export TYPE [--format csv|json]": every record of a type to standard
 * output, in id order, with the id first and the values as stored, so it imports back; each
 * record's version goes with it (a last CSV column _version, a JSON member "_version"), so an
 * import of a stale export is a conflict rather than a silent undo of newer changes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct export_state {
	const char *format;
	size_t written;
	char **cells;		/* a CSV row: the values, then the version */
};

static int
export_csv_row(const struct record *rec, void *arg)
{
	struct export_state *st = arg;
	size_t n = rec->form->n_fields;
	char version[24];

	if (st->cells == NULL)
		st->cells = xcalloc(n + 1, sizeof *st->cells);
	memcpy(st->cells, rec->values, n * sizeof *st->cells);
	snprintf(version, sizeof version, "%llu", (unsigned long long)rec->version);
	st->cells[n] = version;
	csv_write_row(stdout, st->cells, n + 1);
	st->written++;
	return 0;
}

static int
export_json_row(const struct record *rec, void *arg)
{
	struct export_state *st = arg;

	fputs(st->written++ > 0 ? ",\n  {" : "\n  {", stdout);
	for (size_t i = 0; i < rec->form->n_fields; i++) {
		fputs(i > 0 ? ", " : "", stdout);
		json_write_string(stdout, rec->form->fields[i].name);
		fputs(": ", stdout);
		json_write_string(stdout, rec->values[i]);
	}
	printf(", \"_version\": %llu}", (unsigned long long)rec->version);
	return 0;
}

static void
export_csv_header(const struct form *form)
{
	char **names = xcalloc(form->n_fields + 1, sizeof *names);

	for (size_t i = 0; i < form->n_fields; i++)
		names[i] = form->fields[i].name;
	names[form->n_fields] = "_version";	/* import reads it as the row's version */
	csv_write_row(stdout, names, form->n_fields + 1);
	free(names);
}

static int
cmd_export_exec(struct cli *cli, const struct cmd_args *args)
{
	struct export_state st = { cmd_value(args, "format"), 0, NULL };
	struct store_txn *txn = NULL;
	const struct form *form;
	int rc = -1;

	if (st.format == NULL)
		st.format = "csv";
	if (!str_eq(st.format, "csv") && !str_eq(st.format, "json"))
		return cli_usage(&cmd_export_entry);
	if ((form = cli_form(cli, args->argv[0])) == NULL ||
	    store_txn_begin(cli->store, false, &txn, &cli->err) != 0)
		goto out;
	if (str_eq(st.format, "csv")) {
		export_csv_header(form);
		rc = store_foreach(txn, form, export_csv_row, &st, &cli->err);
	} else {
		fputs("[", stdout);
		rc = store_foreach(txn, form, export_json_row, &st, &cli->err);
		fputs(st.written > 0 ? "\n]\n" : "]\n", stdout);
	}
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = error_set(&cli->err, ST_FAILED, _("cannot write the export to standard output"));
out:
	free(st.cells);
	store_txn_abort(txn);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_export_entry = {
	"export", N_("TYPE [--format csv|json]"),
	N_("write every record of a type to standard output"),
	{ { "format", true }, { NULL, false } }, 1, 1, CMD_READS_STORE,
	cmd_export_exec,
};
