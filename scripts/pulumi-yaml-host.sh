#!/usr/bin/env bash
# Puts the Pulumi YAML language host (`pulumi-language-yaml`) on PATH, offline, the way scripts/pulumi-engine.sh
# does the engine (which calls this script from `--env`).
#
# Usage:
#   scripts/pulumi-yaml-host.sh      # ensure the host; last stdout line = dir to prepend to PATH
#
# What it does:
#   1. If `pulumi-language-yaml` is already on PATH, reuse it (PULUMI_DISTR_IGNORE_PATH=1 skips this).
#   2. Otherwise use the binary cached outside the repo, keyed by version:
#        ${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}/yaml/v<version>/bin
#      and build it once if missing, from the Go module proxy: module github.com/pulumi/pulumi-yaml at
#      PULUMI_DISTR_YAML_VERSION (default below), package cmd/pulumi-language-yaml, in a throwaway wrapper module.
#      The wrapper keeps the pkg/v3 and sdk/v3 versions that pulumi-yaml's own go.mod asks for (v3.206.0 for
#      v1.25.0): forced to the engine's v3.276.0 it does not compile (schema.NewPluginLoader and
#      plugin.NewContextWithRoot changed). That is fine at run time: the host talks to the engine over gRPC only.
#      The build goes to a temp dir renamed into place (no half cache after an interrupt); a lock serialises
#      concurrent first runs.
#
# Progress and timings go to stderr; stdout carries only the result.
set -euo pipefail
shopt -s inherit_errexit

YAML_MOD=github.com/pulumi/pulumi-yaml
YAML_PKG=$YAML_MOD/cmd/pulumi-language-yaml
YAML_VERSION_VAR=$YAML_MOD/pkg/version.Version
YAML_VERSION="${PULUMI_DISTR_YAML_VERSION:-1.25.0}"
YAML_VERSION="${YAML_VERSION#v}"

log() { printf '[pulumi-yaml-host] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s; }

case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument: $1" ;;
esac

CACHE_ROOT="${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}"
YAML_ROOT="$CACHE_ROOT/yaml"
BIN="$YAML_ROOT/v$YAML_VERSION/bin"

find_go() {
  if [[ -n "${GO:-}" ]]; then printf '%s\n' "$GO"; return; fi
  command -v go 2>/dev/null || { [[ -x /usr/local/go/bin/go ]] && echo /usr/local/go/bin/go; } \
    || die "go not found (expected on PATH or /usr/local/go/bin/go)"
}

build_host() {
  local gocmd tmp gover t0 d
  gocmd="$(find_go)"
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=-mod=mod
  gover="$("$gocmd" env GOVERSION)"
  tmp="$(mktemp -d "$YAML_ROOT/.build-v$YAML_VERSION.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/out/bin" "$tmp/mod"
  t0=$(now)
  log "building pulumi-language-yaml v$YAML_VERSION with $gover (first run on this machine)..."
  (
    cd "$tmp/mod"
    "$gocmd" mod init pulumi-distr/yaml-host-build >/dev/null 2>&1
    d=$(now)
    # `go get` of the package at the release selects the pkg/sdk versions its go.mod requires (MVS), nothing newer.
    "$gocmd" get "$YAML_PKG@v$YAML_VERSION" 2> >(grep -v '^go: \(added\|downloading\|upgraded\|finding\)' >&2 || true)
    log "  modules ready in $(( $(now) - d ))s ($("$gocmd" list -m -f '{{.Path}}@{{.Version}}' github.com/pulumi/pulumi/pkg/v3 | tr '\n' ' ')); compiling..."
    d=$(now)
    "$gocmd" build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-X $YAML_VERSION_VAR=v$YAML_VERSION" -o "$tmp/out/bin/pulumi-language-yaml" "$YAML_PKG"
    log "  compiled pulumi-language-yaml in $(( $(now) - d ))s"
  )
  [[ -x "$tmp/out/bin/pulumi-language-yaml" ]] || die "build produced no binary"
  printf 'pulumi-language-yaml v%s, built %s with %s (pkg/sdk as its go.mod requires)\n' \
    "$YAML_VERSION" "$(date -u +%FT%TZ)" "$gover" >"$tmp/out/BUILDINFO"
  mv -T "$tmp/out" "$YAML_ROOT/v$YAML_VERSION" 2>/dev/null || [[ -x "$BIN/pulumi-language-yaml" ]] \
    || die "could not move build into $YAML_ROOT/v$YAML_VERSION"
  log "built pulumi-language-yaml v$YAML_VERSION in $(( $(now) - t0 ))s -> $BIN"
  rm -rf "$tmp"; trap - EXIT
}

start=$(now)
if [[ "${PULUMI_DISTR_IGNORE_PATH:-}" != 1 ]] && command -v pulumi-language-yaml >/dev/null 2>&1; then
  dir="$(dirname "$(command -v pulumi-language-yaml)")"
  log "reusing pulumi-language-yaml from PATH ($dir)"
  printf '%s\n' "$dir"
  exit 0
fi
if [[ ! -x "$BIN/pulumi-language-yaml" ]]; then
  mkdir -p "$YAML_ROOT"
  exec 9>"$YAML_ROOT/.lock-v$YAML_VERSION"
  if command -v flock >/dev/null 2>&1; then
    flock -n 9 || { log "another build of v$YAML_VERSION is running; waiting for it..."; flock 9; }
  fi
  if [[ ! -x "$BIN/pulumi-language-yaml" ]]; then
    rm -rf "$YAML_ROOT/.build-v$YAML_VERSION."* 2>/dev/null || true   # leftovers of killed builds (we hold the lock)
    build_host
  fi
  exec 9>&-
fi
log "YAML host ready in $(( $(now) - start ))s: $BIN"
printf '%s\n' "$BIN"
