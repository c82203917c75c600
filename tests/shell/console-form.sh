#!/usr/bin/env bash
# console-form.sh — the record form in a real terminal: Chinese typed into a field with the
# hardware cursor at the caret, a save that becomes a git commit, a refused value that names
# its field and keeps what was typed, a pick list narrowed by pinyin, a new record, a
# conflict between two sessions resolved field by field, Esc asking first, and a resize.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/term.sh"
demo_data
# goto_field SESSION LABEL: Tab (then Shift-Tab) until the caret's line (marked '>') has the
# label.
goto_field() {
	for key in Tab BTab; do
		for _ in $(seq 1 40); do
			screen "$1"
			grep -q "^>.*$2" "$TMP/screen" && return 0
			keys "$1" "$key"
		done
	done
	echo "# no field $2 reached"
}

id=$(sed -n 2p "$TMP/all.csv" | cut -d, -f1)
name=$(field "$id" name)
# The author git must show: the passwd full name (GECOS up to its first comma), else the login.
pw=$(getent passwd "$(id -u)")
me=$(printf '%s\n' "$pw" | cut -d: -f5 | cut -d, -f1)
[ -n "$me" ] || me=${pw%%:*}

start f TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for f "240/240" || echo "# the console did not open"
keys f Enter
check_screen "Enter opens the form of the first record" f "$id"
check_screen "the form shows the name" f "$name"
screen f
check_eq "the caret starts on the name, marked" "1" "$(grep -c '^>.*机构名称' "$TMP/screen")"

# Type Chinese at the end of the name: the hardware cursor sits right after it.
keys f BSpace BSpace '学堂'
new_name="${name%??}学堂"
check_screen "what is typed shows in the field" f "$new_name"
row=$(grep -n '^>' "$TMP/screen" | cut -d: -f1)
line=$(grep '^>' "$TMP/screen")
want_x=$(python3 -c 'import sys, unicodedata
s = sys.argv[1]
print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s))' "${line%%学堂*}学堂")
check_eq "the hardware cursor is at the caret, after the Chinese typed" "$want_x $((row - 1))" "$(cursor f)"
check_screen "the status line says the change is not saved" f "未保存"

before=$(commits)
keys f C-s
check_screen "Ctrl-S saves, with the new version" f "版本 2"
check_eq "the store has the new name" "$new_name" "$(field "$id" name)"
check_eq "the save is one more git commit" "$((before + 1))" "$(commits)"
check_eq "the commit's author is the real user's passwd name" "$me" "$(git_log -1 --format=%an)"
git_log -1 --format=%B >"$TMP/msg"
check_grep "the commit says what changed, in words" "$TMP/msg" "$name→$new_name"
check_grep "the commit carries the Action trailer" "$TMP/msg" "Action: record.update"
git --git-dir="$TMP/demo/audit.git" show HEAD >"$TMP/diff"
check_grep "git show has the name line changed" "$TMP/diff" "+name: $new_name"

# A bad phone number is refused when the caret leaves the field; what was typed stays.
phone=$(field "$id" phone)
goto_field f 联系电话
keys f End
for _ in $(seq 1 16); do tm send-keys -t f BSpace; done
keys f 12345 Tab
check_screen "leaving a bad phone is refused, the message names the field" f "联系电话"
screen f
check_grep "what was typed is kept" "$TMP/screen" "12345"
check_eq "the caret stays on the phone" "1" "$(grep -c '^>.*联系电话' "$TMP/screen")"
keys f C-s
check_eq "a refused value is not saved" "$phone" "$(field "$id" phone)"
check_eq "and nothing was committed" "$((before + 1))" "$(commits)"

# Esc asks before dropping a change; n stays, y leaves.
keys f Escape
check_screen "Esc with a change asks first" f "(y/n)"
keys f n
check_screen "n keeps the form and what was typed" f "12345"
keys f Escape y
check_screen "y leaves the form for the table" f "240/240"
check_eq "the phone is still as it was" "$phone" "$(field "$id" phone)"

