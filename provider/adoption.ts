/**
 * Adoption: taking over an object that already exists in Distr instead of creating it. Pulumi's `import` does not
 * work for dynamic resources (pulumi-notes §1, §9), so each resource has `adopt`: `true` finds the object by name in
 * its uniqueness scope, `{ id }` names it. The adopted object is not deleted or re-created: create takes it over and
 * updates it to the desired state. Without `adopt`, an existing object with the same name is an error.
 */
import { z } from "zod";
import { describeValue } from "./checkFailures";
import { byValueType, nonBlankString, orUnknown } from "./inputSchemas";

export type Adopt = boolean | AdoptById;

/** Adoption of one object, named by its id in Distr. */
export interface AdoptById {
  /** The id of the object in Distr. */
  readonly id: string;
}

export const adoptInputSchema = orUnknown(
  byValueType(
    {
      boolean: z.boolean(),
      object: z.strictObject({ id: nonBlankString("the id of the Distr object to adopt") }),
    },
    (value) =>
      `${describeValue(value)} is not an adopt setting; use true (find the object by name), ` +
      'false, or { id: "<id of the object in Distr>" }',
  ),
);

/** State and checked inputs: plain values only. */
export const adoptSchema = z.union([z.boolean(), z.object({ id: z.string() })]);

/** The sentence that tells a user how to take over an existing object. */
export function adoptHint(id: string): string {
  return `to manage it with this resource, set adopt: true (or adopt: { id: ${JSON.stringify(id)} })`;
}
