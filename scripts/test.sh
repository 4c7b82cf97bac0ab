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

# The tests use their own Redis databases, apart from a demo's queue on database 0: database 1
# and, for each further test process, the next one (tests/parallel.py). The private Redis keeps
# its data across restarts, so a run starts by emptying what an earlier run left.
if [ "$private_redis" = 1 ]; then
  export REDIS_URL="redis://127.0.0.1:${REGIOMONITOR_REDIS_PORT:-56379}/1"
  for db in $(seq 1 "${TEST_PROCESSES:-2}"); do
    redis-cli -h 127.0.0.1 -p "${REGIOMONITOR_REDIS_PORT:-56379}" -n "$db" flushdb >/dev/null
  done
fi
export DEBUG=false
# The test workers serve a queue of this run only: a worker left over from an interrupted run
# can never take this run's jobs.
export PDF_QUEUE=${PDF_QUEUE:-pdf-test-$$}
export MAIL_QUEUE=${MAIL_QUEUE:-mail-test-$$}
export IMPORT_QUEUE=${IMPORT_QUEUE:-import-test-$$}
export TEXT_QUEUE=${TEXT_QUEUE:-text-test-$$}
mkdir -p test-artifacts
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
# Known vulnerabilities in the installed packages (the project's and its dev tools'): pip-audit
# against PyPI's advisory data. A finding, or a package left unaudited, fails the run. When the
# advisory data cannot be fetched at all (no network, or only the package index reachable, as on
# this workplace's CI), pip-audit writes no report or leaves every package unaudited, and says
# "no known vulnerabilities" all the same: the step then reports itself SKIPPED.
rm -f test-artifacts/pip-audit.json
audit=0
.venv/bin/python -m pip_audit --progress-spinner off --vulnerability-service pypi \
  --skip-editable --desc off --format json --output test-artifacts/pip-audit.json \
  2>test-artifacts/pip-audit.log || audit=$?
.venv/bin/python - "$audit" test-artifacts/pip-audit.json <<'PY'
import json, pathlib, sys
status, report = sys.argv[1], pathlib.Path(sys.argv[2])
deps = json.loads(report.read_text())["dependencies"] if report.exists() else []
found = [f"{d['name']} {d['version']}: {' '.join(v['id'] for v in d['vulns'])}"
         for d in deps if d.get("vulns")]
unaudited = sorted(d["name"] for d in deps if "skip_reason" in d)
if found:
    sys.exit("pip-audit: known vulnerabilities (raise the pins in pyproject.toml):\n  "
             + "\n  ".join(found))
if not deps or len(unaudited) == len(deps):
    print(f"pip-audit: SKIPPED, no advisory data could be fetched (exit {status}; "
          "see test-artifacts/pip-audit.log)")
elif unaudited or status != "0":
    sys.exit(f"pip-audit failed (exit {status}); not audited: {', '.join(unaudited)}")
else:
    print(f"pip-audit: {len(deps)} packages, no known vulnerabilities")
PY
# Two test processes (pytest-xdist), a file at a time each: the suite waits on browsers, workers
# and restarts far more than it computes, so two processes halve the time even on two cores.
.venv/bin/python -m pytest -n "${TEST_PROCESSES:-2}" --dist loadfile "$@"
