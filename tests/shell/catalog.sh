#!/usr/bin/env bash
# catalog.sh — every message the sources mark for translation (_() and N_()) has a Chinese
# translation in po/zh_CN.po that is not fuzzy, so no sentence reaches a Chinese user in
# English because a change forgot the catalog (`make update-po`, then translate). The
# messages are taken from the sources as they are now, as update-po takes them.
. "$(dirname "$0")/lib.sh"

cd "$top_srcdir" || exit 1
xgettext --from-code=UTF-8 -k_ -kN_ -o "$TMP/now.pot" --package-name=huitou src/*/*.c src/*/*.h 2>"$TMP/err"
check_eq "xgettext reads the sources" 0 "$?"
msgmerge -q -o "$TMP/merged.po" po/zh_CN.po "$TMP/now.pot" 2>"$TMP/err"
check_eq "msgmerge merges the catalog" 0 "$?"
missing() {	# FLAG: the msgids msgattrib selects with it, one a line
	msgattrib "$1" --no-obsolete --no-wrap "$TMP/merged.po" | sed -n 's/^msgid "\(..*\)"$/\1/p'
}
check_eq "every message is translated" "" "$(missing --untranslated)"
check_eq "no translation is fuzzy (a message changed since it was translated)" "" \
    "$(missing --only-fuzzy)"
check_eq "the catalog compiles, formats checked" 0 \
    "$(msgfmt -c -o /dev/null "$TMP/merged.po" 2>"$TMP/err"; echo $?)"
done_testing
