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
JVM=$NODE_JVM
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
# CPU per request (the node and its PostgreSQL) does not move with the machine's drift as req/s does
round() { # round LABEL HOST N
  local t0 t1
  t0=$(node_cpu_ticks fd)
  wrk -t1 -c64 -d"${SECS}s" --latency -H "Host: $2" "http://127.0.0.1:$FD/" > "$W/$1.$3"
  sleep 0.3 # the round's last log batch
  t1=$(node_cpu_ticks fd)
  echo $((t1 - t0)) > "$W/$1.cpu.$3"
}
for r in $(seq 1 "$ROUNDS"); do
  round plain plain.test "$r"
  round chain chain.test "$r"
done
echo "plain: 0 filters; chain: $FILTERS no-op filters"
python3 "$ROOT/bench/wrk-summary.py" "$W" plain plain chain
python3 - "$W" <<'PY'
import glob, re, statistics, sys
w = sys.argv[1]
def us(label):
    per = []
    for f in sorted(glob.glob(f"{w}/{label}.[0-9]*")):
        n = int(re.search(r"(\d+) requests in", open(f).read()).group(1))
        ticks = int(open(f"{w}/{label}.cpu.{f.rsplit('.', 1)[1]}").read())
        per.append(ticks * 10000 / n)
    return statistics.median(per), per
p, pa = us("plain")
c, ca = us("chain")
print(f"CPU per request, node + its PostgreSQL (median): plain {p:.1f} us, chain {c:.1f} us: "
      f"plain/chain {p / c:.2f}x   rounds {' '.join(f'{x:.1f}' for x in pa)} | {' '.join(f'{x:.1f}' for x in ca)}")
PY
