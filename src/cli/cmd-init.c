/*
 * cmd-init.c — "huitou init --city CODE [--demo [--no-casework]]": creates a data directory for
 * one city. Its districts and streets come from the bundled GB/T 2260 table
 * (contrib/data/divisions/), its forms are copied from the shipped ones so the deployment
 * describes itself, and --demo adds a realistic sample of institutions and people, and then
 * (unless --no-casework) of inspections and rectification orders. It never touches an existing data directory, and a
 * failed init leaves nothing behind (see init_begin).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"	/* the audit lock, which orders inits too */
#include "campaign/campaign.h"
#include "campaign/casework.h"
#include "campaign/draw.h"
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

/* The casework's files beside the forms (forms/README.md): states files and deadline rules. */
static bool
is_casework_file(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && ((len > 7 && str_eq(name + len - 7, ".states")) ||
	    (len > 6 && str_eq(name + len - 6, ".rules") && !str_eq(name, "policy.rules")) ||
	    (len > 5 && str_eq(name + len - 5, ".list")));
}

static int
copy_file(const char *from, const char *to, struct error *err)
{
	struct buf text = BUF_INIT;
	FILE *fp = NULL;
	int rc = file_read_all(from, &text, err);

	if (rc == 0 && ((fp = fopen(to, "wx")) == NULL ||
	    fwrite(text.data, 1, text.len, fp) != text.len))
		rc = error_set(err, ST_FAILED, _("cannot write %s"), to);
	if (fp != NULL && fclose(fp) != 0 && rc == 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s"), to);
	buf_free(&text);
	return rc;
}

/* policy.rules is written by the store's setup (store_setup_policy), not here. */
static int
copy_casework_files(const char *src, const char *dst, struct error *err)
{
	DIR *d = opendir(src);
	struct dirent *e;
	int rc = 0;

	if (d == NULL)
		return error_set(err, ST_FAILED, _("cannot read %s"), src);
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (!is_casework_file(e->d_name))
			continue;
		char *from = xasprintf("%s/%s", src, e->d_name);
		char *to = xasprintf("%s/%s", dst, e->d_name);

		rc = copy_file(from, to, err);
		free(from);
		free(to);
	}
	closedir(d);
	return rc;
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
	if (rc == 0)
		rc = copy_casework_files(src, dst, err);
	formset_free(&set);
out:
	free(src);
	free(dst);
	return rc;
}

static int
init_demo_casework(struct cli *cli)
{
	struct casework *cw = cli_casework(cli);
	/* The complaints first: the first and last demo commits stay as they were. */
	int rc = cw != NULL ? demo_complaints(cli->store, cw, &cli->err) : -1;

	rc = rc == 0 ? demo_casework(cli->store, cw, 1, &cli->err) : rc;
	rc = rc == 0 ? demo_cases(cli->store, 1, &cli->err) : rc;
	rc = rc == 0 ? demo_filings(cli->store, 1, &cli->err) : rc;
	rc = rc == 0 ? demo_ledger(cli->store, &cli->err) : rc;
	rc = rc == 0 ? demo_lists(cli->store, cli->dir, &cli->err) : rc;
	rc = rc == 0 ? demo_draw(cli->store, &cli->err) : rc;
	casework_free(cw);
	return rc;
}

/*
 * An init is built in DIR/init.tmp and moved into DIR when it is whole, under DIR's audit
 * lock: a failed init removes init.tmp, and one found under the lock was left by a killed
 * init (a running one would hold the lock), so it is removed too.
 */
struct init_work {
	const char *dir;	/* where the data directory goes */
	char *tmp;		/* DIR/init.tmp, where it is built */
	int lock;
	bool made_dir;		/* DIR did not exist before */
};

/* What of a data directory DIR holds already: init never touches an existing one. */
static int
refuse_existing(const char *dir, struct error *err)
{
	static const char *const parts[] = { "store", "audit.git", "forms" };
	struct buf found = BUF_INIT;
	struct stat st;
	int rc = 0;

	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		char *path = xasprintf("%s/%s", dir, parts[i]);

		if (lstat(path, &st) == 0)
			buf_printf(&found, "%s%s", found.len > 0 ? ", " : "", path);
		free(path);
	}
	if (found.len > 0)
		rc = error_set(err, ST_REFUSED,
		    _("%s is already a huitou data directory (it holds %s); init leaves it as it is"),
		    dir, buf_str(&found));
	buf_free(&found);
	return rc;
}

static int
init_begin(struct cli *cli, struct init_work *w)
{
	struct stat st;

	w->dir = cli->dir;
	w->tmp = xasprintf("%s/init.tmp", w->dir);
	w->lock = -1;
	w->made_dir = stat(w->dir, &st) != 0;
	if (refuse_existing(w->dir, &cli->err) != 0)	/* before the lock file is made */
		return -1;
	if (dir_make(w->dir, &cli->err) != 0 || audit_lock(w->dir, &w->lock, &cli->err) != 0 ||
	    refuse_existing(w->dir, &cli->err) != 0)	/* again: another init may have won */
		return -1;
	if (dir_remove_tree(w->tmp) != 0 || dir_make(w->tmp, &cli->err) != 0)
		return error_set(&cli->err, ST_FAILED, _("cannot prepare %s: %s"), w->tmp,
		    strerror(errno));
	cli->dir = w->tmp;
	return 0;
}

