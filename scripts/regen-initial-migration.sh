#!/usr/bin/env bash
# Regenerates the single initial migration from the models. Only for use before the
# schema has been released; afterwards every change is a new revision.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/nq57-regen.lock
flock 9
tmpdb=$(mktemp -u /tmp/nq57-regen-XXXXXX.db)
rm -f migrations/versions/*initial_schema.py
NQ57_DATABASE_URL="sqlite:///$tmpdb" .venv/bin/alembic revision --autogenerate \
  --rev-id 4e4c2068f065 -m "initial schema" >/dev/null 2>&1
mv migrations/versions/*initial_schema.py migrations/versions/2026-11-26-1525_initial_schema.py
rm -f "$tmpdb"
echo "regenerated migrations/versions/2026-11-26-1525_initial_schema.py"
