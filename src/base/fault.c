/*
 * fault.c — named crash points. In builds configured with fault points (the default; see
 * --disable-fault-points), HUITOU_FAULT=NAME makes the process kill itself with SIGKILL when
 * it reaches fault_point(NAME), so tests can prove that every step of a write path recovers;
 * HUITOU_FAULT=NAME@N when it reaches it the Nth time (a process that saves again and again).
 */
#include "config.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

void
fault_point(const char *name)
{
#ifdef HUITOU_FAULT_POINTS
	static atomic_long hits;	/* of the point named, which is one */
	const char *want = secure_getenv("HUITOU_FAULT"), *at;
	size_t len;
	long n = 1;

	if (want == NULL)
		return;
	at = strchr(want, '@');
	len = at != NULL ? (size_t)(at - want) : strlen(want);
	if (at != NULL && (n = strtol(at + 1, NULL, 10)) < 1)
		n = 1;
	if (strlen(name) == len && strncmp(want, name, len) == 0 && atomic_fetch_add(&hits, 1) + 1 == n)
		kill(getpid(), SIGKILL);
#else
	(void)name;
#endif
}
