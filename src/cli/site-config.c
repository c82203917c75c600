/*
 * site-config.c — the administrator's configuration file (HUITOU_CONFIG_FILE, by default
 * SYSCONFDIR/huitou.conf) and the choice of the data directory. Installed setgid (or setuid),
 * huitou acts with its group's rights for whoever runs it; it then takes the data directory
 * and the push remotes from this file alone, reads the file only when root owns it and no one
 * else may write it, and refuses -d and HUITOU_DIR when they name another directory.
 *
 *   # comments and blank lines are ignored (read by the line-file reader, src/base/linefile.c)
 *   data = /var/lib/huitou          (or "data /var/lib/huitou")
 *   remote backup /srv/mirror/huitou.git
 *   map-size = 64M                  (the LMDB map of the store, for every process; store-mapsize.c)
 *   remote province ssh://huitou@backup.example/srv/huitou.git lag-warn 1h
 *
 * "lag-warn DURATION" (30m, 1h, 2d) makes the console's status line note the remote when
 * commits it lacks are older than that (cmd-status.c prints every remote's lag). Relocated
 * (install.sh --prefix DIR), the file is DIR/etc/huitou.conf (datafile.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

struct site_remote {
	char *name, *url;
	long lag_warn;		/* seconds, 0: none */
};

static struct site_config {
	bool loaded;
	bool present;		/* the file exists */
	struct error failed;	/* why it could not be read or was refused, every time it is asked */
	char *data;		/* NULL: the file names none */
	size_t map_size;	/* 0: the file sets none */
	struct site_remote *remotes;
	size_t n_remotes;
} site;

bool
cli_privileged(void)
{
	return getauxval(AT_SECURE) != 0 || getegid() != getgid() || geteuid() != getuid();
}

const char *
cli_site_config_path(void)
{
	static char *relocated;

	if (installed_prefix() == NULL)
		return HUITOU_CONFIG_FILE;
	if (relocated == NULL)
		relocated = xasprintf("%s/etc/huitou.conf", installed_prefix());
	return relocated;
}

static int
set_data(struct linefile *lf, const struct lf_line *ln)
{
	const char *dir = ln->n_words > 1 && str_eq(ln->words[1], "=") ? ln->words[2] :
	    ln->words[1];
	size_t want = ln->n_words > 1 && str_eq(ln->words[1], "=") ? 3 : 2;	/* "data = DIR" */

	if (ln->n_words != want || *dir != '/')
		return linefile_fail(lf, _("'data' takes one absolute path"));
	free(site.data);
	site.data = xstrdup(dir);
	return 0;
}

/* "30m", "1h", "2d", "45s" or plain seconds: > 0, else -1. */
static long
parse_duration(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || n <= 0 || n > 366L * 86400)
		return -1;
	if (*end == '\0' || str_eq(end, "s"))
		return n;
	if (str_eq(end, "m"))
		return n * 60;
	if (str_eq(end, "h"))
		return n * 3600;
	if (str_eq(end, "d"))
		return n * 86400;
	return -1;
}

/* A remote's name is a file name of DATA/pushed/ (store-replica.c): letters, digits, . _ -. */
static bool
remote_name_ok(const char *name)
{
	if (*name == '\0' || *name == '.' || strlen(name) > 64)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
	    strlen(name);
}

static int
add_remote(struct linefile *lf, const struct lf_line *ln)
{
	long warn = 0;

	if (ln->n_words != 3 && ln->n_words != 5)
		return linefile_fail(lf, _("'remote' takes a name and a URL"));
	if (!remote_name_ok(ln->words[1]))
		return linefile_fail(lf, _("remote name '%s': letters, digits, '.', '_' and '-' only"),
		    ln->words[1]);
	if (ln->n_words == 5 && (!str_eq(ln->words[3], "lag-warn") ||
	    (warn = parse_duration(ln->words[4])) < 0))
		return linefile_fail(lf, _("after the URL only 'lag-warn DURATION' (30m, 1h, 2d)"));
	site.remotes = xrealloc(site.remotes, (site.n_remotes + 1) * sizeof *site.remotes);
	site.remotes[site.n_remotes].name = xstrdup(ln->words[1]);
	site.remotes[site.n_remotes].lag_warn = warn;
	site.remotes[site.n_remotes++].url = xstrdup(ln->words[2]);
	return 0;
}

static int
set_map_size(struct linefile *lf, const struct lf_line *ln)
{
	const char *size = ln->n_words > 1 && str_eq(ln->words[1], "=") ? ln->words[2] :
	    ln->words[1];
	size_t want = ln->n_words > 1 && str_eq(ln->words[1], "=") ? 3 : 2;	/* "map-size = 64M" */
	struct error why = ERROR_INIT;
	int rc = 0;

	if (ln->n_words != want)
		return linefile_fail(lf, _("'map-size' takes one size, e.g. 64M"));
	if (store_map_size_parse(size, &site.map_size, &why) != 0)
		rc = linefile_fail(lf, "%s", why.message);
	error_clear(&why);
	return rc;
}

