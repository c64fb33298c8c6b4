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
source "$(dirname "$0")/lib.sh"
bench_setup alog nginx wrk python3 curl

BE=18280 ON=18282 ON_ADMIN=18292 OFF=18283 OFF_ADMIN=18293
head -c 4096 /dev/zero | tr '\0' 'x' > "$W/body"
nginx_backend $BE "$W/body"
start_frontdesk on $ON $ON_ADMIN --plugins-dir "$W/plugins"
# The embedded database listens only on its Unix socket, with the password in its data directory.
PGSOCK="$W/on/postgres-run"
PGPASS=$(cat "$W/on/postgres-password")
start_frontdesk off $OFF $OFF_ADMIN --plugins-dir "$W/plugins" --access-log off \
  --db-url "postgresql://postgres@localhost/postgres?host=$PGSOCK" --db-password "$PGPASS"
A="http://127.0.0.1:$ON_ADMIN/api/v1"
post() { api_post "$ON_ADMIN" "$@"; }
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
wrk -t1 -c"$CONNS" -d"${WARMUP:-30}s" "http://127.0.0.1:$ON/" > /dev/null
wrk -t1 -c"$CONNS" -d"${WARMUP:-30}s" "http://127.0.0.1:$OFF/" > /dev/null
drain > "$W/drain.0"
for r in $(seq 1 "$ROUNDS"); do
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$ON/" > "$W/on.$r"
  drain > "$W/drain.$r"
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$OFF/" > "$W/off.$r"
done
ROWS=$(PGPASSWORD="$PGPASS" psql -h "$PGSOCK" -U postgres -tAc "SELECT count(*) FROM access_log" 2>/dev/null || echo "?")

echo
python3 "$ROOT/bench/wrk-summary.py" "$W" off on off
python3 - "$W" "$ROUNDS" "$SECS" "$ROWS" <<'PY'
import re, sys
w, rounds, secs, rows = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
prev = [float(x) for x in open(f"{w}/drain.0").read().split()]
print(f"\n{'round':6} {'requests':>9} {'stored':>9} {'dropped':>8} {'spooled':>8} {'drain s':>8} {'rows/s':>8}")
for r in range(1, rounds + 1):
    requests = int(re.search(r"(\d+) requests in", open(f"{w}/on.{r}").read()).group(1))
    cur = [float(x) for x in open(f"{w}/drain.{r}").read().split()]
    stored, dropped, spooled = cur[0] - prev[0], cur[1] - prev[1], cur[2] - prev[2]
    print(f"{r:<6} {requests:9d} {stored:9.0f} {dropped:8.0f} {spooled:8.0f} {cur[3]:8.1f} {stored / (secs + cur[3]):8.0f}")
    prev = cur
print(f"rows in access_log: {rows}")
PY
