# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run).
#
# The database and media folder are the application's own (config/settings.py): DATABASE_URL,
# else the private PostgreSQL of scripts/services.sh; MEDIA_ROOT, else .local/media.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATABASE_URL=${DATABASE_URL:-postgres://regiomonitor:regiomonitor@127.0.0.1:${REGIOMONITOR_PG_PORT:-55432}/regiomonitor}
MEDIA_ROOT=${MEDIA_ROOT:-$root/.local/media}
BACKUP_DIR=${BACKUP_DIR:-$root/backups}
DUMP_FILE=database.dump
MEDIA_FILE=media.tar.gz
MANIFEST=manifest.sha256

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# A client for a quick question to the server; any version answers SHOW and SELECT.
any_psql() {
  local found
  if found=$(command -v psql 2>/dev/null); then echo "$found"; return; fi
  found=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
  [ -n "$found" ] || die "psql not found; run scripts/install-system-deps.sh"
  echo "$found"
}

# The database name in a URL (without its query string), for messages.
database_name() {
  local path=${1#*://}
  path=${path#*/}
  echo "${path%%\?*}"
}

server_major() {
  local version
  version=$("$(any_psql)" "$DATABASE_URL" -XtAc "SHOW server_version_num") ||
    die "cannot reach the database $(database_name "$DATABASE_URL") (is it running? make services)"
  echo $((version / 10000))
}

# pg_dump and pg_restore of the server's own major version: an older client cannot read a newer
# server, and a dump is only guaranteed to restore with the same or a newer pg_restore.
pg_tool() {
  local tool=$1 major=$2 candidate
  for candidate in "${PG_BINDIR:+$PG_BINDIR/$tool}" "/usr/lib/postgresql/$major/bin/$tool" \
    "$(command -v "$tool" 2>/dev/null || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" --version | grep -Eq "\) $major(\.|[^0-9])"; then
      echo "$candidate"
      return
    fi
  done
  die "no $tool of PostgreSQL $major found (the server's version); install postgresql-client-$major or set PG_BINDIR"
}
