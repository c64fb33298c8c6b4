#!/usr/bin/env bash
# Cost of the filter chain: req/s through a route with 0 filters vs the same route with 5 no-op
# filters (five bindings of the bundled `headers` plugin with an empty configuration), same
# Frontdesk, same run, alternating rounds.
#
#   bench/chain-overhead.sh [ROUNDS] [SECONDS]          (after `mvn -q -DskipTests package`)
#
# Needs nginx (backend), wrk, python3, curl. Traffic stays on 127.0.0.1.
# Environment: FD_ARGS (extra Frontdesk flags, e.g. "--access-log off"), FD_JAR (another build).
set -euo pipefail
ROUNDS=${1:-5}
SECS=${2:-10}
FILTERS=${FILTERS:-5}
source "$(dirname "$0")/lib.sh"
bench_setup chain nginx wrk python3 curl

BE=18180 FD=18182 ADMIN=18192
head -c 4096 /dev/zero | tr '\0' 'x' > "$W/body"
nginx_backend $BE "$W/body"
# shellcheck disable=SC2086
start_frontdesk fd $FD $ADMIN --plugins-dir "$(dirname "$JAR")/plugins" ${FD_ARGS:-}
post() { api_post "$ADMIN" "$@"; }
post /upstreams "{\"name\":\"be\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":$BE}]}"
post /sites '{"name":"plain","hosts":["plain.test"]}'
post /sites '{"name":"chain","hosts":["chain.test"]}'
post /routes '{"name":"plain","site":"plain","upstream":"be"}'
post /routes '{"name":"chain","site":"chain","upstream":"be"}'
for i in $(seq 1 "$FILTERS"); do
  post /plugins/headers/bindings "{\"scope\":\"route\",\"target\":\"chain\",\"priority\":$((600 + i)),\"config\":{}}"
done
curl -fsS -o /dev/null -H 'Host: chain.test' "http://127.0.0.1:$FD/"

echo "warm-up (JIT) ..."
wrk -t1 -c64 -d10s -H 'Host: plain.test' "http://127.0.0.1:$FD/" > /dev/null
wrk -t1 -c64 -d10s -H 'Host: chain.test' "http://127.0.0.1:$FD/" > /dev/null
for r in $(seq 1 "$ROUNDS"); do
  wrk -t1 -c64 -d"${SECS}s" --latency -H 'Host: plain.test' "http://127.0.0.1:$FD/" > "$W/plain.$r"
  wrk -t1 -c64 -d"${SECS}s" --latency -H 'Host: chain.test' "http://127.0.0.1:$FD/" > "$W/chain.$r"
done
echo "plain: 0 filters; chain: $FILTERS no-op filters"
python3 "$ROOT/bench/wrk-summary.py" "$W" plain plain chain
