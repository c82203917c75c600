/*
 * fault.c — named crash points. In builds configured with fault points (the default; see
 * --disable-fault-points), HUITOU_FAULT=NAME makes the process kill itself with SIGKILL when
 * it reaches fault_point(NAME), so tests can prove that every step of a write path recovers.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "base.h"

void
fault_point(const char *name)
{
#ifdef HUITOU_FAULT_POINTS
	const char *want = secure_getenv("HUITOU_FAULT");

	if (want != NULL && str_eq(want, name))
		kill(getpid(), SIGKILL);
#else
	(void)name;
#endif
}
