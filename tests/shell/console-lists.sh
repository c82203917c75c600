#!/usr/bin/env bash
# console-lists.sh — the black and white lists in the console at 80x24 in Chinese, on the demo
# (which published 2026-10 and made three decisions since): the screen picker opens it on this
# month's preview with the changes and their reasons, lined up by display width; Tab shows the
# publications; P asks, then publishes in one commit with its tag (git as the oracle), Enter on
# it shows what changed since 2026-10 (read from git); the decisions' table is in the picker
# too; a second P says the month is published; help lists the screen's keys.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
demo_data

g() { git --git-dir="$DATA/audit.git" "$@"; }
id=$(field MD-000001 institution)	# the demo's decision to put one on the black list
name=$(field "$id" name)
[ "$(field MD-000001 list)" = black ] || echo "Bail out! the demo's first decision is no black one"

start c TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for c "240/240" || echo "# the console did not open"
keys c S
keys c lists
keys c Enter
check_screen "the screen picker opens the lists" c "黑白名单"
check_screen "this month's preview against the last publication" c "2026-11 预览（较 2026-10）"
screen c
check_grep "a decision puts one on the black list" "$TMP/screen" "黑名单  新增  $id  ${name:0:6}"
check_grep "the counts" "$TMP/screen" "白名单 101（+1 -2），黑名单 15（+1 -0）"
check_grep "the decision's reason" "$TMP/screen" "决定 MD-000001：暗访查"
# The columns line up in display columns: the id column starts at the same place on each row.
check_eq "the ids line up under their heading" 1 \
    "$(grep -E '^ (黑名单|白名单|名单)' "$TMP/screen" | awk '{ print index($0, "JG-") + 0 }' | grep -v '^0$' | sort -u | wc -l)"

keys c Tab
check_screen "Tab shows the publications" c "2026-10       GB-0001   2026-11-28  102       14"
n=$(g rev-list --count main)
keys c P
check_screen "P asks first" c "公布 2026-11（白名单"
keys c y
check_screen "published, said on the message line" c "已公布 2026-11（GB-0002），标签 lists/2026-11"
check_eq "one commit" "$((n + 1))" "$(g rev-list --count main)"
check_eq "its tag" tag "$(g cat-file -t lists/2026-11)"
check_eq "on it" "$(g rev-parse main)" "$(g rev-parse 'lists/2026-11^{commit}')"
check_grep "the commit's author is the console's user" <(g log -1 --format=%an main) "$(id -un)"
check_screen "the publications list it" c "2026-11       GB-0002   2026-11-28  101       15"
keys c j Enter
check_screen "Enter shows what changed since the one before" c "从 2026-10 到 2026-11"
check_screen "read from git: the decision's black entry" c "黑名单  新增  $id"
keys c q
check_screen "q goes back to the publications" c "GB-0002"
keys c Tab
check_screen "the preview now says the month is published" c "已经公布"
keys c P
check_screen "P again: refused with the sentence" c "已经公布"
check_eq "no commit" "$((n + 1))" "$(g rev-list --count main)"
keys c '?'
check_screen "help lists the screen's keys" c "lists.publish"
keys c q
keys c S
keys c 名单决定
keys c Enter
check_screen "the decisions' table is in the picker" c "MD-000003"
keys c Q
check_exit c "the console quits cleanly"

# ---- a district coordinator (a real Unix user, as root only): P is refused by the policy ----
if [ "$(id -u)" -ne 0 ]; then
	ok "P refused to a district coordinator # skip needs root"
	done_testing
	exit 0
fi
grp=hcl$$ dc=hcl$$dc
trap 'userdel "$dc" >/dev/null 2>&1; groupdel "$grp" >/dev/null 2>&1; tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
groupadd "$grp" && useradd -M -N -g "$grp" -s /bin/sh "$dc" || { echo "Bail out! useradd"; exit 1; }
chmod 711 "$TMP"
chgrp -R "$grp" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
"$HUITOU" -d "$DATA" new user login="$dc" name=王芳 role=district_coordinator district=雁塔区 >/dev/null
g rev-list --count main >"$TMP/n"
tm new-session -d -s d -x 80 -y 24 "runuser -u $dc -- env -i PATH=/usr/bin:/bin HOME=$TMP \
    TZ=UTC HUITOU_NOW=2026-11-28 TERM=xterm LANG=zh_CN.UTF-8 $HUITOU -d $DATA; echo \$? >$TMP/exit.d"
wait_for d "区县统筹" || echo "# the console did not open as $dc"
keys d S
keys d lists
keys d Enter
check_screen "a district coordinator sees the lists" d "黑白名单"
keys d P
check_screen "P is refused with the policy's sentence, naming the rule" d "不能修改名单公布记录：新名单公布（规则 lists-by-city）"
check_eq "nothing committed" "$(cat "$TMP/n")" "$(g rev-list --count main)"
keys d Q
done_testing
