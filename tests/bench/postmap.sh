#!/bin/sh
# postmap benchmark: build tables from a 1,000,000-line source and run
# 100,000 "postmap -q -" lookups, with our postmap and the real one in the
# same run. Prints wall time, peak RSS and the ratio ours/real per step.
# Types: cdb always; hash and lmdb when our postmap supports them.
# Usage: tests/bench/postmap.sh [lines] [queries]   (run from the tree root;
# needs bin/postmap, /usr/sbin/postmap and /usr/bin/time)
set -e
LINES=${1:-1000000}
QUERIES=${2:-100000}
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

# measure SIDE BIN ARGS... : runs in $W/SIDE, prints "seconds maxrss_kb"
measure() {
	side=$1; shift
	( cd "$W/$side" && /usr/bin/time -f "%e %M" -o "$W/time.$side" "$@" > "$W/out.$side" 2> "$W/err.$side" < "${STDIN:-/dev/null}" ) || {
		echo "postmap.sh: $side failed: $*"; cat "$W/err.$side"; exit 1; }
	cat "$W/time.$side"
}

row() {
	label=$1; shift
	r=$(measure real "$REAL" -c "$W/real" "$@")
	o=$(measure ours "$OURS" -c "$W/ours" "$@")
	echo "$r $o" | awk -v l="$label" '{ printf "%-16s real %7.2fs %7.1f MB   ours %7.2fs %7.1f MB   ratio %.2f\n", l, $1, $2/1024, $3, $4/1024, ($1 > 0 ? $3/$1 : 0) }'
	if ! cmp -s "$W/out.real" "$W/out.ours"; then echo "  (outputs differ)"; fi
}

supported() {
	( cd "$W/ours" && printf 'a b\n' > probe && "$OURS" -c "$W/ours" "$1:probe" ) > /dev/null 2>&1
}

echo "postmap: $LINES source lines, $QUERIES lookups"
for type in cdb hash lmdb; do
	if ! supported $type; then
		echo "$type: not supported by our postmap yet, skipped"
		continue
	fi
	row "build $type" "$type:src"
	if [ "$type" = cdb ] && cmp -s "$W/real/src.cdb" "$W/ours/src.cdb"; then echo "  (cdb files identical)"; fi
	STDIN=$W/keys row "query $type" -q - "$type:src"
done
