#!/usr/bin/env bash
# SDK generation for `pulumi package gen-sdk` on this machine: builds scripts/sdkgen (a language plugin that answers
# only GeneratePackage with the code generators of github.com/pulumi/pulumi/pkg/v3, see its main.go for why) under
# the names pulumi-language-nodejs, -python and -go, and prints the directory holding them.
#
# The directory also holds a hard link to the engine's `pulumi`. Usage (put the directory first on PATH for gen-sdk
# only: its pulumi-language-nodejs cannot run programs):
#   eval "$(scripts/pulumi-engine.sh --env)"
#   PATH="$(scripts/pulumi-sdkgen.sh):$PATH" pulumi package gen-sdk schema.json --language go -o /tmp/sdk
#
# Cached outside the repo, keyed by the engine's Pulumi version and the hash of main.go:
#   ${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}/sdkgen/v<version>-<hash>/bin
# built once from the Go module proxy (same pkg/v3 and sdk/v3 as the engine, same build flags, so most packages
# come from the Go build cache the engine build left); a lock serialises concurrent first runs.
# Progress and timings go to stderr; stdout carries only the directory.
set -euo pipefail
shopt -s inherit_errexit

PKG_MOD=github.com/pulumi/pulumi/pkg/v3
SDK_MOD=github.com/pulumi/pulumi/sdk/v3
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOURCE="$REPO/scripts/sdkgen/main.go"
CACHE_ROOT="${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}"
LANGUAGES=(nodejs python go)

log() { printf '[pulumi-sdkgen] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s; }

# The engine's version: the exact @pulumi/pulumi version in package.json (as scripts/pulumi-engine.sh reads it).
version="${PULUMI_DISTR_PULUMI_VERSION:-}"
if [[ -z "$version" ]]; then
  version="$(grep -oE '"@pulumi/pulumi"[[:space:]]*:[[:space:]]*"[^"]*"' "$REPO/package.json" \
    | sed -E 's/.*:[[:space:]]*"[\^~=v]*([^"]*)"/\1/' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | head -n1 || true)"
fi
version="${version#v}"
[[ -n "$version" ]] || die "no exact @pulumi/pulumi version in $REPO/package.json; set PULUMI_DISTR_PULUMI_VERSION"
[[ -f "$SOURCE" ]] || die "$SOURCE is missing"

key="v$version-$(sha256sum "$SOURCE" | cut -c1-12)"
root="$CACHE_ROOT/sdkgen"
bin="$root/$key/bin"
complete() { for language in "${LANGUAGES[@]}"; do [[ -x "$bin/pulumi-language-$language" ]] || return 1; done; }

if ! complete; then
  mkdir -p "$root"
  exec 9>"$root/.lock-$key"
  flock -n 9 || { log "another build of $key is running; waiting for it..."; flock 9; }
  if ! complete; then
    GOCMD="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
    [[ -x "$GOCMD" ]] || die "go not found (expected on PATH or /usr/local/go/bin/go)"
    export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=-mod=mod
    work="$(mktemp -d "$root/.build-$key.XXXXXX")"
    # shellcheck disable=SC2064
    trap "rm -rf '$work'" EXIT
    started=$(now)
    log "building the SDK generator (pkg/v3@v$version codegen) with $("$GOCMD" env GOVERSION)..."
    (
      cd "$work"
      "$GOCMD" mod init pulumi-distr/sdkgen-build >/dev/null 2>&1
      gover="$("$GOCMD" env GOVERSION)"
      "$GOCMD" mod edit -go="${gover#go}"
      # pkg/go.mod's one non-local replace (a fork of clipboard); Go ignores a dependency's replaces.
      gomod="$("$GOCMD" mod download -json "$PKG_MOD@v$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
      [[ -f "$gomod" ]] || die "could not download $PKG_MOD@v$version"
      "$GOCMD" mod edit -json "$gomod" | grep -q tgummerer/clipboard \
        && "$GOCMD" mod edit -replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
      cp "$SOURCE" main.go
      "$GOCMD" get "$PKG_MOD@v$version" "$SDK_MOD@v$version" 2> >(grep -v '^go: \(added\|downloading\|upgraded\)' >&2 || true)
      "$GOCMD" build -trimpath -tags osusergo,grpcnotrace \
        -ldflags "-X $SDK_MOD/go/common/version.Version=v$version" -o "$work/out/sdkgen" .
    )
    mkdir -p "$work/out/bin"
    for language in "${LANGUAGES[@]}"; do cp "$work/out/sdkgen" "$work/out/bin/pulumi-language-$language"; done
    rm -rf "${root:?}/$key"
    mv -T "$work/out" "$root/$key"
    rm -rf "$work"; trap - EXIT
    log "built the SDK generator in $(( $(now) - started ))s -> $bin"
  fi
  exec 9>&-
fi

# The engine's `pulumi`, linked in beside the generators: the CLI warns when a bundled plugin (the language hosts
# are) is taken from PATH instead of from beside the running `pulumi`, unless both are the same file. A hard link
# keeps /proc/self/exe in this directory (a symbolic link would resolve to the engine's).
engine_bin="${PULUMI_DISTR_ENGINE_BIN:-$(bash "$REPO/scripts/pulumi-engine.sh" | tail -n1)}"
[[ -x "$engine_bin/pulumi" ]] || die "no pulumi in $engine_bin"
if ! [[ "$bin/pulumi" -ef "$engine_bin/pulumi" ]]; then
  ln -f "$engine_bin/pulumi" "$bin/pulumi" 2>/dev/null || cp -f "$engine_bin/pulumi" "$bin/pulumi"
fi
echo "$bin"
