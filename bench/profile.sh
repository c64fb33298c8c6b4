#!/usr/bin/env bash
# CPU profile of a node under load with the default settings (access log on): JFR's execution
# samples while wrk drives 64 keep-alive connections, summarised as the top frames by self time
# and the top Frontdesk methods by inclusive time, plus collapsed stacks for a flame graph.
#
#   bench/profile.sh [SECONDS]                 (after `mvn -q -DskipTests package`)
#
# Writes bench/output/profile.jfr and bench/output/profile.collapsed (feed the latter to
# flamegraph.pl or speedscope); neither is committed. FD_ARGS adds node flags (e.g. "--access-log off");
# FILTERS=N binds N no-op filters (the bundled `headers` plugin, empty configuration) to the route.
# Needs nginx (backend), wrk, curl, python3, and the JDK's jfr tool. Traffic stays on 127.0.0.1.
set -euo pipefail
SECS=${1:-30}
OUT="$(cd "$(dirname "$0")" && pwd)/output"
mkdir -p "$OUT"
source "$(dirname "$0")/lib.sh"
jvm_flag "-XX:StartFlightRecording=filename=$OUT/profile.jfr,settings=profile,jdk.ExecutionSample#period=2ms,delay=15s,duration=${SECS}s"
bench_setup profile nginx wrk curl python3 jfr

BE=18480 FD=18482 ADMIN=18492
rm -f "$OUT/profile.jfr"
# shellcheck disable=SC2086
[[ ${FILTERS:-0} -gt 0 ]] && export FD_PLUGINS="$(dirname "$JAR")/plugins"
bench_node prof $BE $FD $ADMIN ${FD_ARGS:-}
noop_filters $ADMIN "${FILTERS:-0}"
# warm-up runs into the recording's 15 s delay; the recording then covers SECS of steady load
wrk -t1 -c"${CONNS:-64}" -d"$((SECS + 20))s" "http://127.0.0.1:$FD/" | grep -E "Requests/sec"
for i in $(seq 1 30); do [[ -s $OUT/profile.jfr ]] && break; sleep 1; done
jfr print --json --events jdk.ExecutionSample "$OUT/profile.jfr" > "$W/samples.json"
python3 - "$W/samples.json" "$OUT/profile.collapsed" <<'PY'
import json, sys, collections
events = json.load(open(sys.argv[1]))["recording"]["events"]
self_t, incl, threads, collapsed = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
def name(f):
    m = f["method"]
    return m["type"]["name"].replace("/", ".").split(".")[-1] + "." + m["name"]
for e in events:
    frames = e["values"]["stackTrace"]["frames"]
    if not frames: continue
    threads[e["values"]["sampledThread"]["javaName"] or "?"] += 1
    self_t[name(frames[0])] += 1
    seen = set()
    for f in frames:
        if f["method"]["type"]["name"].replace("/", ".").startswith("io.frontdesk") and name(f) not in seen:
            seen.add(name(f)); incl[name(f)] += 1
    collapsed[";".join(name(f) for f in reversed(frames))] += 1
n = len(events)
print(f"{n} samples")
print("\nthreads:"); [print(f"  {c*100/n:5.1f}%  {t}") for t, c in threads.most_common(8)]
print("\ntop frames (self):"); [print(f"  {c*100/n:5.1f}%  {m}") for m, c in self_t.most_common(15)]
print("\ntop Frontdesk methods (inclusive):"); [print(f"  {c*100/n:5.1f}%  {m}") for m, c in incl.most_common(15)]
with open(sys.argv[2], "w") as out:
    for stack, c in collapsed.items(): out.write(f"{stack} {c}\n")
PY
