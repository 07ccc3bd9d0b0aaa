#!/bin/sh
# make bench: each benchmark runs ours and the real Postfix side by side in
# the same run and prints both figures and the ratio.
set -e
cd "$(dirname "$0")/.."
found=0
for b in tests/bench/*.sh; do
	[ -x "$b" ] || continue
	found=1
	echo "== $b"
	"$b"
done
[ "$found" = 1 ] || echo "bench: no benchmarks yet"
