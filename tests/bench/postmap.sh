#!/bin/sh
# postmap benchmark: build tables from a 1,000,000-line source and run
# 100,000 "postmap -q -" lookups, with our postmap and the real one in the
# same run. Prints wall time, peak RSS and the ratio ours/real per step.
# Types: cdb always; hash and lmdb when our postmap supports them.
# Usage: tests/bench/postmap.sh [lines] [queries] [runs]   (run from the
# tree root; needs bin/postmap, /usr/sbin/postmap and /usr/bin/time). With
# runs > 1 each step runs that many times per side, alternating, and the
# medians are printed (the machine's other load shows in wall times; the
# CPU times are steadier).
set -e
LINES=${1:-1000000}
QUERIES=${2:-100000}
RUNS=${3:-1}
ROOT=$(pwd)
OURS=$ROOT/bin/postmap
REAL=/usr/sbin/postmap
[ -x "$OURS" ] || { echo "postmap.sh: $OURS not built (make build)"; exit 1; }
[ -x "$REAL" ] || { echo "postmap.sh: real postmap not installed"; exit 1; }
[ -x /usr/bin/time ] || { echo "postmap.sh: /usr/bin/time missing (apt-get install time)"; exit 1; }
W=$(mktemp -d /tmp/postmap-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir "$W/real" "$W/ours"
: > "$W/real/main.cf"
: > "$W/ours/main.cf"
awk -v n="$LINES" 'BEGIN { for (i = 0; i < n; i++) printf "key%d.example.com value-%d some text\n", i * 7919 % n, i }' > "$W/src"
awk -v n="$LINES" -v q="$QUERIES" 'BEGIN { srand(1); for (i = 0; i < q; i++) { k = int(rand() * n * 1.1); printf "key%d.example.com\n", k } }' > "$W/keys"
cp "$W/src" "$W/real/src"; cp "$W/src" "$W/ours/src"

# measure SIDE BIN ARGS... : runs in $W/SIDE, prints "seconds cpu_seconds
# maxrss_kb". The wall time comes from date +%s%N around the run (time(1)
# rounds to 10 ms, a seventh of a query run); time(1)'s own start-up is
# in it on both sides alike.
measure() {
	side=$1; shift
	t0=$(date +%s%N)
	( cd "$W/$side" && /usr/bin/time -f "%e %U %S %M" -o "$W/time.$side" "$@" > "$W/out.$side" 2> "$W/err.$side" < "${STDIN:-/dev/null}" ) || {
		echo "postmap.sh: $side failed: $*"; cat "$W/err.$side"; exit 1; }
	t1=$(date +%s%N)
	awk -v ns=$((t1 - t0)) '{ print ns / 1e9, $2 + $3, $4 }' "$W/time.$side"
}

# row LABEL ARGS... : RUNS alternating runs of each side; prints the
# median wall time, the median CPU time (user+sys) and the largest peak
# RSS of each side, and the ratios ours/real.
row() {
	label=$1; shift
	: > "$W/runs"
	i=0
	while [ $i -lt "$RUNS" ]; do
		echo "real $(measure real "$REAL" -c "$W/real" "$@")" >> "$W/runs"
		echo "ours $(measure ours "$OURS" -c "$W/ours" "$@")" >> "$W/runs"
		i=$((i + 1))
	done
	awk -v l="$label" '
		function median(list, n,   a, i, j, t) {
			n = split(list, a, " ")
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		{ w[$1] = w[$1] " " $2; c[$1] = c[$1] " " $3; if ($4 > m[$1]) m[$1] = $4 }
		END {
			rw = median(w["real"]); ow = median(w["ours"]); rc = median(c["real"]); oc = median(c["ours"])
			printf "%-12s real %6.3fs (cpu %5.2fs) %6.1f MB   ours %6.3fs (cpu %5.2fs) %6.1f MB   ratio %.2f (cpu %.2f)\n",
				l, rw, rc, m["real"] / 1024, ow, oc, m["ours"] / 1024, (rw > 0 ? ow / rw : 0), (rc > 0 ? oc / rc : 0)
		}' "$W/runs"
	if ! cmp -s "$W/out.real" "$W/out.ours"; then echo "  (outputs differ)"; fi
}

supported() {
	( cd "$W/ours" && printf 'a b\n' > probe && "$OURS" -c "$W/ours" "$1:probe" ) > /dev/null 2>&1
}

echo "postmap: $LINES source lines, $QUERIES lookups, $RUNS run(s) per side"
for type in cdb hash lmdb; do
	if ! supported $type; then
		echo "$type: not supported by our postmap yet, skipped"
		continue
	fi
	row "build $type" "$type:src"
	if [ "$type" = cdb ] && cmp -s "$W/real/src.cdb" "$W/ours/src.cdb"; then echo "  (cdb files identical)"; fi
	STDIN=$W/keys row "query $type" -q - "$type:src"
done
