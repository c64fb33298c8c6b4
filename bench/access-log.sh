#!/usr/bin/env bash
# Cost of storing every request in PostgreSQL: req/s of a node with the access log on vs a node
# with it off, same machine, same database, same configuration, alternating rounds; and how many
# rows per second the writer stored while it kept up.
#
#   bench/access-log.sh [ROUNDS] [SECONDS]          (after `mvn -q -DskipTests package`)
#
# Node "on" runs the embedded PostgreSQL; node "off" (--access-log off) uses the same database,
# so both serve the same routes. After each "on" round the script waits for the writer to empty
# its queue and counts what it stored, dropped and spooled.
# Needs nginx (backend), wrk, python3, curl. Traffic stays on 127.0.0.1.
set -euo pipefail
ROUNDS=${1:-5}
SECS=${2:-10}
CONNS=${CONNS:-64}
export FD_JAVA_OPTS=${FD_JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch}
source "$(dirname "$0")/lib.sh"
bench_setup alog nginx wrk python3 curl

BE=18280 ON=18282 ON_ADMIN=18292 OFF=18283 OFF_ADMIN=18293
head -c 4096 /dev/zero | tr '\0' 'x' > "$W/body"
nginx_backend $BE "$W/body"
start_frontdesk on $ON $ON_ADMIN --plugins-dir "$W/plugins"
PGPORT=$(sed -n 4p "$W/on/postgres/postmaster.pid")
start_frontdesk off $OFF $OFF_ADMIN --plugins-dir "$W/plugins" --access-log off \
  --db-url "postgresql://postgres:postgres@127.0.0.1:$PGPORT/postgres"
A="http://127.0.0.1:$ON_ADMIN/api/v1"
post() { curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "$A$1" -H 'content-type: application/json' -d "$2"; }
post /upstreams "{\"name\":\"be\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":$BE}]}"
post /sites '{"name":"bench","hosts":["*"]}'
post /routes '{"name":"bench","site":"bench","upstream":"be"}'
sleep 1
for p in $ON $OFF; do curl -fsS -o /dev/null "http://127.0.0.1:$p/" || { echo "port $p not answering" >&2; exit 1; }; done

log_status() { curl -fsS -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "$A/status" | python3 -c 'import json,sys; a=json.load(sys.stdin)["accessLog"]; print(a["written"], a["queueDepth"], a["dropped"], a["spooled"])'; }
drain() { # waits until the writer's queue is empty; prints "written dropped spooled seconds-after-the-round"
  local t0; t0=$(date +%s.%N)
  local last=-1
  while true; do # the queue is empty and nothing more was written in the last 0.2 s
    read -r written depth dropped spooled < <(log_status)
    [[ $depth == 0 && $written == "$last" ]] && break
    last=$written
    sleep 0.2
  done
  echo "$written $dropped $spooled $(echo "$(date +%s.%N) - $t0" | bc)"
}

echo "warm-up (JIT) ..."
wrk -t1 -c"$CONNS" -d10s "http://127.0.0.1:$ON/" > /dev/null
wrk -t1 -c"$CONNS" -d10s "http://127.0.0.1:$OFF/" > /dev/null
drain > "$W/drain.0"
for r in $(seq 1 "$ROUNDS"); do
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$ON/" > "$W/on.$r"
  drain > "$W/drain.$r"
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$OFF/" > "$W/off.$r"
done
ROWS=$(PGPASSWORD=postgres psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT count(*) FROM access_log" 2>/dev/null || echo "?")

python3 - "$W" "$ROUNDS" "$SECS" "$ROWS" <<'PY'
import re, statistics, sys
w, rounds, secs, rows = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
def ms(m):
    m = m and re.match(r"([\d.]+)(us|ms|s|m)$", m.group(1).strip())
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v * 60000 if u == "m" else v
res = {}
for n in ("on", "off"):
    rps, p99, reqs, bad = [], [], [], 0
    for r in range(1, rounds + 1):
        t = open(f"{w}/{n}.{r}").read()
        rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)))
        p99.append(ms(re.search(r"99%\s+(\S+)", t)))
        reqs.append(int(re.search(r"(\d+) requests in", t).group(1)))
        e = re.search(r"Non-2xx or 3xx responses: (\d+)", t); bad += int(e.group(1)) if e else 0
    res[n] = (statistics.median(rps), statistics.median(p99), bad, rps, reqs)
print(f"\n{'access log':12} {'req/s':>9} {'p99 ms':>7} {'non-2xx':>8}   rounds")
for n in ("on", "off"):
    rps, p99, bad, all_, _ = res[n]
    print(f"{n:12} {rps:9.0f} {p99:7.2f} {bad:8d}   {' '.join(f'{x:.0f}' for x in all_)}")
print(f"ratio (on / off): {res['on'][0] / res['off'][0]:.3f}")
prev = [float(x) for x in open(f"{w}/drain.0").read().split()]
print(f"\n{'round':6} {'requests':>9} {'stored':>9} {'dropped':>8} {'spooled':>8} {'drain s':>8} {'rows/s':>8}")
for r in range(1, rounds + 1):
    cur = [float(x) for x in open(f"{w}/drain.{r}").read().split()]
    stored, dropped, spooled = cur[0] - prev[0], cur[1] - prev[1], cur[2] - prev[2]
    print(f"{r:<6} {res['on'][4][r-1]:9d} {stored:9.0f} {dropped:8.0f} {spooled:8.0f} {cur[3]:8.1f} {stored / (secs + cur[3]):8.0f}")
    prev = cur
print(f"rows in access_log: {rows}")
PY
