/**
 * The license rules (review/rules.ts) as CrossGuard policies: one resource policy per rule, named like the rule,
 * advisory by default; a pack's config makes any of them `mandatory` (blocks `preview`/`up`) or `disabled`:
 *
 * ```json
 * { "loses-access": "mandatory", "expires-soon": { "expiryWindowDays": 14 } }
 * ```
 * passed with `pulumi up --policy-pack <dir> --policy-pack-config <that file>`.
 *
 * "Before" comes from Distr, found where the program finds it: the stack's `distr:host`/`distr:token` (the engine
 * hands the pack the decrypted stack configuration, analyzerRequests.ts), else DISTR_HOST/DISTR_TOKEN; read-only,
 * through the provider's client (pacing, retries, the shared request ledger). A gate never passes because it could
 * not look: a mandatory rule that needs Distr and cannot ask it fails the run, saying why and what to do; advisory
 * rules are then skipped with one notice (`distr-reachable`). Deleted licenses, which the engine never shows a
 * resource policy, are judged by the stack policy `loses-access-deleted` against the stack's previous state
 * (previousLicenses.ts); its level follows `loses-access`.
 */
import type {
  EnforcementLevel,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { distrClient, useStackConfiguration } from "../provider/config";
import type { DistrClient } from "../sdk/distrClient";
import { compareLicenses } from "../review/licenseChange";
import { applicationLicenseSnapshotOf, artifactLicenseSnapshotOf } from "../review/licenseSnapshot";
import { resourceKindOf } from "../review/resourceKinds";
import {
  DEFAULT_EXPIRY_WINDOW_DAYS,
  evaluateRules,
  RULES,
  type LicenseRule,
  type RuleFinding,
  type RuleName,
} from "../review/rules";
import { configuredEnforcement, stackOfRun, type AnalyzedStack } from "./analyzerRequests";
import { LicenseJudge, type DistrConnector, type LicenseJudgement, type LicenseKind } from "./licenseJudgement";
import { previousLicenses, type PreviousLicensesResult } from "./previousLicenses";

/**
 * Which rules compare the new inputs with the license Distr holds now. Without it they would misjudge: a grant that
 * was "all" already would "widen to all", every granted prerelease would look new, a narrowing would go unseen.
 */
export const RULE_NEEDS_BEFORE: Readonly<Record<RuleName, boolean>> = {
  "loses-access": true,
  "widens-to-all": true,
  prerelease: true,
  "no-expiry": false,
  "expires-soon": false,
  "already-expired": false,
  "first-entitlement": true,
  "replacement-gap": true,
};

/** The policy that reports, once per run, that Distr could not be asked. */
export const DISTR_REACHABLE_POLICY = "distr-reachable";

/** The stack policy for licenses the program no longer declares; its enforcement level follows `loses-access`. */
export const DELETED_LICENSES_POLICY = "loses-access-deleted";

/** Where the pack looks for Distr, said in every message about not finding it. */
const WHERE_DISTR_IS =
  "the pack reads distr:host and distr:token from the stack's configuration " +
  "(`pulumi config set --secret distr:token <token>`), else DISTR_HOST and DISTR_TOKEN";

export interface LicensePolicyOptions {
  /** Enforcement of every rule unless the pack's config says otherwise. Default `advisory`. */
  readonly enforcementLevel?: EnforcementLevel;
  /** Where "before" comes from. Default: the Distr of DISTR_HOST/DISTR_TOKEN, like the provider's environment. */
  readonly connect?: DistrConnector;
  /** The moment rules judge expiries at. Default: now, taken once per pack run. */
  readonly now?: () => Date;
  /** The previous state's licenses, for deletions. Default: `pulumi stack export` of the run's stack. */
  readonly previousLicenses?: (stack: AnalyzedStack) => Promise<PreviousLicensesResult>;
}

/** The Distr of the run's stack configuration, else of DISTR_HOST/DISTR_TOKEN, as the provider finds it. */
export function connectAsTheProgram(): DistrClient {
  const stack = stackOfRun();
  useStackConfiguration((key) => stack?.config.get(key));
  return distrClient();
}

export function licensePolicies(
  options: LicensePolicyOptions = {},
): Array<ResourceValidationPolicy | StackValidationPolicy> {
  const judge = new LicenseJudge(options.connect ?? connectAsTheProgram);
  let runNow: Date | undefined;
  // One "now" per run: every rule and resource judges expiries at the same moment.
  const now = options.now ?? (() => (runNow ??= new Date()));
  const enforcementLevel = options.enforcementLevel ?? "advisory";
  const levelOf = (policy: string) => configuredEnforcement(policy) ?? enforcementLevel;
  let unavailableReported = false;

  const ruleNames = RULES.map((rule) => rule.name);
  const withoutBefore = ruleNames.filter((name) => !RULE_NEEDS_BEFORE[name]);
  const skippedWithoutBefore = ruleNames.filter((name) => RULE_NEEDS_BEFORE[name]);

  const distrReachable: ResourceValidationPolicy = {
    name: DISTR_REACHABLE_POLICY,
    description:
      "Distr answers the read-only look-ups that the license rules comparing with Distr's current licenses need " +
      "(distr:host/distr:token of the stack, else DISTR_HOST/DISTR_TOKEN)",
    enforcementLevel: "advisory",
    validateResource: async (args, reportViolation) => {
      const resource = licenseResourceOf(args);
      if (resource === undefined || unavailableReported) return;
      const judgement = await judge.judge(resource);
      if (judgement.unavailable === undefined || unavailableReported) return;
      unavailableReported = true;
      reportViolation(
        `${judgement.unavailable}. Evaluated only ${withoutBefore.join(", ")}; ` +
          `skipped ${skippedWithoutBefore.join(", ")} (they compare with Distr's current licenses; a mandatory one ` +
          `fails the run instead). ${capitalized(WHERE_DISTR_IS)}.`,
      );
    },
  };

  const cannotJudgeReported = new Set<RuleName>();
  const rules = RULES.map((rule) => rulePolicy(rule, { judge, now, enforcementLevel, levelOf, cannotJudgeReported }));
  const deleted = deletedLicensesPolicy({
    now,
    enforcementLevel,
    read: options.previousLicenses ?? ((stack) => previousLicenses(stack)),
  });
  return [distrReachable, ...rules, deleted];
}

interface RuleRun {
  readonly judge: LicenseJudge;
  readonly now: () => Date;
  readonly enforcementLevel: EnforcementLevel;
  readonly levelOf: (policy: string) => EnforcementLevel;
  /** Rules that already failed the run for not being able to judge: once per rule is enough. */
  readonly cannotJudgeReported: Set<RuleName>;
}

function rulePolicy(rule: LicenseRule, run: RuleRun): ResourceValidationPolicy {
  return {
    name: rule.name,
    description: rule.summary,
    enforcementLevel: run.enforcementLevel,
    ...(rule.name === "expires-soon"
      ? {
          configSchema: {
            properties: {
              expiryWindowDays: { type: "integer", minimum: 0, default: DEFAULT_EXPIRY_WINDOW_DAYS },
            },
          },
        }
      : {}),
    validateResource: async (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const resource = licenseResourceOf(args);
      if (resource === undefined) return;
      const judgement = await run.judge.judge(resource);
      if (RULE_NEEDS_BEFORE[rule.name] && !judgement.beforeKnown) {
        // A mandatory gate that could not look must not pass: it fails the run and says what to do.
        if (run.levelOf(rule.name) === "mandatory" && !run.cannotJudgeReported.has(rule.name)) {
          run.cannotJudgeReported.add(rule.name);
          reportViolation(
            `${rule.name} is mandatory but cannot judge license ${resource.name}: ` +
              `${judgement.unavailable ?? "Distr was not asked"}. The run fails rather than pass unjudged: ` +
              `${WHERE_DISTR_IS}; or make ${rule.name} advisory in the --policy-pack-config file.`,
          );
        }
        return;
      }
      if (judgement.unchanged) return;
      const expiryWindowDays =
        rule.name === "expires-soon" ? args.getConfig<{ expiryWindowDays?: number }>().expiryWindowDays : undefined;
      const { findings } = evaluateRules(
        [judgement.change],
        {
          now: run.now(),
          ...(expiryWindowDays !== undefined ? { expiryWindowDays } : {}),
          ...(judgement.organization ? { organization: judgement.organization } : {}),
          ...(judgement.unavailable !== undefined ? { unavailable: judgement.unavailable } : {}),
        },
        [rule.name],
      );
      for (const finding of findings) reportViolation(violationText(finding, judgement));
    },
  };
}

/**
 * Licenses of the previous state that the stack no longer has: deleted by this run. A stack policy, because the
 * engine validates only the resources a program registers; it sees the final stack at the end of the preview, so a
 * mandatory level blocks `pulumi preview` and the preview of `pulumi up` (with `up --skip-preview` it reports after
 * the fact).
 */
function deletedLicensesPolicy(run: {
  now: () => Date;
  enforcementLevel: EnforcementLevel;
  read: (stack: AnalyzedStack) => Promise<PreviousLicensesResult>;
}): StackValidationPolicy {
  return {
    name: DELETED_LICENSES_POLICY,
    description: `loses-access for deleted licenses: a license of the stack's previous state that the program no longer declares (its level follows loses-access)`,
    enforcementLevel: run.enforcementLevel,
    validateStack: async (args, reportViolation) => {
      const stack = stackOfRun();
      const previous: PreviousLicensesResult = stack
        ? await run.read(stack)
        : { unavailable: "the engine did not name the stack (no ConfigureStack request)" };
      if ("unavailable" in previous) {
        reportViolation(
          `cannot see deleted licenses: ${previous.unavailable}. The engine shows a policy pack only the final ` +
            "stack, so the pack compares it with the previous state; review deletions with " +
            "`pulumi-distr review --fail-on loses-access` instead.",
        );
        return;
      }
      const present = new Set(args.resources.map((resource) => resource.urn));
      for (const license of previous.licenses) {
        if (present.has(license.urn)) continue;
        const before =
          license.kind === "applicationLicense"
            ? applicationLicenseSnapshotOf(license.outputs)
            : artifactLicenseSnapshotOf(license.outputs);
        const change = compareLicenses(before, undefined, {
          resource: license.name,
          urn: license.urn,
          action: "delete",
        });
        const { findings } = evaluateRules([change], { now: run.now() }, ["loses-access"]);
        for (const finding of findings) reportViolation(violationText(finding, undefined));
      }
    },
  };
}

/** "license acme-pro (customer Acme): …", the customer told apart by its id where Distr has two of that name. */
function violationText(finding: RuleFinding, judgement: LicenseJudgement | undefined): string {
  const id = judgement?.change.after?.customer?.id ?? judgement?.change.before?.customer?.id;
  const ambiguous = id !== undefined && finding.customer !== undefined && judgement?.customerNameShared === true;
  const who = finding.customer !== undefined ? ` (customer ${finding.customer}${ambiguous ? `, id ${id}` : ""})` : "";
  return `license ${finding.license}${who}: ${finding.message}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function licenseResourceOf(args: ResourceValidationArgs) {
  const kind = resourceKindOf(args.type);
  if (kind !== "applicationLicense" && kind !== "artifactLicense") return undefined;
  return { kind: kind satisfies LicenseKind, urn: args.urn, name: args.name, props: args.props };
}
