#!/usr/bin/env bash
# console-batch500.sh — a coordinator's bulk review at a scale the demo does not reach, in a
# real terminal (tmux, 80x24, Chinese; issue 13's tests): T tags 500 of 620 rows by pattern,
# ";=" suspends them after the count and a sample and a reason, as ONE commit whose Count is
# 500 and whose body names exactly those 500 ids (git is the oracle); u on a row of the batch
# undoes the whole batch as one reverting commit and the store is as it was, record for record.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/term.sh"
"$HUITOU" -d "$DATA" init --city 6101 >/dev/null || { echo "Bail out! init"; exit 1; }
{
	echo "name,district,category,status"
	for i in $(seq 1 500); do echo "雁塔启明星学校$i,610113,subject,licensed"; done
	for i in $(seq 1 120); do echo "碑林博雅学校$i,610103,subject,licensed"; done
} >"$TMP/in.csv"
"$HUITOU" -d "$DATA" import institution "$TMP/in.csv" >/dev/null || { echo "Bail out! import"; exit 1; }
"$HUITOU" -d "$DATA" export institution >"$TMP/before.csv"
"$HUITOU" -d "$DATA" export institution --where 'district=610113' | tail -n +2 | cut -d, -f1 |
	sort >"$TMP/want-ids"
check_eq "(500 institutions of 雁塔区 to change)" 500 "$(wc -l <"$TMP/want-ids")"

start b TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for b "620/620" || echo "# the console did not open"
keys b T 'district=yt' Enter
check_screen "T tags the 500 rows of 雁塔区, named by its pinyin" b "已标记 500"

before=$(commits)
keys b '\;' = '办学状态=停办' Enter
check_screen "the batch says how many records change before it runs" b "将修改 500 条记录"
check_screen "with a sample before → after in labels" b "办学状态 持证→停办"
check_eq "nothing is written while it asks" "$before" "$(commits)"
keys b y
check_screen "a change of status asks why" b "修改办学状态的理由："
keys b '区教育局统一停办复查' Enter
check_screen "the batch reports the 500 records changed in one commit" b "500 条记录中 500 条已修改"
check_eq "the batch is one commit" "$((before + 1))" "$(commits)"
check_eq "its Count trailer is 500" 500 "$(git_log -1 --format='%(trailers:key=Count,valueonly)' | sed '/^$/d')"
check_eq "its Reason trailer is the reason typed" "区教育局统一停办复查" \
    "$(git_log -1 --format='%(trailers:key=Reason,valueonly)' | sed '/^$/d')"
git_log -1 --format=%b | grep -oE '^JG-[0-9]+-[0-9]+$' | sort >"$TMP/body-ids"
check_eq "its body names exactly the 500 ids of 雁塔区" "" "$(diff "$TMP/want-ids" "$TMP/body-ids")"
check_eq "the commit changes 500 record files" 500 \
    "$(git --git-dir="$DATA/audit.git" show --format= --name-only HEAD | grep -c 'JG-')"
check_eq "the store holds 500 suspended" 500 \
    "$("$HUITOU" -d "$DATA" export institution --where 'status=suspended' | tail -n +2 | wc -l)"
check_eq "and 120 licensed (碑林区 untouched)" 120 \
    "$("$HUITOU" -d "$DATA" export institution --where 'status=licensed and district=610103' | tail -n +2 | wc -l)"

# u on a row of the batch (the last: 雁塔区 sorts after 碑林区): its newest change is the batch, undone whole as one commit.
batch=$(git_log -1 --format=%H)
keys b G u
check_screen "u asks before undoing the whole batch" b "（涉及 500 条记录）？"
keys b y
check_screen "and says it is undone" b "已撤销（涉及 500 条记录）"
check_eq "the undo is one more commit" "$((before + 2))" "$(commits)"
check_eq "it names the batch it reverts" "$batch" \
    "$(git_log -1 --format='%(trailers:key=Reverts,valueonly)' | sed '/^$/d')"
check_eq "its commit changes the same 500 files back" 500 \
    "$(git --git-dir="$DATA/audit.git" show --format= --name-only HEAD | grep -c 'JG-')"
"$HUITOU" -d "$DATA" export institution >"$TMP/after.csv"
check_eq "the store is as before the batch, record for record (but each record's version)" "" \
    "$(diff <(sed 's/,[0-9]*$//' "$TMP/before.csv") <(sed 's/,[0-9]*$//' "$TMP/after.csv"))"
check_eq "each undone record's version went on (1, the batch 2, its undo 3)" 500 \
    "$(grep -c '^JG-610113-.*,3$' "$TMP/after.csv")"
check_eq "git's records are as before the batch, but their version lines" "" \
    "$(git --git-dir="$DATA/audit.git" diff "$batch^" HEAD | grep '^[-+][a-z_]*:' | grep -v '^[-+]version: ')"
run "$HUITOU" -d "$DATA" verify
check_status "verify finds the store and git agree" 0
keys b Q
check_exit b "the console leaves cleanly"
done_testing
