/*
 * cmd-draw.c — "huitou draw": random spot checks anyone can re-check (doc/draw.md).
 *   draw --where EXPR --size N --public-source TEXT [--inspectors EXPR --per-team K]
 *       announces a draw (one commit: the record, its population and pool); prints its id.
 *   draw ID --public-value TEXT [--plan]   completes it (one commit: seed, sample, teams, and
 *       with --plan an inspection planned for each institution drawn); prints the sample.
 *   draw --verify ID              recomputes it from git; exit 0 when it matches.
 *   draw [ID]                     lists the draws, or shows one with its sample and teams.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"
#include "cli/cli.h"

/* A whole number of at least 1 from an option, or 0 when absent; -1 when it is not one. */
static int
option_count(struct cli *cli, const struct cmd_args *args, const char *name, size_t *out)
{
	const char *v = cmd_value(args, name);
	char *end;
	unsigned long long n;

	*out = 0;
	if (v == NULL)
		return 0;
	n = strtoull(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || n == 0 || n > 10000000)
		return error_set(&cli->err, ST_USAGE, _("--%s: a whole number from 1, not '%s'"), name, v);
	*out = (size_t)n;
	return 0;
}

static int
announce(struct cli *cli, const struct cmd_args *args)
{
	struct draw_params p = { cmd_value(args, "where"), 0, cmd_value(args, "inspectors"), 0,
	    cmd_value(args, "public-source") };
	char *id = NULL;
	size_t population = 0;

	if (p.where == NULL || cmd_value(args, "size") == NULL)
		return error_set(&cli->err, ST_USAGE, _("a draw is announced with --where EXPR and --size N ('' names every institution)"));
	if (option_count(cli, args, "size", &p.size) != 0 ||
	    option_count(cli, args, "per-team", &p.per_team) != 0 ||
	    draw_announce(cli->store, &p, &id, &population, &cli->err) != 0)
		return -1;
	printf("%s\n", id);
	fprintf(stderr, _("%s announced: %zu of %zu institutions to draw; once the public value is out: huitou draw %s --public-value TEXT\n"),
	    id, p.size, population, id);
	free(id);
	return 0;
}

static void
print_text(const char *text)
{
	const char *line = text;

	while (line != NULL && *line != '\0') {
		const char *end = strchr(line, '\n');
		char *one = end != NULL ? xstrndup(line, (size_t)(end - line)) : xstrdup(line);

		cli_print_safe(stdout, one);
		fputc('\n', stdout);
		free(one);
		line = end != NULL ? end + 1 : NULL;
	}
}

static int
complete(struct cli *cli, const char *id, const char *value, bool plan)
{
	struct draw_outcome o;

	if (draw_complete(cli->store, id, value, plan, &o, &cli->err) != 0)
		return -1;
	print_text(o.sample_csv);
	fprintf(stderr, _("%s drawn: %zu of %zu, seed %s\n"), id, o.sample, o.population, o.seed);
	if (o.planned > 0)
		fprintf(stderr, _("%zu inspections planned, one per institution drawn\n"), o.planned);
	draw_outcome_clear(&o);
	return 0;
}

static int
verify(struct cli *cli, const char *id)
{
	struct draw_outcome o;
	int rc = draw_verify(cli->store, id, &o, &cli->err);

	if (rc == 0)
		printf(_("%s matches: announced in %s, public value '%s', seed %s, %zu of %zu drawn\n"),
		    id, o.commit, o.public_value, o.seed, o.sample, o.population);
	draw_outcome_clear(&o);
	return rc;
}

static int
list_one(const struct record *rec, void *arg)
{
	(void)arg;
	printf("%s %s %s/%s ", record_id(rec), record_get(rec, "state"), record_get(rec, "size"),
	    record_get(rec, "population_count"));
	cli_print_safe(stdout, record_get(rec, "public_source"));
	fputc('\n', stdout);
	return 0;
}

static int
list_draws(struct cli *cli)
{
	const struct form *form = cli_form(cli, DRAW_FORM);
	struct store_txn *txn = NULL;
	int rc;

	if (form == NULL || store_txn_begin(cli->store, false, &txn, &cli->err) != 0)
		return -1;
	rc = store_foreach(txn, form, list_one, NULL, &cli->err);
	store_txn_abort(txn);
	return rc;
}

/* The record's fields, then its sample and teams as committed. */
static int
show_draw(struct cli *cli, const char *id)
{
	const struct form *form = cli_form(cli, DRAW_FORM);
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	char *text = NULL;
	int rc = form != NULL ? store_txn_begin(cli->store, false, &txn, &cli->err) : -1;

	rc = rc == 0 ? store_get(txn, form, id, &rec, &cli->err) : rc;
	store_txn_abort(txn);
	for (size_t i = 0; rc == 0 && i < form->n_fields; i++) {
		printf("%s: ", form->fields[i].name);
		cli_print_safe(stdout, rec->values[i]);
		fputc('\n', stdout);
	}
	for (const char *const *name = (const char *const[]){ "sample.csv", "teams.csv", NULL };
	    rc == 0 && *name != NULL; name++) {
		rc = draw_file(cli->store, id, *name, &text, &cli->err);
		if (rc == 0 && text != NULL) {
			printf("\n%s:\n", *name);
			print_text(text);
		}
		free(text);
		text = NULL;
	}
	record_free(rec);
	return rc;
}

static int
cmd_draw_exec(struct cli *cli, const struct cmd_args *args)
{
	const char *value = cmd_value(args, "public-value");
	bool announcing = cmd_value(args, "where") != NULL || cmd_value(args, "size") != NULL;
	int rc;

	if (cmd_flag(args, "verify"))
		rc = args->argc == 1 ? verify(cli, args->argv[0]) : cli_usage(args->entry);
	else if (announcing)
		rc = args->argc == 0 ? announce(cli, args) : cli_usage(args->entry);
	else if (value != NULL)
		rc = args->argc == 1 ? complete(cli, args->argv[0], value, cmd_flag(args, "plan")) : cli_usage(args->entry);
	else if (cmd_value(args, "public-source") != NULL || cmd_value(args, "inspectors") != NULL ||
	    cmd_value(args, "per-team") != NULL || cmd_flag(args, "plan"))
		rc = cli_usage(args->entry);
	else
		rc = args->argc == 0 ? list_draws(cli) : show_draw(cli, args->argv[0]);
	if (rc == ST_USAGE && cli->err.message == NULL)
		return ST_USAGE;
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_draw_entry = {
	"draw", N_("[--where EXPR --size N --public-source TEXT [--inspectors EXPR --per-team K]] "
	    "| ID --public-value TEXT [--plan] | --verify ID | [ID]"),
	N_("random spot checks: announce a draw, complete it with a public value, verify it"),
	{ { "where", true }, { "size", true }, { "public-source", true }, { "inspectors", true },
	  { "per-team", true }, { "public-value", true }, { "verify", false }, { "plan", false },
	  { NULL, false } },
	0, 1, CMD_WRITES_STORE, cmd_draw_exec,
};
