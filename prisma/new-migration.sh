#!/usr/bin/env bash
# Authors a migration offline: diffs the last committed schema.prisma (or nothing, for
# the first) against the working one, through a throwaway in-memory PGlite.
#   npm run db:migration -- <name>
set -euo pipefail
name="${1:?usage: npm run db:migration -- <name>}"
cd "$(dirname "$0")/.."
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
prev=$(mktemp --suffix=.prisma)
trap 'rm -f "$prev"' EXIT
if git cat-file -e HEAD:prisma/schema.prisma 2>/dev/null; then
  git show HEAD:prisma/schema.prisma >"$prev"
  from=(--from-schema-datamodel "$prev")
else
  from=(--from-empty)
fi
mkdir -p "$dir"
LABGRAPH_PRISMA_SCRATCH=1 npx prisma migrate diff --config prisma/prisma.config.ts "${from[@]}" \
  --to-schema-datamodel prisma/schema.prisma --script >"$dir/migration.sql"
echo "wrote $dir/migration.sql: review it, add what Prisma cannot express (partial indexes, sequences, triggers), commit it"
