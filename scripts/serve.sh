#!/usr/bin/env bash
# Serves the app; with REDIS_URL set, also a Celery worker with the beat scheduler.
set -euo pipefail
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "${REDIS_URL:-}" ]; then
  echo "Starting Celery worker and beat against $REDIS_URL"
  "$(dirname "$PY")/celery" -A ipvb worker --beat --loglevel=INFO --concurrency=2 \
    --schedule="${TMPDIR:-/tmp}/ipvb-celerybeat-schedule" &
  pids+=($!)
else
  echo "REDIS_URL not set: background tasks run in-process."
fi
echo "iPVB is served at http://$HOST:$PORT/ (log in with a demo login above)"
"$PY" manage.py runserver "$HOST:$PORT"
