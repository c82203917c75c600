/*
 * replica-note.c — the status line's short note on replication: "backup +3 2h" when the
 * remote backup lacks 3 commits and the oldest of them is older than the remote's lag-warn
 * (the site configuration, cmd-status.c says more). The lag is read from git at most once a
 * minute, so a key never waits for it.
 */
#include "config.h"

#include <stdlib.h>

#include "console/console-private.h"

#define REPLICA_RECHECK 60	/* seconds between two readings of the lag */

/* "2h", "3d", "45m", "5s": an age in its largest unit. */
static char *
short_age(time_t s)
{
	if (s >= 86400)
		return xasprintf("%lldd", (long long)(s / 86400));
	if (s >= 3600)
		return xasprintf("%lldh", (long long)(s / 3600));
	if (s >= 60)
		return xasprintf("%lldm", (long long)(s / 60));
	return xasprintf("%llds", (long long)s);
}

/* The notes of every remote over its lag-warn, or NULL when none is. Caller frees. */
static char *
replica_note_compute(struct app *app, time_t now)
{
	struct buf note = BUF_INIT;

	for (size_t i = 0; i < app->opt->n_remotes; i++) {
		const struct console_remote *r = &app->opt->remotes[i];
		struct store_replica_lag lag;
		struct error err = ERROR_INIT;
		char *age;

		if (store_replica_lag(app->store, r->name, &lag, &err) != 0) {
			error_clear(&err);	/* no note is better than a wrong one */
			continue;
		}
		if (lag.behind == 0 || now - lag.behind_since <= r->lag_warn)
			continue;
		age = short_age(now - lag.behind_since);
		buf_printf(&note, "%s%s +%zu %s", note.len > 0 ? " " : "", r->name, lag.behind, age);
		free(age);
	}
	if (note.len == 0) {
		buf_free(&note);
		return NULL;
	}
	return buf_detach(&note);
}

const char *
replica_note(struct app *app)
{
	static char *note;
	static time_t checked;
	time_t now = clock_real();

	if (app->opt->n_remotes == 0)
		return NULL;
	if (checked == 0 || now - checked >= REPLICA_RECHECK) {
		free(note);
		note = replica_note_compute(app, now);
		checked = now;
	}
	return note;
}