# A pick list narrowed by pinyin initials: the district becomes 雁塔区, the street is cleared.
keys f Enter
wait_for f "$new_name" >/dev/null
goto_field f 所属区县
keys f Space
check_screen "Space opens the district pick list" f "碑林区"
keys f y t
check_screen "typing yt narrows it to 雁塔区" f "雁塔区  610113"
screen f
check_no_grep "other districts are gone from the list" "$TMP/screen" "碑林区"
keys f Enter C-s
check_screen "the pick is saved" f "版本 3"
check_eq "the district is stored as its code" "610113" "$(field "$id" district)"
check_eq "the street outside the new district was cleared" "" "$(field "$id" street)"

# A multi-line note: Enter breaks the line inside it.
goto_field f 备注
keys f 第一行 Enter 第二行 C-s
check_screen "the note is saved" f "版本 4"
check_eq "the note keeps its line break" "第一行\\n第二行" "$(field "$id" notes)"
keys f F3
check_screen "F3 in the form opens the record's history, newest first" f "（空） -> 第一行"
keys f Escape
check_screen "Esc goes back from the history to the form" f "版本 4"

# A reference picked by searching the people: pinyin narrows the list to 杨帆 of 雁塔区.
goto_field f 责任人
screen f
check_eq "Tab goes on from the note to the last field, the responsible person" 1 \
    "$(grep -c '^>  *责任人' "$TMP/screen")"
keys f Space
check_screen "Space lists the people, with name, role and district" f "RY-00007  edu610113  杨帆  区县统筹  雁塔区"
keys f yangfan
screen f
check_grep "typing pinyin narrows the list to 杨帆" "$TMP/screen" "杨帆  区县统筹"
check_no_grep "the others are gone from it" "$TMP/screen" "王芳"
keys f Enter C-s
check_screen "the reference is saved" f "版本 5"
check_eq "the store holds the person's id" "RY-00007" "$(field "$id" responsible)"
check_grep "and git shows it" <(git --git-dir="$TMP/demo/audit.git" show HEAD) "+responsible: RY-00007"
check_grep "its subject names the field" <(git_log -1 --format=%s) "责任人"
keys f Escape

# A new record: a typed name, a picked district and category, status from its default.
before=$(commits)
keys f a
check_screen "a opens a new record's form" f "新建"
keys f 回头看测试培训学校
goto_field f 所属区县
keys f Space bei Enter
goto_field f 培训类别
keys f Space xk Enter C-s
check_screen "the new record is saved with an id from its district" f "JG-610103-"
new_id=$("$HUITOU" -d "$TMP/demo" export institution | grep '回头看测试培训学校' | cut -d, -f1)
check_eq "the new record is in the store" "JG-610103" "${new_id%-*}"
check_eq "the new record is one commit" "$((before + 1))" "$(commits)"
check_grep "its commit's action is record.create" <(git_log -1 --format=%B) "Action: record.create"
keys f Escape
check_screen "back in the table, the new record is counted" f "241/241"

# A new record refused (a credit code another has) keeps no id; fixed, it saves.
taken=$(field "$id" credit_code)
keys f a 重复代码测试学校
goto_field f 统一社会信用代码
keys f "$taken"
goto_field f 所属区县
keys f Space bei Enter
goto_field f 培训类别
keys f Space xk Enter C-s
check_screen "a credit code another record has is refused, naming the record that has it" f "已被 $id 使用"
screen f
check_grep "the refused new record still waits for its id" "$TMP/screen" "（保存时分配）"
goto_field f 统一社会信用代码
keys f C-u End
for _ in $(seq 1 18); do tm send-keys -t f BSpace; done
keys f C-s
check_screen "without the code it saves" f "版本 1"
check_eq "and is in the store" "1" "$("$HUITOU" -d "$DATA" export institution | grep -c '重复代码测试学校')"
keys f Escape
check_screen "the table counts it" f "242/242"

