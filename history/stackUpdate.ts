/**
 * One update of a stack as the Pulumi CLI reports it (`pulumi stack history --json`, pkg/cmd/pulumi/stack/
 * stack_history.go `updateInfoJSON`): its kind and result, when it ran, and what the engine recorded about where it
 * came from: the message (the `-m` given, else the title of the git commit the program ran from) and the environment
 * (`git.head` = the commit, `git.author`, `git.headName` = the branch, `ci.system`, ...; backend/updates.go).
 */
import { z } from "zod";

const updateInfoSchema = z
  .object({
    version: z.number().int(),
    kind: z.string(),
    startTime: z.string(),
    message: z.string().nullish(),
    environment: z.record(z.string(), z.string()).nullish(),
    result: z.string().optional(),
    endTime: z.string().nullish(),
  })
  .loose();
export const stackHistorySchema = z.array(updateInfoSchema).nullable();

export interface StackUpdate {
  /** The update's number: Pulumi Cloud's version; the file and object-store backends record none, so 1 = oldest. */
  readonly number: number;
  /** update, refresh, destroy, import, ... */
  readonly kind: string;
  /** succeeded, failed, in-progress. */
  readonly result: string;
  readonly startTime: string;
  /** When the update's changes were complete; an update without one (still running) has not taken effect. */
  readonly endTime: string | undefined;
  readonly message: string;
  /** The commit the program ran from (git.head), with its author and branch, where the engine recorded them. */
  readonly commit: { readonly hash: string; readonly author?: string; readonly branch?: string } | undefined;
}

/** The CLI's history (newest first, as it prints it) as updates, oldest first. */
export function stackUpdatesOf(json: unknown, source: string): StackUpdate[] {
  const parsed = stackHistorySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${source} is not the output of \`pulumi stack history --json\` ` +
        `(${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected shape"})`,
    );
  }
  const oldestFirst = [...(parsed.data ?? [])].reverse();
  // The file and object-store backends leave every version at 0: number them as Pulumi Cloud would.
  const numbered = oldestFirst.every(
    (update, index) => index === 0 || update.version > (oldestFirst[index - 1]?.version ?? 0),
  );
  return oldestFirst.map((update, index) => {
    const environment = update.environment ?? {};
    const hash = environment["git.head"];
    const author = environment["git.author"];
    const branch = environment["git.headName"]?.replace(/^refs\/heads\//, "");
    return {
      number: numbered && update.version > 0 ? update.version : index + 1,
      kind: update.kind,
      result: update.result ?? "in-progress",
      startTime: update.startTime,
      endTime: update.endTime ?? undefined,
      message: update.message ?? "",
      commit:
        hash !== undefined && hash !== ""
          ? { hash, ...(author ? { author } : {}), ...(branch ? { branch } : {}) }
          : undefined,
    };
  });
}
