#!/usr/bin/env bash
# Each balancing algorithm over 3 backends, same Frontdesk, same run, rounds interleaved:
# req/s and p99 side by side, and the cost of each against round-robin.
#
#   bench/balancers.sh [ROUNDS] [SECONDS]          (after `mvn -q -DskipTests package`)
#
# Needs nginx (3 backends), wrk, python3, curl. Traffic stays on 127.0.0.1.
set -euo pipefail
# The admin API needs a token; the node accepts this one (FRONTDESK_ADMIN_TOKEN).
export FRONTDESK_ADMIN_TOKEN=${FRONTDESK_ADMIN_TOKEN:-bench-token-$RANDOM$RANDOM$RANDOM$RANDOM}
ROUNDS=${1:-3}
SECS=${2:-8}
FD_JAVA_OPTS=${FD_JAVA_OPTS:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[[ -f $ROOT/dist/frontdesk.jar ]] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
W=$(mktemp -d /tmp/fd-lb.XXXX); chmod 755 "$W"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [[ -n ${KEEP:-} ]] || rm -rf "$W"; }
trap cleanup EXIT

FD=18282 ADMIN=18292
ALGOS=(round-robin weighted-round-robin least-connections p2c consistent-hash peak-ewma)
head -c 4096 /dev/zero | tr '\0' 'x' > "$W/body"
cat > "$W/backends.conf" <<C
worker_processes 1; daemon off; pid $W/b.pid; error_log $W/b.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:18281; location / { root $W; try_files /body =404; } }
  server { listen 127.0.0.1:18283; location / { root $W; try_files /body =404; } }
  server { listen 127.0.0.1:18284; location / { root $W; try_files /body =404; } } }
C
nginx -c "$W/backends.conf" & pids+=($!)
# shellcheck disable=SC2086
java $FD_JAVA_OPTS -jar "$ROOT/dist/frontdesk.jar" --bind 127.0.0.1 --http-port $FD --admin-port $ADMIN \
  --data-dir "$W/data" --plugins-dir "$ROOT/dist/plugins" > "$W/fd.log" 2>&1 & pids+=($!)
for i in $(seq 1 120); do curl -fsS -o /dev/null "http://127.0.0.1:$ADMIN/readyz" 2>/dev/null && break; sleep 0.5; done
A="http://127.0.0.1:$ADMIN/api/v1"
post() { curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "$A$1" -H 'content-type: application/json' -d "$2"; }
TARGETS='[{"host":"127.0.0.1","port":18281},{"host":"127.0.0.1","port":18283},{"host":"127.0.0.1","port":18284}]'
for a in "${ALGOS[@]}"; do
  post /upstreams "{\"name\":\"$a\",\"algorithm\":\"$a\",\"targets\":$TARGETS}"
  post /sites "{\"name\":\"$a\",\"hosts\":[\"$a.test\"]}"
  post /routes "{\"name\":\"$a\",\"site\":\"$a\",\"upstream\":\"$a\"}"
  curl -fsS -o /dev/null -H "Host: $a.test" "http://127.0.0.1:$FD/"
done
echo "warm-up (JIT) ..."
for a in "${ALGOS[@]}"; do wrk -t1 -c64 -d4s -H "Host: $a.test" "http://127.0.0.1:$FD/" > /dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  for a in "${ALGOS[@]}"; do
    wrk -t1 -c64 -d"${SECS}s" --latency -H "Host: $a.test" "http://127.0.0.1:$FD/" > "$W/$a.$r"
  done
done
python3 - "$W" "$ROUNDS" "${ALGOS[@]}" <<'PY'
import re, statistics, sys
w, rounds, algos = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def ms(m):
    m = m and re.match(r"([\d.]+)(us|ms|s|m)$", m.group(1).strip())
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v * 60000 if u == "m" else v
rows = {}
for a in algos:
    rps, p99, bad = [], [], 0
    for r in range(1, rounds + 1):
        t = open(f"{w}/{a}.{r}").read()
        rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)))
        p99.append(ms(re.search(r"99%\s+(\S+)", t)))
        e = re.search(r"Non-2xx or 3xx responses: (\d+)", t); bad += int(e.group(1)) if e else 0
    rows[a] = (statistics.median(rps), statistics.median(p99), bad)
base = rows["round-robin"][0]
print(f"{'algorithm':22} {'req/s':>9} {'p99 ms':>7} {'non-2xx':>8} {'x round-robin':>14}")
for a, (rps, p99, bad) in rows.items():
    print(f"{a:22} {rps:9.0f} {p99:7.2f} {bad:8d} {rps/base:14.3f}")
PY
