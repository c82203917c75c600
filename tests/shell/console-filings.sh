#!/usr/bin/env bash
# console-filings.sh — an expert reviews filings in the console (tmux, 80x24, zh_CN): screen 8
# lists the filings, = writes a determination, a limit and R make a review queue of the
# filings in review, r rejects one with its reason (超前超标), e edits the next one's
# determination and reason in its form and a accepts it; each decision one commit, by the
# expert; a change of the class name in the form is refused with the policy's rule. As root
# the console runs as a real expert user (runuser); otherwise as the city coordinator, and
# the expert-only checks are skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"

DATA=$TMP/data
chmod 711 "$TMP"
hb() { "$HUITOU" -d "$DATA" "$@"; }
new_city "$DATA"
hb new institution name=启明星教育培训学校 district=雁塔区 category=学科类 >/dev/null
yt=JG-610113-000001
for c in 初二数学提高班 初三物理冲刺班; do
	hb new filing institution=$yt class_name=$c subject=数学 target=初中 >/dev/null ||
	    { echo "Bail out! new filing"; exit 1; }
done
a=BA-610113-000001 b=BA-610113-000002
last_commit() { git_log -1 --format='%an%n%s%n%b' --grep="Record: $1"; }

if [ "$(id -u)" -eq 0 ]; then
	ex=htc$$ grp=htc$$
	trap 'userdel "$ex" >/dev/null 2>&1; groupdel "$grp" >/dev/null 2>&1; tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
	groupadd "$grp" && useradd -M -N -g "$grp" -s /bin/sh -c 赵明远 "$ex" ||
	    { echo "Bail out! useradd"; exit 1; }
	chgrp -R "$grp" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
	mkdir -p "$TMP/home" && chown "$ex" "$TMP/home"
	hb new user login="$ex" name=赵明远 role=expert >/dev/null
	for f in $a $b; do
		runuser -u "$ex" -- "$HUITOU" -d "$DATA" move $f review >/dev/null ||
		    { echo "Bail out! take $f"; exit 1; }
	done
	who=$(getent passwd "$ex" | cut -d: -f5)
	tm new-session -d -s e -x 80 -y 24 \
	    "runuser -u $ex -- env -i PATH=/usr/bin:/bin HOME=$TMP/home TZ=UTC HUITOU_NOW=2026-11-28 ${LSAN_OPTIONS:+LSAN_OPTIONS=$LSAN_OPTIONS} TERM=xterm LANG=zh_CN.UTF-8 $HUITOU -d $DATA; echo \$? >$TMP/exit.e" \
	    || echo "# cannot start tmux"
	check_screen "the console opens for the expert" e "$ex 专家"
else
	ex=$(id -un)
	hb set RY-00001 name=赵明远 >/dev/null	# the reviewer the table shows, as the root run's
	for f in $a $b; do hb move $f review >/dev/null || { echo "Bail out! take $f"; exit 1; }; done
	who=$(git_log -1 --format=%an)
	start e TERM=xterm LANG=zh_CN.UTF-8
	check_screen "the console opens" e "[1] "
fi

keys e 9
check_screen "9 lists the filings" e "[9] 备案"
check_grep "with their class, expert and state" "$TMP/screen" "初二数学提高  赵明远              审核中"
keys e =
check_screen "= asks what to set" e "设置 $a："
keys e 'determination=超前超标' Enter
check_screen "and asks first" e "对 $a 设置 determination=超前超标？"
keys e y
check_screen "the determination is written" e "赵明远   超前超标   审核中"
check_eq "in the store" ahead_beyond "$(field $a determination)"

# A review queue of the filings in review.
keys e l 'state=review' Enter
keys e R
check_screen "R reviews the filings in review" e "1/2  备案 $a  审核中"
check_grep "the review line's choices" "$TMP/screen" "通过：审核通过（未超前超标）   退回：审核未通过"
n=$(commits)
keys e r
check_screen "reject asks for the reason" e "退回理由："
keys e '初二班讲授初三二次函数，超前超标' Enter
check_screen "the queue moves on" e "2/2  备案 $b  审核中"
check_eq "the first filing is rejected, the reason kept in its review" \
    "rejected 初二班讲授初三二次函数，超前超标" "$(field $a state) $(field $a review_reason)"
check_eq "one commit" $((n + 1)) "$(commits)"
check_grep "by the expert" <(last_commit $a) "$who"
check_grep "saying what happened" <(last_commit $a) "备案 $a 审核未通过"
check_grep "with the reason" <(last_commit $a) "初二班讲授初三二次函数，超前超标"
check_grep "and the action" <(last_commit $a) "Action: filing.reject"

# The second has no determination yet: accept is refused; e edits it in the form.
keys e a
check_screen "accepting without a determination is refused" e "被拒绝："
check_grep "saying what it needs" "$TMP/screen" "须先填写审核结论（determination）"
check_eq "nothing moved" review "$(field $b state)"
keys e e
check_screen "e opens the filing's form" e "[9] 备案 $b"
keys e Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
keys e Space
check_screen "the determination's choices" e "未超前超标"
keys e '未超前' Enter
keys e Tab '课程进度与九年级同步' C-s
check_screen "saved" e "已保存 $b"
check_eq "the determination and reason are written" "compliant 课程进度与九年级同步" \
    "$(field $b determination) $(field $b review_reason)"
keys e Escape
check_screen "back in the queue" e "2/2  备案 $b"
n=$(commits)
keys e a
check_screen "accept approves it" e "已决定 2/2"
check_eq "approved" approved "$(field $b state)"
check_eq "one commit" $((n + 1)) "$(commits)"
check_grep "its action" <(last_commit $b) "Action: filing.approve"
keys e q

if [ "$(id -u)" -eq 0 ]; then
	# Anything but the review is refused, naming the rule.
	keys e Enter
	check_screen "the form opens" e "[9] 备案"
	keys e Tab Tab Tab
	keys e BSpace BSpace 'X班' C-s
	check_screen "a changed class name is refused with the rule" e "规则 expert-filing-review"
	check_eq "and not saved" 初二数学提高班 "$(field $a class_name)"
	keys e Escape
	keys e y
	keys e 1 Enter
	check_screen "an institution opens read-only for the expert" e "| 只读"
else
	ok "a changed class name is refused with the rule # skip needs root"
	ok "and not saved # skip needs root"
	ok "an institution opens read-only for the expert # skip needs root"
fi
keys e Escape
keys e Q
check_exit e "Q ends huitou cleanly"
done_testing
