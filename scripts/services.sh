#!/usr/bin/env bash
# Private PostgreSQL and Redis for a local run, under the git-ignored .local/ folder.
#
#   scripts/services.sh start   start what is not running (skips a service whose URL is set)
#   scripts/services.sh stop    stop the private servers
#   scripts/services.sh status  say what runs
#
# With DATABASE_URL (or REDIS_URL) set in the environment, that service is left alone: the
# application uses the one you configured. The defaults below match config/settings.py.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
local_dir="$root/.local"
pg_dir="$local_dir/postgres"
pg_run="$local_dir/run"
redis_dir="$local_dir/redis"
PG_PORT=${REGIOMONITOR_PG_PORT:-55432}
REDIS_PORT=${REGIOMONITOR_REDIS_PORT:-56379}
PG_USER=regiomonitor
PG_PASSWORD=regiomonitor
PG_DB=regiomonitor

pg_bin() {
  local tool=$1 found
  if found=$(command -v "$tool" 2>/dev/null); then echo "$found"; return; fi
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$found" ] && [ -x "$found/$tool" ] && { echo "$found/$tool"; return; }
  echo "PostgreSQL server binaries not found; run scripts/install-system-deps.sh" >&2
  exit 1
}

# PostgreSQL refuses to run as root: then the server runs as an unprivileged system user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$pg_owner" -- "$@"
  else
    "$@"
  fi
}

pg_owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
  pg_owner=postgres
  getent passwd "$pg_owner" >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_owner"
fi

pg_running() {
  [ -f "$pg_dir/postmaster.pid" ] && as_pg "$(pg_bin pg_ctl)" -D "$pg_dir" status >/dev/null 2>&1
}

redis_running() {
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG
}

start_pg() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "PostgreSQL: using DATABASE_URL"; return; fi
  mkdir -p "$local_dir" "$pg_run"
  chmod 755 "$local_dir"
  if [ ! -f "$pg_dir/PG_VERSION" ]; then
    mkdir -p "$pg_dir"
    chown "$pg_owner" "$pg_dir" "$pg_run"
    chmod 700 "$pg_dir"
    pwfile=$(mktemp)
    echo "$PG_PASSWORD" >"$pwfile"
    chown "$pg_owner" "$pwfile"
    as_pg "$(pg_bin initdb)" -D "$pg_dir" -U "$PG_USER" --pwfile="$pwfile" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$local_dir/initdb.log"
    rm -f "$pwfile"
  fi
  chown "$pg_owner" "$pg_run"
  export PGPASSWORD=$PG_PASSWORD
  if pg_running; then
    echo "PostgreSQL: already running on 127.0.0.1:$PG_PORT"
  elif pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
    # Another server (another checkout's make demo, say) holds the port.
    if psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
      echo "PostgreSQL: using the server already listening on 127.0.0.1:$PG_PORT"
    else
      echo "Port $PG_PORT is taken by a PostgreSQL that does not accept the regiomonitor" \
        "login. Stop it, set REGIOMONITOR_PG_PORT, or set DATABASE_URL." >&2
      exit 1
    fi
  else
    as_pg "$(pg_bin pg_ctl)" -D "$pg_dir" -l "$pg_dir/server.log" -w -t 60 start \
      -o "-p $PG_PORT -k $pg_run -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c max_connections=200" >/dev/null
    echo "PostgreSQL: started on 127.0.0.1:$PG_PORT (data in .local/postgres)"
  fi
  if ! psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $PG_DB"
  fi
}

start_redis() {
  if [ -n "${REDIS_URL:-}" ]; then echo "Redis: using REDIS_URL"; return; fi
  command -v redis-server >/dev/null || { echo "redis-server not found; run scripts/install-system-deps.sh" >&2; exit 1; }
  mkdir -p "$redis_dir"
  if redis_running; then
    echo "Redis: already running on 127.0.0.1:$REDIS_PORT"
    return
  fi
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$redis_dir" --daemonize yes \
    --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" \
    --save "" --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis_running && break; sleep 0.1; done
  redis_running || { echo "Redis did not start; see .local/redis/redis.log" >&2; exit 1; }
  echo "Redis: started on 127.0.0.1:$REDIS_PORT"
}

stop_pg() {
  if pg_running; then
    as_pg "$(pg_bin pg_ctl)" -D "$pg_dir" -m fast -w stop >/dev/null
    echo "PostgreSQL: stopped"
  fi
}

stop_redis() {
  if redis_running; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    echo "Redis: stopped"
  fi
}

case "${1:-}" in
  start) start_pg; start_redis ;;
  stop) stop_pg; stop_redis ;;
  stop-postgres) stop_pg ;;
  stop-redis) stop_redis ;;
  status)
    if pg_running; then echo "PostgreSQL: running"; else echo "PostgreSQL: stopped"; fi
    if redis_running; then echo "Redis: running"; else echo "Redis: stopped"; fi ;;
  *) echo "usage: $0 start|stop|stop-postgres|stop-redis|status" >&2; exit 2 ;;
esac
