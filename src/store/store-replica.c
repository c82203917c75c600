/*
 * store-replica.c — pushes to a named remote and remembers the last one that succeeded, so
 * `huitou status` and the console can say how far each replica is behind. DATA/pushed/NAME
 * holds "commit HEX" (main's tip when the push started: what the remote surely has) and
 * "time SECONDS"; it is written whole to a temporary file renamed over it, after the push.
 * A push that fails or is killed records nothing, and the next one sends what is missing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store-private.h"

static char *
pushed_path(const struct store *store, const char *name)
{
	return xasprintf("%s/pushed/%s", store->dir, name);
}

static int
write_pushed(struct store *store, const char *name, const char *tip, time_t when,
    struct error *err)
{
	char *dir = xasprintf("%s/pushed", store->dir), *path = pushed_path(store, name);
	char *tmp = xasprintf("%s/tmp_huitou_pushed.%ld", dir, (long)getpid());
	char *text = xasprintf("commit %s\ntime %lld\n", tip, (long long)when);
	size_t len = strlen(text);
	int fd = -1, rc = dir_make(dir, err);

	if (rc == 0 && ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0660)) < 0 ||
	    write(fd, text, len) != (ssize_t)len || fsync(fd) != 0 || close(fd) != 0 ||
	    rename(tmp, path) != 0)) {
		rc = error_set(err, ST_FAILED, _("cannot record the push in %s: %s"), path,
		    strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		(void)unlink(tmp);
	}
	free(text);
	free(tmp);
	free(path);
	free(dir);
	return rc;
}

int
store_push_named(struct store *store, const char *name, const char *url, struct error *err)
{
	char tip[41];

	if (store_audit_flush(store, err) != 0 || audit_tip_hex(store->audit, tip, err) != 0 ||
	    audit_push(store->audit, url, err) != 0)
		return -1;
	fault_point("push-before-record");
	return write_pushed(store, name, tip, clock_real(), err);
}

/* The recorded push of name: commit and time, or both empty when none is recorded. */
static void
read_pushed(struct store *store, const char *name, struct store_replica_lag *lag)
{
	char *path = pushed_path(store, name);
	FILE *fp = fopen(path, "r");
	char line[128];

	lag->pushed[0] = '\0';
	lag->pushed_at = 0;
	free(path);
	if (fp == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		long long t;

		if (strncmp(line, "commit ", 7) == 0 && strlen(line) >= 7 + 40) {
			memcpy(lag->pushed, line + 7, 40);
			lag->pushed[40] = '\0';
		} else if (sscanf(line, "time %lld", &t) == 1)
			lag->pushed_at = (time_t)t;
	}
	fclose(fp);
}

int
store_replica_lag(struct store *store, const char *name, struct store_replica_lag *lag,
    struct error *err)
{
	read_pushed(store, name, lag);
	if (store->audit == NULL && audit_open(store->dir, &store->audit, err) != 0)
		return -1;
	return audit_behind(store->audit, lag->pushed, &lag->behind, &lag->behind_since, err);
}
