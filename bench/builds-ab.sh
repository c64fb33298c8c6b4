#!/usr/bin/env bash
# Two builds of Frontdesk side by side: req/s of build B over build A through the same route and
# the same nginx backend, rounds alternating A, B, A, B… so that the machine's drift hits both.
#
#   FD_JAR_A=<before>/dist/frontdesk.jar FD_JAR_B=<after>/dist/frontdesk.jar bench/builds-ab.sh [ROUNDS] [SECONDS]
#
# Needs nginx (backend), wrk, python3, curl. Traffic stays on 127.0.0.1.
# Environment: FD_ARGS (flags for both nodes, e.g. "--access-log off"), FILTERS (no-op filters on
#              the route, default 0), BODY (4096), FD_JAVA_OPTS_A / FD_JAVA_OPTS_B (JVM flags of each
#              side; none: the jar's own defaults) — the same jar twice compares JVM settings.
# shellcheck disable=SC2086
set -euo pipefail
ROUNDS=${1:-5}
SECS=${2:-10}
FILTERS=${FILTERS:-0}
BODY=${BODY:-4096}
[[ -f ${FD_JAR_A:-} && -f ${FD_JAR_B:-} ]] || { echo "set FD_JAR_A and FD_JAR_B to two frontdesk.jar files" >&2; exit 1; }
FD_JAR=$FD_JAR_A
source "$(dirname "$0")/lib.sh"
bench_setup builds-ab nginx wrk python3 curl

BE=18080 FDA=18083 FDB=18084 ADMA=18093 ADMB=18094
head -c "$BODY" /dev/zero | tr '\0' 'x' > "$W/body"
nginx_backend $BE "$W/body"
for side in A B; do
  port=FD$side admin=ADM$side jar=FD_JAR_$side
  JAR=${!jar}
  opts=FD_JAVA_OPTS_$side
  FD_JAVA_OPTS=${!opts:-}
  start_frontdesk "fd-$side" "${!port}" "${!admin}" --plugins-dir "$(dirname "$JAR")/plugins" ${FD_ARGS:-}
  a=${!admin}
  post() { api_post "$a" "$@"; }
  post /upstreams "{\"name\":\"be\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":$BE}]}"
  post /sites '{"name":"s","hosts":["s.test"]}'
  post /routes '{"name":"r","site":"s","upstream":"be"}'
  for i in $(seq 1 "$FILTERS"); do
    post /plugins/headers/bindings "{\"scope\":\"route\",\"target\":\"r\",\"priority\":$((600 + i)),\"config\":{}}"
  done
  curl -fsS -o /dev/null -H 'Host: s.test' "http://127.0.0.1:${!port}/"
done

echo "warm-up (JIT) ..."
for port in $FDA $FDB; do wrk -t1 -c64 -d10s -H 'Host: s.test' "http://127.0.0.1:$port/" > /dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  wrk -t1 -c64 -d"${SECS}s" --latency -H 'Host: s.test' "http://127.0.0.1:$FDA/" > "$W/A.$r"
  wrk -t1 -c64 -d"${SECS}s" --latency -H 'Host: s.test' "http://127.0.0.1:$FDB/" > "$W/B.$r"
done
echo "A: $FD_JAR_A ${FD_JAVA_OPTS_A:-}"
echo "B: $FD_JAR_B ${FD_JAVA_OPTS_B:-}"
echo "$FILTERS no-op filters on the route; flags: ${FD_ARGS:-(defaults)}"
python3 "$ROOT/bench/wrk-summary.py" "$W" A A B
