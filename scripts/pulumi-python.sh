#!/usr/bin/env bash
# A Python runtime for Pulumi programs on this machine, without PyPI: prints a PATH prefix (two directories) holding
# `pulumi-language-python` and `python3` with the Pulumi Python SDK and the generated SDK (languages/python).
#
# Why these versions (docs/languages.md#python): the engine's Python SDK (v3.276.0) needs opentelemetry, which Debian
# 12 does not package; the host is a package of sdk/v3 only up to v3.68.0 (what the Go proxy serves, as for the
# Node.js host), but the v3.68.0 SDK lacks `pulumi.type_token`, which the generated SDK uses; v3.200.0's protobuf code
# needs protobuf 5. The Python SDK v3.170.0 (protobuf ~= 4.21) runs on Debian's python3-grpcio, -protobuf, -dill,
# -six, -semver, -yaml, -packaging, -venv, -pip, -setuptools (apt-get install them first).
#
# Cached in ${PULUMI_DISTR_CACHE:-~/.cache/pulumi-distr}/python/<versions>: the host (built from the Go module proxy),
# the SDK's exec shim, and a --system-site-packages venv whose .pth points at the SDK's source in the Go module cache.
# languages/python is (re)installed into the venv on every call (from a copy: pip leaves build files behind).
set -euo pipefail
shopt -s inherit_errexit

HOST_SDK=3.68.0
PYTHON_SDK=3.170.0
SDK_MOD=github.com/pulumi/pulumi/sdk/v3
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}"
root="$CACHE_ROOT/python/sdk-v$PYTHON_SDK-host-v$HOST_SDK"
log() { printf '[pulumi-python] %s\n' "$*" >&2; }

GOCMD="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=-mod=mod
mkdir -p "$root"
exec 9>"$root/.lock"
flock 9
if [[ ! -x "$root/bin/pulumi-language-python" || ! -x "$root/venv/bin/python3" ]]; then
  started=$(date +%s)
  work="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  (
    cd "$work"
    "$GOCMD" mod init pulumi-distr/python-host-build >/dev/null 2>&1
    "$GOCMD" get "$SDK_MOD/python/cmd/pulumi-language-python@v$HOST_SDK" 2>/dev/null
    "$GOCMD" build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-X $SDK_MOD/go/common/version.Version=v$HOST_SDK" -o "$work/pulumi-language-python" \
      "$SDK_MOD/python/cmd/pulumi-language-python"
  )
  sdk="$("$GOCMD" mod download -json "$SDK_MOD@v$PYTHON_SDK" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -f "$sdk/python/lib/pulumi/__init__.py" ]] || { log "error: no Python SDK in $SDK_MOD@v$PYTHON_SDK"; exit 1; }
  rm -rf "$root/bin" "$root/venv"
  mkdir -p "$root/bin"
  mv "$work/pulumi-language-python" "$root/bin/"
  # The host runs programs through the exec shim next to it (the SDK version's own).
  install -m 755 "$sdk/python/cmd/pulumi-language-python-exec" "$root/bin/"
  /usr/bin/python3 -m venv --system-site-packages "$root/venv"
  site="$("$root/venv/bin/python3" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  echo "$sdk/python/lib" >"$site/pulumi-sdk.pth"
  log "host v$HOST_SDK and Python SDK v$PYTHON_SDK ready in $(( $(date +%s) - started ))s: $root"
fi
copy="$(mktemp -d)"
cp -R "$REPO/languages/python/." "$copy/"
started=$(date +%s)
"$root/venv/bin/pip" install -q --no-deps --no-index --no-build-isolation --force-reinstall "$copy" >&2
rm -rf "$copy"
log "installed languages/python into the venv in $(( $(date +%s) - started ))s"
echo "$root/bin:$root/venv/bin"
