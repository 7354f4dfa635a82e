#!/usr/bin/env bash
# Puts the real Pulumi engine (CLI, Node.js language host, and the plugin scripts for dynamic providers and policy
# packs) on PATH, offline.
#
# Usage:
#   scripts/pulumi-engine.sh          # ensure the engine; last stdout line = dir to prepend to PATH
#   scripts/pulumi-engine.sh --env    # print `export` lines instead (PATH + offline knobs)
#   eval "$(scripts/pulumi-engine.sh --env)"    # what other scripts should do
#
# What it does:
#   1. If `pulumi` and `pulumi-language-nodejs` are already on PATH, reuse them (no build).
#      (Set PULUMI_DISTR_IGNORE_PATH=1 to skip this and use/build the cached engine.)
#   2. Otherwise use binaries cached outside the repo, keyed by version:
#        ${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}/engine/v<version>/bin
#      and build them once if missing. The Pulumi CLI cannot be downloaded here, so it is built
#      from the Go module proxy in a throwaway wrapper module (outside the repo), pinned to the
#      @pulumi/pulumi version in package.json (PULUMI_DISTR_PULUMI_VERSION overrides). The build
#      goes to a temp dir that is renamed into place, so an interrupted build leaves no half cache;
#      a lock serialises concurrent first runs. pulumi-language-nodejs comes from an older sdk
#      release because the proxy does not serve its own module (see LANGHOST_* below).
#   3. Also provides the Pulumi YAML language host (scripts/pulumi-yaml-host.sh, built and cached the same way),
#      next to the cached `pulumi` (or on PATH beside a reused one); PULUMI_DISTR_SKIP_YAML=1 skips it.
#   4. Never sets a backend or passphrase: callers set PULUMI_HOME, `pulumi login file://...`
#      (or PULUMI_BACKEND_URL) and PULUMI_CONFIG_PASSPHRASE themselves.
#
# Progress and timings go to stderr; stdout carries only the result.
set -euo pipefail
shopt -s inherit_errexit  # keep set -e inside $(...)

PKG_MOD=github.com/pulumi/pulumi/pkg/v3
SDK_MOD=github.com/pulumi/pulumi/sdk/v3
VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version

# The Node.js language host lives in its own Go module,
# github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, which has no version tags
# (only commit pseudo-versions) and which our Go module proxy refuses (403 "not available") at any
# version. Up to sdk v3.68.0 the same host was a plain package inside the sdk/v3 module, and the
# proxy serves that version, so we build the host from there. The engine keeps backward
# compatibility with older language hosts (it falls back from GetRequiredPackages to
# GetRequiredPlugins and still fills the deprecated RunRequest fields), and the host only starts
# `node <program dir>/node_modules/@pulumi/pulumi/cmd/run` with flags that the current Node SDK
# still parses, so the Node SDK that actually runs is the project's own @pulumi/pulumi.
# Limitation of this old host: Pulumi.yaml `runtime.options` are ignored (TypeScript via ts-node
# stays on, the default); `pulumi install`/`about`/`new` may lack features.
LANGHOST_PKG=github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
LANGHOST_SDK_VERSION=3.68.0

SHIM=pulumi-resource-pulumi-nodejs

log() { printf '[pulumi-engine] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mode="path"
case "${1:-}" in
  "") ;;
  --env) mode="env" ;;
  -h|--help) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument: $1 (use --env or nothing)" ;;
esac

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${PULUMI_DISTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-distr}"
ENGINE_ROOT="$CACHE_ROOT/engine"
SHIM_SRC="$REPO/node_modules/@pulumi/pulumi/$SHIM"

now() { date +%s; }

# --- version wanted ---------------------------------------------------------------------------
# First exact X.Y.Z given for "@pulumi/pulumi" in package.json (a leading ^ ~ = v is dropped;
# ranges are skipped), else the version installed in node_modules.
wanted_version() {
  local v=""
  if [[ -n "${PULUMI_DISTR_PULUMI_VERSION:-}" ]]; then
    v="${PULUMI_DISTR_PULUMI_VERSION#v}"
  elif [[ -f "$REPO/package.json" ]]; then
    v="$(grep -oE '"@pulumi/pulumi"[[:space:]]*:[[:space:]]*"[^"]*"' "$REPO/package.json" \
          | sed -E 's/.*:[[:space:]]*"[\^~=v]*([^"]*)"/\1/' \
          | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | head -n1 || true)"
  fi
  if [[ -z "$v" && -f "$REPO/node_modules/@pulumi/pulumi/package.json" ]]; then
    v="$(grep -oE '"version"[[:space:]]*:[[:space:]]*"[0-9]+\.[0-9]+\.[0-9]+"' \
          "$REPO/node_modules/@pulumi/pulumi/package.json" | head -n1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' || true)"
  fi
  [[ -n "$v" ]] || die "cannot find an exact @pulumi/pulumi version in $REPO/package.json (or node_modules); set PULUMI_DISTR_PULUMI_VERSION"
  printf '%s\n' "$v"
}

