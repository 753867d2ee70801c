#!/usr/bin/env bash
# Ensures the machine has what hirewire builds, tests and runs with. Idempotent: a second run
# installs nothing. Source it and call hw_ensure_debs / hw_ensure_node_modules, or run it:
#   scripts/lib/deps.sh            # Debian packages + web/node_modules

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The Debian 12 packages. Node.js and npm are only asked for when the machine has no node/npm:
# the image ships node 20 and npm 11 outside dpkg, and a Debian npm would downgrade it.
HW_DEBS=(
  g++ cmake ninja-build ccache pkg-config
  libcaf-dev libboost1.81-dev libpqxx-dev nlohmann-json3-dev libssl-dev libspdlog-dev catch2
  libcurl4-openssl-dev libsodium-dev libbenchmark-dev libjemalloc-dev
  postgresql postgresql-client
  wrk chromium curl
)

hw_missing_debs() {
  local pkg status
  for pkg in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == installed ]] || printf '%s\n' "$pkg"
  done
}

hw_ensure_debs() {
  local want=("${HW_DEBS[@]}")
  # shellcheck disable=SC2206 # word splitting is the point
  if [[ -n "${HW_EXTRA_DEBS:-}" ]]; then want+=(${HW_EXTRA_DEBS}); fi
  if ! command -v node >/dev/null 2>&1; then want+=(nodejs); fi
  if ! command -v npm >/dev/null 2>&1; then want+=(npm); fi

  local missing
  mapfile -t missing < <(hw_missing_debs "${want[@]}")
  if ((${#missing[@]} == 0)); then
    hw_log "deps: all ${#want[@]} Debian packages present; nothing installed"
  else
    hw_log "deps: installing ${missing[*]}"
    hw_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    hw_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    mapfile -t missing < <(hw_missing_debs "${want[@]}")
    ((${#missing[@]} == 0)) || hw_die "deps: still missing after apt-get: ${missing[*]}"
  fi

  # Vite 8 needs node ^20.19 or >=22.12.
  local v
  v=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)'; then
    hw_warn "node $v is older than Vite 8 needs (^20.19 || >=22.12); the web build may fail"
  fi
}

# `npm ci` in web/ when node_modules is missing or package-lock.json (or node) changed since the
# last install; the stamp lives inside node_modules so deleting node_modules resets it.
hw_ensure_node_modules() {
  local web="$HW_ROOT/web" stamp want have=""
  [[ -f "$web/package-lock.json" ]] || hw_die "web/package-lock.json is missing"
  stamp="$web/node_modules/.hirewire-npm-ci.stamp"
  want="$(hw_hash_files "$web/package.json" "$web/package-lock.json") node-$(node -p 'process.versions.node')"
  if [[ -f "$stamp" ]]; then have=$(<"$stamp"); fi
  if [[ -d "$web/node_modules" && "$have" == "$want" ]]; then
    hw_log "deps: web/node_modules is current; npm ci skipped"
    return 0
  fi
  hw_log "deps: npm ci in web/"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$want" >"$stamp"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  hw_ensure_debs
  hw_ensure_node_modules
fi
