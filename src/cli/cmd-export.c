/*
 * cmd-export.c — "huitou export TYPE [--format csv|json] [--where EXPR]": the records of a
 * type to standard output, in id order, with the id first and the values as stored, so it
 * imports back; each record's version goes with it (a last CSV column _version, a JSON member
 * "_version"), so an import of a stale export is a conflict rather than a silent undo of newer
 * changes. --where keeps only the records the expression names (the language of `l` and
 * `board --where`). A field that names a person (a ref to the user form) is followed by the
 * person's name, column or member FIELD_name, which import ignores.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "cli/cli.h"

struct export_state {
	const char *format;
	struct store *store;	/* whose actor's read rules mask private fields */
	int (*row)(const struct record *, void *);	/* the format's, behind the mask */
	struct store_txn *txn;
	const struct form *people;	/* the user form, whose titles are names; NULL: none */
	size_t written;
	char **cells;		/* a CSV row: the values, the names after their ids, the version */
	char **names;		/* per field: the person's name, for a person field */
};

/* The person fields' names for rec, in st->names; "" where the id names nobody. */
static void
look_up_names(struct export_state *st, const struct record *rec)
{
	for (size_t i = 0; i < rec->form->n_fields; i++) {
		free(st->names[i]);
		st->names[i] = NULL;
		if (!cli_person_field(&rec->form->fields[i]))
			continue;
		st->names[i] = store_record_title(st->txn, st->people, rec->values[i]);
		if (str_eq(st->names[i], rec->values[i]))
			*st->names[i] = '\0';
	}
}

static int
export_csv_row(const struct record *rec, void *arg)
{
	struct export_state *st = arg;
	size_t n = 0;
	char version[24];

	look_up_names(st, rec);
	for (size_t i = 0; i < rec->form->n_fields; i++) {
		st->cells[n++] = rec->values[i];
		if (st->names[i] != NULL)
			st->cells[n++] = st->names[i];
	}
	snprintf(version, sizeof version, "%llu", (unsigned long long)rec->version);
	st->cells[n++] = version;
	csv_write_row(stdout, st->cells, n);
	st->written++;
	return 0;
}

static void
json_member(const char *name, const char *suffix, const char *value)
{
	char *key = xasprintf("%s%s", name, suffix);

	json_write_string(stdout, key);
	fputs(": ", stdout);
	json_write_string(stdout, value);
	free(key);
}

static int
export_json_row(const struct record *rec, void *arg)
{
	struct export_state *st = arg;

	look_up_names(st, rec);
	fputs(st->written++ > 0 ? ",\n  {" : "\n  {", stdout);
	for (size_t i = 0; i < rec->form->n_fields; i++) {
		fputs(i > 0 ? ", " : "", stdout);
		json_member(rec->form->fields[i].name, "", rec->values[i]);
		if (st->names[i] != NULL) {
			fputs(", ", stdout);
			json_member(rec->form->fields[i].name, "_name", st->names[i]);
		}
	}
	printf(", \"_version\": %llu}", (unsigned long long)rec->version);
	return 0;
}

static void
export_csv_header(const struct form *form)
{
	char **names = xcalloc(2 * form->n_fields + 1, sizeof *names);
	size_t n = 0;

	for (size_t i = 0; i < form->n_fields; i++) {
		names[n++] = xstrdup(form->fields[i].name);
		if (cli_person_field(&form->fields[i]))
			names[n++] = xasprintf("%s_name", form->fields[i].name);
	}
	names[n++] = xstrdup("_version");	/* import reads it as the row's version */
	csv_write_row(stdout, names, n);
	strv_free(names);
}

/* The row as its reader may see it: private values the read rules keep from them withheld. */
static int
export_masked_row(const struct record *rec, void *arg)
{
	struct export_state *st = arg;
	struct record *copy;
	int rc;

	if (!store_form_has_private(rec->form))
		return st->row(rec, st);
	copy = record_copy(rec);
	store_mask_record(st->store, copy);
	rc = st->row(copy, st);
	record_free(copy);
	return rc;
}

/* Only the records where names, in id order, each read in the export's transaction. */
static int
export_where(struct export_state *st, const struct form *form, struct query *q,
    int (*row)(const struct record *, void *), struct error *err)
{
	char **ids = NULL;
	bool *match = NULL;
	size_t n = 0, kept;
	int rc = store_list_ids(st->txn, form, &ids, &n, err);

	if (rc == 0) {
		match = xcalloc(n + 1, sizeof *match);
		rc = select_matching(st->txn, form, q, ids, NULL, n, match, &kept, err);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct record *rec = NULL;

		if (match[i] && (rc = store_get(st->txn, form, ids[i], &rec, err)) == 0)
			rc = row(rec, st);
		record_free(rec);
	}
	strv_free(ids);
	free(match);
	return rc;
}

static int
export_records(struct export_state *st, const struct form *form, const char *where,
    struct error *err)
{
	bool csv = str_eq(st->format, "csv");
	int (*row)(const struct record *, void *) = export_masked_row;
	struct query *q = NULL;
	int rc;

	/* A bad expression is refused before anything is written. */
	if (where != NULL && select_parse(st->txn, form, where, &q, err) != 0)
		return -1;
	st->row = csv ? export_csv_row : export_json_row;
	if (csv)
		export_csv_header(form);
	else
		fputs("[", stdout);
	if (where != NULL)
		rc = export_where(st, form, q, row, err);
	else
		rc = store_foreach(st->txn, form, row, st, err);
	if (!csv)
		fputs(st->written > 0 ? "\n]\n" : "]\n", stdout);
	query_free(q);
	return rc;
}

static int
cmd_export_exec(struct cli *cli, const struct cmd_args *args)
{
	struct export_state st = { cmd_value(args, "format"), cli->store, NULL, NULL, NULL, 0,
	    NULL, NULL };
	const struct form *form = NULL;
	int rc = -1;

	if (st.format == NULL)
		st.format = "csv";
	if (!str_eq(st.format, "csv") && !str_eq(st.format, "json"))
		return cli_usage(&cmd_export_entry);
	if ((form = cli_form(cli, args->argv[0])) == NULL ||
	    store_txn_begin(cli->store, false, &st.txn, &cli->err) != 0)
		goto out;
	st.people = formset_find(&cli->forms, PERSON_FORM);
	st.cells = xcalloc(2 * form->n_fields + 1, sizeof *st.cells);
	st.names = xcalloc(form->n_fields + 1, sizeof *st.names);
	rc = export_records(&st, form, cmd_value(args, "where"), &cli->err);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = error_set(&cli->err, ST_FAILED, _("cannot write the export to standard output"));
out:
	free(st.cells);
	if (st.names != NULL)
		for (size_t i = 0; i < form->n_fields; i++)
			free(st.names[i]);
	free(st.names);
	store_txn_abort(st.txn);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_export_entry = {
	"export", N_("TYPE [--format csv|json] [--where EXPR]"),
	N_("write the records of a type (those --where names) to standard output"),
	{ { "format", true }, { "where", true }, { NULL, false } }, 1, 1, CMD_READS_STORE,
	cmd_export_exec,
};
