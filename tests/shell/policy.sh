#!/usr/bin/env bash
# policy.sh — roles × districts enforced on every change (forms/policy.rules), with real Unix
# users: as root, users are made (and removed at exit), the data directory is shared through a
# group, and each role's allowed and refused actions are run as that user with runuser, git and
# DATA/security.log as the oracles; then a console in tmux as a district coordinator and as an
# auditor. Without root those checks are skipped; the single-user checks run always.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"

me=$(id -un)
DATA=$TMP/data
chmod 711 "$TMP"	# other users reach the data directory through it
g() { git --git-dir="$DATA/audit.git" "$@"; }
last_log() { tail -n 1 "$DATA/security.log" 2>/dev/null; }

# ---- one user: init makes them the city coordinator; nobody changes their own role ----
new_city "$DATA"
check_eq "init copies the policy beside the forms" "$(cat "$top_srcdir/forms/policy.rules")" \
    "$(cat "$DATA/forms/policy.rules")"
check_eq "init's commit holds the policy" "$(cat "$DATA/forms/policy.rules")" "$(g show main:policy.rules)"
check_eq "init registers the login that runs it as city coordinator" "RY-00001,$me,city_coordinator" \
    "$("$HUITOU" -d "$DATA" export user | sed -n 2p | cut -d, -f1,2,4)"
check_eq "in init's one commit" 1 "$(g rev-list --count main)"
run "$HUITOU" -d "$DATA" --lang zh set RY-00001 role=auditor
check_status "a city coordinator may not change their own role" 1
check_grep "the refusal names the rule, in the user's language" "$TMP/err" \
    "市级统筹 $me 不能修改自己的角色、负责区县、负责街道、在岗：RY-00001（规则 no-self-grant）"
check_eq "nothing was committed" 1 "$(g rev-list --count main)"
check_grep "the refusal is in the security log" <(last_log) "login=$me event=policy.refused 市级统筹 $me 不能修改自己的角色"
run "$HUITOU" -d "$DATA" new user login=nobody-else name=某人 role=inspector district=雁塔区
check_status "a city coordinator registers others" 0

# A change of the policy is itself in the audit record, with the next change.
printf '\n# reviewed 2026-11-28\n' >>"$DATA/forms/policy.rules"
run "$HUITOU" -d "$DATA" new institution name=甲教育培训学校 district=碑林区 category=学科类
check_status "a change after the policy was edited is saved" 0
check_eq "its commit carries the new policy" "# reviewed 2026-11-28" "$(g show main:policy.rules | tail -n 1)"
check_grep "the diff shows the policy change" <(g show --stat --format= main) "policy.rules"
printf 'rule broken\n  roles boss\n  forms *\n  scope all\n' >>"$DATA/forms/policy.rules"
run "$HUITOU" -d "$DATA" show JG-610103-000001
check_status "a policy naming an unknown role stops every command" 3
check_grep "the refusal says FILE:LINE and why" "$TMP/err" \
    "policy.rules:$(($(wc -l <"$top_srcdir/forms/policy.rules") + 4)): unknown role 'boss'"
run "$HUITOU" -d "$DATA" rebuild
check_status "a bad policy is no damaged store: rebuild refuses too" 3
check_eq "and keeps no store aside" "" "$(ls -d "$DATA"/store.before-rebuild.* 2>/dev/null)"
cp "$top_srcdir/forms/policy.rules" "$DATA/forms/policy.rules"

# ---- real users: as root only ----
if [ "$(id -u)" -ne 0 ]; then
	for what in "district coordinator" "auditor" "unknown and inactive logins" "import" \
	    "revert" "console"; do
		ok "$what as another Unix user # skip needs root"
	done
	done_testing
	exit 0
fi

tag=htp$$
grp=$tag
dc=${tag}dc au=${tag}au ia=${tag}ia un=${tag}un
cleanup_users() {
	for u in "$dc" "$au" "$ia" "$un"; do userdel "$u" >/dev/null 2>&1; done
	groupdel "$grp" >/dev/null 2>&1
}
trap 'cleanup_users; tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
groupadd "$grp" || { echo "Bail out! groupadd"; exit 1; }
for u in "$dc" "$au" "$ia" "$un"; do
	useradd -M -N -g "$grp" -s /bin/sh "$u" || { echo "Bail out! useradd $u"; exit 1; }
done
as() { local u=$1; shift; run runuser -u "$u" -- "$HUITOU" -d "$DATA" --lang zh "$@"; }
count() { g rev-list --count main; }

