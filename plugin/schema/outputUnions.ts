/**
 * Outputs whose union holds an object type (`versions`: `"all"`, a list of names, or a range with what it matched)
 * are declared as `Any` in the schema. The Python SDK cannot turn such a value back into the union its generator
 * types it as (`AssertionError: Unexpected type; expected a value of type typing.Union[str, Sequence[str],
 * GrantedVersionRange] but got <class 'dict'>`, compare pulumi/pulumi#17181), so a program with a range tier failed
 * on its own outputs; the Go SDK already types every union as `pulumi.AnyOutput`. Inputs keep their unions: every
 * SDK reads and checks them. An object type only outputs use that no output names any more is dropped.
 */
import type { ComplexTypeSpec, PropertySpec, ResourceSpec, TypeSpec } from "./packageSchema";

const ANY = { $ref: "pulumi.json#/Any" } as const;
const TYPE_REF = "#/types/";

export const OUTPUT_UNION_NOTE = " Typed `Any`: the Python SDK cannot read back an output union that holds an object.";

export function outputUnionsAsAny(
  resources: Record<string, ResourceSpec>,
  types: Record<string, ComplexTypeSpec>,
  inputRoots: ReadonlyArray<Readonly<Record<string, PropertySpec>>>,
): { resources: Record<string, ResourceSpec>; types: Record<string, ComplexTypeSpec> } {
  const inputTypes = reachable(
    [...inputRoots, ...Object.values(resources).map((resource) => resource.inputProperties)],
    types,
  );
  const outputsOnly = (token: string) => !inputTypes.has(token);
  const convert = (properties: Readonly<Record<string, PropertySpec>>) =>
    Object.fromEntries(
      Object.entries(properties).map(([name, spec]) => [name, unionHoldsObject(spec, types) ? asAny(spec) : spec]),
    );
  const convertedResources = Object.fromEntries(
    Object.entries(resources).map(([token, resource]) => [
      token,
      { ...resource, properties: convert(resource.properties) },
    ]),
  );
  const convertedTypes = Object.fromEntries(
    Object.entries(types).map(([token, type]) => [
      token,
      type.type === "object" && outputsOnly(token) ? { ...type, properties: convert(type.properties) } : type,
    ]),
  );
  // Drop the object types nothing refers to any more (only outputs referred to them, through a union).
  const used = reachable(
    [
      ...inputRoots,
      ...Object.values(convertedResources).flatMap((resource) => [resource.inputProperties, resource.properties]),
    ],
    convertedTypes,
  );
  return {
    resources: convertedResources,
    types: Object.fromEntries(Object.entries(convertedTypes).filter(([token]) => used.has(token))),
  };
}

function asAny(spec: PropertySpec): PropertySpec {
  const { oneOf: _oneOf, ...rest } = spec;
  return { ...ANY, ...rest, description: `${spec.description}${OUTPUT_UNION_NOTE}` };
}

function unionHoldsObject(spec: TypeSpec, types: Readonly<Record<string, ComplexTypeSpec>>): boolean {
  return (spec.oneOf ?? []).some((alternative) => {
    const token = alternative.$ref?.startsWith(TYPE_REF) ? alternative.$ref.slice(TYPE_REF.length) : undefined;
    return alternative.type === "object" || (token !== undefined && types[token]?.type === "object");
  });
}

/** The type tokens the given properties refer to, directly or through other types. */
function reachable(
  roots: ReadonlyArray<Readonly<Record<string, PropertySpec>>>,
  types: Readonly<Record<string, ComplexTypeSpec>>,
): Set<string> {
  const found = new Set<string>();
  const visit = (spec: TypeSpec | undefined): void => {
    if (spec === undefined) return;
    if (spec.$ref?.startsWith(TYPE_REF)) {
      const token = spec.$ref.slice(TYPE_REF.length);
      if (found.has(token)) return;
      found.add(token);
      const type = types[token];
      if (type?.type === "object") Object.values(type.properties).forEach(visit);
    }
    visit(spec.items);
    visit(spec.additionalProperties);
    spec.oneOf?.forEach(visit);
  };
  roots.forEach((properties) => Object.values(properties).forEach(visit));
  return found;
}
