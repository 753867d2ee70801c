#!/usr/bin/env bash
# Browser end-to-end test: the real server, a fresh database, headless Chromium.
#   tests/e2e/browser_test.sh path/to/hirewire
# Needs HW_PG_TEST_DSN (a role that may CREATE DATABASE; scripts/test provides it), web/dist
# (built here if missing) and web/node_modules (playwright-core). Exit 0 pass, 1 fail, 77 skip.
# The flows (*.mjs) share tests/e2e/lib.mjs.
# The ATS flow needs the fake vendor process hw_fake_ats: HW_FAKE_ATS, else <build>/tests/hw_fake_ats
# next to the server binary; it runs before the server, which is pointed at it.
# Writes HW_E2E_OUT_DIR/e2e-status.png, e2e-accounts-*.png, e2e-ats-*.png, e2e-content-*.png (default build/),
# e2e-server.log and e2e-fake-ats.log.

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../../scripts/lib/common.sh
source "$root/scripts/lib/common.sh"

server=${1:-}
[[ -n "$server" ]] || hw_die "usage: $0 SERVER_BINARY"
server=$(cd "$(dirname "$server")" && pwd)/$(basename "$server")
[[ -x "$server" ]] || hw_die "server binary $server is not executable"

if [[ -z "${HW_PG_TEST_DSN:-}" ]]; then
  echo "HW_PG_TEST_DSN is not set: skipping the browser test (scripts/test sets it)"
  exit 77
fi
fake_ats=${HW_FAKE_ATS:-$(dirname "$server")/tests/hw_fake_ats}
[[ -x "$fake_ats" ]] || hw_die "the fake ATS $fake_ats is missing (cmake --build <build> --target hw_fake_ats, or set HW_FAKE_ATS)"
[[ -x /usr/bin/chromium ]] || hw_die "/usr/bin/chromium is missing (apt-get install chromium)"
[[ -d "$root/web/node_modules/playwright-core" ]] || hw_die "web/node_modules is missing (cd web && npm ci)"
if [[ ! -f "$root/web/dist/index.html" ]]; then
  echo "web/dist is missing; building it"
  (cd "$root/web" && npm run --silent build)
fi

out_dir="${HW_E2E_OUT_DIR:-$root/build}"
mkdir -p "$out_dir"
server_log="$out_dir/e2e-server.log"
fake_log="$out_dir/e2e-fake-ats.log"
fake_hello="$out_dir/e2e-fake-ats.json"
screenshot="$out_dir/e2e-status.png"

db="hw_e2e_browser_$$_${RANDOM}"
# Later keywords win in a libpq conninfo, but strip dbname anyway so the DSN reads plainly.
base_dsn=$(sed -E 's/(^|[[:space:]])dbname=[^[:space:]]*//g' <<<"$HW_PG_TEST_DSN")
admin_dsn="$base_dsn dbname=postgres"
db_dsn="$base_dsn dbname=$db"
# The server serves as a role that owns nothing and is subject to row-level security, like in
# production; migrations run as the admin (db.migrate-dsn).
app_role="$db"
serve_dsn="$(sed -E 's/(^|[[:space:]])user=[^[:space:]]*//g' <<<"$base_dsn") user=$app_role dbname=$db"
port=$(hw_free_port)
server_pid=""
fake_pid=""
db_created=0

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$server_pid" ]]; then
    local src=0
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" 2>/dev/null || src=$?
      echo "FAIL: the server exited early with status $src"
      ((rc != 0)) || rc=1
    elif hw_stop_pid "$server_pid" 20 || src=$?; ((src != 0)); then
      echo "FAIL: the server did not stop cleanly on SIGTERM (exit status $src)"
      ((rc != 0)) || rc=1
    else
      echo "ok: server stopped on SIGTERM with status 0"
    fi
  fi
  if [[ -n "$fake_pid" ]]; then
    hw_stop_pid "$fake_pid" 10 >/dev/null 2>&1 || true
  fi
  if ((rc != 0)) && [[ -f "$server_log" ]]; then
    echo "---- last lines of $server_log ----"
    tail -n 40 "$server_log" || true
  fi
  if ((rc != 0)) && [[ -s "$fake_log" ]]; then
    echo "---- last lines of $fake_log ----"
    tail -n 20 "$fake_log" || true
  fi
  if ((db_created)); then
    psql -X -q "$admin_dsn" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 ||
      echo "warning: could not drop database $db"
    psql -X -q "$admin_dsn" -c "DROP ROLE IF EXISTS \"$app_role\"" >/dev/null 2>&1 ||
      echo "warning: could not drop role $app_role"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

