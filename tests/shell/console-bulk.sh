#!/usr/bin/env bash
# console-bulk.sh — mutt-style bulk review in a real terminal: t tags rows, ";" applies the
# next action to the tagged rows, "=" sets fields on them as one commit (git is the oracle),
# a bad value refuses the whole batch, and ":" runs any action by name with its argument.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/term.sh"
demo_data
me=$(id -un)
id_at() { sed -n "$(($1 + 1))p" "$TMP/all.csv" | cut -d, -f1; }

start b TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for b "240/240" || echo "# the console did not open"

# Tag the first three rows; ";" then "=" sets the status of all three in one commit.
before=$(commits)
keys b t t t
check_screen "t tags rows; the status line counts them" b "已标记 3"
keys b '\;'
check_screen "; says the next action applies to the 3 tagged rows" b "下一个操作将作用于 3 个已标记行"
keys b = '办学状态=停办' Enter
check_screen "before it runs, the batch says how many records change" b "将修改 3 条记录"
keys b y '批量停办' Enter
check_screen "the bulk set reports the records changed" b "3 条记录中 3 条已修改，合为一次提交"
check_eq "the three rows are suspended" "suspended suspended suspended" \
    "$(field "$(id_at 1)" status) $(field "$(id_at 2)" status) $(field "$(id_at 3)" status)"
check_eq "the fourth row was not touched" "$(sed -n 5p "$TMP/all.csv" | cut -d, -f8)" "$(field "$(id_at 4)" status)"
check_eq "the batch is one commit" "$((before + 1))" "$(commits)"
git_log -1 --format=%B >"$TMP/msg"
check_grep "its action is record.bulk-update" "$TMP/msg" "Action: record.bulk-update"
check_eq "its subject says how many and what" "批量修改校外培训机构 3 条：办学状态=停办" "$(head -1 "$TMP/msg")"
check_eq "its Count trailer is 3" 3 "$(git_log -1 --format='%(trailers:key=Count,valueonly)' | head -1)"
check_eq "the commit changes three record files" "3" \
    "$(git --git-dir="$TMP/demo/audit.git" show --stat --format= HEAD | grep -c 'JG-')"

# A value that does not fit refuses the whole batch and names the field.
phone=$(field "$(id_at 1)" phone)
keys b '\;'
keys b = 'phone=123' Enter
check_screen "a bad value in a batch is refused, naming the field" b "联系电话"
check_eq "nothing was committed" "$((before + 1))" "$(commits)"
check_eq "the first row keeps its phone" "$phone" "$(field "$(id_at 1)" phone)"

# ";" then "t" untags every row.
keys b '\;' t
check_screen "; t untags all: the status line counts no tags" b "240/240 | $me "
screen b
check_eq "and no row is marked" 0 "$(grep -c '^\*' "$TMP/screen")"

# ":" runs actions by name: a limit with its expression, a set on the row under the cursor
# (a value with spaces kept whole), an unknown command named.
n=$(tail -n +2 "$TMP/all.csv" | cut -d, -f8 | grep -c '^banned$')
keys b : 'limit status=banned' Enter
check_screen ":limit limits the table" b "$n/240"
keys b : 'table.limit' Enter Enter
check_screen ":table.limit by its full name asks for the expression" b "240/240"
keys b g : 'set 办学地址=高新路 88 号 3 楼' Enter y
check_eq ":set sets a field of the row, spaces kept" "高新路 88 号 3 楼" "$(field "$(id_at 1)" address)"
keys b : 'set 机构名称=回头看独有名称学校' Enter y G
keys b : 'search 回头看独有' Enter
screen b
check_eq ":search finds the name just set (search keys follow changes)" "1" \
    "$(grep -c '回头看独有名称学' "$TMP/screen")"	# the name column shows 8 at 80
# c chooses the columns, by field ids or labels.
keys b c C-u 'name 整改期限 Status' Enter
screen b
check_eq "c shows the columns chosen, in that order" "机构名称 整改期限 办学状态" \
    "$(sed -n 2p "$TMP/screen" | awk '{print $1, $2, $3}')"
keys b c C-u 'name colour' Enter
check_screen "an unknown column is named and the columns stay" b "colour"
screen b
check_eq "the columns stayed" "机构名称" "$(sed -n 2p "$TMP/screen" | awk '{print $1}')"
keys b : 'frobnicate' Enter
check_screen "an unknown command is named" b "frobnicate"
keys b Q
check_exit b "the console leaves cleanly after bulk work (no leak under ASan)"

done_testing
