# shellcheck shell=bash
# Shared helpers for scripts/*: strict mode, the repo root, logging, privilege escalation.
# Source it; do not execute it.

set -euo pipefail

if [[ -z "${HW_ROOT:-}" ]]; then
  HW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fi
export HW_ROOT

# Messages go to stderr so that stdout stays usable for values (ports, paths).
hw_log() { printf '[hirewire] %s\n' "$*" >&2; }
hw_warn() { printf '[hirewire] warning: %s\n' "$*" >&2; }
hw_die() {
  printf '[hirewire] error: %s\n' "$*" >&2
  exit 1
}

hw_is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Runs a command as root: directly when we are root, through sudo otherwise.
hw_as_root() {
  if hw_is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    hw_die "need root for: $* (and sudo is not installed)"
  fi
}

# Prints the sha256 of the given files' contents and names (missing files count as empty).
hw_hash_files() {
  local f
  for f in "$@"; do
    printf '%s\n' "$f"
    [[ -f "$f" ]] && cat -- "$f"
  done | sha256sum | cut -d' ' -f1
}

# Prints the sha256 of every file under the given paths (relative to the current directory).
hw_hash_tree() {
  local p present=()
  for p in "$@"; do
    if [[ -e "$p" ]]; then present+=("$p"); fi
  done
  if ((${#present[@]} == 0)); then
    echo none
    return 0
  fi
  find "${present[@]}" -type f ! -name '*.swp' -print0 | LC_ALL=C sort -z |
    xargs -0 -r sha256sum | sha256sum | cut -d' ' -f1
}

# A TCP port on 127.0.0.1 that nothing listens on right now.
hw_free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  hw_die "no free TCP port found"
}

# Prints the HTTP status of GET http://HOST:PORT/PATH, or 000 when nothing answers.
hw_http_status() {
  curl -s -o /dev/null -m 5 -w '%{http_code}' "http://$1:$2$3" 2>/dev/null || true
}

# Waits until GET URL answers 200, the process PID (if given) is alive, for at most SECONDS.
hw_wait_http_ok() {
  local host=$1 port=$2 path=$3 seconds=${4:-60} pid=${5:-} i code
  for ((i = 0; i < seconds * 5; i++)); do
    code=$(hw_http_status "$host" "$port" "$path")
    [[ "$code" == 200 ]] && return 0
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      hw_warn "process $pid exited while waiting for http://$host:$port$path"
      return 1
    fi
    sleep 0.2
  done
  hw_warn "timed out after ${seconds}s waiting for http://$host:$port$path (last status $code)"
  return 1
}

# Sends SIGTERM to PID, waits up to SECONDS (default 20) for it, then SIGKILL.
# Returns the process's exit status (or 137 when it had to be killed).
hw_stop_pid() {
  local pid=$1 seconds=${2:-20} i rc=0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || rc=$?; return "$rc"; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < seconds * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    hw_warn "process $pid ignored SIGTERM for ${seconds}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || rc=$?
  return "$rc"
}
