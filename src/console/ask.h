/*
 * ask.h — questions the console asks before a change is written: why (for the fields a form
 * marks "reason"), and, before a batch, how many records change with a sample of before → after.
 */
#ifndef HUITOU_CONSOLE_ASK_H
#define HUITOU_CONSOLE_ASK_H

#include "campaign/campaign.h"
#include "console/console-private.h"

/* The labels of the fields marked "reason" that differ between old and rec ("办学状态、黑白名单"),
 * or NULL when none does. Caller frees. */
char *reason_fields_changed(const struct record *old, const struct record *rec);
/* The same for the fields the assignments set. */
char *reason_fields_assigned(const struct assignments *a);
/* Asks why those fields change; 0 with *out (caller frees), -1 when none was given (Esc,
 * blank, refused): the message line then says that nothing was saved and why. */
int reason_ask(struct app *app, const char *fields, char **out);

/* The batch about to run (batch-confirm.c): how many of the allowed records change, a sample
 * of before → after above the message line, what the policy leaves out, then y/n. True for y;
 * *none set when no record would change (nothing is asked then). */
bool batch_confirm(struct app *app, const struct bulk_split *s, const struct assignments *a,
    bool *none);

#endif
