#!/usr/bin/env bash
# bench-casework.sh DIR [INSPECTIONS] [COMPLAINTS] — adds the evaluation's casework to a data
# directory of bench-import -k (and bench-board's orders): INSPECTIONS (default 60,000)
# inspections of its institutions, state done, dates over 2026-09..11, each of the ten checks
# failed one time in ten; COMPLAINTS (default 20,000) complaints received over 2026-09..11,
# three fifths replied (some after their deadline). Imported as CSV with `huitou import`, a
# fixed seed so two runs make the same data. Run from the build directory.
set -eu
dir=${1:?usage: bench-casework.sh DIR [INSPECTIONS] [COMPLAINTS]}
n_insp=${2:-60000}
n_comp=${3:-20000}
huitou=${top_builddir:-$(pwd)}/src/huitou
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-casework.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
h() { HUITOU_NOW=2026-11-28 "$huitou" -d "$dir" "$@"; }
h export institution --format csv >"$tmp/inst.csv"
python3 - "$tmp" "$n_insp" "$n_comp" <<'PY'
import csv, random, sys
tmp, n_insp, n_comp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = list(csv.reader(open(tmp + "/inst.csv", encoding="utf-8")))
head = rows[0]
at_id, at_district = head.index(next(h for h in head if h in ("id", "编号", "ID"))), None
for i, h in enumerate(head):
    if h in ("district", "所属区县", "District"):
        at_district = i
inst = [(r[at_id], r[at_district]) for r in rows[1:]]
rnd = random.Random(15)
checks = ["safety", "platform", "disclosure", "joint_enforcement", "licence",
          "filing_review", "rules", "unlicensed", "advertising", "moonlighting"]
def day(k):
    m = 9 + k // 30
    return "2026-%02d-%02d" % (m, 1 + k % 30)
with open(tmp + "/insp.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["institution", "district", "date", "method", "state"] + checks)
    for _ in range(n_insp):
        i = rnd.choice(inst)
        w.writerow([i[0], i[1], day(rnd.randrange(89)), "unannounced", "done"] +
                   ["fail" if rnd.random() < 0.1 else "pass" for _ in checks])
with open(tmp + "/comp.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["channel", "received", "summary", "district", "deadline", "state",
                "outcome", "reply", "replied_on"])
    for _ in range(n_comp):
        i = rnd.choice(inst)
        k = rnd.randrange(85)
        rec, dl = day(k), day(min(k + 7, 88))
        if rnd.random() < 0.6:
            rep = day(min(k + rnd.randrange(12), 88))
            w.writerow(["hotline", rec, "bench", i[1], dl, "replied", "substantiated",
                        "bench", rep])
        else:
            w.writerow(["hotline", rec, "bench", i[1], dl, "assigned", "", "", ""])
PY
h import inspection "$tmp/insp.csv"
h import complaint "$tmp/comp.csv"
echo "bench-casework: $n_insp inspections, $n_comp complaints in $dir"
