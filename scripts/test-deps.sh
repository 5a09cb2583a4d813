#!/usr/bin/env bash
# The programs the tests run besides Node: a real redis-server (quotas and storage in Redis mode) and
# Chromium (the web page's browser test, driven by playwright-core). Run by `npm test` (pretest) and by
# .ci/run. Finds them the way test/helpers/test-deps.ts does: REDIS_SERVER / CHROMIUM_PATH if set, else
# PATH. When one is missing it installs it as root on Debian/Ubuntu; otherwise it names what to install
# and fails, so no test is silently skipped.
set -euo pipefail

# A variable that names no executable is a mistake: it is reported, not replaced by a PATH search.
for var in REDIS_SERVER CHROMIUM_PATH; do
  if [ -n "${!var:-}" ] && [ ! -x "${!var}" ]; then
    echo "comfyrelay tests: ${var}=${!var} is not an executable file" >&2
    exit 1
  fi
done

# Succeeds when the variable is set (checked above) or one of the names is on PATH.
has_dep() {
  local var="$1" name
  shift
  [ -n "${!var:-}" ] && return 0
  for name in "$@"; do
    command -v "$name" >/dev/null 2>&1 && return 0
  done
  return 1
}

all_present() {
  has_dep REDIS_SERVER redis-server && has_dep CHROMIUM_PATH chromium chromium-browser google-chrome
}

missing=()
has_dep REDIS_SERVER redis-server || missing+=(redis-server)
has_dep CHROMIUM_PATH chromium chromium-browser google-chrome || missing+=(chromium)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$EUID" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Chromium's recommended packages include the fonts the page is rendered with.
  apt-get install -y -qq -o APT::Install-Recommends=true "${missing[@]}" >/dev/null
  all_present && exit 0
  echo "test-deps: apt-get installed ${missing[*]} but they are still not found on PATH" >&2
  exit 1
fi

needs="${missing[0]}"
[ "${#missing[@]}" -eq 2 ] && needs="${missing[0]} and ${missing[1]}"
echo "comfyrelay tests need ${needs}: sudo apt-get install ${missing[*]} (or set REDIS_SERVER / CHROMIUM_PATH)" >&2
exit 1
