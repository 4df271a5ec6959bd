#!/usr/bin/env bash
# hold-100k.sh: the 100,000-held-sockets recipe of scenarios/README.md, with
# memory measured. Starts SERVERS `gatecrash serve --reuseport` processes on
# 127.0.0.1:3900 and `gatecrash run SCENARIO --workers WORKERS`, samples the
# resident memory (VmRSS) of every process each 2 s, and prints the peak sums
# and the peak of established server-side sockets. Every process it starts
# is stopped by its PID on exit.
#   deploy/hold-100k.sh [SCENARIO] (env: GATECRASH, SERVERS, WORKERS, OUT)
set -euo pipefail
scenario=${1:-hold-100k}
bin=${GATECRASH:-gatecrash}
servers=${SERVERS:-6}
workers=${WORKERS:-6}
out=${OUT:-hold-100k.results.json}
dir=$(mktemp -d)
printf '%s' 'gatecrash-hold-100k-secret-for-tests-only' >"$dir/secret"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
descendants() {
	local c
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do echo "$c"; descendants "$c"; done
}

for i in $(seq 1 "$servers"); do
	"$bin" serve --reuseport --addr 127.0.0.1:3900 --metrics-addr "" --audit-log "" \
		--jwt-secret-file "$dir/secret" >"$dir/serve$i.log" 2>&1 &
	pids+=($!)
done
serverPids=("${pids[@]}")
for _ in $(seq 50); do
	ss -Htln 'sport = :3900' | grep -q . && break
	sleep 0.1
done

"$bin" run "$scenario" --workers "$workers" --progress lines -o "$out" &
runPid=$!
pids+=("$runPid")
peakSrv=0 peakGen=0 peakEst=0
while kill -0 "$runPid" 2>/dev/null; do
	s=0; for p in "${serverPids[@]}"; do s=$((s + $(rss "$p"))); done
	g=$(rss "$runPid"); for p in $(descendants "$runPid"); do g=$((g + $(rss "$p"))); done
	e=$(ss -Htn state established 'sport = :3900' | wc -l)
	((s > peakSrv)) && peakSrv=$s
	((g > peakGen)) && peakGen=$g
	((e > peakEst)) && peakEst=$e
	sleep 2
done
rc=0; wait "$runPid" || rc=$?
hwmSrv=0; for p in "${serverPids[@]}"; do hwmSrv=$((hwmSrv + $(hwm "$p"))); done
echo "run exit code: $rc"
echo "peak established server-side sockets: $peakEst"
echo "peak RSS, servers (sum of ${servers}): $((peakSrv / 1024)) MiB (sum of VmHWM: $((hwmSrv / 1024)) MiB)"
echo "peak RSS, generator (coordinator + ${workers} workers): $((peakGen / 1024)) MiB"
if ((peakEst > 0)); then
	echo "per socket: server $((peakSrv * 1024 / peakEst)) B, generator $((peakGen * 1024 / peakEst)) B"
fi
exit "$rc"
