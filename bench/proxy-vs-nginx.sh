#!/usr/bin/env bash
# Frontdesk vs nginx on loopback, same backend, same run.
#
#   bench/proxy-vs-nginx.sh [ROUNDS] [SECONDS]        (after `mvn -q -DskipTests package`)
#
# 1. Throughput: wrk, 64 keep-alive connections, 4 KiB responses, alternating rounds
#    (Frontdesk, nginx, Frontdesk, …) after a warm-up; prints median req/s, p50, p99 and the ratio.
# 2. Connection scale: 10,000 concurrent keep-alive connections through each proxy; prints errors
#    and peak resident memory (VmHWM) of each.
# Needs nginx, wrk and python3 (apt-get install -y nginx wrk python3). Traffic stays on 127.0.0.1.
# Environment: FD_JAVA_OPTS (default none: the jar's own defaults, as `java -jar` runs it), BODY (4096), CONNS (64),
#              FD_ARGS (extra Frontdesk flags, e.g. "--access-log off"),
#              SCALE_CONNS (10000), SKIP_SCALE=1 to skip part 2.
set -euo pipefail
# The admin API needs a token; the node accepts this one (FRONTDESK_ADMIN_TOKEN).
export FRONTDESK_ADMIN_TOKEN=${FRONTDESK_ADMIN_TOKEN:-bench-token-$RANDOM$RANDOM$RANDOM$RANDOM}
ROUNDS=${1:-5}
SECS=${2:-10}
BODY=${BODY:-4096}
CONNS=${CONNS:-64}
SCALE_CONNS=${SCALE_CONNS:-10000}
FD_JAVA_OPTS=${FD_JAVA_OPTS:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="${FD_JAR:-$ROOT/dist/frontdesk.jar}"  # FD_JAR: another build, e.g. to compare before/after
[[ -f $JAR ]] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
for tool in nginx wrk python3 curl; do command -v $tool >/dev/null || { echo "needs $tool" >&2; exit 1; }; done

W=$(mktemp -d /tmp/fd-bench.XXXX); chmod 755 "$W"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
ulimit -n 200000 2>/dev/null || ulimit -n 65536 || true

BE=18080 NGX=18081 FD=18082 ADMIN=18092
head -c "$BODY" /dev/zero | tr '\0' 'x' > "$W/body"
cat > "$W/backend.conf" <<C
worker_processes 1; daemon off; pid $W/b.pid; error_log $W/b.err; worker_rlimit_nofile 100000;
events { worker_connections 40000; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 300s;
  server { listen 127.0.0.1:$BE backlog=8192; location / { root $W; try_files /body =404; default_type text/plain; } } }
C
cat > "$W/nginx.conf" <<C
worker_processes 2; daemon off; pid $W/n.pid; error_log $W/n.err; worker_rlimit_nofile 100000;
events { worker_connections 40000; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 300s;
  upstream be { server 127.0.0.1:$BE; keepalive 1024; }
  server { listen 127.0.0.1:$NGX backlog=8192;
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; proxy_set_header X-Request-Id \$request_id; } } }
C
nginx -c "$W/backend.conf" & pids+=($!)
nginx -c "$W/nginx.conf" & pids+=($!)
# shellcheck disable=SC2086
java $FD_JAVA_OPTS -jar "$JAR" --bind 127.0.0.1 --http-port $FD --admin-port $ADMIN --data-dir "$W/fd-data" \
  --plugins-dir "$W/fd-plugins" ${FD_ARGS:-} > "$W/fd.log" 2>&1 & FDPID=$!; pids+=($FDPID)
for i in $(seq 1 120); do curl -fsS -o /dev/null "http://127.0.0.1:$ADMIN/readyz" 2>/dev/null && break; sleep 0.5; done
A="http://127.0.0.1:$ADMIN/api/v1"
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "$A/upstreams" -H 'content-type: application/json' \
  -d "{\"name\":\"bench\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":$BE}]}"
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "$A/sites" -H 'content-type: application/json' -d '{"name":"bench","hosts":["*"]}'
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "$A/routes" -H 'content-type: application/json' \
  -d '{"name":"bench","site":"bench","upstream":"bench"}'
