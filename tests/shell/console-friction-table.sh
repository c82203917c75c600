#!/usr/bin/env bash
# console-friction-table.sh — issue 13's friction in the table at 80x24 in Chinese: the default
# columns fit the width with 办学状态 whole (the name shrinks first, a wider window widens it; in
# English, whose labels are wider, the name shrinks further so that Status shows),
# a wrong limit shows its error at once over the prompt that keeps its text, and ":set" on the
# row under the cursor asks before it writes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"

demo_data
id_at() { sed -n "$(($1 + 1))p" "$TMP/all.csv" | cut -d, -f1; }
col_at() { sed -n "$(($1 + 1))p" "$TMP/all.csv" | cut -d, -f"$2"; }
label() {
	case $1 in licensed) echo 持证 ;; unlicensed) echo 无证无照 ;; rectifying) echo 整改中 ;;
	suspended) echo 停办 ;; banned) echo 取缔 ;; *) echo "?$1" ;; esac
}

start a TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for a "240/240" || echo "# the console did not open"

# 1. The columns fit 80: status is the last one shown, every label and id whole.
screen a
check_eq "at 80 the header ends with 办学状态, whole" \
    "  编号              机构名称          所属区县  街道/管委会   培训类别 办学状态" \
    "$(sed -n 2p "$TMP/screen")"
want="" shown=""
for r in $(seq 1 20); do
	want="$want $(id_at "$r"):$(label "$(col_at "$r" 8)")"
	shown="$shown $(sed -n "$((r + 2))p" "$TMP/screen" | awk '{print $1 ":" $NF}')"
done
check_eq "each of the 20 rows shows its id and its status label whole" "$want" "$shown"
name=$(col_at 1 2)
check_eq "the name is what shrinks: the first row shows its first 8 characters" \
    "${name:0:8}" "$(sed -n 3p "$TMP/screen" | awk '{print $2}')"
check_grep "every category label is whole (非学科类 is not cut)" "$TMP/screen" "  非学科类 "

COLS=100 start w TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for w "240/240" || echo "# the wide console did not open"
screen w
check_eq "at 100 columns the name gets the room: the first name whole" \
    "$name" "$(sed -n 3p "$TMP/screen" | awk '{print $2}')"
check_grep "and 黑白名单 shows after 办学状态" <(sed -n 2p "$TMP/screen") "办学状态 黑白名单"
keys w Q
check_exit w "the wide console leaves cleanly"

# In English the labels are wider (Non-subject, Rectifying): at 80 the name gives up more of its
# width and the id column takes the ids' own, so that Status still shows, whole.
start e TERM=xterm-256color LANG=C.UTF-8
wait_for e "240/240" || echo "# the English console did not open"
screen e
check_eq "in English at 80 the header ends with Status" \
    "  ID               Name          District  Street        Category    Status" \
    "$(sed -n 2p "$TMP/screen")"
elabel() { case $1 in licensed) echo Licensed ;; unlicensed) echo Unlicensed ;; rectifying) echo Rectifying ;;
	suspended) echo Suspended ;; banned) echo Banned ;; *) echo "?$1" ;; esac; }
want="" shown=""
for r in $(seq 1 20); do
	want="$want $(id_at "$r"):$(elabel "$(col_at "$r" 8)")"
	shown="$shown $(sed -n "$((r + 2))p" "$TMP/screen" | awk '{print $1 ":" $NF}')"
done
check_eq "in English each row shows its id and its status whole" "$want" "$shown"
keys e Q
check_exit e "the English console leaves cleanly"

keys a 6
screen a
rows=$(grep -c '^  ZG-' "$TMP/screen")
check_eq "the orders at 80: every one of the $rows rows shows its whole deadline" "$rows" \
    "$(grep -cE '^  ZG-.* 20[0-9]{2}-[01][0-9]-[0-3][0-9] ' "$TMP/screen")"
keys a 1

# 2. A wrong limit: the error at once, over the prompt that keeps the text.
keys a l 'status=rectifyng' Enter
check_screen "l with a wrong value shows the error at once" a "“rectifyng”不是可选值"
screen a
check_eq "the prompt keeps the text to put right" "筛选：status=rectifyng" "$(sed -n 24p "$TMP/screen")"
check_grep "the error, wrapped, names the options" "$TMP/screen" "rectifying"
n=$(tail -n +2 "$TMP/all.csv" | cut -d, -f8 | grep -c '^rectifying$')
keys a BSpace BSpace ing Enter
check_screen "put right, the limit applies" a "校外培训机构 $n/240"
screen a
check_eq "and the error is gone" 0 "$(grep -c '不是可选值' "$TMP/screen")"
keys a : 'limit status=rectifyng' Enter
check_screen ":limit with a wrong value shows the error at once" a "“rectifyng”不是可选值"
screen a
check_eq ":limit's prompt keeps the text" "筛选：status=rectifyng" "$(sed -n 24p "$TMP/screen")"
keys a Escape
screen a
check_eq "Esc leaves cleanly: no error left, the message line empty" "0 " \
    "$(grep -c '不是可选值' "$TMP/screen") $(sed -n 24p "$TMP/screen")"
check_grep "and the limit before stays" "$TMP/screen" "$n/240 | l: status=rectifying"
keys a l Enter
check_screen "an empty limit shows every row again" a "240/240"

# 10. ":set" on the row under the cursor asks first; n writes nothing.
keys a g
first=$(id_at 1)
address=$(field "$first" address)
before=$(commits)
keys a : 'set 办学地址=回头新址一号' Enter
check_screen ":set on the row asks before writing" a "对 $first 设置 办学地址=回头新址一号？ (y/n)"
keys a n
check_screen "n: nothing was changed" a "未做任何修改"
check_eq "n writes nothing: the field and the commit count" "$address $before" \
    "$(field "$first" address) $(commits)"
keys a : 'set 办学地址=回头新址一号' Enter y
check_eq "y writes it, as one commit" "回头新址一号 $((before + 1))" "$(field "$first" address) $(commits)"
keys a = '办学地址=回头新址二号' Enter
check_screen "= on the row asks too" a "对 $first 设置 办学地址=回头新址二号？ (y/n)"
keys a Escape
check_eq "Esc is no" "回头新址一号 $((before + 1))" "$(field "$first" address) $(commits)"
keys a Q
check_exit a "the console leaves cleanly"

done_testing
