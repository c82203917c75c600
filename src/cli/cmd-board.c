/*
 * cmd-board.c — "huitou board": the task board's cards for scripts, one line a card (id,
 * column, overdue or not, deadline, person), the columns in board order, with the console
 * board's filters (--mine, --district, --person, --type) and a query (--where).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/board.h"
#include "cli/cli.h"

struct board_out {
	bool csv;
	char **cells;
};

/* s written in width display columns, cut or padded, escaped. */
static void
print_padded(const char *s, size_t width)
{
	char *safe = cli_escape(s);
	size_t used = 0, n = width_fit_bytes(safe, width, &used);

	fwrite(safe, 1, n, stdout);
	for (; used < width; used++)
		fputc(' ', stdout);
	free(safe);
}

static void
print_text_card(const struct board_card *c)
{
	print_padded(c->id, 18);
	fputs("  ", stdout);
	print_padded(board_column_label(c->column), 12);
	fputs("  ", stdout);
	print_padded(c->overdue ? _("overdue") : "-", 8);
	fputs("  ", stdout);
	print_padded(*c->deadline != '\0' ? c->deadline : "-", 10);
	fputs("  ", stdout);
	print_padded(*c->person_name != '\0' ? c->person_name : "-", 12);
	fputs("  ", stdout);
	cli_print_safe(stdout, c->institution);
	fputc('\n', stdout);
}

static const char *const csv_header[] = { "id", "column", "overdue", "deadline", "person",
	"person_name", "type", "state", "institution", "district" };

static void
print_csv_card(const struct board_card *c)
{
	char *cells[] = { (char *)c->id, (char *)board_column_name(c->column),
		c->overdue ? "yes" : "no", (char *)c->deadline, (char *)c->person,
		(char *)c->person_name, c->form->name, (char *)c->state, (char *)c->institution,
		(char *)c->district };

	csv_write_row(stdout, cells, COUNT(cells));
}

static int
print_board(struct board *b, bool csv, struct error *err)
{
	if (csv)
		csv_write_row(stdout, (char **)csv_header, COUNT(csv_header));
	for (int col = 0; col < N_COLUMNS; col++)
		for (size_t i = 0; i < board_count(b, (enum board_column)col); i++) {
			const struct board_card *c = board_card(b, (enum board_column)col, i, err);

			if (c == NULL && err->message == NULL)	/* the count promised more */
				return error_set(err, ST_FAILED,
				    _("the board counts %zu cards in column %s but has %zu"),
				    board_count(b, (enum board_column)col),
				    board_column_name((enum board_column)col), i);
			if (c == NULL)
				return -1;
			if (csv)
				print_csv_card(c);
			else
				print_text_card(c);
		}
	return 0;
}

/* --person: a person's record id or login. */
static int
resolve_person(struct cli *cli, const char *given, char **id)
{
	const struct form *users = formset_find(&cli->forms, "user");
	struct store_txn *txn;
	char **ids = NULL;
	size_t n = 0;
	int rc;

	if (users == NULL || store_txn_begin(cli->store, false, &txn, &cli->err) != 0)
		return users == NULL ? error_set(&cli->err, ST_FAILED, _("no user form")) : -1;
	if (store_exists(txn, users, given))
		*id = xstrdup(given);
	else if ((rc = store_find_by(txn, users, "login", given, &ids, &n, &cli->err)) == 0 &&
	    n == 1)
		*id = xstrdup(ids[0]);
	strv_free(ids);
	store_txn_abort(txn);
	if (*id == NULL && cli->err.message == NULL)
		error_set(&cli->err, ST_USAGE, _("--person: no person has the id or login '%s'"), given);
	return *id != NULL ? 0 : -1;
}

/* The filter of the options; its strings live in args, the store or *person. */
static int
board_filter_of(struct cli *cli, const struct cmd_args *args, struct board_filter *f,
    char **person)
{
	const char *d = cmd_value(args, "district"), *p = cmd_value(args, "person");
	const char *t = cmd_value(args, "type");
	const struct division *div;

	memset(f, 0, sizeof *f);
	f->where = cmd_value(args, "where");
	if (d != NULL) {
		if ((div = store_division_find(cli->store, d, DIV_DISTRICT, NULL)) == NULL)
			return error_set(&cli->err, ST_USAGE, _("--district: '%s' is no district of %s"),
			    d, store_city_name(cli->store));
		f->district = div->code;
	}
	if (t != NULL && (f->type = formset_find(&cli->forms, t)) == NULL)
		return error_set(&cli->err, ST_USAGE, _("--type: there is no record type '%s'"), t);
	if (cmd_flag(args, "mine") && p != NULL)
		return error_set(&cli->err, ST_USAGE, _("--mine and --person cannot go together"));
	if (cmd_flag(args, "mine")) {
		if (store_actor(cli->store)->id == NULL)
			return error_set(&cli->err, ST_REFUSED,
			    _("--mine: the login %s has no person record"), store_actor(cli->store)->login);
		f->person = store_actor(cli->store)->id;
	} else if (p != NULL) {
		if (resolve_person(cli, p, person) != 0)
			return -1;
		f->person = *person;
	}
	return 0;
}

static int
cmd_board_exec(struct cli *cli, const struct cmd_args *args)
{
	const char *format = cmd_value(args, "format");
	struct casework *cw = NULL;
	struct board *b = NULL;
	struct board_filter f;
	char today[11], *person = NULL;
	int rc = -1;

	if (format != NULL && !str_eq(format, "text") && !str_eq(format, "csv"))
		return cli_usage(&cmd_board_entry);
	clock_format_date(clock_today(), today);
	if (board_filter_of(cli, args, &f, &person) == 0 && (cw = cli_casework(cli)) != NULL &&
	    board_open(cli->store, cw, &f, today, &b, &cli->err) == 0)
		rc = print_board(b, format != NULL && str_eq(format, "csv"), &cli->err);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = error_set(&cli->err, ST_FAILED, _("cannot write to standard output"));
	board_free(b);
	casework_free(cw);
	free(person);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_board_entry = {
	"board", N_("[--where EXPR] [--format text|csv] [--mine] [--district D] [--person P] "
	    "[--type FORM]"),
	N_("print the task board's cards: id, column, overdue, deadline, person"),
	{ { "where", true }, { "format", true }, { "mine", false }, { "district", true },
	  { "person", true }, { "type", true } }, 0, 0, CMD_READS_STORE,
	cmd_board_exec,
};
