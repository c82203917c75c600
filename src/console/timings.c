/*
 * timings.c — how long the console takes, measured inside it: with --timings FILE (or
 * HUITOU_TIMINGS) it appends one line per event, "EVENT MICROSECONDS": first-screen (from the
 * start of main to the first full screen written), key:ACTION (a key received to the screen
 * repainted; for a prompt, from its Enter), prompt-key (one edit of a prompt to its repaint),
 * live-key (the same where each edit acts at once: incremental search) and keys-ready (from
 * the start until the table has read every record's search key). Only durations are written: never who, what was typed or which record.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console/console-private.h"

/* A setgid or setuid program must not append to files its user could not. */
static bool
privileged(void)
{
	return getuid() != geteuid() || getgid() != getegid();
}

void
timings_open(struct app *app)
{
	const char *path = app->opt->timings;
	int fd;

	if (path == NULL)
		path = secure_getenv("HUITOU_TIMINGS");
	if (path == NULL || *path == '\0')
		return;
	if (privileged()) {
		app_message(app, true, _("timings are not kept by an installed (setgid) huitou"));
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 || (app->timings = fdopen(fd, "a")) == NULL) {
		app_message(app, true, _("cannot write the timings to %s: %s"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/* One event (EVENT or EVENT:DETAIL) that began at since (clock_us); nothing when off. */
void
timings_note(struct app *app, const char *event, const char *detail, uint64_t since)
{
	if (app->timings == NULL || since == 0)
		return;
	fprintf(app->timings, "%s%s%s %" PRIu64 "\n", event, detail != NULL ? ":" : "",
	    detail != NULL ? detail : "", clock_us() - since);
	fflush(app->timings);
}

/* After endwin: a failure is said on stderr. */
void
timings_close(struct app *app)
{
	if (app->timings != NULL && fclose(app->timings) != 0)
		fprintf(stderr, _("huitou: writing the timings failed: %s\n"), strerror(errno));
	app->timings = NULL;
}