for p in $FD $NGX; do curl -fsS -o /dev/null "http://127.0.0.1:$p/" || { echo "port $p not answering" >&2; exit 1; }; done
grep -m1 -o "[a-z_]* transport" "$W/fd.log" | sed 's/^/frontdesk: /'

echo "warm-up (JIT) ..."
wrk -t1 -c"$CONNS" -d"${WARMUP:-30}s" "http://127.0.0.1:$FD/" > /dev/null
wrk -t1 -c"$CONNS" -d3s "http://127.0.0.1:$NGX/" > /dev/null
for r in $(seq 1 "$ROUNDS"); do
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$FD/" > "$W/frontdesk.$r"
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$NGX/" > "$W/nginx.$r"
done

scale() { # name port pid-list-file
  local name=$1 port=$2
  wrk -t2 -c"$SCALE_CONNS" -d20s --timeout 10s "http://127.0.0.1:$port/" > "$W/scale.$name" 2>&1 || true
}
peak_rss_kb() { # pids...: sum of VmHWM
  local total=0
  for p in "$@"; do v=$(awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0); total=$((total + ${v:-0})); done
  echo $total
}
if [[ -z ${SKIP_SCALE:-} ]]; then
  echo "connection scale: $SCALE_CONNS connections ..."
  scale frontdesk $FD
  # the serving JVM and, when the jar started a second JVM with its defaults, the launcher too
  # shellcheck disable=SC2046
  echo "frontdesk $(peak_rss_kb $FDPID $(pgrep -P $FDPID -x java || true))" > "$W/rss"
  scale nginx $NGX
  NGX_MASTER=$(cat "$W/n.pid")
  NGX_PIDS="$NGX_MASTER $(pgrep -P "$NGX_MASTER" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  echo "nginx $(peak_rss_kb $NGX_PIDS)" >> "$W/rss"
fi

python3 - "$W" "$ROUNDS" "$SECS" "${SKIP_SCALE:-}" <<'PY'
import re, statistics, sys
w, rounds, secs, skip = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def ms(s):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", s.strip())
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v * 60000 if u == "m" else v
def errors(t):
    n = 0
    e = re.search(r"Non-2xx or 3xx responses: (\d+)", t); n += int(e.group(1)) if e else 0
    e = re.search(r"Socket errors: (.*)", t); n += sum(int(x) for x in re.findall(r"\d+", e.group(1))) if e else 0
    return n
rows = {}
for name in ("frontdesk", "nginx"):
    rps, p50, p99, err = [], [], [], 0
    for r in range(1, rounds + 1):
        t = open(f"{w}/{name}.{r}").read()
        rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)))
        p50.append(ms(re.search(r"50%\s+(\S+)", t).group(1)))
        p99.append(ms(re.search(r"99%\s+(\S+)", t).group(1)))
        err += errors(t)
    rows[name] = (statistics.median(rps), statistics.median(p50), statistics.median(p99), err, rps)
base = rows["nginx"][0]
print(f"\nthroughput: {rounds} rounds x {secs}s, {sys.argv[0] and ''}median")
print(f"{'proxy':10} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7} {'x nginx':>8}   rounds")
for n, (rps, p50, p99, err, all_) in rows.items():
    print(f"{n:10} {rps:9.0f} {p50:7.2f} {p99:7.2f} {err:7d} {rps/base:8.2f}   {' '.join(f'{x:.0f}' for x in all_)}")
if not skip:
    rss = dict(l.split() for l in open(f"{w}/rss"))
    print("\nconnection scale (wrk -t2, 20 s)")
    print(f"{'proxy':10} {'conns':>6} {'req/s':>9} {'errors':>7} {'peak RSS MiB':>13}")
    for n in ("frontdesk", "nginx"):
        t = open(f"{w}/scale.{n}").read()
        m = re.search(r"Requests/sec:\s+([\d.]+)", t)
        c = re.search(r"(\d+) connections", t)
        print(f"{n:10} {c.group(1) if c else '?':>6} {float(m.group(1)) if m else 0:9.0f} {errors(t):7d} {int(rss[n])/1024:13.1f}")
PY
