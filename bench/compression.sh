#!/usr/bin/env bash
# Response compression: req/s for a 100 KiB HTML page compressed with gzip level 6 by Frontdesk
# (the bundled compression plugin) vs nginx (gzip_comp_level 6), same backend, same machine,
# alternating rounds; then Frontdesk with brotli and zstd at their default levels (4 and 3).
#
#   bench/compression.sh [ROUNDS] [SECONDS]          (after `mvn -q -DskipTests package`)
#
# Needs nginx, wrk, python3, curl. Traffic stays on 127.0.0.1.
set -euo pipefail
ROUNDS=${1:-5}
SECS=${2:-10}
CONNS=${CONNS:-32}
source "$(dirname "$0")/lib.sh"
bench_setup gzip nginx wrk python3 curl

BE=18380 NGX=18381 FD=18382 ADMIN=18392
python3 - "$W/page.html" <<'PY'
import random, sys
random.seed(7)
words = "the proxy upstream request response frontdesk price cart order item stock delivery review".split()
out = ["<!doctype html><html><head><title>Shop</title><link rel=stylesheet href=/s.css></head><body><ul>"]
n = 0
while sum(map(len, out)) < 100 * 1024:
    n += 1
    text = " ".join(random.choice(words) for _ in range(random.randint(5, 20)))
    out.append(f'<li class="item" data-id="{random.randint(1, 10**6)}"><a href="/items/{n}">{text}</a>'
               f'<span class="price">{random.randint(1, 999)}.{random.randint(0, 99):02d}</span></li>\n')
sys.stdout = open(sys.argv[1], "w")
print("".join(out)[:100 * 1024])
PY
nginx_backend $BE "$W/page.html" "default_type text/html;"
cat > "$W/nginx.conf" <<C
worker_processes 2; daemon off; pid $W/n.pid; error_log $W/n.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  gzip on; gzip_comp_level 6; gzip_min_length 256; gzip_vary on; gzip_proxied any;
  upstream be { server 127.0.0.1:$BE; keepalive 256; }
  server { listen 127.0.0.1:$NGX reuseport;
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
C
nginx -c "$W/nginx.conf" & pids+=($!)
start_frontdesk fd $FD $ADMIN --plugins-dir "$ROOT/dist/plugins" --access-log off
api_post $ADMIN /upstreams "{\"name\":\"be\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":$BE}]}"
api_post $ADMIN /sites '{"name":"bench","hosts":["*"]}'
for c in gzip br zstd; do
  api_post $ADMIN /routes "{\"name\":\"$c\",\"site\":\"bench\",\"upstream\":\"be\",\"match\":{\"pathPrefix\":\"/$c\"}}"
  api_post $ADMIN /plugins/compression/bindings \
    "{\"scope\":\"route\",\"target\":\"$c\",\"config\":{\"algorithms\":[\"$c\"],\"levels\":{\"gzip\":6}}}"
done
sleep 1
size() { curl -fsS -H "Accept-Encoding: $2" "$1" | wc -c; }
echo "page: $(wc -c < "$W/page.html") bytes; gzip-6 by nginx: $(size "http://127.0.0.1:$NGX/" gzip)," \
  "gzip-6 by Frontdesk: $(size "http://127.0.0.1:$FD/gzip" gzip), brotli-4: $(size "http://127.0.0.1:$FD/br" br)," \
  "zstd-3: $(size "http://127.0.0.1:$FD/zstd" zstd)"
[[ $(curl -fsS -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: gzip' "http://127.0.0.1:$FD/gzip") == 200 ]]

echo "warm-up (JIT) ..."
for c in gzip br zstd; do wrk -t1 -c"$CONNS" -d5s -H "Accept-Encoding: $c" "http://127.0.0.1:$FD/$c" > /dev/null; done
wrk -t1 -c"$CONNS" -d3s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$NGX/" > /dev/null
for r in $(seq 1 "$ROUNDS"); do
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -H 'Accept-Encoding: gzip' "http://127.0.0.1:$FD/gzip" > "$W/frontdesk-gzip6.$r"
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -H 'Accept-Encoding: gzip' "http://127.0.0.1:$NGX/" > "$W/nginx-gzip6.$r"
done
for r in $(seq 1 "$ROUNDS"); do
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -H 'Accept-Encoding: br' "http://127.0.0.1:$FD/br" > "$W/frontdesk-br4.$r"
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -H 'Accept-Encoding: zstd' "http://127.0.0.1:$FD/zstd" > "$W/frontdesk-zstd3.$r"
done
echo
python3 "$ROOT/bench/wrk-summary.py" "$W" nginx-gzip6 nginx-gzip6 frontdesk-gzip6 frontdesk-br4 frontdesk-zstd3
