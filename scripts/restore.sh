#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into DATABASE_URL and MEDIA_ROOT.
#
#   scripts/restore.sh [FOLDER]      (or: make restore [BACKUP=FOLDER])
#
# FOLDER defaults to the newest backup under $BACKUP_DIR (default backups/). In this order:
#   1. the manifest's SHA-256 of both files is checked; a damaged backup changes nothing;
#   2. the target database must exist and be empty, and MEDIA_ROOT must be empty or absent,
#      unless FORCE=1: then the database's contents are replaced and the current MEDIA_ROOT is
#      moved aside to MEDIA_ROOT.before-restore-<timestamp> (not deleted);
#   3. pg_restore --clean --if-exists --no-owner in one transaction (all or nothing), then the
#      files are unpacked into MEDIA_ROOT.
set -euo pipefail
# shellcheck source=scripts/pg-tools.sh
source "$(dirname "$0")/pg-tools.sh"

folder=${1:-${BACKUP:-}}
if [ -z "$folder" ]; then
  if [ -d "$BACKUP_DIR" ]; then
    folder=$(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*T*Z' | sort | tail -1)
  fi
  [ -n "$folder" ] || die "no backup found under $BACKUP_DIR (make one with: make backup)"
fi
[ -d "$folder" ] || die "$folder is not a folder"
folder=$(cd "$folder" && pwd)
echo "Restoring $folder"

# 1. The backup is what was written.
[ -f "$folder/$MANIFEST" ] || die "$folder has no $MANIFEST: not a complete backup"
for file in "$DUMP_FILE" "$MEDIA_FILE"; do
  grep -Eq "^[0-9a-f]{64}  $file\$" "$folder/$MANIFEST" || die "$MANIFEST does not list $file"
done
(cd "$folder" && sha256sum --check --strict --quiet "$MANIFEST") ||
  die "checksums do not match: the backup in $folder is damaged; nothing was restored"
echo "Checksums match."

# 2. Never over data by accident.
target=$(database_name "$DATABASE_URL")
major=$(server_major)
pg_restore=$(pg_tool pg_restore "$major")
tables=$("$(any_psql)" "$DATABASE_URL" -XtAc \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
media_files=0
if [ -d "$MEDIA_ROOT" ]; then
  media_files=$(find "$MEDIA_ROOT" -mindepth 1 | wc -l)
fi
if [ "${FORCE:-0}" != 1 ]; then
  problems=""
  [ "$tables" -eq 0 ] || problems="the database $target is not empty ($tables tables)"
  if [ "$media_files" -ne 0 ]; then
    problems="${problems:+$problems; }MEDIA_ROOT $MEDIA_ROOT is not empty"
  fi
  if [ -n "$problems" ]; then
    echo "$(basename "$0"): refusing to restore over existing data: $problems." >&2
    echo "Nothing was changed. To replace the database's contents (and move the current" \
      "MEDIA_ROOT aside), run again with FORCE=1." >&2
    exit 1
  fi
fi

# 3. The database in one transaction, then the files.
"$pg_restore" --clean --if-exists --no-owner --no-acl --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$folder/$DUMP_FILE"
"$(any_psql)" "$DATABASE_URL" -Xqc "ANALYZE"
echo "Database $target restored."

if [ "$media_files" -gt 0 ]; then
  aside="$MEDIA_ROOT.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  mv "$MEDIA_ROOT" "$aside"
  echo "The previous MEDIA_ROOT was moved to $aside"
fi
mkdir -p "$MEDIA_ROOT"
tar --extract --gzip --file="$folder/$MEDIA_FILE" --directory="$MEDIA_ROOT" --no-same-owner
echo "Files restored to $MEDIA_ROOT ($(find "$MEDIA_ROOT" -type f | wc -l) files)."