# --- plugin scripts next to `pulumi` ---------------------------------------------------------------
# Two engine plugins are small sh scripts that run node on a module of @pulumi/pulumi, resolved from the directory
# the engine starts them in:
#   - `pulumi-resource-pulumi-nodejs` (dynamic providers; cmd/dynamic-provider, from the program dir): copied from
#     the @pulumi/pulumi npm package, which ships it.
#   - `pulumi-analyzer-policy` (policy packs, `--policy-pack DIR`; cmd/run-policy-pack, from DIR): the npm package
#     does not ship it (Pulumi's release archives do), so scripts/pulumi-analyzer-policy provides it.
# Both are copied NEXT TO the cached `pulumi` binary, the way official releases bundle them. Reason: the engine
# looks for these "bundled" plugins on PATH and also next to its own executable, so they are found even when a
# caller runs `<bin>/pulumi` directly (Automation API `PulumiCommand.get({root})`, a PATH rebuilt by a test runner,
# or PULUMI_IGNORE_AMBIENT_PLUGINS). They have no version-specific content and are identical for every checkout,
# so sharing one copy per engine version is safe. They are (re)added on every run when missing or different (e.g.
# the engine was built before `npm ci`, or this checkout has a newer analyzer script).
ANALYZER=pulumi-analyzer-policy
ANALYZER_SRC="$REPO/scripts/$ANALYZER"

install_plugin_script() { # $1 = bin dir (must be ours to write), $2 = plugin name, $3 = source file
  local bin="$1" name="$2" src="$3"
  if [[ ! -f "$src" ]]; then
    log "warning: $src not found (run npm ci); the engine needs $name, re-run this script afterwards"
    return 0
  fi
  [[ -x "$bin/$name" ]] && cmp -s "$src" "$bin/$name" && return 0
  local t
  t="$(mktemp "$bin/.$name.XXXXXX")"
  cp "$src" "$t" && chmod 0755 "$t" && mv -f "$t" "$bin/$name"
  log "installed $name from ${src#"$REPO"/} into $bin"
}

install_plugin_scripts() { # $1 = bin dir (must be ours to write)
  install_plugin_script "$1" "$SHIM" "$SHIM_SRC"
  install_plugin_script "$1" "$ANALYZER" "$ANALYZER_SRC"
}

# --- Go build ---------------------------------------------------------------------------------
find_go() {
  if [[ -n "${GO:-}" ]]; then printf '%s\n' "$GO"; return; fi
  command -v go 2>/dev/null || { [[ -x /usr/local/go/bin/go ]] && echo /usr/local/go/bin/go; } \
    || die "go not found (expected on PATH or /usr/local/go/bin/go)"
}

go_env() {
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=-mod=mod
}

# Highest X.Y.Z served for both pkg/v3 and sdk/v3 that is <= $1, else the lowest one above it.
nearest_served() {
  local want="$1" pkgs sdks both
  pkgs="$("$GOCMD" list -m -versions "$PKG_MOD" | tr ' ' '\n' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' || true)"
  sdks="$("$GOCMD" list -m -versions "$SDK_MOD" | tr ' ' '\n' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' || true)"
  both="$(comm -12 <(sort <<<"$pkgs") <(sort <<<"$sdks") | sed 's/^v//' | sort -V)"
  [[ -n "$both" ]] || return 1
  if grep -qx "$want" <<<"$both"; then echo "$want"; return; fi
  { printf '%s\n' "$both"; echo "$want"; } | sort -V \
    | awk -v w="$want" '{a[NR]=$0} $0==w && !i {i=NR} END {if (i>1) print a[i-1]; else if (i<NR) print a[i+1]}'
}

