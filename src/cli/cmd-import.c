/*
 * cmd-import.c — "huitou import TYPE FILE [--skip-bad] [--encoding ENC] [--overwrite-newer]".
 * A row of an export older than the stored record is a conflict unless --overwrite-newer.
 */
#include "config.h"

#include <getopt.h>
#include <unistd.h>

#include "cli/cli.h"

static int
cmd_import_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "skip-bad", no_argument, NULL, 's' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "overwrite-newer", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_options opt = { false, isatty(STDERR_FILENO) == 1, NULL, stderr, false };
	struct import_result res;
	struct buf text = BUF_INIT;
	const struct form *form;
	const char *used;
	int c, rc = -1;

	optind = 0;	/* glibc: 0 restarts the scan, forgetting main's "+" */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			opt.skip_bad = true;
		else if (c == 'e')
			opt.encoding = optarg;
		else if (c == 'o')
			opt.overwrite_newer = true;
		else
			return cli_usage(&cmd_import_entry);
	}
	if (argc - optind != 2)
		return cli_usage(&cmd_import_entry);
	if (cli_open(cli) != 0 || (form = cli_form(cli, argv[optind])) == NULL ||
	    file_read_all(argv[optind + 1], &text, &cli->err) != 0 ||
	    text_to_utf8(&text, opt.encoding, argv[optind + 1], &used, &cli->err) != 0)
		goto out;
	rc = import_csv_text(cli, form, argv[optind + 1], &text, &opt, &res);
	if (rc == 0) {
		cli_print_safe(stdout, argv[optind + 1]);
		printf(_(" (%s): %zu rows: %zu new, %zu updated, %zu unchanged, %zu bad and skipped\n"),
		    used, res.rows, res.inserted, res.updated, res.unchanged, res.bad);
	}
	if (rc == 0 && res.bad > 0)
		rc = error_set(&cli->err, ST_REFUSED,
		    _("%zu bad rows were skipped; the others were imported"), res.bad);
out:
	buf_free(&text);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_import_entry = {
	"import", N_("TYPE FILE [--skip-bad] [--encoding utf-8|gbk|gb18030] [--overwrite-newer]"),
	N_("import records from CSV (all or nothing unless --skip-bad); a row exported before the "
	    "record's last change is a conflict unless --overwrite-newer"),
	cmd_import_exec,
};
