/*
 * unit.h — what every cmocka test program shares: TAP output (so each check is counted by the
 * test harness) and a fixed language, English, so messages can be compared.
 */
#ifndef HUITOU_UNIT_H
#define HUITOU_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"

#define UNIT_RUN(tests) \
	(cmocka_set_message_output(CM_OUTPUT_TAP), lang_init("en"), \
	 cmocka_run_group_tests(tests, NULL, NULL))

#endif
