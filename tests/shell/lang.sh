#!/usr/bin/env bash
# lang.sh — messages in Simplified Chinese under zh_* locales or --lang zh, English otherwise,
# whether or not the machine has generated the zh_CN locale.
. "$(dirname "$0")/lib.sh"

new_city "$TMP/d"
printf 'name,district,category\n,610113,subject\n' >"$TMP/bad.csv"

run "$HUITOU" -d "$TMP/d" import institution "$TMP/bad.csv"
check_grep "English by default: the field label" "$TMP/err" "Name (name): is required"

run "$HUITOU" --lang zh -d "$TMP/d" import institution "$TMP/bad.csv"
check_grep "--lang zh: the label in Chinese" "$TMP/err" "机构名称 (name): "
check_grep "--lang zh: the reason in Chinese" "$TMP/err" "必填"
check_no_grep "--lang zh: no English reason" "$TMP/err" "is required"

LANG=zh_CN.UTF-8 run "$HUITOU" -d "$TMP/d" import institution "$TMP/bad.csv"
check_grep "LANG=zh_CN.UTF-8 gives Chinese" "$TMP/err" "必填"
LANG=zh_CN.UTF-8 run "$HUITOU" --lang en -d "$TMP/d" import institution "$TMP/bad.csv"
check_grep "--lang en overrides a Chinese locale" "$TMP/err" "is required"

LANG=zh_CN.UTF-8 run "$HUITOU" help
check_grep "help is translated" "$TMP/out" "用法"
LANG=zh_CN.UTF-8 run "$HUITOU" -d "$TMP/d" new institution name=甲 district=610113 category=subject phone=12345
check_grep "a refused value is explained in Chinese" "$TMP/err" "联系电话 (phone): "
check_status "and refused (1)" 1

run "$HUITOU" --lang fr help
check_status "an unknown --lang is a usage error" 2

done_testing
