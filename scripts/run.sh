#!/usr/bin/env bash
# Brings up the whole desk on one machine: web, worker and beat on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export DATABASE_URL=${DATABASE_URL:-sqlite:///instance/linguadesk.db}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export LINGUADESK_MODELS_DIR=${LINGUADESK_MODELS_DIR:-instance/models}
# Plain http on this machine: cookies without Secure, links built from the address you open.
export LINGUADESK_ENV=${LINGUADESK_ENV:-development}
PORT=${PORT:-8000}
BIN=.venv/bin
mkdir -p instance/logs

if ! "$BIN/python" -c "import redis,os; redis.Redis.from_url(os.environ['REDIS_URL']).ping()" 2>/dev/null; then
  echo "==> Redis is not answering at $REDIS_URL; starting a local redis-server"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile "$PWD/instance/logs/redis.log"
fi

"$BIN/linguadesk" db upgrade
"$BIN/linguadesk" models build-demo
# What will translate each language from English here (cheap checks: no model loads).
engines=$("$BIN/linguadesk" engines --from en)
if [ ! -f instance/admin-password ]; then
  ( umask 077; "$BIN/python" -c "import secrets; print(secrets.token_urlsafe(12))" > instance/admin-password )
fi
# The password goes in on stdin: on the command line every user of the machine could read it.
"$BIN/linguadesk" users create --email admin@linguadesk.local --role admin,editor,reviewer,publisher \
  --languages es,fr --password-stdin --name "Desk admin" --if-missing < instance/admin-password

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# One prefork child per worker keeps one copy of each model in memory; add workers to scale.
"$BIN/celery" -A workers.celery_app:celery worker -Q mt,default -c 1 --pool prefork \
  -l INFO > instance/logs/worker.log 2>&1 & pids+=($!)
"$BIN/celery" -A workers.celery_app:celery beat -l INFO > instance/logs/beat.log 2>&1 & pids+=($!)
"$BIN/gunicorn" -w 2 -b "127.0.0.1:$PORT" --access-logfile instance/logs/web-access.log \
  web.wsgi:app > instance/logs/web.log 2>&1 & pids+=($!)

for _ in $(seq 1 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/login" && break
  sleep 0.5
done
cat <<MSG

  Linguadesk is running: open http://127.0.0.1:$PORT/
  Sign in as admin@linguadesk.local with password $(cat instance/admin-password)
  (web, worker and beat logs are in instance/logs/; Ctrl+C stops everything)

  From English, each language will be translated by:
$engines
  (\`linguadesk models pull en-de\` installs a real model; \`linguadesk engines\` lists every pair)

MSG
wait -n "${pids[@]}"
