/*
 * cmd-init.c — "huitou init --city CODE [--demo]": creates a data directory for one city. Its
 * districts and streets come from the bundled GB/T 2260 table (contrib/data/divisions/), its
 * forms are copied from the shipped ones so the deployment describes itself, and --demo adds
 * a realistic sample of institutions.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "cli/cli.h"

struct division_table {
	const char *city;	/* 4-digit city code */
	struct division_row city_row;
	struct division_row *rows;
	size_t n;
	int code_col, name_col, parent_col, city_col;
};

static int
collect_division(void *arg, size_t line, char **fields, size_t n, size_t offset)
{
	struct division_table *t = arg;
	struct division_row *row;
	int need = t->city_col > t->parent_col ? t->city_col : t->parent_col;

	(void)offset;
	if (line == 1 || n <= (size_t)need || n <= (size_t)t->name_col ||
	    !str_eq(fields[t->city_col], t->city))
		return 0;
	t->rows = xrealloc(t->rows, (t->n + 1) * sizeof *t->rows);
	row = &t->rows[t->n++];
	memset(row, 0, sizeof *row);
	snprintf(row->code, sizeof row->code, "%s", fields[t->code_col]);
	snprintf(row->parent, sizeof row->parent, "%s",
	    t->parent_col >= 0 ? fields[t->parent_col] : "");
	row->name = xstrdup(fields[t->name_col]);
	return 0;
}

static int
read_table(const char *file, struct division_table *t, struct error *err)
{
	char *rel = xasprintf("contrib/data/divisions/%s", file);
	char *path = datafile_find(rel);
	struct buf text = BUF_INIT;
	int rc;

	free(rel);
	if (path == NULL)
		return error_set(err, ST_FAILED,
		    _("the divisions table %s is not installed; reinstall huitou"), file);
	rc = file_read_all(path, &text, err);
	if (rc == 0 && (rc = csv_read(buf_str(&text), text.len, collect_division, t, err)) != 0)
		error_prefix(err, "%s:", path);
	buf_free(&text);
	free(path);
	return rc;
}

/* City row from cities.csv; a municipality's "市辖区" takes its province's name. */
static int
find_city(struct division_table *t, struct error *err)
{
	struct division_table cities = { NULL, { "", "", NULL }, NULL, 0, 0, 1, -1, 0 };
	struct division_table provinces = { NULL, { "", "", NULL }, NULL, 0, 0, 1, -1, 0 };
	char prov[3] = { t->city[0], t->city[1], '\0' };
	int rc = -1;

	cities.city = t->city;	/* cities.csv: code,name,provinceCode — match on the code */
	provinces.city = prov;
	if (read_table("cities.csv", &cities, err) != 0 ||
	    read_table("provinces.csv", &provinces, err) != 0)
		goto out;
	if (cities.n != 1) {
		error_set(err, ST_REFUSED,
		    _("no city has the code %s in GB/T 2260 (use the 4-digit city code, e.g. 6101 for Xi'an)"),
		    t->city);
		goto out;
	}
	snprintf(t->city_row.code, sizeof t->city_row.code, "%s", t->city);
	t->city_row.name = xstrdup(str_eq(cities.rows[0].name, "市辖区") && provinces.n == 1 ?
	    provinces.rows[0].name : cities.rows[0].name);
	rc = 0;
out:
	for (size_t i = 0; i < cities.n; i++)
		free(cities.rows[i].name);
	for (size_t i = 0; i < provinces.n; i++)
		free(provinces.rows[i].name);
	free(cities.rows);
	free(provinces.rows);
	return rc;
}

static int
load_divisions(struct division_table *t, struct error *err)
{
	if (find_city(t, err) != 0)
		return -1;
	/* areas.csv: code,name,cityCode,provinceCode */
	t->code_col = 0, t->name_col = 1, t->parent_col = -1, t->city_col = 2;
	if (read_table("areas.csv", t, err) != 0)
		return -1;
	/* streets.csv: code,name,areaCode,provinceCode,cityCode */
	t->parent_col = 2, t->city_col = 4;
	return read_table("streets.csv", t, err);
}

static int
copy_forms(const char *dir, struct error *err)
{
	char *src = datafile_find("forms"), *dst = xasprintf("%s/forms", dir);
	struct formset set;
	int rc = -1;

	if (src == NULL) {
		error_set(err, ST_FAILED, _("the form files are not installed; reinstall huitou"));
		goto out;
	}
	if (formset_load_dir(src, &set, err) != 0 || dir_make(dst, err) != 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < set.n && rc == 0; i++) {
		char *path = xasprintf("%s/%s.form", dst, set.forms[i]->name);
		FILE *fp = fopen(path, "wx");

		if (fp == NULL || fputs(set.forms[i]->text, fp) == EOF)
			rc = error_set(err, ST_FAILED, _("cannot write %s"), path);
		if (fp != NULL && fclose(fp) != 0 && rc == 0)
			rc = error_set(err, ST_FAILED, _("cannot write %s"), path);
		free(path);
	}
	formset_free(&set);
out:
	free(src);
	free(dst);
	return rc;
}

static bool
store_exists_in(const char *dir)
{
	char *mark = xasprintf("%s/store/data.mdb", dir);
	bool found = path_exists(mark);

	free(mark);
	return found;
}

static int
cmd_init_exec(struct cli *cli, const struct cmd_args *args)
{
	struct division_table t = { NULL, { "", "", NULL }, NULL, 0, 0, 1, -1, 2 };
	char city[8];
	bool demo = cmd_flag(args, "demo");
	int rc = -1;

	if ((t.city = cmd_value(args, "city")) == NULL)
		return cli_usage(&cmd_init_entry);
	/* 6101 and 610100 name the same city. */
	if (strlen(t.city) == 6 && strcmp(t.city + 4, "00") == 0) {
		snprintf(city, sizeof city, "%.4s", t.city);
		t.city = city;
	}
	if (strlen(t.city) != 4 || strspn(t.city, "0123456789") != 4) {
		error_set(&cli->err, ST_REFUSED,
		    _("'%s' is not a city code: give the 4-digit GB/T 2260 code, e.g. 6101 for Xi'an"),
		    t.city);
		goto out;
	}
	if (store_exists_in(cli->dir)) {
		error_set(&cli->err, ST_REFUSED, _("%s is already a huitou data directory"), cli->dir);
		goto out;
	}
	if (load_divisions(&t, &cli->err) != 0 ||
	    store_create(cli->dir, &t.city_row, t.rows, t.n, &cli->err) != 0 ||
	    copy_forms(cli->dir, &cli->err) != 0 || cli_open(cli) != 0 ||
	    store_commit_setup(cli->store, &cli->err) != 0)
		goto out;
	if (demo && demo_generate(cli->store, formset_find(&cli->forms, "institution"),
	    DEMO_INSTITUTIONS, 1, &cli->err) != 0)
		goto out;
	printf(_("created %s for %s (%s): %zu districts, %zu streets%s\n"), cli->dir,
	    t.city_row.name, t.city, store_division_count(cli->store, DIV_DISTRICT),
	    store_division_count(cli->store, DIV_STREET), demo ? _(", with demo data") : "");
	rc = 0;
out:
	for (size_t i = 0; i < t.n; i++)
		free(t.rows[i].name);
	free(t.rows);
	free(t.city_row.name);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_init_entry = {
	"init", N_("--city CODE [--demo]"),
	N_("create a data directory for a city (GB/T 2260 code); --demo adds sample data"),
	{ { "city", true }, { "demo", false }, { NULL, false } }, 0, 0, CMD_NEEDS_NOTHING,
	cmd_init_exec,
};
