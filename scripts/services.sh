#!/usr/bin/env bash
# Starts the local services the project uses, where they are installed but stopped:
#   scripts/services.sh redis        the job queue (make run, the tests)
#   scripts/services.sh postgres     the production database (CI, make test-postgres)
# Commands as on these machines (see the machine notes); nothing is installed here.
set -euo pipefail

start_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then return 0; fi
  if ! command -v redis-server >/dev/null; then
    echo "Redis is not running on 127.0.0.1:6379 and redis-server is not installed" >&2
    echo "(Debian: apt-get install redis-server)" >&2
    return 1
  fi
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "Redis did not start" >&2
  return 1
}

start_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
  return 1
}

for service in "$@"; do
  case "$service" in
    redis) start_redis ;;
    postgres) start_postgres ;;
    *) echo "unknown service: $service" >&2; exit 2 ;;
  esac
done
