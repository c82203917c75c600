/*
 * clock.c — two clocks. The real one dates commits, logs and files: nothing a caller sets can
 * move it, so an audit commit's date is when it was made. "Today" is what rules see (overdue
 * deadlines, "today" in a limit); tests pin it with HUITOU_NOW (seconds since the epoch, or
 * YYYY-MM-DD), which secure_getenv keeps a setgid binary from taking from a user.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base.h"

/* Microseconds on a clock that only moves forward, for measuring how long things take. */
uint64_t
clock_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

time_t
clock_real(void)
{
	return time(NULL);
}

time_t
clock_today(void)
{
	const char *pin = secure_getenv("HUITOU_NOW");
	struct tm tm;
	char *end;

	if (pin != NULL && *pin != '\0') {
		long long v = strtoll(pin, &end, 10);

		if (*end == '\0')
			return (time_t)v;
		memset(&tm, 0, sizeof tm);
		if (strptime(pin, "%Y-%m-%d", &tm) != NULL) {
			tm.tm_hour = 12;
			return timegm(&tm);
		}
	}
	return time(NULL);
}

time_t
clock_now(void)
{
	return clock_today();
}

void
clock_format_date(time_t t, char out[11])
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void
clock_format_iso(time_t t, char out[32])
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S%z", &tm);
}
