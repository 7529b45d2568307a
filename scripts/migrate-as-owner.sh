#!/usr/bin/env bash
# Production migrations on PostgreSQL: migrate as the owner role, then give the application role
# its grants again (the audit tables: SELECT and INSERT only). The application itself connects
# with DATABASE_URL (the application role); this script uses DATABASE_MIGRATION_URL (the owner).
#
#   DATABASE_MIGRATION_URL=postgres://accountability_owner@db:5432/accountability \
#     scripts/migrate-as-owner.sh [--owner accountability_owner] [--app accountability_app]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
: "${DATABASE_MIGRATION_URL:?set DATABASE_MIGRATION_URL to the connection of the owner role}"
DATABASE_URL="$DATABASE_MIGRATION_URL" "$BIN/accountability" migrate --noinput
DATABASE_URL="$DATABASE_MIGRATION_URL" "$BIN/accountability" db-roles --grant --apply "$@"
