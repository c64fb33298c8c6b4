#!/usr/bin/env bash
# A backend dies under wrk load and comes back: failed requests with retries on and off.
#
#   bench/failover.sh            (after `mvn -q -DskipTests package`)
#
# Three nginx backends behind Frontdesk (active checks every 500 ms, slow start 5 s). wrk runs
# 20 s per case; at 5 s one backend is killed (kill -9), at 12 s it is started again. Prints wrk's
# errors and non-2xx answers per case, and the share of traffic the restarted backend got in the
# last 4 s (from its access log). Needs nginx, wrk, python3, curl. Traffic stays on 127.0.0.1.
set -euo pipefail
# The admin API needs a token; the node accepts this one (FRONTDESK_ADMIN_TOKEN).
export FRONTDESK_ADMIN_TOKEN=${FRONTDESK_ADMIN_TOKEN:-bench-token-$RANDOM$RANDOM$RANDOM$RANDOM}
FD_JAVA_OPTS=${FD_JAVA_OPTS:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[[ -f $ROOT/dist/frontdesk.jar ]] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
W=$(mktemp -d /tmp/fd-fail.XXXX); chmod 755 "$W"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for f in "$W"/*.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.5; rm -rf "$W"
}
trap cleanup EXIT
FD=18382 ADMIN=18392
echo ok > "$W/health"; head -c 1024 /dev/zero | tr '\0' 'x' > "$W/body"
backend() { # name port
  cat > "$W/$1.conf" <<C
master_process off; worker_processes 1; daemon off; pid $W/$1.pid; error_log $W/$1.err;
events { worker_connections 4096; }
http { log_format t '\$msec \$uri'; access_log $W/$1.access t; keepalive_requests 1000000;
  server { listen 127.0.0.1:$2; location /health { root $W; try_files /health =404; }
           location / { root $W; try_files /body =404; } } }
C
  nginx -c "$W/$1.conf" &
}
backend a 18381 && pids+=($!)
backend b 18383 && pids+=($!)
backend c 18384
# shellcheck disable=SC2086
java $FD_JAVA_OPTS -jar "$ROOT/dist/frontdesk.jar" --bind 127.0.0.1 --http-port $FD --admin-port $ADMIN \
  --data-dir "$W/data" --plugins-dir "$ROOT/dist/plugins" > "$W/fd.log" 2>&1 & pids+=($!)
for i in $(seq 1 120); do curl -fsS -o /dev/null "http://127.0.0.1:$ADMIN/readyz" 2>/dev/null && break; sleep 0.5; done
A="http://127.0.0.1:$ADMIN/api/v1"
post() { curl -sS -o "$W/post.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "$A$1" -H 'content-type: application/json' -d "$2" \
  | grep -q '^20' || { echo "POST $1 failed: $(cat "$W/post.out")" >&2; exit 1; }; }
TARGETS='[{"host":"127.0.0.1","port":18381},{"host":"127.0.0.1","port":18383},{"host":"127.0.0.1","port":18384}]'
HEALTH='{"active":{"path":"/health","intervalMs":500,"timeoutMs":400,"healthyThreshold":2,"unhealthyThreshold":2},"slowStartMs":5000}'
post /upstreams "{\"name\":\"on\",\"targets\":$TARGETS,\"healthCheck\":$HEALTH}"
post /upstreams "{\"name\":\"off\",\"targets\":$TARGETS,\"healthCheck\":$HEALTH,\"retries\":{\"attempts\":0}}"
for n in on off; do
  post /sites "{\"name\":\"$n\",\"hosts\":[\"$n.test\"]}"
  post /routes "{\"name\":\"$n\",\"site\":\"$n\",\"upstream\":\"$n\"}"
done
wrk -t1 -c64 -d5s -H 'Host: on.test' "http://127.0.0.1:$FD/" > /dev/null   # warm-up

for n in on off; do
  sleep 3  # let the restarted backend settle between cases
  : > "$W/c.access"
  wrk -t1 -c64 -d20s -H "Host: $n.test" "http://127.0.0.1:$FD/" > "$W/wrk.$n" 2>&1 &
  WRK=$!
  sleep 5; kill -9 "$(cat "$W/c.pid")"; rm -f "$W/c.pid"
  sleep 7; RESTART=$(date +%s.%N); backend c 18384; sleep 7.5
  END=$(date +%s.%N)
  wait $WRK
  python3 - "$W" "$n" "$END" "$RESTART" <<'PY'
import re, sys
w, name, end, restart = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
t = open(f"{w}/wrk.{name}").read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
sock = re.search(r"Socket errors: (.*)", t)
lines = [l.split() for l in open(f"{w}/c.access") if l.strip()]
c = [float(x[0]) for x in lines if x[1] != "/health" and float(x[0]) > restart]
recent = [x for x in c if end - 4 <= x <= end]
total = float(rps) * 4
print(f"retries {name:3}: {rps:>8} req/s, non-2xx {non2xx.group(1) if non2xx else 0}, "
      f"socket errors: {sock.group(1) if sock else 'none'}; restarted backend's share in the last 4 s "
      f"{len(recent) / total:.0%}, first proxied request {min(c) - restart:.1f} s after its restart" if c else
      f"retries {name}: {rps} req/s; the restarted backend got no traffic")
PY
done
