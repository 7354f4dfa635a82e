#!/usr/bin/env bash
# Runs actionlint (the GitHub Actions workflow linter, Go module github.com/rhysd/actionlint), built once from the
# Go module proxy and cached outside the repo, keyed by version.
#
# Usage:
#   scripts/actionlint.sh [actionlint arguments...]     # e.g. scripts/actionlint.sh examples/gitops/.github/workflows/*.yml
#   scripts/actionlint.sh --path                        # only ensure the binary; print its path
#
# Cache: ${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}/actionlint/v<version>/bin/actionlint
# (ACTIONLINT_VERSION overrides the pinned version). The build goes to a temp dir that is renamed into place, so an
# interrupted build leaves no half cache; a lock serialises concurrent first runs (~30 s on 2 cores).
# If shellcheck is on PATH, actionlint also checks the `run:` scripts with it (optional; not installed here).
set -euo pipefail
shopt -s inherit_errexit

ACTIONLINT_MOD=github.com/rhysd/actionlint
VERSION="${ACTIONLINT_VERSION:-1.7.12}"
VERSION="${VERSION#v}"

log() { printf '[actionlint] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

CACHE_ROOT="${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}"
ROOT="$CACHE_ROOT/actionlint"
BIN="$ROOT/v$VERSION/bin/actionlint"

find_go() {
  if [[ -n "${GO:-}" ]]; then printf '%s\n' "$GO"; return; fi
  command -v go 2>/dev/null || { [[ -x /usr/local/go/bin/go ]] && echo /usr/local/go/bin/go; } \
    || die "go not found (expected on PATH or /usr/local/go/bin/go)"
}

build() {
  local gocmd tmp start
  gocmd="$(find_go)"
  mkdir -p "$ROOT"
  tmp="$(mktemp -d "$ROOT/.build-v$VERSION.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  start=$(date +%s)
  log "building actionlint v$VERSION with $("$gocmd" env GOVERSION) (first run on this machine)..."
  # `go install module@version` builds exactly the module's own go.mod requirements, outside any workspace.
  GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=-mod=mod GOBIN="$tmp/out/bin" \
    "$gocmd" install -trimpath -ldflags "-s -w -X $ACTIONLINT_MOD.version=v$VERSION" \
    "$ACTIONLINT_MOD/cmd/actionlint@v$VERSION"
  "$tmp/out/bin/actionlint" -version >/dev/null || die "the built actionlint does not run"
  mv -T "$tmp/out" "$ROOT/v$VERSION" 2>/dev/null || [[ -x "$BIN" ]] || die "could not move the build into $ROOT/v$VERSION"
  rm -rf "$tmp"
  trap - EXIT
  log "built actionlint v$VERSION in $(( $(date +%s) - start ))s -> $BIN"
}

if [[ ! -x "$BIN" ]]; then
  mkdir -p "$ROOT"
  exec 9>"$ROOT/.lock-v$VERSION"
  if command -v flock >/dev/null 2>&1; then
    flock -n 9 || { log "another build of v$VERSION is running; waiting for it..."; flock 9; }
  fi
  if [[ ! -x "$BIN" ]]; then
    rm -rf "$ROOT/.build-v$VERSION."* 2>/dev/null || true   # leftovers of killed builds (we hold the lock)
    build
  fi
  exec 9>&-
fi

if [[ "${1:-}" == --path ]]; then
  printf '%s\n' "$BIN"
  exit 0
fi
exec "$BIN" "$@"
