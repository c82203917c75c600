/*
 * cmd-log.c — "huitou log [ID] [--full]": the audit history, newest first: when, who, what,
 * and why (a change's Reason trailer); with --full the rest of each message too (a move's
 * reason, its trailers). For one record it also shows, field by field, what changed from what
 * to what, a person's name beside their id.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct log_state {
	struct store *store;
	size_t shown;
	size_t limit;
	bool full;		/* --full: the message's body and trailers too */
};

static void
print_subject(const char *message)
{
	size_t n = strcspn(message, "\n");
	char *subject = xstrndup(message, n);

	cli_print_safe(stdout, subject);
	free(subject);
}

/* The message after its subject (the reason, the records, the trailers), indented. */
static void
print_body(const char *message)
{
	const char *p = strchr(message, '\n');

	while (p != NULL && *p == '\n')
		p++;
	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);

		if (n > 0)
			fputs("    ", stdout);
		cli_print_safe(stdout, line);
		fputc('\n', stdout);
		free(line);
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* A value as stored, and beside a reference the name of the record it names. */
static void
print_value(const struct log_state *st, struct store_txn *txn, const struct field *f,
    const char *value)
{
	const struct form *to = f->kind == FT_REF && txn != NULL ?
	    formset_find(store_forms(st->store), f->ref_form) : NULL;
	char *name;

	cli_print_safe(stdout, *value != '\0' ? value : _("(empty)"));
	if (to == NULL || *value == '\0')
		return;
	name = store_record_title(txn, to, value);
	if (!str_eq(name, value)) {
		fputs(" (", stdout);
		cli_print_safe(stdout, name);
		fputc(')', stdout);
	}
	free(name);
}

static void
print_fields(struct log_state *st, const struct store_history *h)
{
	const struct record *to = h->after != NULL ? h->after : h->before;
	struct store_txn *txn = NULL;
	struct error err = ERROR_INIT;

	if (to != NULL && store_txn_begin(st->store, false, &txn, &err) != 0)
		error_clear(&err);	/* the values alone, without names */
	for (size_t i = 1; to != NULL && i < to->form->n_fields; i++) {
		const struct field *f = &to->form->fields[i];
		const char *was = h->before != NULL ? h->before->values[i] : "";
		const char *now = h->after != NULL ? h->after->values[i] : "";

		if (str_eq(was, now))
			continue;
		fputs("    ", stdout);
		cli_print_safe(stdout, field_label(f));
		printf(" (%s): ", f->name);
		print_value(st, txn, f, was);
		fputs(" → ", stdout);
		print_value(st, txn, f, now);
		fputc('\n', stdout);
	}
	store_txn_abort(txn);
}

/* "    理由：…" under the subject: why, when the change was given a reason. */
static void
print_reason(const char *message)
{
	char *reason = store_message_trailer(message, "Reason");

	if (reason != NULL) {
		fputs("    ", stdout);
		cli_print_safe(stdout, _("Reason: "));
		cli_print_safe(stdout, reason);
		fputc('\n', stdout);
	}
	free(reason);
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
	if (st->full)
		print_body(h->message);
	else
		print_reason(h->message);
	print_fields(st, h);
	return 0;
}

static int
cmd_log_exec(struct cli *cli, const struct cmd_args *args)
{
	struct log_state st = { cli->store, 0, 0, cmd_flag(args, "full") };
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
	"log", N_("[ID] [--max N] [--full]"),
	N_("show the audit history, of one record field by field; --full adds reasons and trailers"),
	{ { "max", true }, { "full", false }, { NULL, false } }, 0, 1, CMD_READS_STORE,
	cmd_log_exec,
};
