# shellcheck shell=bash
# Helpers shared by scripts/serve and scripts/test. Source it; do not run it.
#
# After sourcing, REPO_ROOT is the repository root and the current directory.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT" || exit 1

VENV_DIR="$REPO_ROOT/.venv"

say() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Run a command as root: directly when we are root, else through sudo (never prompting).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        return 1
    fi
}

can_be_root() {
    [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}

deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# apt_install PKG... : install the given Debian packages (callers pass only missing ones).
# Runs `apt-get update` first, once per script run.
_APT_UPDATED=0
apt_install() {
    [ "$#" -gt 0 ] || return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        die "missing system packages: $* (no apt-get here; install them by hand)"
    fi
    if ! can_be_root; then
        die "missing system packages: $* — run: sudo apt-get install -y --no-install-recommends $*"
    fi
    say "Installing system packages: $*"
    local log rc=0
    log="$(mktemp)"
    if [ "$_APT_UPDATED" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1 || rc=$?
        _APT_UPDATED=1
    fi
    if [ "$rc" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "$@" </dev/null >>"$log" 2>&1 || rc=$?
    fi
    if [ "$rc" -ne 0 ]; then
        cat "$log" >&2
        rm -f "$log"
        die "apt-get failed installing: $*"
    fi
    rm -f "$log"
}

# Print the Python 3.11 interpreter to use for the venv, or fail.
find_python311() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    die "Python 3.11 not found (on Debian 12: apt-get install python3.11 python3.11-venv)"
}

_venv_python_ok() {
    [ -x "$VENV_DIR/bin/python" ] &&
        "$VENV_DIR/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null
}

# ensure_venv REQUIREMENTS_FILE : create .venv if needed and install the requirements file,
# skipping the install when the file (and the files it includes) are unchanged since the
# last successful install. The stamp lives in .venv/.stamp-<file name>.
ensure_venv() {
    local req="$1" python stamp want included
    if ! _venv_python_ok; then
        python="$(find_python311)"
        if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
            apt_install python3.11-venv
        fi
        if [ -e "$VENV_DIR" ]; then
            warn ".venv exists but has no working Python 3.11; recreating it"
            rm -rf "$VENV_DIR"
        fi
        say "Creating virtualenv .venv with $python"
        "$python" -m venv "$VENV_DIR"
    fi
    stamp="$VENV_DIR/.stamp-$(basename "$req")"
    # Hash the file and the files it includes with -r (requirements-dev.txt includes
    # requirements.txt), so a change to either triggers a reinstall.
    readarray -t included < <(
        sed -n 's/^[[:space:]]*\(-r\|--requirement\)[[:space:]=]*\([^[:space:]]*\).*/\2/p' "$req"
    )
    want="$(cat "$req" "${included[@]}" | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        say "Python packages from $req are up to date"
    else
        say "Installing Python packages from $req"
        "$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
        printf '%s\n' "$want" >"$stamp"
    fi
    export VIRTUAL_ENV="$VENV_DIR"
    export PATH="$VENV_DIR/bin:$PATH"
}

# Debian packages WeasyPrint needs (SOP sheets, letters and reports as PDF), and the fonts
# the printed sheets use.
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core)
