#!/usr/bin/env bash
# End-to-end proof of the PostgreSQL role separation with real logins (CI runs it): a scratch
# database and two roles are created, migrations run as the owner, the application's work runs
# as the application role, and every way of rewriting the audit log fails for that role.
# Everything is dropped afterwards. Needs a superuser at PG_ADMIN_URL (default: postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
HOSTPORT=${PG_HOSTPORT:-127.0.0.1:5432}
ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@$HOSTPORT/postgres}
NAME=acc_roles_check_$$
OWNER=${NAME}_owner
APP=${NAME}_app
export DJANGO_SETTINGS_MODULE=config.settings
export AUDIT_ANCHOR_DIR
AUDIT_ANCHOR_DIR=$(mktemp -d)

cleanup() {
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $NAME" >/dev/null 2>&1 || true
  psql -q "$ADMIN_URL" -c "DROP ROLE IF EXISTS $APP" >/dev/null 2>&1 || true
  psql -q "$ADMIN_URL" -c "DROP ROLE IF EXISTS $OWNER" >/dev/null 2>&1 || true
  rm -rf "$AUDIT_ANCHOR_DIR"
}
trap cleanup EXIT

psql -q -v ON_ERROR_STOP=1 "$ADMIN_URL" -c "CREATE DATABASE $NAME"
DATABASE_URL="postgres://postgres@$HOSTPORT/$NAME" "$BIN/accountability" db-roles --create \
  --owner "$OWNER" --app "$APP" --apply >/dev/null
DATABASE_MIGRATION_URL="postgres://$OWNER@$HOSTPORT/$NAME" BIN="$BIN" \
  scripts/migrate-as-owner.sh --owner "$OWNER" --app "$APP" >/dev/null
export DATABASE_URL="postgres://$APP@$HOSTPORT/$NAME"
"$BIN/accountability" db-roles --check --role "$APP"
"$BIN/python" scripts/pg_roles_work.py
for sql in \
  "UPDATE audit_auditentry SET detail = 'x'" \
  "DELETE FROM audit_auditentry" \
  "TRUNCATE audit_auditentry" \
  "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL" \
  "DROP TRIGGER audit_entry_append_only ON audit_auditentry" \
  "DELETE FROM audit_auditchainhead" \
  "UPDATE audit_auditchainhead SET seq = 1" \
  "SET session_replication_role = replica"; do
  if psql -q "$DATABASE_URL" -c "$sql" >/dev/null 2>&1; then
    echo "FAIL: the application role could run: $sql" >&2
    exit 1
  fi
done
"$BIN/accountability" verify-audit
echo "PostgreSQL roles: the application role appends to the audit log and cannot rewrite it"
