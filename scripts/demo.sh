#!/usr/bin/env bash
# Run Regiomonitor with demo data: database, broker, a Celery worker and the web server.
# Ctrl-C stops everything this script started. Running it again reuses the data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
py=.venv/bin/python
port=${PORT:-8000}

before=$(scripts/services.sh status)
scripts/services.sh start
pids=()

cleanup() {
  trap - EXIT
  echo
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if echo "$before" | grep -q "PostgreSQL: stopped" && [ -z "${DATABASE_URL:-}" ]; then
    scripts/services.sh stop-postgres
  fi
  if echo "$before" | grep -q "Redis: stopped" && [ -z "${REDIS_URL:-}" ]; then
    scripts/services.sh stop-redis
  fi
}
trap cleanup EXIT
trap "exit 0" INT TERM

# As in production: DEBUG off, so an unknown URL or an error shows the app's own 404 and 500
# pages (templates/404.html, 500.html), never Django's debug pages; WhiteNoise serves static
# files either way. DEBUG=true make demo turns the debug pages back on.
export DEBUG=${DEBUG:-false}
$py manage.py migrate --noinput -v0
$py manage.py load_reference_data
$py manage.py load_demo_data

# E-mail: without an SMTP server configured (EMAIL_HOST), a local one with a web inbox
# (MailDev, from npm) catches everything the demo sends; nothing leaves the machine.
mail_web=""
if [ -z "${EMAIL_HOST:-}" ]; then
  smtp_port=${REGIOMONITOR_SMTP_PORT:-1025}
  web_port=${REGIOMONITOR_MAIL_WEB_PORT:-1080}
  node_modules/.bin/maildev --ip 127.0.0.1 --smtp "$smtp_port" --web "$web_port" \
    --mail-directory "$root/.local/maildev" --silent &
  pids+=($!)
  export EMAIL_HOST=127.0.0.1 EMAIL_PORT=$smtp_port
  mail_web="http://127.0.0.1:$web_port/"
fi

$py -m celery -A config worker -Q default -n default@%h --concurrency 2 -l warning &
pids+=($!)
# PDFs and dossier exports: their own queue, one render at a time; a fresh pool process
# every 25 renders keeps the memory WeasyPrint and Pango build up bounded.
$py -m celery -A config worker -Q pdf -n pdf@%h --concurrency 1 --max-tasks-per-child 1 -l warning &
pids+=($!)
# The scheduler that freezes each quarter on the first day after it.
$py -m celery -A config beat -l warning --schedule "$root/.local/celerybeat-schedule" &
pids+=($!)
$py -m gunicorn config.wsgi --bind "127.0.0.1:$port" --workers 2 --threads 4 \
  --graceful-timeout 5 --access-logfile - --log-level warning &
pids+=($!)

sleep 2
cat <<MSG

  Regiomonitor runs at http://127.0.0.1:$port/
  Log in with one of the demo accounts above (password: regiomonitor-demo).${mail_web:+
  E-mail it sends arrives in the inbox at $mail_web}
  Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
