/**
 * The review of a preview, end to end and without a process: parse the document, ask Distr what the preview cannot
 * tell (customer names, dialect, the organization's licenses, the objects adopting creates take over; read-only,
 * and optional), read the license-level changes, judge them with the rules. The look-ups go through the provider's
 * client: paced, retried on 429 as the provider is. The command `pulumi-distr review` is a thin front end over this.
 */
import type { DistrClient } from "../sdk/distrClient";
import { lookUpAdoptions, type Adoptions } from "./adoptions";
import { lookUpDistrFacts, type DistrFactsResult } from "./distrLookups";
import { parsePreviewDocument } from "./previewDocument";
import { readPreviewChanges, type PreviewChanges } from "./previewChanges";
import { buildReviewReport, type ReviewReport } from "./report";

export interface ReviewPreviewOptions {
  readonly now: Date;
  readonly expiryWindowDays?: number;
  /** A client for read-only look-ups, or why there is none (e.g. "no DISTR_TOKEN"). */
  readonly distr: DistrClient | { readonly unavailable: string };
}

export async function reviewPreview(
  text: string,
  source: string,
  options: ReviewPreviewOptions,
): Promise<ReviewReport> {
  const document = parsePreviewDocument(text, source);
  const facts: DistrFactsResult =
    "unavailable" in options.distr ? options.distr : await lookUpDistrFacts(options.distr);
  let adoptions: Adoptions = new Map();
  let distr = facts;
  if ("facts" in facts && !("unavailable" in options.distr)) {
    try {
      adoptions = await lookUpAdoptions(document, options.distr);
    } catch (error) {
      distr = {
        unavailable: `Distr at ${options.distr.host} could not be asked about adopted objects (${(error as Error).message})`,
      };
    }
  }
  const changes = readPreviewChanges(
    document,
    "facts" in facts ? { customerNames: facts.facts.customerNames, dialect: facts.facts.dialect, adoptions } : {},
  );
  const archivedVersions =
    "unavailable" in options.distr || !("facts" in distr) ? {} : await archivedVersionsOf(changes, options.distr);
  return buildReviewReport(changes, {
    now: options.now,
    archivedVersions,
    ...(options.expiryWindowDays !== undefined ? { expiryWindowDays: options.expiryWindowDays } : {}),
    distr,
  });
}

/** Archived version names of the applications the license changes name (cached look-ups, usually no request). */
async function archivedVersionsOf(changes: PreviewChanges, client: DistrClient): Promise<Record<string, string[]>> {
  const applications = new Set<string>();
  for (const change of changes.licenses) {
    for (const snapshot of [change.before, change.after]) {
      if (snapshot?.kind === "applicationLicense" && !snapshot.pending.includes("application")) {
        applications.add(snapshot.application);
      }
    }
  }
  const archived: Record<string, string[]> = {};
  for (const name of applications) {
    try {
      const application = await client.lookups.application(name);
      const names = (application?.versions ?? []).filter((v) => v.archivedAt).map((v) => v.name);
      if (names.length > 0) archived[name] = names;
    } catch {
      // Only a marking: the review goes on without it.
    }
  }
  return archived;
}
