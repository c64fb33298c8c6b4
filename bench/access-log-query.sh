#!/usr/bin/env bash
# Access-log queries over a large table: fills the access log of a real node (embedded
# PostgreSQL) with ROWS realistic records spread over HOURS through its own writer — reporting
# the writer's sustained rows/s — then times common /api/v1/logs and /logs/stats queries
# (median and max of 5 after a warm-up).
#
#   bench/access-log-query.sh [ROWS] [HOURS]     (default 10000000 72; after `mvn -q -DskipTests package`)
#
# The data stays in $DIR (default /tmp/fd-logbench); a second run reuses it and only times the
# queries. Needs the test classes: `mvn -q -DskipTests package` builds them too (skipTests runs
# test-compile). About 6 minutes for 10 million rows on 2 cores; ~6 GB of disk.
set -euo pipefail
ROWS=${1:-10000000}
HOURS=${2:-72}
DIR=${DIR:-/tmp/fd-logbench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/dist/frontdesk.jar"
CLASSES="$ROOT/platform/target/test-classes"
[[ -f $JAR && -f $CLASSES/io/frontdesk/bench/AccessLogBench.class ]] \
  || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
exec java -Xmx1g -cp "$JAR:$CLASSES" io.frontdesk.bench.AccessLogBench --rows "$ROWS" --hours "$HOURS" --dir "$DIR"
