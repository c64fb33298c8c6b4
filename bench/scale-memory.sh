#!/usr/bin/env bash
# Where the memory goes at 10,000 busy keep-alive connections: a node with the default settings
# (access log on) under wrk -c CONNS for SECS seconds; prints the peak resident memory of the node
# and of the launcher JVM (the one `java -jar` started, when the jar started a second JVM), and,
# at the end of the load, the JVM's native memory summary (NMT), the heap's live size and its
# biggest classes (jmap -histo:live), so the per-connection cost can be traced.
#
#   bench/scale-memory.sh [CONNS] [SECS]        (default 10000 30; after `mvn -q -DskipTests package`)
#
# FD_JAVA_OPTS / JAVA_OPTS as in lib.sh. Needs nginx, wrk, jcmd. Traffic stays on 127.0.0.1.
set -euo pipefail
CONNS=${1:-10000}
SECS=${2:-30}
source "$(dirname "$0")/lib.sh"
jvm_flag -XX:NativeMemoryTracking=summary
bench_setup scalemem nginx wrk jcmd
ulimit -n 200000 2>/dev/null || ulimit -n 65536 2>/dev/null || true

BE=18680 FD=18682 ADMIN=18692
# shellcheck disable=SC2086
bench_node scalemem $BE $FD $ADMIN ${FD_ARGS:-}
LAUNCHER=${pids[-1]}
wrk -t2 -c64 -d10s "http://127.0.0.1:$FD/" > /dev/null   # warm-up (JIT)
hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
before=$(rss "$JVM")
wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 10s "http://127.0.0.1:$FD/" > "$W/wrk" 2>&1 &
WRK=$!
sleep $((SECS * 2 / 3))
jcmd "$JVM" VM.native_memory summary > "$W/nmt"
pmap -x "$JVM" | sort -k3 -n -r | head -25 > "$W/pmap"
jcmd "$JVM" GC.heap_info > "$W/heap"
jcmd "$JVM" GC.class_histogram > "$W/histo" 2>/dev/null || true   # a full GC: what is live
jcmd "$JVM" GC.heap_info > "$W/heap.live"
wait $WRK || true
grep -E "Requests/sec|Socket errors|Non-2xx" "$W/wrk" || true
node=$(hwm "$JVM"); launcher=0
[[ $LAUNCHER != "$JVM" ]] && launcher=$(hwm "$LAUNCHER")
echo "peak RSS: node $((node / 1024)) MiB (idle before the load $((before / 1024))), launcher $((launcher / 1024)) MiB, total $(((node + launcher) / 1024)) MiB"
grep -E "^-|committed" "$W/nmt" | grep -E "^-" | sed -E 's/\(reserved=[0-9]+KB, //' | awk '{print}' | head -20
cat "$W/heap"
echo "after a full GC during the load:"; grep -E "ParOldGen|PSYoungGen|used" "$W/heap.live" | head -3; head -35 "$W/histo"
