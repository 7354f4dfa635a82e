#!/usr/bin/env bash
# The shell steps of the GitOps workflow (.github/workflows/licenses.yml), kept here so that what the workflow runs
# is what the engine suite tests (test/engine/gitopsPipeline.test.ts, against the local Distr).
#
#   pipeline.sh preview   # pull request: preview with the license policy pack, then the license review as markdown
#                         # into $REVIEW_FILE (the PR comment); fails when the preview fails (a mandatory rule fired)
#   pipeline.sh comment   # pull request: post $REVIEW_FILE as the PR's license review comment, or update it
#   pipeline.sh apply     # main: `pulumi up` with the policy pack, then `pulumi preview --expect-no-changes`
#
# Environment (in GitHub Actions: repository secrets and variables, see README.md):
#   PULUMI_STACK                  the stack, e.g. production (required)
#   PULUMI_BACKEND_URL            shared state: s3://…, gs://…, azblob://…, or https://api.pulumi.com with
#                                 PULUMI_ACCESS_TOKEN. Never the runner's disk: file:// is refused unless
#                                 PIPELINE_ALLOW_FILE_BACKEND=1 (tests, a shared file system)
#   PULUMI_CONFIG_PASSPHRASE      the stack's secrets passphrase (not needed with Pulumi Cloud)
#   DISTR_HOST, DISTR_TOKEN       the Distr to manage and a read_write token (also the policy pack's look-ups)
#   POLICY_PACK                   default: the pack shipped in pulumi-distr (node_modules/pulumi-distr/policy-pack)
#   POLICY_PACK_CONFIG            default: policy-config.json beside this script, if present (makes rules mandatory)
#   REVIEW_FILE                   default: review.md beside this script
#   REVIEW_NOW                    judge expiries at this moment (RFC 3339) instead of now: reproducible reports
#   PR_NUMBER, GITHUB_REPOSITORY, GH_TOKEN    for `comment` (the workflow sets them)
# Nothing here prints a secret: no `set -x`, no env dumps; pulumi prints config secrets as [secret].
set -euo pipefail
shopt -s inherit_errexit

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$PROJECT_DIR"

log() { printf '[pipeline] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mode="${1:-}"
case "$mode" in
  preview | comment | apply) ;;
  *) die "usage: pipeline.sh preview|comment|apply" ;;
esac

: "${PULUMI_STACK:?set PULUMI_STACK to the stack to preview or apply, e.g. production}"
STACK="$PULUMI_STACK"
REVIEW_FILE="${REVIEW_FILE:-$PROJECT_DIR/review.md}"
# One comment per stack: the marker finds it again on the next push to the pull request.
MARKER="<!-- pulumi-distr-review:$STACK -->"

if [[ "$mode" == comment ]]; then
  : "${PR_NUMBER:?set PR_NUMBER (github.event.pull_request.number)}"
  : "${GITHUB_REPOSITORY:?set GITHUB_REPOSITORY (owner/name)}"
  [[ -f "$REVIEW_FILE" ]] || die "$REVIEW_FILE does not exist: run pipeline.sh preview first"
  existing="$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
    --jq ".[] | select(.body | startswith(\"$MARKER\")) | .id" | head -n1)"
  if [[ -n "$existing" ]]; then
    gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$REVIEW_FILE" >/dev/null
    log "updated the license review comment on pull request #$PR_NUMBER"
  else
    gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" -F "body=@$REVIEW_FILE" >/dev/null
    log "posted the license review comment on pull request #$PR_NUMBER"
  fi
  exit 0
fi

# --- the shared backend ---------------------------------------------------------------------------------------------
backend="${PULUMI_BACKEND_URL:-}"
if [[ -z "$backend" ]]; then
  [[ -n "${PULUMI_ACCESS_TOKEN:-}" ]] \
    || die "no shared backend: set PULUMI_BACKEND_URL (s3://…, gs://…, azblob://…) or PULUMI_ACCESS_TOKEN (Pulumi Cloud)"
