/*
 * store-mapsize.c — how much address space the LMDB map of a data directory reserves, the
 * most its data.mdb can hold. The site's configuration (map-size = 64M, root-owned) wins;
 * else DIR/map-size, written by "init --map-size" or "maintain --map-size", which every
 * process reads before it opens the store so all open it with the same size; else 16 GiB.
 * The file outlives a rebuild (it is beside store/, not in it). Growing it later is safe:
 * a process with the smaller map adopts the larger one (MDB_MAP_RESIZED, store-env.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store-private.h"

#define STORE_MAP_SIZE_DEFAULT ((size_t)16 << 30)	/* reserved, not used: the file is sparse */
#define STORE_MAP_SIZE_MIN ((size_t)1 << 20)

static size_t site_map_size;	/* the site configuration's; 0: it sets none */

int
store_map_size_parse(const char *text, size_t *out, struct error *err)
{
	unsigned long long n, unit = 1;
	char *end;

	errno = 0;
	n = strtoull(text, &end, 10);
	if (end != text && *end != '\0' && end[1] == '\0') {
		switch (*end) {
		case 'k': case 'K': unit = 1ULL << 10; end++; break;
		case 'm': case 'M': unit = 1ULL << 20; end++; break;
		case 'g': case 'G': unit = 1ULL << 30; end++; break;
		case 't': case 'T': unit = 1ULL << 40; end++; break;
		default: break;
		}
	}
	if (errno != 0 || end == text || *end != '\0' || *text == '-' || n == 0 ||
	    n > (unsigned long long)SIZE_MAX / unit || n * unit < STORE_MAP_SIZE_MIN)
		return error_set(err, ST_USAGE,
		    _("'%s' is not a map size: give bytes or a number with K, M, G or T, at least 1M (e.g. 64M)"),
		    text);
	*out = (size_t)(n * unit);
	return 0;
}

void
store_map_size_from_site(size_t bytes)
{
	site_map_size = bytes;
}

/* DIR/map-size's size, 0 when there is none or it is not a size. */
static size_t
read_dir_setting(const char *dir)
{
	char *path = xasprintf("%s/map-size", dir), text[64];
	struct error err = ERROR_INIT;
	size_t size = 0;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd >= 0) {
		got = read(fd, text, sizeof text - 1);
		text[got > 0 ? got : 0] = '\0';
		text[strcspn(text, " \t\r\n")] = '\0';
		if (store_map_size_parse(text, &size, &err) != 0)
			size = 0;
		close(fd);
	}
	error_clear(&err);
	free(path);
	return size;
}

size_t
store_map_size_for(const char *dir)
{
	size_t size;

	if (site_map_size != 0)
		return site_map_size;
	return (size = read_dir_setting(dir)) != 0 ? size : STORE_MAP_SIZE_DEFAULT;
}

int
store_map_size_write(const char *dir, size_t bytes, struct error *err)
{
	char *path = xasprintf("%s/map-size", dir);
	char *tmp = xasprintf("%s/map-size.%ld.tmp", dir, (long)getpid());
	char text[32];
	int fd, len = snprintf(text, sizeof text, "%zu\n", bytes), rc = 0;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0660);
	if (fd < 0 || write(fd, text, (size_t)len) != len || fsync(fd) != 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), tmp, strerror(errno));
	if (fd >= 0 && close(fd) != 0 && rc == 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), tmp, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), path, strerror(errno));
	if (rc != 0)
		(void)unlink(tmp);
	else
		rc = dir_sync(dir, err);
	free(tmp);
	free(path);
	return rc;
}

/* Rebuild's new store in TMP takes DIR's setting, so it is filled in the map it will have. */
int
store_map_size_copy(const char *dir, const char *tmp, struct error *err)
{
	size_t size = read_dir_setting(dir);

	return size != 0 ? store_map_size_write(tmp, size, err) : 0;
}

int
store_map_size_grow(struct store *store, size_t bytes, struct error *err)
{
	MDB_envinfo info;
	MDB_stat st;
	size_t used;
	char text[32];
	int rc;

	if ((rc = mdb_env_info(store->env, &info)) != 0 || (rc = mdb_env_stat(store->env, &st)) != 0)
		return store_lmdb_error(err, rc, store->dir);
	used = ((size_t)info.me_last_pgno + 1) * st.ms_psize;
	if (bytes < used)
		return error_set(err, ST_REFUSED,
		    _("a map of %zu bytes cannot hold the %zu bytes the store uses; nothing was changed"),
		    bytes, used);
	if (store_map_size_write(store->dir, bytes, err) != 0)
		return -1;
	snprintf(text, sizeof text, "%zu", bytes);
	security_log(store->dir, "store.map-size", text);
	return 0;
}
