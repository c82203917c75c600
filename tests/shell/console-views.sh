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

# A view shared with a district: a record of the view form, through the store's write path and
# its policy, in git; seen by the other users of that district, not by another district's.
if [ "$(id -u)" -ne 0 ]; then
	for what in "share a view" "in git" "seen in the district" "not seen elsewhere" \
	    "the policy" "unshare"; do
		ok "$what as other Unix users # skip needs root"
	done
else
	tag=htv$$
	d1=${tag}a d2=${tag}b d3=${tag}c
	cleanup_users() {
		for u in "$d1" "$d2" "$d3"; do userdel "$u" >/dev/null 2>&1; done
		groupdel "$tag" >/dev/null 2>&1
	}
	trap 'cleanup_users; tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
	groupadd "$tag" || echo "Bail out! groupadd"
	chmod 711 "$TMP"
	for u in "$d1" "$d2" "$d3"; do
		useradd -M -N -g "$tag" -s /bin/sh "$u" || echo "Bail out! useradd $u"
		mkdir -p "$TMP/h.$u" && chown "$u" "$TMP/h.$u"
	done
	"$HUITOU" -d "$DATA" new user login="$d1" name=王芳 role=district_coordinator district=雁塔区 >/dev/null
	"$HUITOU" -d "$DATA" new user login="$d2" name=李强 role=district_coordinator district=雁塔区 >/dev/null
	"$HUITOU" -d "$DATA" new user login="$d3" name=赵敏 role=district_coordinator district=新城区 >/dev/null
	chgrp -R "$tag" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
	start_as() {	# USER NAME: huitou run by USER, with a home of their own, in a tmux window
		tm new-session -d -s "$2" -x 80 -y 24 \
		    "runuser -u $1 -- env -i PATH=/usr/bin:/bin HOME=$TMP/h.$1 TZ=UTC HUITOU_NOW=2026-11-28 ${LSAN_OPTIONS:+LSAN_OPTIONS=$LSAN_OPTIONS} TERM=xterm LANG=zh_CN.UTF-8 $HUITOU -d $DATA; echo \$? >$TMP/exit.$2" \
		    || echo "# cannot start tmux"
	}
	start_as "$d1" s1
	wait_for s1 "240/240" || echo "# the console did not open for $d1"
	before=$(commits)
	keys s1 l 'status=rectifying' Enter : 'view save 雁塔整改' Enter : 'view share 雁塔整改' Enter
	check_screen ":view share shares the view with the user's district" s1 "视图 雁塔整改 已共享给本区县"
	keys s1 Q
	check_exit s1 "the sharer's console leaves cleanly"
	check_eq "sharing is one commit, authored by the sharer" "$((before + 1)) $d1" \
	    "$(commits) $(git_log -1 --format=%an)"
	check_eq "its subject says what was shared with whom" "共享视图 雁塔整改 给雁塔区" "$(git_log -1 --format=%s)"
	check_grep "its action is view.share" <(git_log -1 --format=%B) "Action: view.share"
	git --git-dir="$DATA/audit.git" show --format= HEAD >"$TMP/shared"
	check_grep "the view's record holds its limit" "$TMP/shared" "+limit: status=rectifying"
	check_grep "and the district, from the sharer's person record" "$TMP/shared" "+district: 610113"

	start_as "$d2" s2
	wait_for s2 "240/240" || echo "# the console did not open for $d2"
	keys s2 : 'view 雁塔整改' Enter
	check_screen "another user of the district opens the shared view" s2 "$n/240 | l: status=rectifying"
	keys s2 q : view Enter
	check_screen "the list says with whom it is shared" s2 "共享：雁塔区"
	keys s2 d
	check_screen "d on a shared view asks before it stops sharing" s2 "停止共享视图 雁塔整改？"
	keys s2 y
	check_screen "and stops sharing it" s2 "视图 雁塔整改 已停止共享"
	check_grep "in a commit of its own" <(git_log -1 --format=%B) "Action: view.unshare"
	keys s2 Q
	check_exit s2 "the second console leaves cleanly"

	"$HUITOU" -d "$DATA" set "$(git_log -1 --format='%(trailers:key=Record,valueonly)' | head -1)" \
	    active=yes >/dev/null
	start_as "$d3" s3
	wait_for s3 "240/240" || echo "# the console did not open for $d3"
	keys s3 : 'view 雁塔整改' Enter
	check_screen "a user of another district does not see it" s3 "没有名为 雁塔整改 的已存视图"
	keys s3 Q
	check_exit s3 "the third console leaves cleanly"
	run runuser -u "$d3" -- "$HUITOU" -d "$DATA" --lang zh new view name=越界 form=institution district=雁塔区
	check_status "a coordinator may not share a view with another district" 1
	check_grep "the refusal names the views rule" "$TMP/err" "（规则 views-own-district）"
fi

# A bad line is named and skipped; the good lines still apply.
printf 'columns institution name status\nbogus line\n  limit status=banned\n' >>"$views"
start x TERM=xterm-256color LANG=zh_CN.UTF-8
check_screen "a bad line of the views file is named with its line" x "views:5"
check_eq "the good lines still apply" "机构名称 办学状态" "$(header x | cut -d' ' -f1,2)"
keys x Q
check_exit x "the console leaves cleanly after a bad views file"

done_testing