elif [[ "$backend" == file://* && "${PIPELINE_ALLOW_FILE_BACKEND:-}" != 1 ]]; then
  die "PULUMI_BACKEND_URL is a local directory: state on a runner's disk is lost after the job and not locked
       against other runs; use s3://…, gs://…, azblob://… or Pulumi Cloud (PIPELINE_ALLOW_FILE_BACKEND=1 for a shared file system)"
fi
# The backend's lock serializes updates of one stack (the workflow's concurrency group queues the runs before that).
export PULUMI_SKIP_UPDATE_CHECK=true

command -v pulumi >/dev/null || die "pulumi is not on PATH"
if ! pulumi stack select "$STACK" --non-interactive >/dev/null 2>&1; then
  log "creating stack $STACK"
  pulumi stack init "$STACK" --non-interactive >/dev/null
fi

# --- the license policy pack ----------------------------------------------------------------------------------------
pack="${POLICY_PACK:-}"
if [[ -z "$pack" ]]; then
  package_json="$(node -p "require.resolve('pulumi-distr/package.json')")" \
    || die "pulumi-distr is not installed here: run npm ci"
  pack="$(dirname "$package_json")/policy-pack"
fi
[[ -f "$pack/PulumiPolicy.yaml" ]] || die "no policy pack at $pack"
policy=(--policy-pack "$pack")
pack_config="${POLICY_PACK_CONFIG:-$PROJECT_DIR/policy-config.json}"
if [[ -f "$pack_config" ]]; then
  policy+=(--policy-pack-config "$pack_config")
  log "policy pack config: $pack_config"
elif [[ -n "${POLICY_PACK_CONFIG:-}" ]]; then
  die "POLICY_PACK_CONFIG=$POLICY_PACK_CONFIG does not exist"
fi

if [[ "$mode" == preview ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  log "previewing stack $STACK with the policy pack $pack"
  set +e
  pulumi preview --stack "$STACK" --non-interactive --json --show-sames --show-replacement-steps "${policy[@]}" \
    >"$work/preview.json" 2>"$work/preview.err"
  preview_status=$?
  review_args=("$work/preview.json" --format markdown)
  [[ -n "${REVIEW_NOW:-}" ]] && review_args+=(--now "$REVIEW_NOW")
  npx --no-install pulumi-distr review "${review_args[@]}" >"$work/review.md" 2>"$work/review.err"
  review_status=$?
  set -e
  {
    printf '%s\n' "$MARKER"
    if [[ $preview_status -ne 0 ]]; then
      printf '## License review: the preview failed\n\n'
      printf 'The preview of stack `%s` failed (exit %d): this change cannot be merged as it is.\n\n' \
        "$STACK" "$preview_status"
      # `preview --json` carries no policy results; the human-readable preview lists them (a second preview,
      # only when the first failed).
      pulumi preview --stack "$STACK" --non-interactive --color never "${policy[@]}" >"$work/preview.txt" 2>&1 || true
      printf '```text\n'
      if grep -q '^Policies:' "$work/preview.txt"; then
        awk '/^Policies:/ {on = 1} on && /^$/ {exit} on' "$work/preview.txt"
      fi
      awk '/^Diagnostics:/ {on = 1} on' "$work/preview.txt"
      printf '```\n'
    elif [[ $review_status -ne 0 ]]; then
      printf '## License review\n\nThe review failed (exit %d):\n\n```text\n%s\n```\n' "$review_status" "$(cat "$work/review.err")"
    else
      cat "$work/review.md"
    fi
  } >"$REVIEW_FILE"
  [[ -n "${GITHUB_OUTPUT:-}" ]] && printf 'review-file=%s\n' "$REVIEW_FILE" >>"$GITHUB_OUTPUT"
  log "license review written to $REVIEW_FILE"
  if [[ $preview_status -ne 0 ]]; then
    cat "$work/preview.err" >&2
    die "the preview failed (exit $preview_status)"
  fi
  [[ $review_status -eq 0 ]] || die "the review failed (exit $review_status)"
  exit 0
fi

# apply
log "applying stack $STACK with the policy pack $pack"
pulumi up --stack "$STACK" --non-interactive --yes "${policy[@]}"
log "checking that Distr now matches the program (pulumi preview --expect-no-changes)"
pulumi preview --stack "$STACK" --non-interactive --expect-no-changes
