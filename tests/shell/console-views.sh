#!/usr/bin/env bash
# console-views.sh — saved views at 80x24 in Chinese: a table's limit, sort and columns saved
# with ":view save", kept in the user's file, restored by ":view NAME" after a restart; the
# columns chosen with "c" kept after a restart and on a dashboard drill-down; the list of
# views (":view"), opening and deleting there; a bad line in the file named and skipped.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/term.sh"
demo_data
views=$TMP/home/.config/huitou/views
# The labels of the columns (a sort mark, v or ^, left out).
header() { screen "$1"; sed -n 2p "$TMP/screen" | sed 's/ [v^]\( \|$\)/\1/' | awk '{ print $1, $2, $3, $4 }'; }
n=$(tail -n +2 "$TMP/all.csv" | cut -d, -f8 | grep -c '^rectifying$')

start v TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for v "240/240" || echo "# the console did not open"
keys v l 'status=rectifying' Enter
keys v c C-u 'name status rectify_deadline street' Enter
keys v Right Right s s
check_screen "the table is limited and sorted by deadline, newest first" v "整改期限 v"
keys v : 'view save 逾期' Enter
check_screen ":view save says the view is saved and how to open it" v "视图 逾期 已保存"
check_grep "the view is in the user's file" "$views" "view 逾期"
check_grep "with its limit" "$views" "  limit status=rectifying"
check_grep "its sort" "$views" "  sort rectify_deadline desc"
check_grep "and its columns" "$views" "  columns name status rectify_deadline street"
check_grep "the columns chosen with c are the form's default" "$views" \
    "columns institution name status rectify_deadline street"
keys v Q
check_exit v "the console leaves cleanly"

# A restart: the default columns stay; ":view 逾期" brings back the limit, sort and columns.
start w TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for w "240/240" || echo "# the console did not open again"
check_eq "after a restart the table shows the columns chosen with c" \
    "机构名称 办学状态 整改期限 街道/管委会" "$(header w)"
keys w : 'view 逾期' Enter
check_screen ":view NAME restores the limit" w "$n/240 | l: status=rectifying"
check_screen "the title names the view" w "（视图 逾期）"
check_eq "and the columns" "机构名称 办学状态 整改期限 街道/管委会" "$(header w)"
screen w
check_eq "and the sort: deadlines newest first" \
    "$(awk -F, '$8 == "rectifying" { print $9 }' "$TMP/all.csv" | sort -r | head -20)" \
    "$(sed -n '3,22p' "$TMP/screen" | grep -o '20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]')"
keys w q
check_screen "q goes back to the whole table" w "240/240"

# A dashboard drill-down shows the columns chosen too.
keys w 2 Enter
check_screen "Enter on a district of the dashboard opens its table" w "l: district="
check_eq "with the columns chosen with c" "机构名称 办学状态 整改期限 街道/管委会" "$(header w)"
keys w 1

# The list of views: Enter opens one, d deletes it (asked first).
keys w : view Enter
check_screen ":view lists the saved views" w "已存视图 1 个"
check_screen "each with its records, who sees it and its limit" w "逾期"
screen w
check_grep "the list says the view is the user's own" "$TMP/screen" "我的"
keys w Enter
check_screen "Enter in the list opens the view" w "（视图 逾期）"
keys w q q : view Enter d
check_screen "d asks before it deletes" w "删除视图 逾期？"
keys w y
check_screen "the view is deleted" w "视图 逾期 已删除"
check_eq "and gone from the file" 0 "$(grep -c '^view ' "$views")"
check_grep "the default columns stay" "$views" "columns institution"
keys w q : 'view 逾期' Enter
check_screen "a view that is not there is named" w "没有名为 逾期 的已存视图"
keys w Q
check_exit w "the console leaves cleanly after the views"

# A bad line is named and skipped; the good lines still apply.
printf 'columns institution name status\nbogus line\n  limit status=banned\n' >>"$views"
start x TERM=xterm-256color LANG=zh_CN.UTF-8
check_screen "a bad line of the views file is named with its line" x "views:5"
check_eq "the good lines still apply" "机构名称 办学状态" "$(header x | cut -d' ' -f1,2)"
keys x Q
check_exit x "the console leaves cleanly after a bad views file"

done_testing
