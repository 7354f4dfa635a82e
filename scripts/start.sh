#!/usr/bin/env bash
# npm start: applies the license catalog (catalog/licenses.yaml) to Distr with the root Pulumi program.
#
#   npm start                       # local demo: embedded Distr + local state, nothing to set up; applies at once
#   npm start -- --refresh          # extra arguments go to `pulumi preview` and `pulumi up`
#   DISTR_HOST=https://app.distr.sh DISTR_TOKEN=distr-... npm start    # a real Distr: review, then ask
#   DISTR_HOST=https://app.distr.sh DISTR_TOKEN=distr-... npm start -- --yes    # a real Distr: review, then apply
#
# A real Distr is never changed unasked: the license review of the preview (pulumi-distr review) comes first, then
#   on a terminal the question "Apply …? [y/N]"; without a terminal (CI, a pipe) only `--yes` applies, otherwise the
#   run stops after the review (exit 0) and says how to apply. The local demo applies at once.
#
# Target Distr:
#   - DISTR_HOST/DISTR_TOKEN in the environment, or distr:host in the stack's config
#     (`pulumi config set distr:host ...; pulumi config set --secret distr:token ...`): that Distr.
#   - otherwise the embedded local Distr (demo vendor organization and applications), started for this run and
#     stopped at the end. Its data persist in .pulumi-state/local-distr.json, so the second run shows no changes;
#     delete .pulumi-state/ to start over.
# State: ${PULUMI_BACKEND_URL:-file://<repo>/.pulumi-state} (gitignored), stack ${PULUMI_STACK:-dev}, created if
#   missing. Secrets in it are encrypted with PULUMI_CONFIG_PASSPHRASE, default "pulumi-distr-demo" (a demo
#   passphrase: set your own before storing a real token).
# A stack remembers which Distr it manages (.pulumi-state/<stack>.target): switching a stack between the local demo
#   and a real Distr is refused, because its state would describe objects of the other one.
set -euo pipefail
shopt -s inherit_errexit

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${PULUMI_DISTR_STATE_DIR:-$REPO/.pulumi-state}"   # tests point it elsewhere
STACK="${PULUMI_STACK:-dev}"
DEMO_PASSPHRASE="pulumi-distr-demo"

log() { printf '[start] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# `--yes` is ours (apply to a real Distr without asking); every other argument goes to pulumi.
assume_yes=false
pulumi_args=()
for argument in "$@"; do
  case "$argument" in
    --yes | -y) assume_yes=true ;;
    *) pulumi_args+=("$argument") ;;
  esac
done

cd "$REPO"
[[ -x node_modules/.bin/tsc ]] || die "node_modules is missing: run npm ci first"
mkdir -p "$STATE_DIR"

# --- 1. build dist/ if a source is newer than the compiled program ---------------------------------
program="dist/catalog/program.js"
if [[ ! -f "$program" ]] || [[ -n "$(find index.ts sdk provider local-distr catalog cli review policy -name '*.ts' ! -name '*.test.ts' -newer "$program" -print -quit 2>/dev/null)" ]]; then
  log "building (npm run build)..."
  node_modules/.bin/tsc -p tsconfig.build.json
  touch "$program"
fi

# --- 2. the engine ----------------------------------------------------------------------------------
eval "$(bash scripts/pulumi-engine.sh --env)"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$STATE_DIR}"
if [[ -z "${PULUMI_CONFIG_PASSPHRASE+set}" && -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]]; then
  export PULUMI_CONFIG_PASSPHRASE="$DEMO_PASSPHRASE"
fi

if ! pulumi stack select "$STACK" >/dev/null 2>&1; then
  log "creating stack $STACK in $PULUMI_BACKEND_URL"
  pulumi stack init "$STACK" >/dev/null
fi

# --- 3. which Distr ---------------------------------------------------------------------------------
configured_host="$(pulumi config get distr:host --stack "$STACK" 2>/dev/null || true)"
local_pid=""
stop_local() {
  if [[ -n "$local_pid" ]] && kill -0 "$local_pid" 2>/dev/null; then
    kill "$local_pid" 2>/dev/null || true
    wait "$local_pid" 2>/dev/null || true
    log "stopped the local Distr"
  fi
}
trap stop_local EXIT
trap 'exit 130' INT TERM

if [[ -n "${DISTR_HOST:-}" || -n "${DISTR_TOKEN:-}" || -n "$configured_host" ]]; then
  target="${configured_host:-${DISTR_HOST:-}}"
  [[ -n "$target" ]] || target="(default host)"
  log "the catalog against $target (stack $STACK): the license review first, then apply when asked (or --yes)"
  [[ "${PULUMI_CONFIG_PASSPHRASE:-}" == "$DEMO_PASSPHRASE" ]] \
    && log "note: secrets use the demo passphrase; export PULUMI_CONFIG_PASSPHRASE to protect a real token"
