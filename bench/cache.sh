#!/usr/bin/env bash
# Cache hits: Frontdesk's cache plugin vs nginx proxy_cache, same backend, same machine, same run.
#
#   bench/cache.sh [ROUNDS] [SECONDS]          (after `mvn -q -DskipTests package`)
#
# 1. Hits: wrk against a URL both caches hold, a 4 KiB body (CONNS connections) and a 1 MiB body
#    (BIG_CONNS connections), alternating rounds after a warm-up; median req/s, p50, p99 and the
#    ratio to nginx. Both run without an access log (Frontdesk `--access-log off`, nginx
#    `access_log off`); both check that they answer from the cache before measuring.
# 2. Memory: 100,000 distinct small responses (64-byte bodies) stored in Frontdesk's memory tier;
#    prints the heap the node holds after a full collection, before and after, per 100k entries,
#    and the cache's own weight accounting (GET /api/v1/plugins/cache/stats). SKIP_MEMORY=1 skips it.
# Needs nginx, wrk, python3, curl, jcmd. Traffic stays on 127.0.0.1.
set -euo pipefail
ROUNDS=${1:-3}
SECS=${2:-10}
CONNS=${CONNS:-64}
BIG_CONNS=${BIG_CONNS:-16}
ENTRIES=${ENTRIES:-100000}
source "$(dirname "$0")/lib.sh"
bench_setup cache nginx wrk python3 curl jcmd
[[ -f $ROOT/dist/plugins/cache-0.1.0-SNAPSHOT.jar ]] || { echo "no cache plugin in dist/plugins: build first" >&2; exit 1; }

BE=18480 NGX=18481 FD=18482 ADMIN=18492
head -c 4096 /dev/urandom | base64 -w0 | head -c 4096 > "$W/small"
head -c $((1 << 20)) /dev/urandom > "$W/big"
head -c 64 /dev/zero | tr '\0' 'm' > "$W/tiny"
cat > "$W/backend.conf" <<C
worker_processes 1; daemon off; pid $W/b.pid; error_log $W/b.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 300s; default_type application/octet-stream;
  server { listen 127.0.0.1:$BE backlog=8192; root $W;
    add_header Cache-Control "public, max-age=86400";
    location /small { try_files /small =404; }
    location /big { try_files /big =404; }
    location /tiny { try_files /tiny =404; } } }
C
nginx -c "$W/backend.conf" & pids+=($!)
mkdir -p "$W/ngx-cache"
cat > "$W/nginx.conf" <<C
worker_processes 2; daemon off; pid $W/n.pid; error_log $W/n.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  proxy_cache_path $W/ngx-cache levels=1:2 keys_zone=c:64m max_size=1g inactive=1h use_temp_path=off;
  upstream be { server 127.0.0.1:$BE; keepalive 256; }
  server { listen 127.0.0.1:$NGX reuseport;
    location / { proxy_cache c; proxy_cache_lock on; add_header X-Cache-Status \$upstream_cache_status;
      proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
C
nginx -c "$W/nginx.conf" & pids+=($!)
# The memory phase stores ~100k entries: room in the heap and in the memory tier.
jvm_flag -Xmx768m
start_frontdesk fd $FD $ADMIN --plugins-dir "$ROOT/dist/plugins" --access-log off
bench_route $ADMIN $BE
api_post $ADMIN /plugins/cache/bindings \
  '{"scope":"route","target":"bench","config":{"memory":{"maxBytes":268435456},"maxObjectBytes":4194304}}'
sleep 1

for u in small big; do
  curl -fsS -o /dev/null "http://127.0.0.1:$FD/$u"; curl -fsS -o /dev/null "http://127.0.0.1:$NGX/$u"
  fd_status=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:$FD/$u" | tr -d '\r' | sed -n 's/^cache-status: //Ip')
  ngx_status=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:$NGX/$u" | tr -d '\r' | sed -n 's/^x-cache-status: //Ip')
  echo "/$u: Frontdesk '$fd_status', nginx '$ngx_status'"
  [[ $fd_status == *hit* && $ngx_status == HIT ]] || { echo "not answered from the caches" >&2; exit 1; }
done

echo "warm-up (JIT) ..."
wrk -t1 -c"$CONNS" -d5s "http://127.0.0.1:$FD/small" > /dev/null
wrk -t1 -c"$BIG_CONNS" -d5s "http://127.0.0.1:$FD/big" > /dev/null
wrk -t1 -c"$CONNS" -d3s "http://127.0.0.1:$NGX/small" > /dev/null
for r in $(seq 1 "$ROUNDS"); do
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$FD/small" > "$W/frontdesk-4k.$r"
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$NGX/small" > "$W/nginx-4k.$r"
  wrk -t1 -c"$BIG_CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$FD/big" > "$W/frontdesk-1m.$r"
  wrk -t1 -c"$BIG_CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$NGX/big" > "$W/nginx-1m.$r"
done
echo
echo "4 KiB hits ($CONNS connections):"
python3 "$ROOT/bench/wrk-summary.py" "$W" nginx-4k nginx-4k frontdesk-4k
echo "1 MiB hits ($BIG_CONNS connections):"
python3 "$ROOT/bench/wrk-summary.py" "$W" nginx-1m nginx-1m frontdesk-1m

[[ -n ${SKIP_MEMORY:-} ]] && exit 0
heap_used() { # KiB of heap in use after a full collection
  jcmd "$NODE_JVM" GC.run > /dev/null
  sleep 1
  jcmd "$NODE_JVM" GC.heap_info | python3 -c '
import re, sys
t = sys.stdin.read()
print(sum(int(x) for x in re.findall(r"used (\d+)K", t.split("Metaspace")[0])))'
}
stats() {
  curl -fsS -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "http://127.0.0.1:$ADMIN/api/v1/plugins/cache/stats" \
    | python3 -c 'import json, sys; b = json.load(sys.stdin)["bindings"][0]["memory"]; print(b["entries"], b["bytes"])'
}
before=$(heap_used)
read -r e0 w0 <<< "$(stats)"
echo
echo "storing $ENTRIES small responses (64-byte bodies, distinct URLs) ..."
python3 - "$FD" "$ENTRIES" <<'PY'
import http.client, sys, threading
port, n = int(sys.argv[1]), int(sys.argv[2])
def fill(start, step):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for i in range(start, n, step):
        c.request("GET", f"/tiny?i={i}")
        r = c.getresponse()
        r.read()
threads = [threading.Thread(target=fill, args=(k, 4)) for k in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
PY
after=$(heap_used)
read -r e1 w1 <<< "$(stats)"
python3 - "$before" "$after" "$e0" "$e1" "$w0" "$w1" "$ENTRIES" <<'PY'
import sys
before, after, e0, e1, w0, w1, n = map(int, sys.argv[1:])
stored = e1 - e0
print(f"entries stored: {stored} of {n}")
if stored:
    print(f"heap held after a full GC: {(after - before) / 1024:.1f} MiB for {stored} entries"
          f" = {(after - before) * 1024 / stored:.0f} bytes per entry ({(after - before) / 1024 * 100000 / stored:.1f} MiB per 100k)")
    print(f"the cache's own weight accounting: {(w1 - w0) / 2**20:.1f} MiB = {(w1 - w0) / stored:.0f} bytes per entry")
PY
