# casework-lib.sh — helpers shared by the evaluation's tests (sourced after lib.sh): a command
# that must succeed, a CSV report's cell, and an inspection made and closed through the command
# line on $DATA.

# must ARGS…: huitou on $DATA; when it fails, a bail out on the harness's output (fd 3), which
# reaches it even when the caller throws the command's output away.
exec 3>&1
must() { "$HUITOU" -d "$DATA" "$@" || echo "Bail out! $*" >&3; }

# The ten checks passed (filing review not applicable); a CHECK=fail after it overrides one.
PASSED_CHECKS="safety=pass platform=pass disclosure=pass joint_enforcement=pass licence=pass
    filing_review=na rules=pass unlicensed=pass advertising=pass moonlighting=pass"

# csv_cell FILE ROW COLUMN: the cell of the row whose first cell is ROW, under header COLUMN.
csv_cell() {
	python3 - "$@" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
col = rows[0].index(sys.argv[3])
print(next(r[col] for r in rows[1:] if r[0] == sys.argv[2]))
PY
}

# inspect INSTITUTION DATE CHECK=VALUE…: an unannounced inspection of $DATA's INSTITUTION,
# closed with `move … done`; prints its id.
inspect() {
	local inst=$1 date=$2 id
	shift 2
	# shellcheck disable=SC2086
	id=$("$HUITOU" -d "$DATA" new inspection institution="$inst" date="$date" \
	    method=unannounced inspector=RY-00001 $PASSED_CHECKS "$@") ||
	    echo "Bail out! new inspection of $inst"
	"$HUITOU" -d "$DATA" move "$id" done >/dev/null || echo "Bail out! move $id done"
	echo "$id"
}

# open_supervision: the console on $DATA in tmux session s, switched to the supervision
# screen through the picker (S); the caller checks what it shows (term.sh sourced first).
open_supervision() {
	start s TERM=xterm-256color LANG=zh_CN.UTF-8
	wait_for s "培训机构" || echo "# the console did not start"
	keys s S
	keys s supervision
	keys s Enter
}

# row DISTRICT: that district's line of the screen last captured into $TMP/screen.
row() { grep "^ *$1 " "$TMP/screen" | head -1; }
