/**
 * Property bags between the engine's protobuf Structs and the handlers' plain values. The engine wraps secrets as
 * objects carrying the secret signature (the plugin accepts secrets, so they arrive marked: pulumi-notes §3) and
 * sends values it does not know yet, during a preview, as the unknown sentinel string the handlers already pass
 * through `check` and `diff` (provider/unknowns.ts). Handlers never see a secret wrapper: they get plain values, and
 * whatever came in secret goes back out secret, at the same path when the value is still there, else the whole
 * top-level property (a normalized payload cannot be matched member by member).
 */
import { isDeepStrictEqual } from "node:util";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { jsonClean } from "../provider/properties";

/** The key and value that mark an object as a special Pulumi value, and the signature of a secret. */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

export type PropertyPath = readonly (string | number)[];

export interface PropertyBag {
  /** The values with every secret unwrapped. */
  readonly values: Record<string, unknown>;
  /** Where secrets were. */
  readonly secretPaths: readonly PropertyPath[];
}

/** A Struct from the engine as plain values plus the paths of its secrets. */
export function fromStruct(struct: Struct | undefined): PropertyBag {
  const secretPaths: PropertyPath[] = [];
  const raw = struct?.toJavaScript() ?? {};
  const values = unwrapSecrets(raw, [], secretPaths);
  return { values: isRecord(values) ? values : {}, secretPaths };
}

function unwrapSecrets(value: unknown, path: PropertyPath, secretPaths: PropertyPath[]): unknown {
  if (Array.isArray(value)) return value.map((item, index) => unwrapSecrets(item, [...path, index], secretPaths));
  if (!isRecord(value)) return value;
  if (value[SIGNATURE_KEY] === SECRET_SIGNATURE) {
    secretPaths.push(path);
    return unwrapSecrets(value["value"], path, secretPaths);
  }
  if (typeof value[SIGNATURE_KEY] === "string") {
    // Resource references and output values are not requested (acceptResources/acceptOutputs false); anything
    // else special (assets, archives) has no place in a Distr resource.
    throw new Error(
      `unexpected special Pulumi value ${JSON.stringify(value[SIGNATURE_KEY])} in the resource's properties`,
    );
  }
  const plain: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) plain[key] = unwrapSecrets(item, [...path, key], secretPaths);
  return plain;
}

/** A Struct for the engine, with a secret wrapper at each of `secretPaths` that exists in `values`. */
export function toStruct(values: unknown, secretPaths: readonly PropertyPath[]): Struct {
  let result: unknown = jsonClean(isRecord(values) ? values : {});
  // Longest paths first, so a secret inside a secret is wrapped before its container.
  const ordered = [...secretPaths].sort((a, b) => b.length - a.length);
  for (const path of ordered) result = wrapAt(result, path);
  return Struct.fromJavaScript(result as Record<string, never>);
}

/**
 * The secret paths of a result: the kind's fixed secret properties, plus every path that was secret in the inputs
 * it came from. An input secret whose path is gone from the result (the handler normalized the value) makes the
 * whole top-level property secret, unless a fixed secret path already covers it.
 */
export function resultSecretPaths(
  result: Record<string, unknown>,
  inputSecrets: readonly PropertyPath[],
  fixedSecrets: ReadonlyArray<readonly string[]>,
): PropertyPath[] {
  const paths: PropertyPath[] = [...fixedSecrets];
  for (const path of inputSecrets) {
    if (fixedSecrets.some((fixed) => isDeepStrictEqual([...fixed], [...path]))) continue;
    if (hasPath(result, path)) paths.push(path);
    else if (path.length > 0 && typeof path[0] === "string" && Object.hasOwn(result, path[0])) paths.push([path[0]]);
  }
  return paths;
}

function hasPath(value: unknown, path: PropertyPath): boolean {
  let current: unknown = value;
  for (const key of path) {
    if (typeof key === "number" ? !Array.isArray(current) || key >= current.length : !isRecord(current)) return false;
    if (typeof key === "string" && !Object.hasOwn(current as Record<string, unknown>, key)) return false;
    current = (current as Record<string | number, unknown>)[key];
  }
  return true;
}

function wrapAt(value: unknown, path: PropertyPath): unknown {
  if (path.length === 0) {
    if (value === undefined || (isRecord(value) && value[SIGNATURE_KEY] === SECRET_SIGNATURE)) return value;
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
  }
  const [key, ...rest] = path;
  if (typeof key === "number" && Array.isArray(value) && key < value.length) {
    return value.map((item, index) => (index === key ? wrapAt(item, rest) : item));
  }
  if (typeof key === "string" && isRecord(value) && value[SIGNATURE_KEY] === undefined && Object.hasOwn(value, key)) {
    return { ...value, [key]: wrapAt(value[key], rest) };
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