# Two sessions edit one record; the second to save chooses, field by field.
id2=$(sed -n 3p "$TMP/all.csv" | cut -d, -f1)
rep=$(field "$id2" legal_representative)
start g TERM=xterm LANG=C.UTF-8
check_screen "a second console opens on the same records" g "242/242"
keys g j Enter
keys f j Enter
wait_for g "$id2" >/dev/null
wait_for f "$id2" >/dev/null
keys g End 'X' C-s		# g changes the name and saves first
check_screen "the first session saves" g "version 2"
goto_field f 法定代表人
keys f End '甲' C-s		# f changes the legal representative from version 1
check_screen "the second save shows a conflict" f "他人的值"
check_screen "with both values of the name" f "您的值"
screen f
check_grep "their name is shown" "$TMP/screen" "$(field "$id2" name)"
check_grep "your legal representative is shown" "$TMP/screen" "$rep甲"
keys f C-s
check_screen "saving the choice writes version 3" f "版本 3"
check_eq "their name is kept" "X" "$(field "$id2" name | tail -c 2)"
check_eq "your legal representative is kept" "$rep甲" "$(field "$id2" legal_representative)"
check_eq "both saves are in git, one after the other" "3" "$(git_log --format=%s -- "$(git --git-dir="$TMP/demo/audit.git" ls-tree -r --name-only HEAD | grep "/$id2\$")" | wc -l)"

# Again, but now the other value is chosen in each field: Space on the name keeps yours (their
# new name is dropped), Tab then Space on the legal representative keeps theirs (your change
# is dropped); F2 saves the choice.
name3=$(field "$id2" name)
keys g Escape
wait_for g "242/242" >/dev/null
keys g Enter
wait_for g "version 3" >/dev/null
keys g End 'Y' C-s
check_screen "the first session saves again" g "version 4"
goto_field f 法定代表人
keys f End '乙' C-s
check_screen "the second save meets a conflict again" f "他人的值"
screen f
check_grep "at first their name is chosen" "$TMP/screen" "[x] 他人的值: ${name3}Y"
check_grep "and your legal representative" "$TMP/screen" "[x] 您的值: $rep甲乙"
keys f Space
check_screen "Space on the name chooses yours" f "[x] 您的值: $name3"
screen f
check_grep "and unchooses theirs" "$TMP/screen" "[ ] 他人的值: ${name3}Y"
keys f Tab Space
check_screen "Tab then Space on the legal representative chooses theirs" f "[x] 他人的值: $rep甲"
screen f
check_grep "and unchooses yours" "$TMP/screen" "[ ] 您的值: $rep甲乙"
keys f F2
check_screen "F2 saves the choice as version 5" f "版本 5"
check_eq "your name is kept, theirs dropped" "$name3" "$(field "$id2" name)"
check_eq "their legal representative is kept, yours dropped" "$rep甲" "$(field "$id2" legal_representative)"
check_eq "the form shows what was saved" 1 "$(grep -c "^>.*法定代表人.*$rep甲 *\$" "$TMP/screen")"

# A resize keeps the form and the caret; too small says so; larger comes back.
tm resize-window -t f -x 100 -y 30
check_screen "a resized form is drawn again" f "法定代表人"
tm resize-window -t f -x 60 -y 20
check_screen "a window too small says so" f "80x24"
tm resize-window -t f -x 80 -y 24
check_screen "back to 80x24, the form returns" f "$id2"
screen f
check_eq "the caret's field is still marked" "1" "$(grep -c '^>.*法定代表人' "$TMP/screen")"
keys f Escape Q
keys g Escape Q
check_exit f "the first session leaves cleanly (no leak under ASan)"
check_exit g "the second session leaves cleanly"

done_testing
