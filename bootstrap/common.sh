# shellcheck shell=bash
# Shared by bootstrap/braid and bootstrap/test; sourced, never executed.
#
# Callers set BRAID_HOME (the braid source checkout) before sourcing.
# Everything braid needs comes from Debian packages; nothing is downloaded.

# The Debian packages needed to build and test braid. Keep in sync with the
# find_package/pkg_check_modules calls in the top-level CMakeLists.txt.
BRAID_DEBIAN_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libabsl-dev libprotobuf-dev protobuf-compiler libre2-dev libxxhash-dev
  libuv1-dev libtomlplusplus-dev libgtest-dev libssl-dev zlib1g-dev
  python3 python3-pytest git
)

# Added by bootstrap/test only (the test suite and the benchmarks): pytest -n for
# side-by-side figures, python -m build and venv (package e2e and figures), the
# protobuf runtime (the external plugin example), towncrier (changelog conformance).
BRAID_TEST_PACKAGES=(
  python3-pytest-xdist python3-build python3-setuptools python3-wheel python3-venv
  python3-protobuf towncrier
  # The example's third-party requirements, so its wheels install offline with their
  # dependencies resolved (tests/e2e/test_package.py).
  python3-colorama python3-yaml python3-requests
)

braid_log() {
  printf 'braid: %s\n' "$*" >&2
}

# Prints the packages of BRAID_DEBIAN_PACKAGES that are not installed, one per
# line. One dpkg-query call for all of them: it is the slow part of a no-op run.
braid_missing_packages() {
  local installed
  # Packages dpkg has never heard of make dpkg-query exit 1 and complain on
  # stderr; they are simply absent from the output, which is what we want.
  installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' \
    "${BRAID_DEBIAN_PACKAGES[@]}" 2>/dev/null | awk '$2 == "ii" { print $1 }')
  local pkg
  for pkg in "${BRAID_DEBIAN_PACKAGES[@]}"; do
    if ! grep -qxF -- "$pkg" <<<"$installed"; then
      printf '%s\n' "$pkg"
    fi
  done
}

# Makes sure every package is installed. As root, installs what is missing
# with apt-get; otherwise prints the command to run and exits 2. On a machine
# without dpkg (not Debian) it warns and carries on: the build will say what
# is missing.
braid_ensure_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    braid_log "dpkg-query not found: cannot check for the Debian packages braid needs:"
    braid_log "  ${BRAID_DEBIAN_PACKAGES[*]}"
    return 0
  fi
  local missing
  missing=$(braid_missing_packages | tr '\n' ' ')
  missing=${missing% }
  if [[ -z "$missing" ]]; then
    return 0
  fi
  if [[ "$(id -u)" != 0 ]]; then
    braid_log "missing Debian packages: $missing"
    braid_log "install them with:"
    printf '  sudo apt-get install -y %s\n' "$missing" >&2
    exit 2
  fi
  braid_log "installing missing Debian packages: $missing"
  local log
  log=$(mktemp "${TMPDIR:-/tmp}/braid-apt.XXXXXX")
  # shellcheck disable=SC2086  # $missing is a space-separated package list.
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $missing; } \
      >"$log" 2>&1; then
    cat "$log" >&2
    braid_log "apt-get failed (log above)"
    rm -f "$log"
    exit 2
  fi
  rm -f "$log"
}