# The data directory shared by the group: group-writable, new files keep the group.
chgrp -R "$grp" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
"$HUITOU" -d "$DATA" new user login="$dc" name=王芳 role=district_coordinator district=雁塔区 >/dev/null
"$HUITOU" -d "$DATA" new user login="$au" name=审计员 role=auditor >/dev/null
"$HUITOU" -d "$DATA" new user login="$ia" name=离岗 role=district_coordinator district=雁塔区 >/dev/null
"$HUITOU" -d "$DATA" set RY-00005 active=no >/dev/null
"$HUITOU" -d "$DATA" new institution name=启明星教育培训学校 district=新城区 category=学科类 >/dev/null
"$HUITOU" -d "$DATA" new institution name=雁塔艺术培训中心 district=雁塔区 category=非学科类 >/dev/null || echo "Bail out! new institution"
xc=JG-610102-000001 yt=JG-610113-000001

# A district coordinator of 雁塔区.
n=$(count)
as "$dc" set --reason 测试 $xc status=banned
check_status "district coordinator: setting a 新城区 institution is refused" 1
check_grep "the refusal names the rule and the record" "$TMP/err" \
    "区县统筹 $dc 只能修改本区县（雁塔区）的记录：$xc 属于新城区（规则 district-scope）"
check_eq "nothing in git" "$n" "$(count)"
check_eq "the record is as it was" licensed "$(field $xc status)"
check_grep "the security log names the user and the rule" <(last_log) \
    "login=$dc event=policy.refused 区县统筹 $dc 只能修改本区县（雁塔区）的记录：$xc 属于新城区"
as "$dc" set $yt district=新城区
check_status "district coordinator: moving a record out of the district is refused" 1
check_grep "the refusal says where it would go" "$TMP/err" "$yt 将移到新城区（规则 district-scope）"
as "$dc" new institution name=越界培训学校 district=新城区 category=学科类
check_status "district coordinator: a new record in another district is refused" 1
as "$dc" set $yt notes=已复查
check_status "district coordinator: their own district's record is saved" 0
check_eq "one commit, authored by them" "$((n + 1)) $dc" "$(count) $(g log -1 --format=%an main)"
check_eq "with the change" "已复查" "$(field $yt notes)"
as "$dc" set RY-00003 district=新城区
check_status "district coordinator: their own district is not theirs to change" 1
check_grep "the refusal names no-self-grant" "$TMP/err" "（规则 no-self-grant）"
as "$dc" set RY-00002 name=改名
check_status "district coordinator: another person's record is refused" 1
check_grep "only city coordinators keep the people" "$TMP/err" "不能修改人员记录：RY-00002（规则 people-by-city）"

# An auditor reads everything and writes nothing.
n=$(count)
as "$au" show $xc
check_status "auditor: show works" 0
as "$au" set $yt notes=审计改
check_status "auditor: changing a record is refused" 1
check_grep "the refusal names the rule" "$TMP/err" "审计 $au 不能修改校外培训机构记录：$yt（规则 auditor-read-only）"
as "$au" set RY-00004 role=city_coordinator
check_status "auditor: making themselves city coordinator is refused" 1
check_grep "by the rule that nobody grants themselves a role" "$TMP/err" "（规则 no-self-grant）"
check_eq "nothing in git" "$n" "$(count)"
check_eq "they are still an auditor" auditor "$(field RY-00004 role)"

# Unknown and inactive logins may not even read.
as "$un" show $yt
check_status "an unknown login is refused, even for show" 1
check_grep "the refusal says how to be registered" "$TMP/err" \
    "$un 未在此数据目录登记；请市级统筹添加（huitou new user login=$un"
check_grep "and is in the security log" <(last_log) "login=$un event=policy.unknown-login"
as "$un" export institution
check_status "an unknown login is refused for export" 1
check_eq "and exports nothing" "" "$(cat "$TMP/out")"
as "$ia" show $yt
check_status "an inactive login is refused, even for show" 1
check_grep "the refusal says they are not active" "$TMP/err" "$ia 在此数据目录中已不在岗（RY-00005 在岗=否）"
check_grep "and is in the security log" <(last_log) "login=$ia event=policy.inactive-login"

# An import is refused whole when one row is not the importer's to write.
printf 'name,district,category\n乙培训学校,雁塔区,学科类\n丙培训学校,新城区,学科类\n' >"$TMP/rows.csv"
chmod 644 "$TMP/rows.csv"
n=$(count)
as "$dc" import institution "$TMP/rows.csv"
check_status "import: a row of another district refuses the import" 1
check_grep "the row is named with its line" "$TMP/err" "rows.csv:3: 区县统筹 $dc 只能修改本区县（雁塔区）的记录"
check_eq "nothing was written" "3 $n" "$(rows "$DATA") $(count)"
# A row with an id in another district's shape (a moved record's) is a whole export's import,
# which is a city coordinator's: a district coordinator cannot claim 莲湖's numbers.
printf 'id,name,district,category\nJG-610104-999998,丁培训学校,雁塔区,学科类\n' >"$TMP/moved.csv"
chmod 644 "$TMP/moved.csv"
as "$dc" import institution "$TMP/moved.csv"
check_status "import: a district coordinator cannot claim another district's id" 1
check_grep "the id is named" "$TMP/err" "编号 JG-610104-999998 与该记录不符"
as "$dc" import institution "$TMP/rows.csv" --skip-bad
check_status "import --skip-bad: a row of another district still refuses the whole import" 1
check_grep "it says the import stopped at that row" "$TMP/err" "导入在第 3 行停止"
check_eq "nothing was written, not even the row of their own district" "3 $n" "$(rows "$DATA") $(count)"

