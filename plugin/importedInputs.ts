/**
 * The inputs `pulumi import` takes for an object it reads: what a program writes for it. A read during a refresh
 * reports the inputs in their checked form (an artifact selection with the artifact's id and the tags' digests, an
 * application license with the application's id), which the next check compares with; on an import the engine
 * checks the read's inputs as a program's and prints them as code, and the check refuses those resolved fields
 * ("unknown property applicationId"). So on an import (a read without prior state) the resolved fields are left
 * out: names stay, ids of what the program names by name go.
 */
import type { ResourceKind } from "../provider/resourceHandlers";

export function importedInputs(kind: ResourceKind, inputs: Record<string, unknown>): Record<string, unknown> {
  if (kind === "applicationLicense") {
    const { applicationId: _applicationId, ...rest } = inputs;
    return rest;
  }
  if (kind === "artifactLicense" && Array.isArray(inputs["artifacts"])) {
    return {
      ...inputs,
      artifacts: inputs["artifacts"].map((selection: unknown) => {
        if (selection === null || typeof selection !== "object") return selection;
        const {
          artifactId: _artifactId,
          digests: _digests,
          versionIds: _versionIds,
          ...rest
        } = selection as Record<string, unknown>;
        return rest;
      }),
    };
  }
  return inputs;
}
