/*
 * cmd-log.c — "huitou log [ID]": the audit history, newest first: when, who, what. For one
 * record it also shows, field by field, what changed from what to what.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct log_state {
	size_t shown;
	size_t limit;
};

static void
print_subject(const char *message)
{
	size_t n = strcspn(message, "\n");
	char *subject = xstrndup(message, n);

	cli_print_safe(stdout, subject);
	free(subject);
}

static void
print_fields(const struct store_history *h)
{
	const struct record *to = h->after != NULL ? h->after : h->before;

	for (size_t i = 1; to != NULL && i < to->form->n_fields; i++) {
		const struct field *f = &to->form->fields[i];
		const char *was = h->before != NULL ? h->before->values[i] : "";
		const char *now = h->after != NULL ? h->after->values[i] : "";

		if (str_eq(was, now))
			continue;
		fputs("    ", stdout);
		cli_print_safe(stdout, field_label(f));
		printf(" (%s): ", f->name);
		cli_print_safe(stdout, *was != '\0' ? was : _("(empty)"));
		fputs(" → ", stdout);
		cli_print_safe(stdout, *now != '\0' ? now : _("(empty)"));
		fputc('\n', stdout);
	}
}

static int
print_entry(void *arg, const struct store_history *h)
{
	struct log_state *st = arg;
	char when[32];
	struct tm tm;

	if (st->limit > 0 && st->shown >= st->limit)
		return 1;
	st->shown++;
	localtime_r(&h->when, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	printf("%.12s %s ", h->commit, when);
	cli_print_safe(stdout, h->author_name);
	fputs(" <", stdout);
	cli_print_safe(stdout, h->author_email);
	fputs(">  ", stdout);
	print_subject(h->message);
	fputc('\n', stdout);
	print_fields(h);
	return 0;
}

static int
cmd_log_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct log_state st = { 0, 0 };
	const struct form *form = NULL;
	const char *id = NULL;
	int c, rc;

	optind = 0;	/* glibc: 0 restarts the scan, forgetting main's "+" */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'n')
			return cli_usage(&cmd_log_entry);
		st.limit = strtoul(optarg, NULL, 10);
	}
	if (argc - optind > 1)
		return cli_usage(&cmd_log_entry);
	id = argc - optind == 1 ? argv[optind] : NULL;
	if (cli_open(cli) != 0 || (id != NULL && (form = cli_form_of_id(cli, id)) == NULL))
		return cli_report(cli);
	rc = store_history(cli->store, form, id, print_entry, &st, &cli->err);
	if (rc < 0)
		return cli_report(cli);
	if (id != NULL && st.shown == 0) {
		error_set(&cli->err, ST_REFUSED, _("the audit record has no change of %s"), id);
		return cli_report(cli);
	}
	return ST_OK;
}

const struct cmd_entry cmd_log_entry = {
	"log", N_("[ID] [--max N]"),
	N_("show the audit history, of one record field by field"),
	cmd_log_exec,
};
