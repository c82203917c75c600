/*
 * bench-save-one.h — one save as the console makes it, for the benchmarks: the record's notes
 * set to note in one store transaction, with its audit commit.
 */
#ifndef HUITOU_BENCH_SAVE_ONE_H
#define HUITOU_BENCH_SAVE_ONE_H

#include "cli/cli.h"

int bench_save_one(struct cli *cli, const struct form *form, const char *id, const char *note);

#endif
