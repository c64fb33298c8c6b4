#!/usr/bin/env bash
# Cost of the rate-limit plugin: req/s through a route without it vs the same backend through a
# route with a rate limit per client address that never triggers (1000000/s), in local mode and in
# Redis mode, same Frontdesk, same run, alternating rounds. Target: local >= 0.95x plain.
#
#   bench/rate-limit.sh [ROUNDS] [SECONDS]          (after `mvn -q -DskipTests package`)
#
# Needs nginx (backend), wrk, python3, curl, redis-server. Traffic stays on 127.0.0.1.
# Environment: FD_ARGS (extra Frontdesk flags, e.g. "--access-log off"), FD_JAR (another build),
# CONNS (wrk connections, default 64).
set -euo pipefail
ROUNDS=${1:-5}
SECS=${2:-10}
CONNS=${CONNS:-64}
source "$(dirname "$0")/lib.sh"
bench_setup ratelimit nginx wrk python3 curl redis-server

BE=18480 FD=18482 ADMIN=18492 REDIS=18479
head -c 4096 /dev/zero | tr '\0' 'x' > "$W/body"
nginx_backend $BE "$W/body"
redis-server --port $REDIS --bind 127.0.0.1 --save '' --appendonly no --dir "$W" > "$W/redis.log" 2>&1 & pids+=($!)
# shellcheck disable=SC2086
start_frontdesk fd $FD $ADMIN --plugins-dir "$(dirname "$JAR")/plugins" ${FD_ARGS:-}
post() { api_post "$ADMIN" "$@"; }
post /upstreams "{\"name\":\"be\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":$BE}]}"
LIMIT='"limits":[{"key":"client-ip","rate":"1000000/s"}]'
for s in plain local redis; do
  post /sites "{\"name\":\"$s\",\"hosts\":[\"$s.test\"]}"
  post /routes "{\"name\":\"$s\",\"site\":\"$s\",\"upstream\":\"be\"}"
done
post /plugins/rate-limit/bindings "{\"scope\":\"route\",\"target\":\"local\",\"config\":{$LIMIT}}"
post /plugins/rate-limit/bindings "{\"scope\":\"route\",\"target\":\"redis\",\"config\":{$LIMIT,\"mode\":\"redis\",\"redis\":{\"url\":\"redis://127.0.0.1:$REDIS\"}}}"
sleep 1
for s in plain local redis; do
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Host: $s.test" "http://127.0.0.1:$FD/")
  [[ $code == 200 ]] || { echo "$s.test answered $code; see $W/fd.log" >&2; exit 1; }
done
curl -fsS -D - -o /dev/null -H 'Host: redis.test' "http://127.0.0.1:$FD/" | grep -i '^ratelimit:' \
  || { echo "no RateLimit header from the Redis route" >&2; exit 1; }

echo "warm-up (JIT) ..."
for s in plain local redis; do wrk -t1 -c"$CONNS" -d5s -H "Host: $s.test" "http://127.0.0.1:$FD/" > /dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  for s in plain local redis; do
    wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -H "Host: $s.test" "http://127.0.0.1:$FD/" > "$W/$s.$r"
  done
done
if grep -q "rate-limit.*unreachable" "$W/fd.log"; then
  echo "WARNING: Redis timed out during the run (decisions failed open); see $W/fd.log" >&2
fi
echo "plain: no plugin; local: rate-limit, in memory; redis: rate-limit in Redis (one script per request)"
python3 "$ROOT/bench/wrk-summary.py" "$W" plain plain local redis
