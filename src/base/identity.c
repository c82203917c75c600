/*
 * identity.c — who is acting: the passwd entry of the real uid. Never USER, LOGNAME or any
 * other variable: on a shared server those are whatever the caller set.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

int
identity_current(struct identity *id, struct error *err)
{
	struct passwd pw, *res = NULL;
	char buf[4096], host[256];
	uid_t uid = getuid();
	size_t gecos_len;
	int rc;

	memset(id, 0, sizeof *id);
	rc = getpwuid_r(uid, &pw, buf, sizeof buf, &res);
	if (rc != 0 || res == NULL)
		return error_set(err, ST_FAILED, _("user %u has no passwd entry: %s"), (unsigned)uid,
		    rc != 0 ? strerror(rc) : _("not found"));
	if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	gecos_len = pw.pw_gecos != NULL ? strcspn(pw.pw_gecos, ",") : 0;
	id->uid = (unsigned)uid;
	id->login = xstrdup(pw.pw_name);
	id->name = gecos_len > 0 ? xstrndup(pw.pw_gecos, gecos_len) : xstrdup(pw.pw_name);
	id->email = xasprintf("%s@%s", pw.pw_name, host);
	return 0;
}

void
identity_free(struct identity *id)
{
	free(id->login);
	free(id->name);
	free(id->email);
	memset(id, 0, sizeof *id);
}
