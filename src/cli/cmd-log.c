/*
 * cmd-log.c — "huitou log [ID]": the audit history, newest first: when, who, what. For one
 * record it also shows, field by field, what changed from what to what.
 */
#include "config.h"

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
cmd_log_exec(struct cli *cli, const struct cmd_args *args)
{
	struct log_state st = { 0, 0 };
	const struct form *form = NULL;
	const char *id = args->argc == 1 ? args->argv[0] : NULL, *max = cmd_value(args, "max");
	int rc;

	if (max != NULL)
		st.limit = strtoul(max, NULL, 10);
	if (id != NULL && (form = cli_form_of_id(cli, id)) == NULL)
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
	{ { "max", true }, { NULL, false } }, 0, 1, CMD_READS_STORE,
	cmd_log_exec,
};
