/*
 * draws.h — the console's spot-check draws (随机抽查, doc/draw.md): the draws' table, where a
 * announces a draw and m completes the one under the cursor, and a draw's page (Enter) with
 * its parameters, its sample in the order drawn and its teams.
 */
#ifndef HUITOU_CONSOLE_DRAWS_H
#define HUITOU_CONSOLE_DRAWS_H

#include "console/console-private.h"

/* The screen registry's opener (screens.c): the table of the draw form. */
struct view *view_draws_new(struct app *app, const char *arg, struct error *err);
/* A draw's page; NULL with err when it cannot be read. */
struct view *view_draw_new(struct app *app, const char *id, struct error *err);
/* Asks for the public value of draw id and completes it (asked y/n first); true when drawn. */
bool draws_complete(struct app *app, const char *id);

#endif
