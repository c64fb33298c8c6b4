#!/usr/bin/env bash
# Cost of the filter chain: req/s through a route with 0 filters vs the same route with 5 no-op
# filters (five bindings of the bundled `headers` plugin with an empty configuration), same
# Frontdesk, same run, alternating rounds.
#
#   bench/chain-overhead.sh [ROUNDS] [SECONDS]          (after `mvn -q -DskipTests package`)
#
# Needs nginx (backend), wrk, python3, curl. Traffic stays on 127.0.0.1.
set -euo pipefail
ROUNDS=${1:-5}
SECS=${2:-10}
FILTERS=${FILTERS:-5}
source "$(dirname "$0")/lib.sh"
bench_setup chain nginx wrk python3 curl

BE=18180 FD=18182 ADMIN=18192
head -c 4096 /dev/zero | tr '\0' 'x' > "$W/body"
nginx_backend $BE "$W/body"
start_frontdesk fd $FD $ADMIN --plugins-dir "$ROOT/dist/plugins"
A="http://127.0.0.1:$ADMIN/api/v1"
post() { curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "$A$1" -H 'content-type: application/json' -d "$2"; }
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
python3 - "$W" "$ROUNDS" "$FILTERS" <<'PY'
import re, statistics, sys
w, rounds, filters = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def ms(m):
    m = m and re.match(r"([\d.]+)(us|ms|s|m)$", m.group(1).strip())
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v * 60000 if u == "m" else v
rows = {}
for n in ("plain", "chain"):
    rps, p99, non2xx = [], [], 0
    for r in range(1, rounds + 1):
        t = open(f"{w}/{n}.{r}").read()
        rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)))
        p99.append(ms(re.search(r"99%\s+(\S+)", t)))
        e = re.search(r"Non-2xx or 3xx responses: (\d+)", t); non2xx += int(e.group(1)) if e else 0
    rows[n] = (statistics.median(rps), statistics.median(p99), non2xx, rps)
print(f"{'route':22} {'req/s':>9} {'p99 ms':>7} {'non-2xx':>8}   rounds")
for n, label in (("plain", "0 filters"), ("chain", f"{filters} no-op filters")):
    rps, p99, bad, all_ = rows[n]
    print(f"{label:22} {rps:9.0f} {p99:7.2f} {bad:8d}   {' '.join(f'{x:.0f}' for x in all_)}")
print(f"ratio (chain / plain): {rows['chain'][0] / rows['plain'][0]:.3f}")
PY
