#!/usr/bin/env bash
# Private PostgreSQL and Redis for a local run, under the git-ignored .local/ folder.
#
#   scripts/services.sh start    start what is not running (skips a service whose URL is set)
#   scripts/services.sh stop     stop the private servers
#   scripts/services.sh status   say what runs
#   scripts/services.sh destroy  stop them and delete their data (database and queue)
#
# With DATABASE_URL (or REDIS_URL) set in the environment, that service is left alone: the
# application uses the one you configured. The defaults below match config/settings.py.
#
# Where the database lives. Run as an ordinary user, the server runs as that user with its data
# in .local/postgres. PostgreSQL refuses to run as root: under root it runs as the `postgres`
# system user, which cannot pass through a folder that only root may enter (a home folder such
# as /root, a `mktemp -d` folder). When it cannot reach .local/, the cluster lives in
# /var/lib/regiomonitor/<checkout name>-<hash of its path>/ instead (owner postgres, mode 0700),
# and .local/postgres.location records that folder, so every later run finds the same data.
# Either way the data belongs to this checkout alone. REGIOMONITOR_PG_HOME chooses the folder.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
local_dir="$root/.local"
location_file="$local_dir/postgres.location"
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
    # From /, which every user may enter: the tools change back to their working folder.
    (cd / && runuser -u "$pg_owner" -- "$@")
  else
    "$@"
  fi
}

pg_owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
  pg_owner=postgres
  getent passwd "$pg_owner" >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_owner"
fi

# pg_home: the folder outside the checkout holding data/ and run/, or empty for .local/.
pg_home=${REGIOMONITOR_PG_HOME:-}
if [ -z "$pg_home" ] && [ -s "$location_file" ]; then
  pg_home=$(cat "$location_file")
fi
if [ -z "$pg_home" ] && [ "$(id -u)" = 0 ] && [ ! -f "$local_dir/postgres/PG_VERSION" ]; then
  mkdir -p "$local_dir"
  chmod 755 "$local_dir"
  if ! (cd / && runuser -u "$pg_owner" -- test -x "$local_dir"); then
    pg_home="/var/lib/regiomonitor/$(basename "$root")-$(printf '%s' "$root" | sha256sum | cut -c1-12)"
  fi
fi
if [ -n "$pg_home" ]; then
  pg_dir="$pg_home/data"
  pg_run="$pg_home/run"
else
  pg_dir="$local_dir/postgres"
  pg_run="$local_dir/run"
fi

# When the machine stops the private PostgreSQL: one plain line on what to do, then stop.
refuse() {
  echo "$*" >&2
  exit 1
}

pg_running() {
  [ -f "$pg_dir/postmaster.pid" ] && as_pg "$(pg_bin pg_ctl)" -D "$pg_dir" status >/dev/null 2>&1
}

redis_answers() {
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG
}

# Our own Redis answers on the port: its data folder is this checkout's.
redis_running() {
  redis_answers && [ -d "$redis_dir" ] &&
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config get dir 2>/dev/null | sed -n 2p)" = \
      "$(cd "$redis_dir" && pwd -P)" ]
}

start_pg() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "PostgreSQL: using DATABASE_URL"; return; fi
  mkdir -p "$local_dir"
  chmod 755 "$local_dir"
  if [ -n "$pg_home" ]; then
    mkdir -p "$pg_home" 2>/dev/null ||
      refuse "Cannot create $pg_home for the private PostgreSQL: set REGIOMONITOR_PG_HOME to a folder user $pg_owner may use, or set DATABASE_URL."
    [ "$(id -u)" = 0 ] && chown "$pg_owner" "$pg_home"
    chmod 700 "$pg_home"
    [ -n "${REGIOMONITOR_PG_HOME:-}" ] || echo "$pg_home" >"$location_file"
  fi
  mkdir -p "$pg_dir" "$pg_run"
  if [ "$(id -u)" = 0 ]; then
    chown "$pg_owner" "$pg_dir" "$pg_run"
    (cd / && runuser -u "$pg_owner" -- test -w "$pg_dir") ||
      refuse "User $pg_owner cannot reach $pg_dir: set REGIOMONITOR_PG_HOME to a folder it may enter, or set DATABASE_URL."
  fi
  chmod 700 "$pg_dir"
  if [ ! -f "$pg_dir/PG_VERSION" ]; then
    pwfile=$(mktemp)
    echo "$PG_PASSWORD" >"$pwfile"
    chown "$pg_owner" "$pwfile"
    as_pg "$(pg_bin initdb)" -D "$pg_dir" -U "$PG_USER" --pwfile="$pwfile" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$local_dir/initdb.log"
    rm -f "$pwfile"
  fi
  export PGPASSWORD=$PG_PASSWORD
  if pg_running; then
    echo "PostgreSQL: already running on 127.0.0.1:$PG_PORT"
  elif pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
    # Another server (another checkout's make demo, say) holds the port: its data is not ours.
    refuse "Port $PG_PORT is taken by another PostgreSQL: stop it, or choose free ports with REGIOMONITOR_PG_PORT and REGIOMONITOR_REDIS_PORT, or set DATABASE_URL."
  else
    as_pg "$(pg_bin pg_ctl)" -D "$pg_dir" -l "$pg_dir/server.log" -w -t 60 start \
      -o "-p $PG_PORT -k $pg_run -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c max_connections=200" >/dev/null
    echo "PostgreSQL: started on 127.0.0.1:$PG_PORT (data in $pg_dir)"
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
  if redis_answers; then
    refuse "Port $REDIS_PORT is taken by another Redis: stop it, or choose free ports with REGIOMONITOR_PG_PORT and REGIOMONITOR_REDIS_PORT, or set REDIS_URL."
  fi
  # The queue survives a restart: every write goes to an append-only file, synced each second.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$redis_dir" --daemonize yes \
    --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" \
    --save "" --appendonly yes --appendfsync everysec >/dev/null
  for _ in $(seq 1 50); do redis_running && break; sleep 0.1; done
  redis_running || refuse "Redis did not start; see .local/redis/redis.log"
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
    # SHUTDOWN writes the append-only file out before it exits (no snapshot is configured).
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
    echo "Redis: stopped"
  fi
}

destroy() {
  stop_pg
  stop_redis
  rm -rf "$pg_dir" "$pg_run" "$redis_dir" "$location_file" "$local_dir/initdb.log"
  if [ -n "$pg_home" ]; then rmdir "$pg_home" 2>/dev/null || true; fi
  echo "Private PostgreSQL and Redis data removed"
}

case "${1:-}" in
  start) start_pg; start_redis ;;
  stop) stop_pg; stop_redis ;;
  destroy) destroy ;;
  stop-postgres) stop_pg ;;
  stop-redis) stop_redis ;;
  status)
    if pg_running; then echo "PostgreSQL: running"; else echo "PostgreSQL: stopped"; fi
    if redis_running; then echo "Redis: running"; else echo "Redis: stopped"; fi ;;
  *) echo "usage: $0 start|stop|stop-postgres|stop-redis|status|destroy" >&2; exit 2 ;;
esac
