#!/usr/bin/env bash
# What storing one access-log row costs: CPU time of the embedded PostgreSQL (all its processes)
# and of the node's log-writer thread, per stored row, under wrk load with the default settings.
#
#   bench/access-log-cost.sh [SECONDS] [CONNS]          (after `mvn -q -DskipTests package`)
#
# Prints rows stored, dropped and spooled, PostgreSQL CPU µs/row, writer-thread CPU µs/row and the
# node's whole CPU µs/request, plus the access log's size on disk per row. With
# FD_ARGS="--access-log off" it prints the node's CPU per request alone, for comparison;
# FILTERS=N binds N no-op filters to the route (their timings are stored in each row).
# Needs nginx (backend), wrk, curl, psql. Traffic stays on 127.0.0.1.
set -euo pipefail
SECS=${1:-20}
CONNS=${2:-64}
source "$(dirname "$0")/lib.sh"
bench_setup alogcost nginx wrk curl psql

BE=18380 FD=18382 ADMIN=18392
[[ ${FILTERS:-0} -gt 0 ]] && export FD_PLUGINS="$(dirname "$JAR")/plugins"
# shellcheck disable=SC2086
bench_node cost $BE $FD $ADMIN ${FD_ARGS:-}
noop_filters $ADMIN "${FILTERS:-0}"
curl -fsS -o /dev/null "http://127.0.0.1:$FD/" || { echo "node not answering" >&2; exit 1; }
PGSOCK="$W/cost/postgres-run"
export PGPASSWORD; PGPASSWORD=$(cat "$W/cost/postgres-password")
sql() { psql -h "$PGSOCK" -U postgres -tAc "$1"; }

# ticks (1/100 s) of a process and its reaped children
ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() { # the postmaster and every process it started
  local pm total=0 p
  pm=$(head -1 "$W/cost/postgres/postmaster.pid")
  for p in $pm $(pgrep -P "$pm"); do total=$((total + $(ticks "$p"))); done
  echo $total
}
writer_ticks() {
  local t total=0
  for t in /proc/$JVM/task/*; do # the writer and the thread it stores through
    [[ $(cat "$t/comm") == frontdesk-acces* ]] && total=$((total + $(awk '{print $14 + $15}' "$t/stat")))
  done
  echo $total
}
thread_ticks() { # "group ticks" per thread group of the node
  local t
  for t in /proc/$JVM/task/*; do
    echo "$(tr -d ' ' < "$t/comm" | sed -E 's/[-#]?[0-9]+$//') $(awk '{print $14 + $15}' "$t/stat")"
  done | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
status() { curl -fsS -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "http://127.0.0.1:$ADMIN/api/v1/status" \
  | python3 -c 'import json,sys; a=json.load(sys.stdin).get("accessLog") or {}; print(a.get("written", 0), a.get("queueDepth", 0), a.get("dropped", 0), a.get("spooled", 0))'; }
drain() {
  local last=-1 written depth dropped spooled
  while true; do
    read -r written depth dropped spooled < <(status)
    [[ $depth == 0 && $written == "$last" ]] && break
    last=$written; sleep 0.3
  done
  echo "$written $dropped $spooled"
}

echo "warm-up (JIT) ..."
wrk -t1 -c"$CONNS" -d"${WARMUP:-10}s" "http://127.0.0.1:$FD/" > /dev/null
drain > /dev/null
read -r w0 d0 s0 < <(drain)
thread_ticks > "$W/threads.0"; pg0=$(pg_ticks); wr0=$(writer_ticks); jvm0=$(ticks "$JVM"); bytes0=$(sql "SELECT pg_total_relation_size('access_log')+coalesce((SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid=i.inhrelid WHERE i.inhparent='access_log'::regclass),0)")
wal0=$(sql "SELECT pg_current_wal_lsn() - '0/0'")
wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$FD/" > "$W/wrk.out"
read -r w1 d1 s1 < <(drain)
thread_ticks > "$W/threads.1"; pg1=$(pg_ticks); wr1=$(writer_ticks); jvm1=$(ticks "$JVM"); bytes1=$(sql "SELECT pg_total_relation_size('access_log')+coalesce((SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid=i.inhrelid WHERE i.inhparent='access_log'::regclass),0)")
wal1=$(sql "SELECT pg_current_wal_lsn() - '0/0'")
requests=$(grep -o '[0-9]* requests in' "$W/wrk.out" | cut -d' ' -f1)
rows=$((w1 - w0))
grep -E 'Requests/sec|99%' "$W/wrk.out"
python3 - <<PY
rows, req = $rows, $requests
print(f"requests {req}, rows stored {rows}, dropped {$d1 - $d0}, spooled {$s1 - $s0}")
print(f"node (all) CPU   {($jvm1 - $jvm0) * 10000 / req:7.1f} us/request")
t0 = dict(l.split() for l in open("$W/threads.0"))
t1 = dict(l.split() for l in open("$W/threads.1"))
use = sorted(((int(v) - int(t0.get(k, 0))) * 10000 / req, k) for k, v in t1.items())[::-1]
print("  by thread: " + ", ".join(f"{k} {us:.1f}" for us, k in use[:6] if us >= 0.5))
if rows <= 0: raise SystemExit(0 if "off" in "${FD_ARGS:-}" else 1)
print(f"PostgreSQL CPU   {($pg1 - $pg0) * 10000 / rows:7.1f} us/row")
print(f"writer threads   {($wr1 - $wr0) * 10000 / rows:7.1f} us/row")
print(f"table+indexes    {($bytes1 - $bytes0) / rows:7.0f} bytes/row")
print(f"WAL              {($wal1 - $wal0) / rows:7.0f} bytes/row")
PY
