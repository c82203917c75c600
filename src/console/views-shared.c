/*
 * views-shared.c — views shared with a district: records of the view form, written through
 * the store's one write path (its policy, the audit commit), seen by every user of the
 * sharer's district.
 */
#include "config.h"

#include "console/views.h"

void
views_share(struct app *app, const char *name)
{
	(void)name;
	app_message(app, true, _("sharing views is not built yet"));
}

void
views_unshare(struct app *app, const struct saved_view *v)
{
	(void)v;
	app_message(app, true, _("sharing views is not built yet"));
}
