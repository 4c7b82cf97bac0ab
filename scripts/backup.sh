#!/usr/bin/env bash
# Back up the database and the uploaded files into one timestamped folder.
#
#   scripts/backup.sh            (or: make backup)
#
# Writes $BACKUP_DIR/<UTC timestamp>/ (default backups/, git-ignored) with
#   database.dump     pg_dump --format=custom of DATABASE_URL (every table, the audit history
#                     and its triggers, the sequences)
#   media.tar.gz      everything under MEDIA_ROOT (dossier documents, product documents,
#                     reports, exports)
#   manifest.sha256   the SHA-256 of both, checked by scripts/restore.sh (`sha256sum -c`)
#   backup.txt        what was backed up, from where, with which tools
# The folder appears under its final name only when it is complete; the files are readable by
# their owner only (the dump holds password hashes).
set -euo pipefail
# shellcheck source=scripts/pg-tools.sh
source "$(dirname "$0")/pg-tools.sh"

umask 077
major=$(server_major)
pg_dump=$(pg_tool pg_dump "$major")
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BACKUP_DIR"
target="$BACKUP_DIR/$stamp"
[ -e "$target" ] && die "$target exists already; try again in a second"
work=$(mktemp -d "$BACKUP_DIR/.incomplete-$stamp.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$pg_dump" --format=custom --compress=6 --file="$work/$DUMP_FILE" --dbname="$DATABASE_URL"

if [ -d "$MEDIA_ROOT" ]; then
  tar --create --gzip --file="$work/$MEDIA_FILE" --directory="$MEDIA_ROOT" .
else
  echo "MEDIA_ROOT $MEDIA_ROOT does not exist: the backup holds no files" >&2
  tar --create --gzip --file="$work/$MEDIA_FILE" --files-from=/dev/null
fi

(cd "$work" && sha256sum "$DUMP_FILE" "$MEDIA_FILE" >"$MANIFEST")
cat >"$work/backup.txt" <<EOF
created: $stamp
database: $(database_name "$DATABASE_URL")
server: PostgreSQL $major
pg_dump: $("$pg_dump" --version)
media_root: $MEDIA_ROOT
media_files: $(tar --list --gzip --file="$work/$MEDIA_FILE" | grep -cv '/$' || true)
EOF

mv "$work" "$target"
trap - EXIT
echo "Backup written to $target"
cat "$target/$MANIFEST"
