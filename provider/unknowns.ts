/**
 * Values the engine has not computed yet. During a preview, inputs that depend on resources not yet created (a new
 * customer's `id`) reach `check` and `diff` as this sentinel string (pulumi-notes §5, @pulumi/pulumi
 * runtime/rpc.js `unknownValue`). They must pass `check` untouched and are never sent to Distr.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Unknown = typeof UNKNOWN;

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

/** True when the value is the sentinel or holds it anywhere inside (arrays, objects). */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
