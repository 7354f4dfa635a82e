#!/usr/bin/env bash
# The scheduled jobs of the GitOps workflow (.github/workflows/licenses.yml), kept here so that what the workflow runs
# is what the engine suite tests (test/engine/driftCommand.test.ts, against the local Distr).
#
#   operations.sh drift      # `pulumi-distr drift`: while Distr differs from the stack's state (portal edits, objects
#                            # no stack manages), one GitHub issue says how, opened once and updated on every run;
#                            # closed with a comment when the drift is gone. Exit 0 either way, 1 when it cannot tell.
#   operations.sh expiring   # `pulumi-distr licenses --expiring-within $EXPIRING_WITHIN_DAYS`: the overview as
#                            # markdown ($OVERVIEW_FILE, also the job summary) and a page ($OVERVIEW_HTML); exit 3
#                            # when a license expires within the window or has expired (the job fails: someone looks)
#
# Environment (in GitHub Actions: repository secrets and variables, see README.md):
#   PULUMI_STACK                  the stack, e.g. production (required); DRIFT_STACKS: more stacks, space-separated,
#                                 whose objects count as managed too
#   PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, PULUMI_ACCESS_TOKEN    the stack's backend (read only here)
#   DISTR_HOST, DISTR_TOKEN       the Distr to read (a read-only token is enough: both jobs only read)
#   GITHUB_REPOSITORY, GH_TOKEN   for the drift issue (the workflow sets them; needs `issues: write`)
#   DRIFT_FILE                    default: drift.md beside this script
#   OVERVIEW_FILE, OVERVIEW_HTML  default: licenses.md, licenses.html beside this script
#   EXPIRING_WITHIN_DAYS          default 30
#   REPORT_NOW                    judge expiries at this moment (RFC 3339) instead of now: reproducible reports
# Nothing here prints a secret.
set -euo pipefail
shopt -s inherit_errexit

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$PROJECT_DIR"

log() { printf '[operations] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mode="${1:-}"
case "$mode" in
  drift | expiring) ;;
  *) die "usage: operations.sh drift|expiring" ;;
esac
: "${PULUMI_STACK:?set PULUMI_STACK to the stack, e.g. production}"
export PULUMI_SKIP_UPDATE_CHECK=true
now_args=()
[[ -n "${REPORT_NOW:-}" ]] && now_args=(--now "$REPORT_NOW")

if [[ "$mode" == expiring ]]; then
  OVERVIEW_FILE="${OVERVIEW_FILE:-$PROJECT_DIR/licenses.md}"
  OVERVIEW_HTML="${OVERVIEW_HTML:-$PROJECT_DIR/licenses.html}"
  days="${EXPIRING_WITHIN_DAYS:-30}"
  npx --no-install pulumi-distr licenses --stack "$PULUMI_STACK" --format html --out "$OVERVIEW_HTML" \
    --expiring-within "$days" "${now_args[@]}" || [[ $? -eq 3 ]] || die "the overview page failed"
  set +e
  npx --no-install pulumi-distr licenses --stack "$PULUMI_STACK" --format markdown --out "$OVERVIEW_FILE" \
    --expiring-within "$days" "${now_args[@]}"
  status=$?
  set -e
  [[ $status -eq 0 || $status -eq 3 ]] || die "pulumi-distr licenses failed (exit $status)"
  [[ -n "${GITHUB_STEP_SUMMARY:-}" ]] && cat "$OVERVIEW_FILE" >>"$GITHUB_STEP_SUMMARY"
  if [[ $status -eq 3 ]]; then
    log "licenses expire within $days days or have expired: see $OVERVIEW_FILE"
    exit 3
  fi
  log "no license expires within $days days"
  exit 0
fi

# drift
: "${GITHUB_REPOSITORY:?set GITHUB_REPOSITORY (owner/name)}"
DRIFT_FILE="${DRIFT_FILE:-$PROJECT_DIR/drift.md}"
stacks=(--stack "$PULUMI_STACK")
for extra in ${DRIFT_STACKS:-}; do stacks+=(--stack "$extra"); done
set +e
npx --no-install pulumi-distr drift "${stacks[@]}" --format markdown --out "$DRIFT_FILE" "${now_args[@]}"
status=$?
set -e
[[ $status -eq 0 || $status -eq 3 ]] || die "pulumi-distr drift failed (exit $status): no issue was changed"
# The report's first line names the stacks; the open issue that starts with it is this job's.
marker="$(head -n1 "$DRIFT_FILE")"
[[ "$marker" == "<!-- pulumi-distr-drift:"* ]] || die "$DRIFT_FILE does not start with the drift marker"
open_issue="$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues?state=open&labels=license-drift" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .number" | head -n1)"
if [[ $status -eq 3 ]]; then
  if [[ -n "$open_issue" ]]; then
    gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/$open_issue" -F "body=@$DRIFT_FILE" >/dev/null
    log "drift: updated issue #$open_issue"
  else
    gh api --method POST "repos/$GITHUB_REPOSITORY/issues" -f "title=License drift in Distr ($PULUMI_STACK)" \
      -F "body=@$DRIFT_FILE" -f "labels[]=license-drift" >/dev/null
    log "drift: opened an issue"
  fi
elif [[ -n "$open_issue" ]]; then
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$open_issue/comments" \
    -f "body=No drift any more: Distr matches the state of $PULUMI_STACK ($(date -u +%Y-%m-%dT%H:%M:%SZ))." >/dev/null
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/$open_issue" -f state=closed -f state_reason=completed >/dev/null
  log "no drift: closed issue #$open_issue"
else
  log "no drift"
fi
