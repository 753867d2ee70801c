#!/usr/bin/env bash
# A private PostgreSQL 15 cluster in a directory of our own, on 127.0.0.1 only.
#
# Layout of a cluster root DIR:  DIR/data (PGDATA)  DIR/.s.PGSQL.<port> (socket)  DIR/postgres.log
# As root the server runs as the `postgres` user (initdb refuses root) and DIR is chowned to it;
# otherwise it runs as the calling user. The superuser role is always `postgres`, with trust auth
# for local and 127.0.0.1 connections, so DSNs look like
#   host=127.0.0.1 port=PORT user=postgres dbname=NAME
#
# Standalone use:
#   scripts/lib/pg.sh start DIR PORT [-c name=value ...]   # initdb if needed, start, wait
#   scripts/lib/pg.sh stop DIR
#   scripts/lib/pg.sh status DIR
#   scripts/lib/pg.sh createdb PORT NAME [OWNER]           # idempotent
#   scripts/lib/pg.sh free-port

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

hw_pg_bindir() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [[ -x "$d/pg_ctl" && -x "$d/initdb" ]]; then
      echo "$d"
      return 0
    fi
  done
  hw_die "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
}

# The user that owns and runs the cluster.
hw_pg_os_user() {
  if hw_is_root; then echo postgres; else id -un; fi
}

# Runs a command as the cluster's OS user, from DIR (a cwd it can read).
hw_pg_run() {
  local dir=$1
  shift
  if hw_is_root; then
    (cd "$dir" && runuser -u postgres -- "$@")
  else
    (cd "$dir" && "$@")
  fi
}

hw_pg_is_running() {
  local dir=$1 bin
  bin=$(hw_pg_bindir)
  [[ -f "$dir/data/PG_VERSION" ]] || return 1
  hw_pg_run "$dir" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

# hw_pg_start DIR PORT [-c name=value ...]: initdb (once), start, wait until it accepts connections.
hw_pg_start() {
  local dir=$1 port=$2
  shift 2
  local bin user
  bin=$(hw_pg_bindir)
  user=$(hw_pg_os_user)

  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if hw_is_root; then
    id postgres >/dev/null 2>&1 || hw_die "no postgres user (install postgresql-common)"
    chown -R postgres:postgres "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      hw_die "user postgres cannot reach $dir (a parent directory is not searchable); use a directory under /tmp or /var"
    fi
  fi
  chmod 700 "$dir"

  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    hw_log "pg: initdb $dir/data (as $user)"
    hw_pg_run "$dir" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      hw_die "initdb failed"
    }
  fi

  if hw_pg_is_running "$dir"; then
    local have_port
    have_port=$(sed -n 4p "$dir/data/postmaster.pid" 2>/dev/null || true)
    if [[ "$have_port" != "$port" ]]; then
      hw_die "the cluster in $dir already runs on port $have_port, not $port; stop it first"
    fi
    hw_log "pg: already running ($dir, port $port)"
  else
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      hw_die "port $port on 127.0.0.1 is taken by another process"
    fi
    # Options go on the postgres command line (pg_ctl runs it through sh, hence the quoting).
    local opts="-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c unix_socket_permissions=0770"
    local o
    for o in "$@"; do opts+=" '$o'"; done
    hw_log "pg: starting on 127.0.0.1:$port ($dir)"
    if ! hw_pg_run "$dir" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "$opts" -w -t 60 \
      start >/dev/null; then
      tail -n 30 "$dir/postgres.log" >&2 || true
      hw_die "PostgreSQL did not start"
    fi
  fi

  local i
  for ((i = 0; i < 100; i++)); do
    if pg_isready -q -h 127.0.0.1 -p "$port"; then
      return 0
    fi
    sleep 0.1
  done
  hw_die "PostgreSQL on port $port is not ready after 10s"
}

# hw_pg_stop DIR: fast shutdown (rolls back open transactions, disconnects clients), waits for it.
hw_pg_stop() {
  local dir=$1 bin
  bin=$(hw_pg_bindir)
  if hw_pg_is_running "$dir"; then
    hw_pg_run "$dir" "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    hw_log "pg: stopped ($dir)"
  fi
}

# hw_pg_psql PORT [psql args...]: psql as the superuser against database postgres.
hw_pg_psql() {
  local port=$1
  shift
  PGCONNECT_TIMEOUT=10 psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
}

# hw_pg_ensure_db PORT NAME [OWNER]: creates the role OWNER (LOGIN) and database NAME unless they exist.
hw_pg_ensure_db() {
  local port=$1 db=$2 owner=${3:-postgres}
  hw_pg_psql "$port" -v db="$db" -v owner="$owner" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner')\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')\gexec
SQL
}

# hw_pg_ensure_login_role PORT NAME: a login role that owns nothing, is no superuser and does not
# bypass row-level security: what the server serves as. The server's migrations (run as the owner
# through db.migrate-dsn) make it a member of the group role hirewire_app, which holds the table
# privileges.
hw_pg_ensure_login_role() {
  local port=$1 name=$2
  hw_pg_psql "$port" -v name="$name" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name')\gexec
SQL
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  cmd=${1:-}
  shift || true
  case "$cmd" in
    start) hw_pg_start "$@" ;;
    stop) hw_pg_stop "$@" ;;
    status) if hw_pg_is_running "$1"; then echo running; else echo stopped; exit 3; fi ;;
    createdb) hw_pg_ensure_db "$@" ;;
    createrole) hw_pg_ensure_login_role "$@" ;;
    free-port) hw_free_port ;;
    *)
      sed -n '2,16p' "$0" >&2
      exit 2
      ;;
  esac
fi
