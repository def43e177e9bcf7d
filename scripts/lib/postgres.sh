# shellcheck shell=bash
# A throw-away PostgreSQL cluster for the test suite, managed with Debian's tools.
# Source after common.sh. ensure_test_postgres creates/starts the cluster, the role and the
# database, and sets TEST_POSTGRES_URL (also available as $TERBUKA_PG_URL).
#
# The cluster is "<major>/terbuka" (pg_lsclusters), owned by the postgres OS user, data in
# /var/lib/postgresql/<major>/terbuka, config in /etc/postgresql/<major>/terbuka. It listens
# on 127.0.0.1 only, on TERBUKA_PG_PORT (default 54329), and runs with fsync off: it holds
# nothing but test data. Remove it with: pg_dropcluster --stop <major> terbuka

TERBUKA_PG_PORT="${TERBUKA_PG_PORT:-54329}"
TERBUKA_PG_CLUSTER=terbuka
TERBUKA_PG_URL="postgres://terbuka:terbuka@127.0.0.1:$TERBUKA_PG_PORT/terbuka"

_pg_major() {
    local bin
    # Highest installed major version with a server binary.
    # shellcheck disable=SC2012  # the names are plain version numbers
    bin="$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n1 || true)"
    [ -n "$bin" ] || return 1
    basename "$(dirname "$(dirname "$bin")")"
}

# Run a command as the postgres OS user (from /, which that user can always read).
_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && sudo -n -u postgres "$@")
    fi
}

_pg_psql() {
    _as_postgres psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql \
        -p "$TERBUKA_PG_PORT" -d postgres "$@"
}

ensure_test_postgres() {
    local major conf_dir conf status i
    if [ ! -x /usr/bin/pg_createcluster ] || ! _pg_major >/dev/null; then
        apt_install postgresql
        # Installing the package creates (and, where services may start, starts) a "main"
        # cluster on port 5432 that nothing here uses: keep it stopped and off autostart.
        major="$(_pg_major)" || die "no PostgreSQL server binary under /usr/lib/postgresql"
        if [ -f "/etc/postgresql/$major/main/start.conf" ]; then
            say "Stopping the unused PostgreSQL cluster $major/main created by the install"
            as_root pg_ctlcluster "$major" main stop >/dev/null 2>&1 || true
            echo manual | as_root tee "/etc/postgresql/$major/main/start.conf" >/dev/null
        fi
    fi
    can_be_root || die "starting the test PostgreSQL needs root or sudo (or set TEST_POSTGRES_URL)"
    major="$(_pg_major)" || die "no PostgreSQL server binary under /usr/lib/postgresql"

    if ! pg_lsclusters -h 2>/dev/null | awk -v v="$major" -v c="$TERBUKA_PG_CLUSTER" \
        '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
        say "Creating PostgreSQL $major cluster '$TERBUKA_PG_CLUSTER' on 127.0.0.1:$TERBUKA_PG_PORT"
        as_root pg_createcluster --port "$TERBUKA_PG_PORT" --start-conf manual \
            "$major" "$TERBUKA_PG_CLUSTER" -- --auth-local=peer --auth-host=scram-sha-256 \
            >/dev/null
    fi

    # Our settings, rewritten on every run so an existing cluster picks up changes.
    # conf.d is included at the end of Debian's postgresql.conf, so these win.
    conf_dir="/etc/postgresql/$major/$TERBUKA_PG_CLUSTER/conf.d"
    conf="$(
        cat <<EOF
# Written by scripts/test (terbuka). Test data only: durability is not needed.
listen_addresses = '127.0.0.1'
port = $TERBUKA_PG_PORT
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF
    )"
    local changed=0
    if [ "$(as_root cat "$conf_dir/terbuka.conf" 2>/dev/null)" != "$conf" ]; then
        printf '%s\n' "$conf" | as_root tee "$conf_dir/terbuka.conf" >/dev/null
        changed=1
    fi

    status="$(pg_lsclusters -h | awk -v v="$major" -v c="$TERBUKA_PG_CLUSTER" \
        '$1 == v && $2 == c { print $4 }')"
    if [ "$status" = online ] && [ "$changed" -eq 1 ]; then
        say "Restarting PostgreSQL cluster $major/$TERBUKA_PG_CLUSTER (configuration changed)"
        as_root pg_ctlcluster "$major" "$TERBUKA_PG_CLUSTER" restart
    elif [ "$status" != online ]; then
        if ss -Hltn "sport = :$TERBUKA_PG_PORT" 2>/dev/null | grep -q .; then
            die "port $TERBUKA_PG_PORT is taken by something else; set TERBUKA_PG_PORT"
        fi
        say "Starting PostgreSQL cluster $major/$TERBUKA_PG_CLUSTER"
        as_root pg_ctlcluster "$major" "$TERBUKA_PG_CLUSTER" start
    else
        say "PostgreSQL cluster $major/$TERBUKA_PG_CLUSTER already running"
    fi

    for i in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p "$TERBUKA_PG_PORT" && break
        [ "$i" -eq 30 ] && die "PostgreSQL did not become ready on 127.0.0.1:$TERBUKA_PG_PORT"
        sleep 1
    done

    # Role and database, idempotently. CREATEDB: pytest-django creates test_terbuka.
    _pg_psql <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'terbuka') THEN
        CREATE ROLE terbuka LOGIN CREATEDB PASSWORD 'terbuka';
    ELSE
        ALTER ROLE terbuka LOGIN CREATEDB PASSWORD 'terbuka';
    END IF;
END
$$;
SQL
    if [ "$(_pg_psql -tA -c "SELECT 1 FROM pg_database WHERE datname = 'terbuka'")" != 1 ]; then
        _pg_psql -c 'CREATE DATABASE terbuka OWNER terbuka'
    fi

    check_test_postgres_login || die "cannot log in as terbuka on 127.0.0.1:$TERBUKA_PG_PORT"
    TEST_POSTGRES_URL="$TERBUKA_PG_URL"
    export TEST_POSTGRES_URL
}

# Connect over TCP as the application role, as the test suite will.
check_test_postgres_login() {
    PGPASSWORD=terbuka psql -X -q -h 127.0.0.1 -p "$TERBUKA_PG_PORT" -U terbuka -d terbuka \
        -tA -c 'SELECT 1' >/dev/null
}
