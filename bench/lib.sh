# Shared by the bench scripts: `source "$(dirname "$0")/lib.sh"; bench_setup NAME tool…`.
# Everything listens on 127.0.0.1; every process started here is stopped on exit.

# Sets ROOT, JAR and a work directory W (kept when KEEP=1); checks the jar and the tools.
bench_setup() {
  local name=$1; shift
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  JAR="${FD_JAR:-$ROOT/dist/frontdesk.jar}"  # FD_JAR: another build, e.g. to compare before/after
  [[ -f $JAR ]] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
  W=$(mktemp -d "/tmp/fd-$name.XXXX"); chmod 755 "$W"
  # The admin API needs a token; nodes started here accept this one.
  export FRONTDESK_ADMIN_TOKEN=${FRONTDESK_ADMIN_TOKEN:-bench-token-$RANDOM$RANDOM$RANDOM$RANDOM}
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n ${KEEP:-} ]] || rm -rf "$W"
}

# nginx_backend PORT FILE [EXTRA_HTTP_CONF]: one nginx worker answering every path with FILE
# (which must be in $W).
nginx_backend() {
  local port=$1 file=$2 extra=${3:-}
  cat > "$W/backend-$port.conf" <<C
worker_processes 1; daemon off; pid $W/b$port.pid; error_log $W/b$port.err; worker_rlimit_nofile 40000;
events { worker_connections 20000; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 300s; $extra
  server { listen 127.0.0.1:$port backlog=8192; location / { root $W; try_files /$(basename "$file") =404; default_type text/plain; } } }
C
  nginx -c "$W/backend-$port.conf" & pids+=($!)
}

# start_frontdesk NAME HTTP_PORT ADMIN_PORT [flags…]: a node with its own data dir, waits until ready.
# FD_JAVA_OPTS: JVM flags (none: the jar's own defaults, applied in a second JVM; JAVA_OPTS reaches
# that one only). NODE_JVM: the JVM that serves (the second one when there is one).
start_frontdesk() {
  local name=$1 port=$2 admin=$3; shift 3
  # shellcheck disable=SC2086
  java ${FD_JAVA_OPTS:-} -jar "$JAR" --bind 127.0.0.1 --http-port "$port" \
    --admin-port "$admin" --node-id "$name" --data-dir "$W/$name" "$@" > "$W/$name.log" 2>&1 & pids+=($!)
  local i
  for i in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$admin/readyz" 2>/dev/null && { NODE_JVM=$(serving_jvm "${pids[-1]}"); return; }
    sleep 0.5
  done
  echo "frontdesk $name did not start; see $W/$name.log" >&2; exit 1
}

# api_post ADMIN_PORT PATH JSON
api_post() {
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $FRONTDESK_ADMIN_TOKEN" "http://127.0.0.1:$1/api/v1$2" \
    -H 'content-type: application/json' -d "$3"
}

# bench_route ADMIN_PORT BACKEND_PORT: upstream "be" → the backend, site "bench" for every host, one route.
bench_route() {
  api_post "$1" /upstreams "{\"name\":\"be\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":$2}]}"
  api_post "$1" /sites '{"name":"bench","hosts":["*"]}'
  api_post "$1" /routes '{"name":"bench","site":"bench","upstream":"be"}'
  sleep 1
}

# bench_node NAME BACKEND_PORT HTTP_PORT ADMIN_PORT [flags…]: a 4 KiB nginx backend, a node in front
# of it with the bench route; JVM is the node's pid. FD_PLUGINS: the plugins folder (default: an empty one).
bench_node() {
  local name=$1 be=$2 port=$3 admin=$4; shift 4
  head -c 4096 /dev/zero | tr '\0' 'x' > "$W/body"
  nginx_backend "$be" "$W/body"
  start_frontdesk "$name" "$port" "$admin" --plugins-dir "${FD_PLUGINS:-$W/plugins}" "$@"
  JVM=$NODE_JVM
  bench_route "$admin" "$be"
}

# node_cpu_ticks NAME: CPU ticks (1/100 s) of the node's JVM ($JVM or the last started process)
# and of every process of its embedded PostgreSQL.
node_cpu_ticks() {
  local jvm=${JVM:-$NODE_JVM} total=0 p pm
  pm=$(head -1 "$W/$1/postgres/postmaster.pid" 2>/dev/null || true)
  for p in $jvm $pm ${pm:+$(pgrep -P "$pm")}; do
    total=$((total + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo $total
}

# noop_filters ADMIN_PORT N: binds N no-op filters (the bundled `headers` plugin with an empty
# configuration) to the bench route; the node must run with FD_PLUGINS=<dist>/plugins.
noop_filters() {
  local i
  for i in $(seq 1 "$2"); do
    api_post "$1" /plugins/headers/bindings "{\"scope\":\"route\",\"target\":\"bench\",\"priority\":$((600 + i)),\"config\":{}}"
  done
}

# serving_jvm PID: the java process PID started to serve (the jar's second JVM), else PID itself.
serving_jvm() {
  local child
  child=$(pgrep -P "$1" -x java | head -1 || true)
  echo "${child:-$1}"
}

# jvm_flag FLAG…: adds JVM flags for the node that serves, whether or not the jar starts a second JVM.
jvm_flag() {
  if [[ -n ${FD_JAVA_OPTS:-} ]]; then FD_JAVA_OPTS="$FD_JAVA_OPTS $*"; else JAVA_OPTS="${JAVA_OPTS:-} $*"; fi
  export FD_JAVA_OPTS JAVA_OPTS
}
