#!/usr/bin/env bash
# Run the whole test suite on real PostgreSQL and Redis (started here when no URL is configured).
# Arguments are passed to pytest. Services this script started are stopped again at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

private_redis=0
[ -z "${REDIS_URL:-}" ] && private_redis=1
before=$(scripts/services.sh status)
scripts/services.sh start

cleanup() {
  # Stop only what this run started, so a running `make demo` keeps its servers.
  if echo "$before" | grep -q "PostgreSQL: stopped" && [ -z "${DATABASE_URL:-}" ]; then
    scripts/services.sh stop-postgres >/dev/null || true
  fi
  if echo "$before" | grep -q "Redis: stopped" && [ "$private_redis" = 1 ]; then
    scripts/services.sh stop-redis >/dev/null || true
  fi
}
trap cleanup EXIT

# The tests use their own Redis database, apart from a demo's queue on database 0.
if [ "$private_redis" = 1 ]; then
  export REDIS_URL="redis://127.0.0.1:${REGIOMONITOR_REDIS_PORT:-56379}/1"
fi
export DEBUG=false
# The test workers serve a queue of this run only: a worker left over from an interrupted run
# can never take this run's jobs.
export PDF_QUEUE=${PDF_QUEUE:-pdf-test-$$}
mkdir -p test-artifacts
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
.venv/bin/python -m pytest "$@"