else
  target="local"
  log_file="$STATE_DIR/local-distr.log"
  node dist/cli/main.js local --data "$STATE_DIR/local-distr.json" >"$log_file" 2>&1 &
  local_pid=$!
  for _ in $(seq 1 100); do
    grep -q '^DISTR_TOKEN=' "$log_file" 2>/dev/null && break
    kill -0 "$local_pid" 2>/dev/null || { cat "$log_file" >&2; die "the local Distr did not start"; }
    sleep 0.1
  done
  DISTR_HOST="$(sed -n 's/^DISTR_HOST=//p' "$log_file" | head -n1)"
  DISTR_TOKEN="$(sed -n 's/^DISTR_TOKEN=//p' "$log_file" | head -n1)"
  [[ -n "$DISTR_HOST" && -n "$DISTR_TOKEN" ]] || { cat "$log_file" >&2; die "the local Distr printed no DISTR_HOST/DISTR_TOKEN"; }
  export DISTR_HOST DISTR_TOKEN
  log "local Distr (demo data, $STATE_DIR/local-distr.json) on $DISTR_HOST"
fi

marker="$STATE_DIR/$STACK.target"
describe_target() { [[ "$1" == local ]] && echo "the local demo Distr" || echo "$1"; }
if [[ -f "$marker" && "$(cat "$marker")" != "$target" ]]; then
  die "stack $STACK manages $(describe_target "$(cat "$marker")"), not $(describe_target "$target").
       Use another stack (PULUMI_STACK=<name> npm start), or destroy this one against the Distr it manages
       (pulumi destroy --stack $STACK) and delete $marker."
fi
[[ -f "$marker" ]] || printf '%s\n' "$target" >"$marker"

# --- 4. apply ---------------------------------------------------------------------------------------
# The plan with property-level diffs first (what the catalog changes), then the update with compact progress
# lines (`up --diff` would print every output of every resource again).
apply() { pulumi up --stack "$STACK" --yes --skip-preview "${pulumi_args[@]}"; }

if [[ "$target" == local ]]; then
  pulumi preview --stack "$STACK" --diff "${pulumi_args[@]}"
  apply
  exit 0
fi

# A real Distr: the license review, then apply only when asked to.
preview_json="$STATE_DIR/$STACK.preview.json"
if ! pulumi preview --stack "$STACK" --json --show-sames --show-replacement-steps "${pulumi_args[@]}" >"$preview_json"; then
  # The JSON carries the errors; the human-readable preview says them best.
  pulumi preview --stack "$STACK" "${pulumi_args[@]}" || true
  die "the preview failed; nothing was applied"
fi
review_env=()
if [[ -n "$configured_host" && -z "${DISTR_TOKEN:-}" ]]; then
  # The review's read-only look-ups find Distr the way the provider does: the stack's host and token.
  review_env=(DISTR_HOST="$configured_host" DISTR_TOKEN="$(pulumi config get distr:token --stack "$STACK" 2>/dev/null || true)")
fi
env "${review_env[@]}" node dist/cli/main.js review "$preview_json" --format text \
  || die "the review failed; nothing was applied"

if ! node -e '
  const summary = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).changeSummary ?? {};
  process.exit(Object.entries(summary).some(([op, count]) => op !== "same" && count > 0) ? 0 : 1);
' "$preview_json"; then
  log "no changes: $(describe_target "$target") already matches the catalog"
  exit 0
fi

if [[ "$assume_yes" == true ]]; then
  log "applying to $target (--yes)"
  apply
elif [[ -t 0 && -t 1 ]]; then
  read -r -p "Apply these changes to $target (stack $STACK)? [y/N] " answer
  if [[ "$answer" =~ ^[Yy]([Ee][Ss])?$ ]]; then
    apply
  else
    log "not applied"
  fi
else
  log "not applied: $target is a real Distr and there is no terminal to ask on."
  # The command must find the same stack and the same Distr when run as printed (in another shell, too).
  if [[ -n "$configured_host" ]]; then
    log "to apply this review: PULUMI_STACK=$STACK npm start -- --yes"
  else
    log "to apply this review: PULUMI_STACK=$STACK ${DISTR_HOST:+DISTR_HOST=$DISTR_HOST }npm start -- --yes   (with DISTR_TOKEN set as for this run)"
  fi
fi