# Recovering the audit record rewrites the whole store: only a role that writes everything.
as "$dc" recover --keep-store --reason 试试
check_status "recover: a district coordinator is refused" 1
check_grep "the refusal says only a role that writes every record may" "$TMP/err" "无权恢复审计记录"
check_grep "and is in the security log" <(last_log) "login=$dc event=policy.refused"
as "$au" recover --from-git
check_status "recover: an auditor is refused" 1
as "$dc" rebuild
check_status "rebuild of a working store: a district coordinator is refused" 1
check_grep "for the same reason as recover" "$TMP/err" "无权恢复审计记录"
run "$HUITOU" -d "$DATA" recover --keep-store --reason 试试
check_status "recover: the city coordinator passes the policy (nothing to recover here: 1)" 1
check_grep "and is told there is nothing to recover" "$TMP/err" "nothing to recover"

# Undo (revert) goes through the same path.
"$HUITOU" -d "$DATA" set $xc notes=市级备注 >/dev/null
c=$(g rev-parse main)
as "$dc" revert "$c"
check_status "revert of a change to another district's record is refused" 1
check_grep "naming the rule" "$TMP/err" "（规则 district-scope）"
check_eq "the note stays" 市级备注 "$(field $xc notes)"

# ---- the console, as those users ----
start_as() {	# USER NAME ENV…: huitou run by USER in a tmux window
	local u=$1 name=$2
	shift 2
	tm new-session -d -s "$name" -x "${COLS:-80}" -y "${ROWS:-24}" \
	    "runuser -u $u -- env -i PATH=/usr/bin:/bin HOME=$TMP TZ=UTC HUITOU_NOW=2026-11-28 ${LSAN_OPTIONS:+LSAN_OPTIONS=$LSAN_OPTIONS} $* $HUITOU -d $DATA; echo \$? >$TMP/exit.$name" \
	    || echo "# cannot start tmux"
}
COLS=160 start_as "$dc" d TERM=xterm LANG=zh_CN.UTF-8
check_screen "console: the status line shows the district coordinator" d "$dc 区县统筹 雁塔区"
keys d Enter
check_screen "a record of another district opens read-only" d "| 只读"
check_screen "the message names the rule" d "属于新城区（规则 district-scope）"
keys d x
check_screen "typing is refused with the rule's sentence" d "只读：区县统筹"
keys d Escape
check_screen "back to the table" d "3/3"
keys d t t t '\;' = 'notes=批量复查' Enter
check_screen ";= names the records it leaves out before it runs" d "不改（规则 district-scope）：$xc JG-610103-000001；修改其余 1 条？"
keys d y
check_screen "and runs on the rest once confirmed, saying what it left out" d "已修改 1 / 1 条记录，一次提交；2 条未改"
check_eq "the record of 雁塔区 was changed" 批量复查 "$(field $yt notes)"
check_eq "the record of 新城区 was not" 市级备注 "$(field $xc notes)"
check_eq "the batch is authored by them" "$dc" "$(g log -1 --format=%an main)"
keys d Q
check_exit d "that console leaves cleanly"

COLS=160 start_as "$au" a TERM=xterm LANG=zh_CN.UTF-8
check_screen "console: an auditor's status line" a "$au 审计"
keys a a
check_screen "a (new) is refused with the rule's sentence" a "审计 $au 不能修改校外培训机构记录：新校外培训机构（规则 auditor-read-only）"
keys a Q
check_exit a "the auditor's console leaves cleanly"

# A login made inactive while its console is open is refused at its next key, reading included.
au_id=$("$HUITOU" -d "$DATA" export user | awk -F, -v l="$au" '$2 == l { print $1 }')
rm -f "$TMP/exit.a2"
COLS=160 start_as "$au" a2 TERM=xterm LANG=zh_CN.UTF-8
check_screen "console: the auditor works" a2 "$au 审计"
"$HUITOU" -d "$DATA" set "$au_id" active=no >/dev/null
keys a2 j
for _ in $(seq 1 "$WAIT_TRIES"); do [ -s "$TMP/exit.a2" ] && break; sleep 0.1; done
check_eq "made inactive meanwhile: the console ends at the next key, refused (1)" 1 \
    "$(cat "$TMP/exit.a2" 2>/dev/null)"
check_grep "and the refusal is in the security log" <(last_log) "login=$au event=policy.inactive-login"

done_testing
