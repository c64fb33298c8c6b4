#!/usr/bin/env bash
# Memory of idle keep-alive connections: a node with the default settings (access log on) serves one
# request on each of CONNS connections, which then stay open and idle for HOLD seconds; prints the
# node's resident memory before, while held and the growth, and the JVM's native memory summary
# (NMT) at the peak, so the per-connection cost can be traced to heap, Netty buffers or threads.
# FD_JAVA_OPTS: JVM flags (default none: the jar's own defaults); the RSS is the serving JVM's.
#
#   bench/idle-connections.sh [CONNS] [HOLD]        (default 10000 60; after `mvn -q -DskipTests package`)
#
# Needs nginx (backend), curl, python3, jcmd. Traffic stays on 127.0.0.1.
set -euo pipefail
CONNS=${1:-10000}
HOLD=${2:-60}
source "$(dirname "$0")/lib.sh"
jvm_flag -XX:NativeMemoryTracking=summary
bench_setup idle nginx curl python3 jcmd
ulimit -n 200000 2>/dev/null || ulimit -n 65536 2>/dev/null || true

BE=18580 FD=18582 ADMIN=18592
# shellcheck disable=SC2086
bench_node idle $BE $FD $ADMIN ${FD_ARGS:-}
for i in $(seq 1 200); do curl -fsS -o /dev/null "http://127.0.0.1:$FD/"; done
sleep 2
rss() { awk '/VmRSS/ {print $2}' "/proc/$JVM/status"; }
before=$(rss)
jcmd "$JVM" VM.native_memory summary > "$W/nmt.before"
python3 - "$FD" "$CONNS" "$HOLD" "$W/held" <<'PY' &
import asyncio, sys
port, n, hold, flag = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
REQ = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
async def one(sem):
    async with sem:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(REQ); await w.drain()
        head = await r.readuntil(b"\r\n\r\n")
        length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
        await r.readexactly(length)
    return w
async def main():
    sem = asyncio.Semaphore(500)
    writers = await asyncio.gather(*(one(sem) for _ in range(n)), return_exceptions=True)
    ok = [w for w in writers if not isinstance(w, Exception)]
    print(f"{len(ok)} connections open and idle ({n - len(ok)} failed)", flush=True)
    open(flag, "w").write(str(len(ok)))
    await asyncio.sleep(hold)
    for w in ok: w.close()
asyncio.run(main())
PY
CLIENT=$!
for i in $(seq 1 600); do [[ -s $W/held ]] && break; sleep 0.2; done
peak=$before
for s in $(seq 1 "$HOLD"); do r=$(rss); ((r > peak)) && peak=$r; sleep 1; kill -0 $CLIENT 2>/dev/null || break; done
jcmd "$JVM" VM.native_memory summary > "$W/nmt.held"
wait $CLIENT || true
echo "resident memory: idle node $((before / 1024)) MiB, with $(cat "$W/held") idle connections $((peak / 1024)) MiB, growth $(((peak - before) / 1024)) MiB"
python3 - "$W/nmt.before" "$W/nmt.held" <<'PY'
import re, sys
def parse(f):
    out = {}
    for m in re.finditer(r"-\s+([A-Za-z ]+?) \(reserved=\d+KB, committed=(\d+)KB", open(f).read()):
        out[m.group(1).strip()] = int(m.group(2))
    return out
a, b = parse(sys.argv[1]), parse(sys.argv[2])
print("JVM native memory, committed MiB (idle node -> with the connections):")
for k in sorted(b, key=lambda k: b[k] - a.get(k, 0), reverse=True)[:8]:
    print(f"  {k:28} {a.get(k, 0) / 1024:8.1f} -> {b[k] / 1024:8.1f}")
PY
