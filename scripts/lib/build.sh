#!/usr/bin/env bash
# Builds the C++ tree into build/ (Ninja + ccache) and the SPA into web/dist.
#   BUILD_TYPE=Debug scripts/lib/build.sh     # default RelWithDebInfo
#   HW_BUILD_DIR=/tmp/b scripts/lib/build.sh  # default build/
#   HW_JOBS=1 ...                             # ninja -j (default: ninja's own choice)

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HW_BUILD_DIR="${HW_BUILD_DIR:-$HW_ROOT/build}"
export HW_BUILD_DIR

# hw_build_cpp [TARGET...]: all targets when none is given.
hw_build_cpp() {
  local targets=("$@")
  local type="${BUILD_TYPE:-RelWithDebInfo}" cache="$HW_BUILD_DIR/CMakeCache.txt" have_type=""
  if [[ -f "$cache" ]]; then
    have_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
    if ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$cache"; then
      hw_die "$HW_BUILD_DIR was configured with another generator; remove it or set HW_BUILD_DIR"
    fi
  fi
  if [[ ! -f "$cache" || "$have_type" != "$type" ]]; then
    local launcher=()
    if command -v ccache >/dev/null 2>&1; then
      launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    hw_log "build: configuring $HW_BUILD_DIR ($type)"
    cmake -S "$HW_ROOT" -B "$HW_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${launcher[@]}"
  fi
  hw_log "build: ninja -C $HW_BUILD_DIR ${targets[*]}"
  local jobs=()
  if [[ -n "${HW_JOBS:-}" ]]; then jobs=(-j "$HW_JOBS"); fi
  ninja -C "$HW_BUILD_DIR" "${jobs[@]}" "${targets[@]}"
}

# The inputs of the web build; dist is rebuilt when their hash changes.
hw_web_inputs_hash() {
  (cd "$HW_ROOT/web" && hw_hash_tree src public index.html package.json package-lock.json \
    vite.config.ts tsconfig.json)
}

hw_build_web() {
  local web="$HW_ROOT/web" stamp="$HW_ROOT/web/dist/.hirewire-build.stamp" want have=""
  want=$(hw_web_inputs_hash)
  if [[ -f "$stamp" ]]; then have=$(<"$stamp"); fi
  if [[ -f "$web/dist/index.html" && "$have" == "$want" ]]; then
    hw_log "build: web/dist is current"
    return 0
  fi
  hw_log "build: npm run build (web/ -> web/dist)"
  (cd "$web" && npm run --silent build)
  printf '%s\n' "$want" >"$stamp"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # shellcheck source=deps.sh
  source "$(dirname "${BASH_SOURCE[0]}")/deps.sh"
  hw_ensure_node_modules
  hw_build_cpp
  hw_build_web
fi