/* Moves what init.tmp holds (its lock file aside) into DIR, the store and audit.git last;
 * on failure what was moved goes back. */
static int
move_into_place(struct init_work *w, struct error *err)
{
	static const char *const last[] = { "store", "audit.git" };
	char **names = NULL;
	size_t n = 0, moved = 0;
	DIR *d = opendir(w->tmp);
	struct dirent *e;
	int rc = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (str_eq(e->d_name, ".") || str_eq(e->d_name, "..") ||
		    str_eq(e->d_name, "audit.lock") || str_eq(e->d_name, last[0]) ||
		    str_eq(e->d_name, last[1]))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	if (d != NULL)
		closedir(d);
	names = xrealloc(names, (n + 2) * sizeof *names);
	names[n++] = xstrdup(last[0]);
	names[n++] = xstrdup(last[1]);
	for (; moved < n && rc == 0; moved++) {
		char *from = xasprintf("%s/%s", w->tmp, names[moved]);
		char *to = xasprintf("%s/%s", w->dir, names[moved]);

		if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) != 0)
			rc = error_set(err, ST_FAILED, _("cannot move %s to %s: %s"), from, to,
			    strerror(errno));
		free(from);
		free(to);
	}
	if (rc != 0)
		moved--;	/* the one that failed */
	while (rc != 0 && moved > 0) {
		char *from = xasprintf("%s/%s", w->dir, names[--moved]);
		char *to = xasprintf("%s/%s", w->tmp, names[moved]);

		(void)rename(from, to);
		free(from);
		free(to);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc == 0 ? dir_sync(w->dir, err) : rc;
}

/* The store is closed (it was opened in init.tmp) and the data directory moved in place. */
static int
init_finish(struct cli *cli, struct init_work *w)
{
	store_close(cli->store);
	cli->store = NULL;
	cli->dir = w->dir;
	return move_into_place(w, &cli->err);
}

/* Takes away init.tmp (and DIR, if init made it and nothing else is in it) unless it moved. */
static void
init_end(struct cli *cli, struct init_work *w, bool done)
{
	char *lock = xasprintf("%s/audit.lock", w->dir);

	store_close(cli->store);
	cli->store = NULL;
	cli->dir = w->dir;
	if (w->lock >= 0 && dir_remove_tree(w->tmp) != 0)
		fprintf(stderr, _("huitou: cannot remove %s: %s\n"), w->tmp, strerror(errno));
	if (!done && w->made_dir) {
		unlink(lock);
		(void)rmdir(w->dir);	/* only when empty */
	}
	audit_unlock(w->lock);
	free(lock);
	free(w->tmp);
}

static int
cmd_init_exec(struct cli *cli, const struct cmd_args *args)
{
	struct division_table t = { NULL, { "", "", NULL }, NULL, 0, 0, 1, -1, 2 };
	struct init_work w = { NULL, NULL, -1, false };
	size_t districts, streets;
	char *shown;
	char city[8];
	bool demo = cmd_flag(args, "demo"), casework = !cmd_flag(args, "no-casework");
	const char *map_size = cmd_value(args, "map-size");
	size_t map_bytes = 0;
	int rc = -1;

	if ((t.city = cmd_value(args, "city")) == NULL)
		return cli_usage(&cmd_init_entry);
	if (map_size != NULL && store_map_size_parse(map_size, &map_bytes, &cli->err) != 0)
		return cli_report(cli);
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
	if (init_begin(cli, &w) != 0)
		goto out;
	if (load_divisions(&t, &cli->err) != 0 ||
	    (map_bytes != 0 && store_map_size_write(cli->dir, map_bytes, &cli->err) != 0) ||
	    store_create(cli->dir, &t.city_row, t.rows, t.n, &cli->err) != 0 ||
	    copy_forms(cli->dir, &cli->err) != 0 || cli_open(cli) != 0 ||
	    store_commit_setup(cli->store, &cli->err) != 0)
		goto out;
	if (demo && (demo_generate(cli->store, formset_find(&cli->forms, "institution"),
	    DEMO_INSTITUTIONS, 1, &cli->err) != 0 || (casework && init_demo_casework(cli) != 0)))
		goto out;
	districts = store_division_count(cli->store, DIV_DISTRICT);
	streets = store_division_count(cli->store, DIV_STREET);
	if (init_finish(cli, &w) != 0)
		goto out;
	shown = cli_escape(cli->dir);
	printf(_("created %s for %s (%s): %zu districts, %zu streets%s\n"), shown,
	    t.city_row.name, t.city, districts, streets, demo ? _(", with demo data") : "");
	free(shown);
	rc = 0;
out:
	if (w.tmp != NULL)
		init_end(cli, &w, rc == 0);
	for (size_t i = 0; i < t.n; i++)
		free(t.rows[i].name);
	free(t.rows);
	free(t.city_row.name);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_init_entry = {
	"init", N_("--city CODE [--demo [--no-casework]] [--map-size SIZE]"),
	N_("create a data directory for a city (GB/T 2260 code); --demo adds sample data, its inspections and orders unless --no-casework"),
	{ { "city", true }, { "demo", false }, { "no-casework", false }, { "map-size", true },
	  { NULL, false }, }, 0, 0,
	CMD_NEEDS_NOTHING,
	cmd_init_exec,
};
