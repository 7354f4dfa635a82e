#!/usr/bin/env bash
# Puts SeaweedFS's `weed` (an S3-compatible object store; Go module github.com/seaweedfs/seaweedfs, Apache-2.0) in a
# cache outside the repo: the engine tests run Pulumi's S3 backend against it on loopback
# (test/engine/harness/objectStore.ts). Built once from the Go module proxy, reused when present.
#
# Usage:
#   scripts/seaweedfs.sh            # ensure the binary; the last stdout line is its path
#   scripts/seaweedfs.sh --path     # the same (the form the tests call)
#
# Cache: ${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}/seaweedfs/<version>/bin/weed
# (SEAWEEDFS_VERSION overrides the pinned pseudo-version). The module has no release tags on the proxy, hence a
# pseudo-version. Its go.mod has a non-local replace directive, which `go install module@version` refuses, so the
# build runs in a throwaway wrapper module (as scripts/pulumi-engine.sh does for the engine) that requires the module
# and copies its replaces. CGO_ENABLED=0: a static binary, no C toolchain needed. The build goes to a temp dir that
# is renamed into place, so an interrupted build leaves no half cache; a lock serialises concurrent first runs.
# Measured: about 4 minutes on 2 idle cores with empty Go caches, a ~233 MB binary.
#
# Progress and timings go to stderr; stdout carries only the path.
set -euo pipefail
shopt -s inherit_errexit

SEAWEEDFS_MOD=github.com/seaweedfs/seaweedfs
VERSION="${SEAWEEDFS_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}"

log() { printf '[seaweedfs] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

case "${1:-}" in
  "" | --path) ;;
  -h | --help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument: $1 (use --path or nothing)" ;;
esac

CACHE_ROOT="${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}"
ROOT="$CACHE_ROOT/seaweedfs"
BIN="$ROOT/$VERSION/bin/weed"

find_go() {
  if [[ -n "${GO:-}" ]]; then printf '%s\n' "$GO"; return; fi
  command -v go 2>/dev/null || { [[ -x /usr/local/go/bin/go ]] && echo /usr/local/go/bin/go; } \
    || die "go not found (expected on PATH or /usr/local/go/bin/go)"
}

# Non-local replace directives of a go.mod file, as `go mod edit -replace` arguments (old[@v]=new@v).
nonlocal_replaces() {
  "$GOCMD" mod edit -json "$1" | node -e '
    let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
      for (const r of JSON.parse(text).Replace ?? []) {
        if (/^\.\.?\//.test(r.New.Path)) continue;
        const old = r.Old.Version ? `${r.Old.Path}@${r.Old.Version}` : r.Old.Path;
        console.log(`${old}=${r.New.Path}@${r.New.Version}`);
      }
    });'
}

build() {
  local tmp start d gomod
  GOCMD="$(find_go)"
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=-mod=mod
  mkdir -p "$ROOT"
  tmp="$(mktemp -d "$ROOT/.build-$VERSION.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/wrapper" "$tmp/out/bin"
  start=$(date +%s)
  log "building weed $SEAWEEDFS_MOD@$VERSION with $("$GOCMD" env GOVERSION) (first run on this machine; ~4 min on 2 idle cores)..."
  gomod="$(cd "$tmp/wrapper" && "$GOCMD" mod download -json "$SEAWEEDFS_MOD@$VERSION" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$gomod" ]] || die "could not download $SEAWEEDFS_MOD@$VERSION from the Go module proxy"
  (
    cd "$tmp/wrapper"
    "$GOCMD" mod init pulumi-distr/seaweedfs-build >/dev/null 2>&1
    "$GOCMD" mod edit -go="$("$GOCMD" env GOVERSION | sed 's/^go//')"
    while IFS= read -r r; do
      [[ -n "$r" ]] || continue
      log "  replace ${r%%=*} => ${r#*=}"
      "$GOCMD" mod edit -replace="$r"
    done < <(nonlocal_replaces "$gomod")
    d=$(date +%s)
    "$GOCMD" get "$SEAWEEDFS_MOD/weed@$VERSION" 2> >(grep -v '^go: \(added\|downloading\|upgraded\|finding\)' >&2 || true)
    log "  modules ready in $(( $(date +%s) - d ))s; compiling weed..."
    d=$(date +%s)
    "$GOCMD" build -trimpath -ldflags "-s -w" -o "$tmp/out/bin/weed" "$SEAWEEDFS_MOD/weed"
    log "  compiled weed in $(( $(date +%s) - d ))s"
  )
  "$tmp/out/bin/weed" version >/dev/null 2>&1 || die "the built weed does not run"
  printf 'weed %s@%s, built %s with %s\n' "$SEAWEEDFS_MOD" "$VERSION" "$(date -u +%FT%TZ)" "$("$GOCMD" env GOVERSION)" \
    >"$tmp/out/BUILDINFO"
  # Atomic publish: rename the complete tree into place (the rename fails if a complete one appeared meanwhile).
  mv -T "$tmp/out" "$ROOT/$VERSION" 2>/dev/null || [[ -x "$BIN" ]] || die "could not move the build into $ROOT/$VERSION"
  rm -rf "$tmp"
  trap - EXIT
  log "built weed in $(( $(date +%s) - start ))s ($(du -m "$BIN" | cut -f1) MB) -> $BIN"
}

if [[ ! -x "$BIN" ]]; then
  mkdir -p "$ROOT"
  exec 9>"$ROOT/.lock-$VERSION"
  if command -v flock >/dev/null 2>&1; then
    flock -n 9 || { log "another build of $VERSION is running; waiting for it..."; flock 9; }
  fi
  if [[ ! -x "$BIN" ]]; then
    rm -rf "$ROOT/.build-$VERSION."* 2>/dev/null || true   # leftovers of killed builds (we hold the lock)
    build
  fi
  exec 9>&-
fi
printf '%s\n' "$BIN"
