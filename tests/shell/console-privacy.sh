#!/usr/bin/env bash
# console-privacy.sh — private fields in a real terminal (tmux 80x24, zh_CN): a reader the
# read rules exclude sees 〔不公开〕 in the table and the form, "/" does not find a record by
# its phone, the history does not show it, and saving another field keeps it. The institution
# form's phone and legal representative are made private in the data directory for the test.
# Once as the city coordinator under a policy with no read rule for them (any user), and as
# root once more as a real other district's coordinator under the shipped policy.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
. "$(dirname "$0")/term.sh"
chmod 711 "$TMP"
g() { git --git-dir="$DATA/audit.git" "$@"; }
phone=13912345678 name=张三丰 yt=JG-610113-000001 xc=JG-610102-000001

new_city "$DATA"
sed -i -e '/^field phone$/,/^$/s/^  type phone$/&\n  private/' \
    -e '/^field legal_representative$/,/^$/s/^  type text$/&\n  private/' \
    "$DATA/forms/institution.form"
"$HUITOU" -d "$DATA" new institution name=雁塔艺术培训中心 district=雁塔区 category=非学科类 \
    phone=$phone legal_representative=$name >/dev/null || echo "Bail out! new institution"
"$HUITOU" -d "$DATA" new institution name=启明星教育培训学校 district=新城区 category=学科类 \
    phone=02988886666 >/dev/null
check_eq "git has neither private value" 0 "$(g log -p main | grep -c -e $phone -e $name)"

# What a reader who may not see the phone sees: the table, the form, "/" and the history.
no_phone_seen() {	# SESSION WHAT
	screen "$1"
	check_eq "$2" 0 "$(grep -c -e $phone -e $name "$TMP/screen")"
}
withheld_screens() {	# SESSION WHO
	local s=$1 who=$2
	keys "$s" c C-u "id name district phone legal_representative" Enter
	check_screen "$who: the table shows 〔不公开〕 for the phone" "$s" "雁塔区    〔不公开〕   〔不公开〕"
	no_phone_seen "$s" "$who: the phone is nowhere on the table"
	keys "$s" / $phone Enter
	check_screen "$who: / for the phone finds nothing" "$s" "未找到：$phone"
	keys "$s" / 雁塔艺术 Enter Enter
	check_screen "$who: the form shows 〔不公开〕 for the phone" "$s" "联系电话  〔不公开〕"
	check_screen "$who: and for the legal representative" "$s" "法定代表人  〔不公开〕"
	no_phone_seen "$s" "$who: the phone is nowhere on the form"
	keys "$s" F3
	check_screen "$who: the history opens" "$s" "新增校外培训机构 $yt"
	no_phone_seen "$s" "$who: and shows no phone"
	keys "$s" q
}

# ---- the city coordinator, under a policy that lets nobody read them ----
sed -i '/^rule private-city$/,/^  scope all$/d' "$DATA/forms/policy.rules"
start c TERM=xterm LANG=zh_CN.UTF-8
check_screen "console: the institutions table" c "雁塔艺术培训中心"
withheld_screens c "no read rule"
keys c Down Down Down Down Down Down Down Down Down Down Down Down Down Down 已复查 C-s
check_screen "another field of the masked form is saved" c "已保存 $yt（版本 2）"
check_screen "the form still shows 〔不公开〕" c "联系电话  〔不公开〕"
keys c Escape Q
check_exit c "the console quits cleanly"
cp "$top_srcdir/forms/policy.rules" "$DATA/forms/policy.rules"
check_eq "the save kept the phone" $phone "$(field $yt phone)"
check_eq "and the legal representative" $name "$(field $yt legal_representative)"
check_eq "and wrote the note" 已复查 "$(field $yt notes)"
check_eq "git still has neither" 0 "$(g log -p main | grep -c -e $phone -e $name)"

# ---- a real other user: another district's coordinator, under the shipped policy ----
if [ "$(id -u)" -ne 0 ]; then
	ok "another district's coordinator in the console # skip needs root"
	done_testing
	exit 0
fi
tag=htc$$
dx=${tag}dx
trap 'userdel "$dx" >/dev/null 2>&1; groupdel "$tag" >/dev/null 2>&1; tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
groupadd "$tag" && useradd -M -N -g "$tag" -s /bin/sh "$dx" || { echo "Bail out! useradd"; exit 1; }
chgrp -R "$tag" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
"$HUITOU" -d "$DATA" new user login="$dx" name=李强 role=district_coordinator district=新城区 >/dev/null
tm new-session -d -s x -x 80 -y 24 \
    "runuser -u $dx -- env -i PATH=/usr/bin:/bin HOME=$TMP TZ=UTC HUITOU_NOW=2026-11-28 ${LSAN_OPTIONS:+LSAN_OPTIONS=$LSAN_OPTIONS} TERM=xterm LANG=zh_CN.UTF-8 $HUITOU -d $DATA; echo \$? >$TMP/exit.x" \
    || echo "# cannot start tmux"
check_screen "console: the other district's coordinator" x "$dx 区县统筹 新城区"
withheld_screens x "新城区's coordinator"
keys x Escape
check_screen "their own district's phone they see" x "新城区    029-88886666"
keys x Q
check_exit x "their console quits cleanly"
done_testing
