#!/usr/bin/env bash
# Generates the Python and Go SDKs of package distr from the package schema (plugin/schema/distr.schema.json, as the
# plugin serves it) with the real `pulumi package gen-sdk`, into languages/python and languages/go/distr. The files
# there are only ever written by this script: after changing a resource's Args, outputs or doc comments, run
#   npm run generate:schema && npm run gen:sdks
# test/engine/languageSdks.test.ts regenerates into a temporary directory and fails while the checked-in copy differs.
#
# Usage: scripts/gen-sdks.sh [OUT_DIR]   (default: the repository's languages/; the test passes a temp dir)
# Needs the engine (scripts/pulumi-engine.sh) and the generators (scripts/pulumi-sdkgen.sh), both cached.
set -euo pipefail
shopt -s inherit_errexit

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$REPO/languages}"
log() { printf '[gen-sdks] %s\n' "$*" >&2; }

eval "$("$REPO/scripts/pulumi-engine.sh" --env)"
sdkgen="$(PULUMI_DISTR_ENGINE_BIN="$(dirname "$(command -v pulumi)")" "$REPO/scripts/pulumi-sdkgen.sh")"
work="$(mktemp -d)"
# shellcheck disable=SC2064
trap "rm -rf '$work'" EXIT

version="$(node -p 'require(process.argv[1]).version' "$REPO/package.json")"
# The schema exactly as the plugin serves it (GetSchema): distrPackageSchema(version).
node -r "$REPO/scripts/register-typescript.cjs" -e '
  const { distrPackageSchema } = require(process.argv[1]);
  process.stdout.write(JSON.stringify(distrPackageSchema(process.argv[2]), null, 2));
' "$REPO/plugin/schema" "$version" >"$work/schema.json"

for language in python go; do
  started=$(date +%s%N)
  # PULUMI_HOME apart: gen-sdk must not pick up plugins from the user's ~/.pulumi.
  PULUMI_HOME="$work/pulumi-home" PATH="$sdkgen:$PATH" \
    pulumi package gen-sdk "$work/schema.json" --language "$language" --out "$work/out" >&2
  log "gen-sdk --language $language: $(( ($(date +%s%N) - started) / 1000000 )) ms"
done

mkdir -p "$OUT/python" "$OUT/go"
rm -rf "${OUT:?}/python/pulumi_distr" "${OUT:?}/go/distr"
cp -R "$work/out/python/." "$OUT/python/"
cp -R "$work/out/go/distr" "$OUT/go/distr"
cp "$work/out/go/.gitattributes" "$OUT/go/.gitattributes"

# The Go SDK's module: its path is the schema's importBasePath without the package, and it requires the Go SDK of
# the engine's Pulumi version (the version the generated code was made by). go.sum from `go mod tidy` (Go proxy).
module="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1])).language.go.importBasePath.replace(/\/distr$/, "")' "$work/schema.json")"
pulumi_version="$(pulumi version)"
cat >"$OUT/go/go.mod" <<GOMOD
module $module

go 1.24

require github.com/pulumi/pulumi/sdk/v3 $pulumi_version
GOMOD
if [[ "${GEN_SDKS_SKIP_TIDY:-}" != 1 ]]; then
  started=$(date +%s%N)
  (cd "$OUT/go" && GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=mod "${GO:-$(command -v go || echo /usr/local/go/bin/go)}" mod tidy)
  log "go mod tidy: $(( ($(date +%s%N) - started) / 1000000 )) ms"
fi
log "wrote $OUT/python, $OUT/go/distr and $OUT/go/go.mod"
