/**
 * The license rules (review/rules.ts) as CrossGuard resource policies: one policy per rule, named like the rule,
 * advisory by default; a pack's config makes any of them `mandatory` (blocks `preview`/`up`) or `disabled`:
 *
 * ```json
 * { "loses-access": "mandatory", "expires-soon": { "expiryWindowDays": 14 } }
 * ```
 * passed with `pulumi up --policy-pack <dir> --policy-pack-config <that file>`.
 *
 * "Before" comes from Distr (DISTR_HOST/DISTR_TOKEN in the environment, read-only), see licenseJudgement.ts. Rules
 * that compare with "before" are skipped when Distr cannot be asked; the policy `distr-reachable` says so once.
 */
import type {
  EnforcementLevel,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import { distrClient } from "../provider/config";
import { resourceKindOf } from "../review/resourceKinds";
import { DEFAULT_EXPIRY_WINDOW_DAYS, evaluateRules, RULES, type LicenseRule, type RuleName } from "../review/rules";
import { LicenseJudge, type DistrConnector, type LicenseKind } from "./licenseJudgement";

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

export interface LicensePolicyOptions {
  /** Enforcement of every rule unless the pack's config says otherwise. Default `advisory`. */
  readonly enforcementLevel?: EnforcementLevel;
  /** Where "before" comes from. Default: the Distr of DISTR_HOST/DISTR_TOKEN, like the provider's environment. */
  readonly connect?: DistrConnector;
  /** The moment rules judge expiries at. Default: now, when a resource is validated. */
  readonly now?: () => Date;
}

export function licensePolicies(options: LicensePolicyOptions = {}): ResourceValidationPolicy[] {
  const judge = new LicenseJudge(options.connect ?? distrClient);
  const now = options.now ?? (() => new Date());
  const enforcementLevel = options.enforcementLevel ?? "advisory";
  let unavailableReported = false;

  const ruleNames = RULES.map((rule) => rule.name);
  const withoutBefore = ruleNames.filter((name) => !RULE_NEEDS_BEFORE[name]);
  const skippedWithoutBefore = ruleNames.filter((name) => RULE_NEEDS_BEFORE[name]);

  const distrReachable: ResourceValidationPolicy = {
    name: DISTR_REACHABLE_POLICY,
    description:
      "Distr answers the read-only look-ups (DISTR_HOST/DISTR_TOKEN) that the license rules comparing with " +
      "Distr's current licenses need",
    enforcementLevel: "advisory",
    validateResource: async (args, reportViolation) => {
      const resource = licenseResourceOf(args);
      if (resource === undefined || unavailableReported) return;
      const judgement = await judge.judge(resource);
      if (judgement.unavailable === undefined || unavailableReported) return;
      unavailableReported = true;
      reportViolation(
        `${judgement.unavailable}. Evaluated only ${withoutBefore.join(", ")}; ` +
          `skipped ${skippedWithoutBefore.join(", ")} (they compare with Distr's current licenses). ` +
          "Set DISTR_HOST and DISTR_TOKEN for the pack.",
      );
    },
  };

  return [distrReachable, ...RULES.map((rule) => rulePolicy(rule, judge, now, enforcementLevel))];
}

function rulePolicy(
  rule: LicenseRule,
  judge: LicenseJudge,
  now: () => Date,
  enforcementLevel: EnforcementLevel,
): ResourceValidationPolicy {
  return {
    name: rule.name,
    description: rule.summary,
    enforcementLevel,
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
      const judgement = await judge.judge(resource);
      if (judgement.unchanged) return;
      if (RULE_NEEDS_BEFORE[rule.name] && !judgement.beforeKnown) return;
      const expiryWindowDays =
        rule.name === "expires-soon" ? args.getConfig<{ expiryWindowDays?: number }>().expiryWindowDays : undefined;
      const { findings } = evaluateRules(
        [judgement.change],
        {
          now: now(),
          ...(expiryWindowDays !== undefined ? { expiryWindowDays } : {}),
          ...(judgement.organization ? { organization: judgement.organization } : {}),
          ...(judgement.unavailable !== undefined ? { unavailable: judgement.unavailable } : {}),
        },
        [rule.name],
      );
      for (const finding of findings) {
        const who = finding.customer !== undefined ? ` (customer ${finding.customer})` : "";
        reportViolation(`license ${finding.license}${who}: ${finding.message}`);
      }
    },
  };
}

function licenseResourceOf(args: ResourceValidationArgs) {
  const kind = resourceKindOf(args.type);
  if (kind !== "applicationLicense" && kind !== "artifactLicense") return undefined;
  return { kind: kind satisfies LicenseKind, urn: args.urn, name: args.name, props: args.props };
}
