#!/usr/bin/env bash
# `npm test` after the lint: the type-check (TypeScript 7, held to one thread: ~5 s) runs beside the
# tests instead of before them; the run fails if either does, and says which.
set -uo pipefail
npm run -s typecheck -- --singleThreaded > >(sed 's/^/typecheck: /') 2>&1 &
typecheck=$!
npm run -s test:unit
tests=$?
wait "$typecheck"
checked=$?
[ "$checked" -eq 0 ] || echo "typecheck failed (tsc --noEmit exit $checked)" >&2
exit $(( tests != 0 || checked != 0 ))