static int
unknown_setting(struct linefile *lf, const struct lf_line *ln)
{
	return linefile_fail(lf, _("unknown setting '%s' (known: data, remote, map-size)"),
	    ln->words[0]);
}

static const struct lf_keyword site_keys[] = {
	{ "data", set_data }, { "remote", add_remote }, { "map-size", set_map_size },
	{ NULL, unknown_setting },
};

/* Anyone who could write the file could choose the data directory of a setgid huitou. */
static int
check_trusted(int fd, struct error *err)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return error_set(err, ST_FAILED, _("cannot read %s: %s"), cli_site_config_path(),
		    strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return error_set(err, ST_FAILED,
		    _("%s is not trusted: it must be a file owned by root that no group or other user may write"),
		    cli_site_config_path());
	return 0;
}

static int
read_config(int fd, struct error *err)
{
	struct buf text = BUF_INIT;
	struct linefile lf = { .path = cli_site_config_path(), .keywords = site_keys, .err = err };
	char chunk[4096];
	ssize_t got;
	int rc;

	while ((got = read(fd, chunk, sizeof chunk)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			buf_free(&text);
			return error_set(err, ST_FAILED, _("cannot read %s: %s"), cli_site_config_path(),
			    strerror(errno));
		}
		buf_add(&text, chunk, (size_t)got);
	}
	rc = linefile_read(&lf, buf_str(&text), text.len);
	buf_free(&text);
	return rc;
}

static int
site_read(struct error *err)
{
	int fd, rc;

	fd = open(cli_site_config_path(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return 0;
	site.present = true;
	if (fd < 0)
		return error_set(err, ST_FAILED, _("cannot read %s: %s"), cli_site_config_path(),
		    strerror(errno));
	rc = check_trusted(fd, err);
	if (rc == 0)
		rc = read_config(fd, err);
	close(fd);
	return rc;
}

/* Reads the file once; its absence is no error (site.present says). A file that could not
 * be read or was refused fails every later call with the same reason. */
static int
site_load(struct error *err)
{
	if (!site.loaded) {
		site.loaded = true;
		if (site_read(&site.failed) != 0 && site.failed.status == ST_OK)
			site.failed.status = ST_FAILED;
	}
	if (site.failed.status == ST_OK)
		return 0;
	return error_set(err, site.failed.status, "%s",
	    site.failed.message != NULL ? site.failed.message : "");
}

const char *
cli_site_data(void)
{
	struct error err = ERROR_INIT;
	int rc = site_load(&err);

	error_clear(&err);
	return rc == 0 ? site.data : NULL;
}

const char *
cli_site_remote(const char *name)
{
	struct error err = ERROR_INIT;

	(void)site_load(&err);	/* an unreadable file names no remote; cli_choose_dir said why */
	error_clear(&err);
	for (size_t i = 0; i < site.n_remotes; i++)
		if (str_eq(site.remotes[i].name, name))
			return site.remotes[i].url;
	return NULL;
}

int
cli_site_remote_count(size_t *n, struct error *err)
{
	*n = 0;
	if (site_load(err) != 0)
		return -1;
	*n = site.n_remotes;
	return 0;
}

const char *
cli_site_remote_at(size_t i, const char **url, long *lag_warn)
{
	*url = site.remotes[i].url;
	*lag_warn = site.remotes[i].lag_warn;
	return site.remotes[i].name;
}

/* Whether a and b name the same directory (the same file when both exist). */
static bool
same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	return str_eq(a, b);
}

/* Setgid: the administrator's directory; what the caller named must be that one. */
static int
choose_privileged(struct cli *cli, const char *given, struct error *err)
{
	const char *env = getenv("HUITOU_DIR");	/* read to refuse it, never to use it */

	if (site_load(err) != 0)
		return -1;
	cli->dir = site.data != NULL ? site.data : HUITOU_DEFAULT_DIR;
	if (given != NULL && !same_dir(given, cli->dir))
		error_set(err, ST_USAGE,
		    _("-d %s refused: installed setgid, huitou uses only the data directory %s (set in %s)"),
		    given, cli->dir, cli_site_config_path());
	else if (env != NULL && *env != '\0' && !same_dir(env, cli->dir))
		error_set(err, ST_USAGE,
		    _("HUITOU_DIR=%s refused: installed setgid, huitou uses only the data directory %s (set in %s)"),
		    env, cli->dir, cli_site_config_path());
	else
		return 0;
	if (path_is_dir(cli->dir))
		security_log(cli->dir, "dir.refused", err->message);
	return -1;
}

/* The site's map-size is every process's, whichever directory it opens. */
static void
apply_map_size(void)
{
	struct error err = ERROR_INIT;

	if (site_load(&err) == 0 && site.map_size != 0)
		store_map_size_from_site(site.map_size);
	error_clear(&err);	/* an unreadable file sets nothing; cli_choose_dir said why */
}

int
cli_choose_dir(struct cli *cli, const char *given, struct error *err)
{
	if (cli_privileged()) {
		if (choose_privileged(cli, given, err) != 0)
			return -1;
		apply_map_size();
		return 0;
	}
	cli->dir = given != NULL ? given : cli_default_dir();
	apply_map_size();
	return 0;
}