# Non-local replace directives of a go.mod file, as `go mod edit -replace` arguments (old=new@v).
nonlocal_replaces() {
  "$GOCMD" mod edit -json "$1" | awk '
    /"Replace": \[/ {inrep=1; next}
    inrep && /"Old": \{/ {side="old"; next}
    inrep && /"New": \{/ {side="new"; next}
    inrep && /"Path":/ {gsub(/[",]/,"",$2); if (side=="old") op=$2; else np=$2; next}
    inrep && /"Version":/ {gsub(/[",]/,"",$2); if (side=="old") ov=$2; else nv=$2; next}
    inrep && /^\t\t\}/ { if (np!="" && np !~ /^\.\.?\//) {o=op; if (ov!="") o=o "@" ov; print o "=" np "@" nv}
                         op=np=ov=nv=""; next}
    inrep && /^\t\]/ {inrep=0}'
}

# The Node.js language host (see LANGHOST_* above for why sdk v3.68.0), with two methods that host lacks:
# - RunPlugin for policy packs: that host answers RunPlugin with "not supported", but current engines start a
#   `runtime: nodejs` policy pack through it. scripts/engine/langhost_run_plugin.go implements it (runs the pack
#   through `pulumi-analyzer-policy`); the host's RunPlugin stub is pointed at it.
# - GenerateProgram, which the engine calls to print TypeScript (`pulumi import` in a TypeScript project); the old
#   host answers "not implemented". scripts/engine/langhost_generate_program.go adds it, handing the work to
#   pulumi-distr-nodejs-codegen (scripts/engine/nodejs-codegen), the engine version's own TypeScript code generator,
#   built in a wrapper module of pkg/v3 at the engine's version and installed next to the host.
# Both files are built into a copy of the host's package. Stamp files next to the binary hold the sources' hashes,
# so an engine cached before (or with older patches) gets its host and code generator rebuilt: `.patches` the hash
# of all three sources; `.patch` that of langhost_run_plugin.go alone, which is what checkouts from before
# GenerateProgram compare, so that they take this host (a superset of theirs) instead of rebuilding it back and
# forth in the shared cache (and this one rebuilds when such a checkout has replaced it).
LANGHOST_RUN_PLUGIN="$REPO/scripts/engine/langhost_run_plugin.go"
LANGHOST_PATCHES=("$LANGHOST_RUN_PLUGIN" "$REPO/scripts/engine/langhost_generate_program.go")
CODEGEN_SRC="$REPO/scripts/engine/nodejs-codegen/main.go"
CODEGEN=pulumi-distr-nodejs-codegen
LANGHOST_STAMP=.pulumi-language-nodejs.patch
LANGHOST_STAMP_ALL=.pulumi-language-nodejs.patches

langhost_patch_id() { cat "${LANGHOST_PATCHES[@]}" "$CODEGEN_SRC" | sha256sum | cut -c1-16; }
langhost_run_plugin_id() { sha256sum "$LANGHOST_RUN_PLUGIN" | cut -c1-16; }

# A wrapper module requiring pkg/v3 and sdk/v3 at one release. `go install pkg@v` is refused because pkg/go.mod has
# replace directives, so we require pkg/v3 + sdk/v3 at the release and copy pkg/go.mod's non-local replaces (the
# local `sdk/v3 => ../sdk` is dropped: sdk/v3 at the same version replaces it).
init_pkg_module() { # $1 = empty dir, $2 = version, $3... = packages to `go get` at that version
  local dir="$1" ver="$2" gomod gover
  shift 2
  gover="$("$GOCMD" env GOVERSION)"
  gomod="$(cd "$dir" && "$GOCMD" mod download -json "$PKG_MOD@v$ver" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$gomod" ]] || die "could not download $PKG_MOD@v$ver"
  (
    cd "$dir"
    "$GOCMD" mod init pulumi-distr/engine-build >/dev/null 2>&1
    "$GOCMD" mod edit -go="${gover#go}"
    while IFS= read -r r; do
      [[ -n "$r" ]] || continue
      log "  replace ${r%%=*} => ${r#*=}"
      "$GOCMD" mod edit -replace="$r"
    done < <(nonlocal_replaces "$gomod")
    "$GOCMD" get "$@" "$SDK_MOD@v$ver" 2> >(grep -v '^go: \(added\|downloading\|upgraded\)' >&2 || true)
  )
}

build_codegen() { # $1 = a pkg/v3 wrapper module dir (init_pkg_module), $2 = bin dir to put the code generator in
  local module="$1" out="$2" d
  [[ -f "$CODEGEN_SRC" ]] || die "$CODEGEN_SRC is missing"
  d=$(now)
  mkdir -p "$module/nodejs-codegen"
  cp "$CODEGEN_SRC" "$module/nodejs-codegen/"
  (cd "$module" && "$GOCMD" build -trimpath -tags osusergo,grpcnotrace -o "$module/$CODEGEN" ./nodejs-codegen)
  mv -f "$module/$CODEGEN" "$out/$CODEGEN"
  log "  built $CODEGEN in $(( $(now) - d ))s"
}

build_langhost() { # $1 = empty work dir, $2 = bin dir to put pulumi-language-nodejs (and its stamp) in
  local work="$1" out="$2" d dir patch
  for patch in "${LANGHOST_PATCHES[@]}"; do [[ -f "$patch" ]] || die "$patch is missing"; done
  GOCMD="${GOCMD:-$(find_go)}"; go_env
  mkdir -p "$work"
  (
    cd "$work"
    "$GOCMD" mod init pulumi-distr/langhost-build >/dev/null 2>&1
    d=$(now)
    log "building pulumi-language-nodejs from $SDK_MOD@v$LANGHOST_SDK_VERSION (with RunPlugin for policy packs and GenerateProgram)..."
    "$GOCMD" get "$LANGHOST_PKG@v$LANGHOST_SDK_VERSION" 2> >(grep -v '^go: \(added\|downloading\|upgraded\)' >&2 || true)
    dir="$("$GOCMD" list -f '{{.Dir}}' "$LANGHOST_PKG")"
    grep -q 'return errors.New("not supported")' "$dir/main.go" || die "unexpected $LANGHOST_PKG source: RunPlugin stub not found"
    # The module cache is read-only (and `-overlay` may not replace files in it): build a copy of the host's
    # package as a package of this throwaway wrapper module, with the stub pointed at our RunPlugin.
    mkdir -p host
    for f in "$dir"/*.go; do [[ "$f" == *_test.go ]] || cp "$f" host/; done
    chmod u+w host/*.go
    sed -i 's/return errors.New("not supported")/return runPolicyPackPlugin(req, server)/' host/main.go
    cp "${LANGHOST_PATCHES[@]}" host/
    "$GOCMD" build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-X $VERSION_VAR=v$LANGHOST_SDK_VERSION" -o "$work/pulumi-language-nodejs" ./host
    log "  built pulumi-language-nodejs in $(( $(now) - d ))s"
  )
  mv -f "$work/pulumi-language-nodejs" "$out/pulumi-language-nodejs"
  langhost_run_plugin_id >"$out/$LANGHOST_STAMP"
  langhost_patch_id >"$out/$LANGHOST_STAMP_ALL"
}

langhost_current() { # $1 = bin dir
  [[ -x "$1/pulumi-language-nodejs" && -x "$1/$CODEGEN" \
     && "$(cat "$1/$LANGHOST_STAMP_ALL" 2>/dev/null)" == "$(langhost_patch_id)" \
     && "$(cat "$1/$LANGHOST_STAMP" 2>/dev/null)" == "$(langhost_run_plugin_id)" ]]
}

build_engine() { # $1 = requested version; echoes the version actually built
  local req="$1" ver tmp t0 t1 d
  GOCMD="$(find_go)"; go_env
  local gover; gover="$("$GOCMD" env GOVERSION)"

  mkdir -p "$ENGINE_ROOT"
  tmp="$(mktemp -d "$ENGINE_ROOT/.build-v$req.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/out/bin" "$tmp/pulumi" "$tmp/langhost"

  ver="$req"
  if ! (cd "$tmp" && "$GOCMD" list -m "$PKG_MOD@v$req" >/dev/null 2>&1 && "$GOCMD" list -m "$SDK_MOD@v$req" >/dev/null 2>&1); then
    ver="$(cd "$tmp" && nearest_served "$req")" || die "the Go module proxy serves no $PKG_MOD version"
    log "warning: $PKG_MOD@v$req is not served by the Go module proxy; building nearest served v$ver instead"
    if [[ -x "$ENGINE_ROOT/v$ver/bin/pulumi" ]]; then echo "$ver"; return; fi
  fi

  t0=$(now)
  log "building pulumi v$ver with $gover (first run on this machine; ~5 min on 2 cores with empty Go caches, measured 4m40s)..."
  log "  wrapper modules and temp output: $tmp"

  # Wrapper module for the CLI (and the TypeScript code generator, built from the same pkg/v3).
  d=$(now)
  log "  resolving and downloading modules (go get)..."
  init_pkg_module "$tmp/pulumi" "$ver" "$PKG_MOD/cmd/pulumi@v$ver"
  log "  modules ready in $(( $(now) - d ))s; compiling pulumi..."
  d=$(now)
  (cd "$tmp/pulumi" && "$GOCMD" build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-X $VERSION_VAR=v$ver" -o "$tmp/out/bin/pulumi" "$PKG_MOD/cmd/pulumi")
  log "  compiled pulumi in $(( $(now) - d ))s"
  build_codegen "$tmp/pulumi" "$tmp/out/bin"

  build_langhost "$tmp/langhost" "$tmp/out/bin"

  "$tmp/out/bin/pulumi" version >/dev/null || die "built pulumi does not run"
  install_plugin_scripts "$tmp/out/bin"
  printf 'pulumi v%s (requested v%s), built %s with %s; pulumi-language-nodejs from %s@v%s\n' \
    "$ver" "$req" "$(date -u +%FT%TZ)" "$gover" "$SDK_MOD" "$LANGHOST_SDK_VERSION" > "$tmp/out/BUILDINFO"

  # Atomic publish: rename the complete tree into place (rename fails if a complete one appeared).
  mv -T "$tmp/out" "$ENGINE_ROOT/v$ver" 2>/dev/null || [[ -x "$ENGINE_ROOT/v$ver/bin/pulumi" ]] \
    || die "could not move build into $ENGINE_ROOT/v$ver"
  t1=$(now)
  log "built pulumi v$ver in $(( t1 - t0 ))s -> $ENGINE_ROOT/v$ver/bin"
  rm -rf "$tmp"; trap - EXIT
  echo "$ver"
}

# Returns the cached bin dir for a version, building it (once, under a lock) if needed.
ensure_cached() { # $1 = requested version
  local req="$1" bin="$ENGINE_ROOT/v$1/bin" built
  if [[ -x "$bin/pulumi" ]] && langhost_current "$bin"; then echo "$bin"; return; fi
  mkdir -p "$ENGINE_ROOT"
  exec 9>"$ENGINE_ROOT/.lock-v$req"
  if command -v flock >/dev/null 2>&1; then
    flock -n 9 || { log "another build of v$req is running; waiting for it..."; flock 9; }
  fi
  if [[ ! ( -x "$bin/pulumi" && -x "$bin/pulumi-language-nodejs" ) ]]; then
    rm -rf "$ENGINE_ROOT/.build-v$req."* 2>/dev/null || true   # leftovers of killed builds (we hold the lock)
    built="$(build_engine "$req")"
    if [[ "$built" != "$req" ]]; then
      ln -sfn "v$built" "$ENGINE_ROOT/v$req"   # later runs find the fallback build by the requested version
    fi
  elif ! langhost_current "$bin"; then
    # An engine cached before the language host learned RunPlugin or GenerateProgram (or with older patches):
    # rebuild only the host and the code generator, the latter at the cached engine's version.
    local work ver
    work="$(mktemp -d "$ENGINE_ROOT/.langhost-v$req.XXXXXX")"
    ver="$("$bin/pulumi" version)"; ver="${ver#v}"
    GOCMD="${GOCMD:-$(find_go)}"; go_env
    mkdir -p "$work/pkg"
    log "building $CODEGEN at pkg v$ver for the cached engine..."
    init_pkg_module "$work/pkg" "$ver" "$PKG_MOD@v$ver"
    build_codegen "$work/pkg" "$bin"
    build_langhost "$work/langhost" "$bin"
    rm -rf "$work"
  fi
  exec 9>&-
  echo "$bin"
}

# --- main -------------------------------------------------------------------------------------
start=$(now)
want="$(wanted_version)"
engine_bin=""
extra_bin=""

if [[ "${PULUMI_DISTR_IGNORE_PATH:-}" != 1 ]] && command -v pulumi >/dev/null 2>&1 \
   && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  engine_bin="$(dirname "$(command -v pulumi)")"
  have="$(pulumi version 2>/dev/null || true)"
  log "reusing pulumi ${have:-?} from PATH ($engine_bin)"
  [[ "${have#v}" == "$want" ]] || log "note: package.json wants @pulumi/pulumi $want; PULUMI_DISTR_IGNORE_PATH=1 uses the pinned build"
  # Not our directory to write to: if a plugin script is neither bundled there nor on PATH, keep a copy
  # in the cache and put that dir on PATH too.
  if { [[ ! -x "$engine_bin/$SHIM" ]] && ! command -v "$SHIM" >/dev/null 2>&1; } \
     || { [[ ! -x "$engine_bin/$ANALYZER" ]] && ! command -v "$ANALYZER" >/dev/null 2>&1; }; then
    extra_bin="$ENGINE_ROOT/shim/bin"; mkdir -p "$extra_bin"; install_plugin_scripts "$extra_bin"
  fi
else
  engine_bin="$(ensure_cached "$want")"
  install_plugin_scripts "$engine_bin"
fi
# --- the Pulumi YAML language host ------------------------------------------------------------
# It rides along (scripts/pulumi-yaml-host.sh: cached, built once; cold, with empty Go caches: 407 s on 2 cores
# under load 15, 2.6 CPU-minutes), so every test, script and CI run that sets up the engine can run YAML programs.
# A failed YAML build leaves the TypeScript engine usable: only YAML programs then fail (no language host).
# PULUMI_DISTR_SKIP_YAML=1 leaves it out (a machine that never runs a YAML program).
yaml_bin=""
if [[ "${PULUMI_DISTR_SKIP_YAML:-}" != 1 ]]; then
  if yaml_bin="$("$REPO/scripts/pulumi-yaml-host.sh" | tail -n1)" && [[ -n "$yaml_bin" ]]; then
    if [[ "$yaml_bin" == "$engine_bin" ]]; then
      yaml_bin=""   # already next to pulumi
    elif [[ -z "$extra_bin" && "$engine_bin" == "$ENGINE_ROOT/"* ]]; then
      # Our cached engine: put the host next to `pulumi`, as official releases bundle it. The engine then takes it
      # as a bundled plugin; found only on PATH it warns "using pulumi-language-yaml from $PATH" on every run.
      # A hard link (same file system) costs no space; a copy otherwise.
      host="$engine_bin/pulumi-language-yaml"
      if ! [[ "$yaml_bin/pulumi-language-yaml" -ef "$host" ]] && ! cmp -s "$yaml_bin/pulumi-language-yaml" "$host"; then
        t="$(mktemp "$engine_bin/.pulumi-language-yaml.XXXXXX")"
        { ln -f "$yaml_bin/pulumi-language-yaml" "$t" 2>/dev/null || cp "$yaml_bin/pulumi-language-yaml" "$t"; } \
          && chmod 0755 "$t" && mv -f "$t" "$host"
        log "installed pulumi-language-yaml next to pulumi in $engine_bin"
      fi
      yaml_bin=""
    fi
  else
    yaml_bin=""
    log "warning: the Pulumi YAML language host is not available (see above); YAML programs will not run"
  fi
fi
log "engine ready in $(( $(now) - start ))s: $engine_bin"

path_dirs="$engine_bin${extra_bin:+:$extra_bin}${yaml_bin:+:$yaml_bin}"
if [[ "$mode" == env ]]; then
  # node: the language host and the shim run `node` from PATH; the repo's node_modules/.bin holds
  # the project's Node 24 from the npm `node` package, so it comes right after the engine dir.
  [[ -x "$REPO/node_modules/.bin/node" ]] \
    || log "warning: $REPO/node_modules/.bin/node missing (run npm ci); the engine would use $(command -v node || echo 'no node')"
  # shellcheck disable=SC2016  # $PATH is expanded by the eval-ing shell
  printf 'export PATH=%q:"$PATH"\n' "$path_dirs:$REPO/node_modules/.bin"
  printf 'export PULUMI_DISTR_ENGINE_BIN=%q\n' "$engine_bin"   # Automation API: PulumiCommand.get({root: dirname of this})
  echo 'export PULUMI_SKIP_UPDATE_CHECK=true'
  echo 'export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true'
  # PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK is not needed: the build stamps the real version
  # (-X ...version.Version), which satisfies the Automation API minimum-version check.
else
  printf '%s\n' "$path_dirs"
fi
