/*
 * cli-common.c — what the commands share: finding the data directory, opening its forms and
 * store, naming forms, applying FIELD=VALUE arguments, and printing errors and record text
 * without ever sending a control character from data to the terminal.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "cli/cli.h"

/* Not setgid: HUITOU_DIR, else the site configuration's, else the compiled-in directory
 * (setgid, cli_choose_dir takes the administrator's alone). */
const char *
cli_default_dir(void)
{
	const char *env = getenv("HUITOU_DIR"), *site = NULL;

	if (env != NULL && *env != '\0')
		return env;
	return (site = cli_site_data()) != NULL ? site : HUITOU_DEFAULT_DIR;
}

int
cli_open(struct cli *cli)
{
	char *forms = xasprintf("%s/forms", cli->dir);
	int rc;

	if (!path_is_dir(cli->dir)) {
		free(forms);
		return error_set(&cli->err, ST_REFUSED,
		    _("%s is not a huitou data directory: run 'huitou -d %s init --city CODE' first"),
		    cli->dir, cli->dir);
	}
	rc = formset_load_dir(forms, &cli->forms, &cli->err);
	free(forms);
	if (rc == 0)
		rc = store_open(cli->dir, &cli->forms, &cli->store, &cli->err);
	if (rc == 0)
		cli_replay_audit(cli);
	return rc;
}

/* Commits a stopped process left in the outbox are made now; failing that (git cannot be
 * written, or main cannot be trusted), say so: reads go on, writes are refused. */
void
cli_replay_audit(struct cli *cli)
{
	struct error err = ERROR_INIT;

	if (store_audit_replay(cli->store, &err) != 0) {
		fprintf(stderr, _("huitou: warning: audit commits are pending: "));
		cli_print_safe_lines(stderr, err.message != NULL ? err.message : "?");
	}
	error_clear(&err);
}

/* After a save: the change is in the store; if its git commit had to wait, say why. A commit
 * that fails is no longer a warning (store_txn_commit fails, exit 3): this remains for commits
 * deferred on purpose (store_audit_defer). */
void
cli_warn_pending_audit(struct cli *cli)
{
	const char *why = store_audit_warning(cli->store);

	if (why == NULL)
		return;
	fprintf(stderr, _("huitou: warning: saved, but its audit commit is pending (it is made at the next start): "));
	cli_print_safe_lines(stderr, why);
}

void
cli_close_store(struct cli *cli)
{
	store_close(cli->store);
	cli->store = NULL;
	formset_free(&cli->forms);
}

void
cli_close(struct cli *cli)
{
	cli_close_store(cli);
	error_clear(&cli->err);
}

static void
list_form_names(struct cli *cli, struct buf *out)
{
	for (size_t i = 0; i < cli->forms.n; i++)
		buf_printf(out, "%s%s", i > 0 ? ", " : "", cli->forms.forms[i]->name);
}

const struct form *
cli_form(struct cli *cli, const char *name)
{
	const struct form *form = formset_find(&cli->forms, name);
	struct buf names = BUF_INIT;

	for (size_t i = 0; form == NULL && i < cli->forms.n; i++)
		if (str_eq(cli->forms.forms[i]->label_zh, name) ||
		    str_eq(cli->forms.forms[i]->label_en, name))
			form = cli->forms.forms[i];
	if (form == NULL) {
		list_form_names(cli, &names);
		error_set(&cli->err, ST_REFUSED, _("unknown record type '%s' (known: %s)"), name,
		    buf_str(&names));
		buf_free(&names);
	}
	return form;
}

const struct form *
cli_form_of_id(struct cli *cli, const char *id)
{
	const struct form *form = formset_form_of_id(&cli->forms, id);

	if (form == NULL)
		error_set(&cli->err, ST_REFUSED, _("'%s' is not an id of any record type"), id);
	return form;
}

int
cli_usage(const struct cmd_entry *entry)
{
	fprintf(stderr, _("usage: huitou [-d DIR] %s %s\n"), entry->name, _(entry->usage));
	return ST_USAGE;
}

char *
cli_escape(const char *s)
{
	struct buf out = BUF_INIT;

	width_escape_controls(&out, s);
	return buf_detach(&out);
}

void
cli_print_safe(FILE *fp, const char *s)
{
	char *safe = cli_escape(s);

	fputs(safe, fp);
	free(safe);
}

/* A message of huitou's that may quote data: its line breaks kept, everything else escaped;
 * each line ends with a newline. */
void
cli_print_safe_lines(FILE *fp, const char *s)
{
	while (*s != '\0') {
		size_t n = strcspn(s, "\n");
		char *part = xstrndup(s, n);

		cli_print_safe(fp, part);
		fputc('\n', fp);
		free(part);
		s += n + (s[n] == '\n');
	}
}

int
cli_report(struct cli *cli)
{
	enum status st = cli->err.status != ST_OK ? cli->err.status : ST_FAILED;

	fputs("huitou: ", stderr);
	cli_print_safe_lines(stderr, cli->err.message != NULL ? cli->err.message : "");
	if (cli->err.message == NULL)
		fputs(_("internal error with no message\n"), stderr);
	return st;
}

int
cli_apply_assignments(struct cli *cli, struct store_txn *txn, struct record *rec,
    char **args, int n)
{
	struct assignments a;
	int rc = assignments_parse(rec->form, args, (size_t)n, &a, &cli->err);

	if (rc == 0) {
		rc = assignments_apply(&a, txn, rec, &cli->err);
		assignments_free(&a);
	}
	return rc;
}

int
cli_parse_reason(struct cli *cli, const char *arg, char **out)
{
	if (reason_parse(arg, true, out, &cli->err) != 0) {
		cli->err.status = ST_USAGE;
		return error_prefix(&cli->err, _("--reason: "));
	}
	if (arg != NULL && *out == NULL)
		return error_set(&cli->err, ST_USAGE, _("--reason needs some text"));
	return 0;
}

bool
cli_person_field(const struct field *f)
{
	return f->kind == FT_REF && f->ref_form != NULL && str_eq(f->ref_form, PERSON_FORM);
}
