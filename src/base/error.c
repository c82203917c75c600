/*
 * error.c — errors as a status plus one human sentence. Setting an error that is already set
 * replaces it; error_prefix() adds context ("line 12: ...") in front of what a callee said.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "base.h"

int
error_setv(struct error *err, enum status st, const char *fmt, va_list ap)
{
	char *msg;

	if (err == NULL)
		return -1;
	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	free(err->message);
	err->message = msg;
	err->status = st;
	return -1;
}

int
error_set(struct error *err, enum status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_setv(err, st, fmt, ap);
	va_end(ap);
	return -1;
}

int
error_prefix(struct error *err, const char *fmt, ...)
{
	va_list ap;
	char *prefix, *msg;

	if (err == NULL || err->message == NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&prefix, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	msg = xasprintf("%s%s", prefix, err->message);
	free(prefix);
	free(err->message);
	err->message = msg;
	return -1;
}

void
error_clear(struct error *err)
{
	if (err == NULL)
		return;
	free(err->message);
	err->message = NULL;
	err->status = ST_OK;
}
