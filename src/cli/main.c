/*
 * main.c — huitou [-d DIR] [--lang zh|en] COMMAND …: global options, then the command's
 * exec. With no command it opens the console. Exit status: 0 done, 1 refused, 2 usage,
 * 3 storage or internal failure. Installed setgid, the data directory is the administrator's
 * (site-config.c), whatever -d and HUITOU_DIR say.
 */
#include "config.h"

#include <getopt.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "console/console.h"

#ifdef __SANITIZE_ADDRESS__
/* LeakSanitizer cannot look at a setgid process (it is not dumpable: /proc/self is root's, and
 * neither its options nor its threads can be read), so the sanitizer build checks no leaks then. */
int __lsan_is_turned_off(void);
int
__lsan_is_turned_off(void)
{
	return cli_privileged();
}
#endif

static void
usage(FILE *fp)
{
	fprintf(fp, _("usage: huitou [-d DIR] [--lang zh|en] COMMAND [ARGS…]\n"
	    "       huitou [-d DIR] [--lang zh|en] [--keymap default|vi|emacs]   opens the console\n"
	    "       huitou help        lists the commands\n"));
}

/* The configured remotes with a lag-warn, for the status line's note; a configuration that
 * cannot be read gives none (installed setgid, cli_choose_dir refused it already). */
static int
console_lag_remotes(struct cli *cli, struct console_options *opt)
{
	static struct console_remote kept[16];
	size_t n;

	if (cli_site_remote_count(&n, &cli->err) != 0) {
		error_clear(&cli->err);	/* no note; `huitou status` says what is wrong */
		return 0;
	}
	for (size_t i = 0; i < n && opt->n_remotes < sizeof kept / sizeof kept[0]; i++) {
		const char *url;
		long warn;
		const char *name = cli_site_remote_at(i, &url, &warn);

		if (warn > 0)
			kept[opt->n_remotes++] = (struct console_remote){ name, warn };
	}
	opt->remotes = kept;
	return 0;
}

static int
open_console(struct cli *cli, struct console_options *opt)
{
	opt->dir = cli->dir;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, _("huitou: the console needs a terminal; 'huitou help' lists the commands\n"));
		return ST_USAGE;
	}
	if (cli_open(cli) != 0 || console_lag_remotes(cli, opt) != 0 ||
	    console_run(cli->store, opt, &cli->err) != 0)
		return cli_report(cli);
	return ST_OK;
}

/* A command runs as the kernel's batch work (SCHED_BATCH): where the processors are shared,
 * a console's keystroke wakes ahead of it, and it loses nothing when they are free. A failure
 * only leaves the usual policy. */
static void
yield_to_consoles(void)
{
	struct sched_param none = { 0 };

	(void)sched_setscheduler(0, SCHED_BATCH, &none);
}

/* The command's words parsed against its entry, what it needs opened once, then its exec. */
static int
run_command(struct cli *cli, const struct cmd_entry *cmd, int argc, char **argv)
{
	struct cmd_args args;
	int rc = cmd_parse(cmd, argc, argv, &args);

	if (rc != 0)
		return rc;
	yield_to_consoles();
	if (cmd->needs != CMD_NEEDS_NOTHING && cli_open(cli) != 0)
		return cli_report(cli);
	return cmd->exec(cli, &args);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'L' },
		{ "keymap", required_argument, NULL, 'k' },
		{ "timings", required_argument, NULL, 't' },
		{ "limit-slice", required_argument, NULL, 'S' },	/* tests only, not in usage */
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = { NULL, { NULL, 0 }, NULL, ERROR_INIT };
	struct console_options copt = { .started = clock_us() };
	const char *lang = NULL;
	const struct cmd_entry *cmd;
	int c, rc;

	/* The data directory is shared by the coordinators' group, whatever umask a login has:
	 * files are made readable and writable by the group, never by others. */
	umask(S_IRWXO);
	/* Options end at the command: its own options are its business. */
	while ((c = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli.dir = optarg;
			break;
		case 'L':
			if (!str_starts(optarg, "zh") && !str_starts(optarg, "en")) {
				fprintf(stderr, "huitou: --lang takes zh or en\n");
				return ST_USAGE;
			}
			lang = optarg;
			break;
		case 'k':
			copt.keymap = optarg;
			break;
		case 't':
			copt.timings = optarg;
			break;
		case 'S':	/* a limit's slices of N ids, each then paused: tests see it filter */
			copt.limit_slice = strtoul(optarg, NULL, 10);
			break;
		case 'h':
			lang_init(lang);
			usage(stdout);
			return ST_OK;
		case 'V':
			printf("huitou %s\n", PACKAGE_VERSION);
			return ST_OK;
		default:
			lang_init(lang);
			usage(stderr);
			return ST_USAGE;
		}
	}
	lang_init(lang);
	if (cli_choose_dir(&cli, cli.dir, &cli.err) != 0) {
		rc = cli_report(&cli);
		cli_close(&cli);
		return rc;
	}
	if (optind >= argc) {
		rc = open_console(&cli, &copt);
		cli_close(&cli);
		return rc;
	}
	cmd = cmd_find(argv[optind]);
	if (cmd == NULL) {
		struct buf name = BUF_INIT;

		width_escape_controls(&name, argv[optind]);
		fprintf(stderr, _("huitou: unknown command '%s'; 'huitou help' lists them\n"),
		    buf_str(&name));
		buf_free(&name);
		return ST_USAGE;
	}
	rc = run_command(&cli, cmd, argc - optind, argv + optind);
	cli_close(&cli);
	return rc;
}