psql -X -q -v ON_ERROR_STOP=1 "$admin_dsn" -c "CREATE DATABASE \"$db\"" >/dev/null
db_created=1
psql -X -q -v ON_ERROR_STOP=1 "$admin_dsn" \
  -c "CREATE ROLE \"$app_role\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS" >/dev/null
echo "ok: created database $db"

# Only our settings: the server refuses unknown HIREWIRE_* variables.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^HIREWIRE_' || true)
export HIREWIRE_DB_MIGRATE_DSN="$db_dsn"
export HIREWIRE_DB_DSN="$serve_dsn"
export HIREWIRE_HTTP_ADDRESS=127.0.0.1
export HIREWIRE_HTTP_PORT="$port"
export HIREWIRE_HTTP_STATIC_DIR="$root/web/dist"
HIREWIRE_ADMIN_TOKEN="e2e-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export HIREWIRE_ADMIN_TOKEN

# A fake Greenhouse (OAuth client gh-client-id / gh-client-secret, 3 jobs, 12 candidates, control
# API for the test). --ignore-stdin: a background job's stdin is /dev/null, whose EOF would stop it.
rm -f "$fake_hello"
"$fake_ats" --vendor=greenhouse --port=0 --seed-jobs=3 --seed-candidates=12 --wall-clock --control \
  --ignore-stdin >"$fake_hello" 2>"$fake_log" &
fake_pid=$!
for ((i = 0; i < 100; i++)); do
  [[ -s "$fake_hello" ]] && break
  kill -0 "$fake_pid" 2>/dev/null || hw_die "hw_fake_ats exited early (log $fake_log)"
  sleep 0.1
done
fake_url=$(node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]; console.log(JSON.parse(l).base_url)' "$fake_hello") ||
  hw_die "hw_fake_ats printed no base_url (see $fake_hello, $fake_log)"
echo "started the fake Greenhouse at $fake_url (pid $fake_pid)"
export HIREWIRE_ATS_GREENHOUSE_API_URL="$fake_url"
export HIREWIRE_ATS_GREENHOUSE_TOKEN_URL="$fake_url/token"

cd "$root"
"$server" >"$server_log" 2>&1 &
server_pid=$!
echo "started $server on 127.0.0.1:$port (pid $server_pid, log $server_log)"

hw_wait_http_ok 127.0.0.1 "$port" /healthz 60 "$server_pid" || exit 1
echo "ok: /healthz answers 200"

node "$here/status_page.mjs" --base-url "http://127.0.0.1:$port" --screenshot "$screenshot"

# People and access (issue 3): sign-up, invitations through the dev mailbox, roles, sign-out.
node "$here/accounts_flow.mjs" --base-url "http://127.0.0.1:$port" --out-dir "$out_dir"

# ATS integration (issue 4): connect the fake Greenhouse, sync, jobs, pipeline, webhooks, viewer.
node "$here/ats_flow.mjs" --base-url "http://127.0.0.1:$port" --fake-url "$fake_url" --out-dir "$out_dir"

# Interview content (issue 5): a template generated from an imported job's description, drafts
# approved by a second user, the template approved, the job ready to invite; script injection.
node "$here/content_flow.mjs" --base-url "http://127.0.0.1:$port" --fake-url "$fake_url" --out-dir "$out_dir"
echo "PASS: browser e2e (screenshots $screenshot, $out_dir/e2e-accounts-*.png, $out_dir/e2e-ats-*.png, $out_dir/e2e-content-*.png)"
