/*
 * cmd-import.c — "huitou import TYPE FILE [--skip-bad] [--encoding ENC] [--overwrite-newer]
 * [--reason TEXT]". A row of an export older than the stored record is a conflict unless
 * --overwrite-newer; an import that changes a field marked "reason" (an institution's status
 * or list) is refused without --reason, which the commit keeps as its Reason trailer.
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"

static int
cmd_import_exec(struct cli *cli, const struct cmd_args *args)
{
	struct import_options opt = { cmd_flag(args, "skip-bad"), isatty(STDERR_FILENO) == 1,
	    cmd_value(args, "encoding"), stderr, cmd_flag(args, "overwrite-newer"), NULL };
	const char *path = args->argv[1], *used;
	struct import_result res;
	struct buf text = BUF_INIT;
	const struct form *form;
	char *reason = NULL;
	int rc = -1;

	if (cli_parse_reason(cli, cmd_value(args, "reason"), &reason) != 0)
		return cli_report(cli);
	opt.reason = reason;
	if ((form = cli_form(cli, args->argv[0])) == NULL ||
	    file_read_as_caller(path, &text, &cli->err) != 0 ||
	    text_to_utf8(&text, opt.encoding, path, &used, &cli->err) != 0)
		goto out;
	rc = import_csv_text(cli, form, path, &text, &opt, &res);
	if (rc == 0) {
		cli_print_safe(stdout, path);
		printf(_(" (%s): %zu rows: %zu new, %zu updated, %zu unchanged, %zu bad and skipped\n"),
		    used, res.rows, res.inserted, res.updated, res.unchanged, res.bad);
	}
	if (rc == 0 && res.bad > 0)
		rc = error_set(&cli->err, ST_REFUSED,
		    _("%zu bad rows were skipped; the others were imported"), res.bad);
out:
	buf_free(&text);
	free(reason);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_import_entry = {
	"import", N_("TYPE FILE [--skip-bad] [--encoding utf-8|gbk|gb18030] [--overwrite-newer] "
	    "[--reason TEXT]"),
	N_("import records from CSV (all or nothing unless --skip-bad); a row exported before the "
	    "record's last change is a conflict unless --overwrite-newer; a change of a status or "
	    "list needs --reason"),
	{ { "skip-bad", false }, { "encoding", true }, { "overwrite-newer", false },
	  { "reason", true }, { NULL, false } },
	2, 2, CMD_WRITES_STORE,
	cmd_import_exec,
};
