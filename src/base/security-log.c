/*
 * security-log.c — DIR/security.log: one line for each refusal and each trust event (a policy
 * refusal, writes stopped because the store and git disagree, a backlog of audit commits, a
 * recovery). Auditors read it beside the git history. Lines are appended with O_APPEND in one
 * write, so lines of concurrent processes never interleave; data in them is escaped, so the
 * log never carries a control character to an auditor's terminal.
 *
 * Best effort: what is logged stands or falls with the action, never the other way round, so
 * a log that cannot be written (a full disk) costs its line only; the action's own message and
 * exit status say what happened.
 *
 * Line: ISO time (real clock), uid=N login=NAME event=EVENT, then the detail, e.g.
 *   2026-12-02T06:20:00+0000 uid=1001 login=wang event=policy.refused JG-610102-000003: …
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base.h"

static void
add_line(struct buf *line, const char *event, const char *detail)
{
	struct identity id;
	struct error err = ERROR_INIT;
	char when[32], *flat;

	clock_format_iso(time(NULL), when);	/* the real clock: HUITOU_NOW pins rules only */
	buf_printf(line, "%s uid=%u login=", when, (unsigned)getuid());
	if (identity_current(&id, &err) == 0) {
		width_escape_controls(line, id.login);
		identity_free(&id);
	} else
		buf_adds(line, "?");
	error_clear(&err);
	buf_adds(line, " event=");
	width_escape_controls(line, event);
	buf_addc(line, ' ');
	flat = xstrdup(detail);		/* one line, whatever the detail holds */
	for (char *p = flat; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	width_escape_controls(line, flat);
	free(flat);
	buf_addc(line, '\n');
}

void
security_log(const char *dir, const char *event, const char *detail)
{
	char *path = xasprintf("%s/security.log", dir);
	struct buf line = BUF_INIT;
	int fd;

	add_line(&line, event, detail != NULL ? detail : "");
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0660);
	if (fd >= 0) {
		(void)!write(fd, line.data, line.len);	/* best effort, as said above */
		(void)close(fd);
	}
	buf_free(&line);
	free(path);
}
