#!/usr/bin/env bash
# install-bench.sh measures what issue 3's Performance section asks of
# `install`, side by side with the go command, on this machine's network:
#
#   cold:  `install 1.27.3` into an empty PERF_SDK with empty module, sumdb and
#          user caches, vs `GOTOOLCHAIN=go1.27.3 go version` with an empty
#          GOMODCACHE and GOPATH (both fetch and verify the same ~76 MB zip);
#          ROUNDS rounds, the order alternating between rounds;
#   warm:  `install 1.27.3` and `toolchain:path 1.27` of the installed release,
#          with GOPROXY=off and a dead HTTP(S) proxy, so any network access
#          would fail;
#   peak RSS of every run (from /usr/bin/time -v).
#
# Targets run from a binary built once with `go tool mage -compile`, so the
# figures exclude mage's own compile step. Everything goes to a temporary
# directory (GOFLAGS=-modcacherw so it can be deleted); the machine's caches
# are not touched. Usage, from anywhere: tools/install-bench.sh [ROUNDS], or
# ROUNDS=N tools/install-bench.sh (default 3); it finds the repository root
# as the parent of tools/.
set -euo pipefail

rounds=${1:-${ROUNDS:-3}}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOFLAGS=-modcacherw
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time at /usr/bin/time for peak RSS" >&2; exit 1; }

(cd "$repo" && go tool mage -compile "$work/perfmage" >/dev/null)
echo "go: $(go version); machine: $(nproc) cores; $(date -u +%FT%TZ)"

# measure LABEL CMD...: runs CMD under GNU time, prints wall seconds (from
# date, since GNU time's %e has 10 ms steps) and peak RSS.
measure() {
	local label=$1
	shift
	local start end wall rss
	start=$(date +%s%N)
	"$TIME" -f '%M' -o "$work/time.out" "$@" >"$work/cmd.out" 2>"$work/cmd.err" ||
		{ echo "$label failed:" >&2; cat "$work/cmd.err" >&2; exit 1; }
	end=$(date +%s%N)
	wall=$(awk "BEGIN {print ($end - $start) / 1e9}")
	rss=$(awk "BEGIN {print $(cat "$work/time.out") / 1024}")
	printf '%-26s %7.3f s  %6.1f MB peak RSS\n' "$label" "$wall" "$rss"
	echo "$wall" >>"$work/$label.walls"
	echo "$rss" >>"$work/$label.rss"
}

cold_go() {
	local d=$work/go-$1
	mkdir -p "$d/empty"
	(cd "$d/empty" && GOMODCACHE=$d/modcache GOPATH=$d/gopath GOTOOLCHAIN=go1.27.3 \
		measure "cold go command" go version)
}

cold_ours() {
	local d=$work/ours-$1
	mkdir -p "$d/empty"
	(cd "$d/empty" && GOMODCACHE=$d/modcache GOPATH=$d/gopath XDG_CACHE_HOME=$d/cache PERF_SDK=$d/sdk \
		measure "cold install 1.27.3" "$work/perfmage" install 1.27.3)
}

for r in $(seq 1 "$rounds"); do
	if ((r % 2)); then cold_ours "$r"; cold_go "$r"; else cold_go "$r"; cold_ours "$r"; fi
done

median() { sort -n "$work/$1.walls" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ours=$(median "cold install 1.27.3")
theirs=$(median "cold go command")
printf 'cold median: install %.2f s, go command %.2f s, ratio %.2f (goal <= 1.0)\n' \
	"$ours" "$theirs" "$(awk "BEGIN {print $ours/$theirs}")"

# Warm: the SDK of the last cold round, no network possible.
d=$work/ours-$rounds
for i in $(seq 1 10); do
	(cd "$d/empty" && GOPROXY=off GOSUMDB=off HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
		XDG_CACHE_HOME=$d/cache PERF_SDK=$d/sdk measure "warm install 1.27.3" "$work/perfmage" install 1.27.3)
	(cd "$d/empty" && GOPROXY=off GOSUMDB=off HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
		XDG_CACHE_HOME=$d/cache PERF_SDK=$d/sdk measure "warm toolchain:path 1.27" "$work/perfmage" toolchain:path 1.27)
done >"$work/warm.log"
printf 'warm median: install %.3f s, toolchain:path %.3f s (goal < 0.100 each); worst: %.3f s, %.3f s\n' \
	"$(median "warm install 1.27.3")" "$(median "warm toolchain:path 1.27")" \
	"$(sort -n "$work/warm install 1.27.3.walls" | tail -1)" "$(sort -n "$work/warm toolchain:path 1.27.walls" | tail -1)"
printf 'peak RSS, largest run: cold install %s MB, go command %s MB, warm %s MB (goal < 100 MB for install)\n' \
	"$(sort -n "$work/cold install 1.27.3.rss" | tail -1)" "$(sort -n "$work/cold go command.rss" | tail -1)" \
	"$(cat "$work/warm install 1.27.3.rss" "$work/warm toolchain:path 1.27.rss" | sort -n | tail -1)"
