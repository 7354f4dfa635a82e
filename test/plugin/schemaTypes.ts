/**
 * Walks the package schema's types next to a zod input schema: every type the schema states for a property must be
 * one zod accepts there, every other JSON type must be refused there, nested objects must have the same required
 * fields and no more fields. The values tried are derived from the schema's types, never listed per property.
 */
import type { z } from "zod";
import type { PackageSchema, PropertySpec, TypeSpec } from "../../plugin/schema";

/** Puts a value at the place under test inside a complete input bag. */
export type Wrap = (value: unknown) => Record<string, unknown>;

export interface Disagreement {
  readonly place: string;
  readonly problem: string;
}

const ANY = "pulumi.json#/Any";

type JsonKind = "string" | "number" | "boolean" | "array" | "object";

/** A value of each JSON kind that no schema type of another kind accepts. */
const OF_KIND: Readonly<Record<JsonKind, unknown>> = {
  string: "not-a-valid-value",
  number: 42.5,
  boolean: true,
  array: [],
  object: { unexpected: 1 },
};

export class SchemaTypeWalker {
  readonly disagreements: Disagreement[] = [];

  /**
   * `strict`: the zod schema refuses what the schema excludes (inputs: unknown properties, fractions for integers);
   * output schemas read state back and tolerate more, so for them only acceptance of the schema's types is checked,
   * and that other JSON kinds are refused.
   */
  constructor(
    private readonly schema: PackageSchema,
    private readonly zodSchema: z.ZodType,
    private readonly strict = true,
  ) {}

  /** Values of a property's type, in the order the walk tries them (its description's literals last). */
  valuesOf(spec: PropertySpec | TypeSpec): unknown[] {
    return (spec.oneOf ?? [spec]).flatMap((branch) => [
      ...this.candidates(branch),
      ...(branch.type === "string" ? describedLiterals(spec) : []),
    ]);
  }

  /** Checks one property (and what it contains) at `place`. */
  property(spec: PropertySpec | TypeSpec, place: string, wrap: Wrap): void {
    const branches = spec.oneOf ?? [spec];
    const described = describedLiterals(spec);
    for (const branch of branches) this.branch(branch, place, wrap, described);
    if (branches.some((branch) => branch.$ref === ANY)) return;
    const covered = new Set(branches.flatMap((branch) => this.kindsOf(branch)));
    for (const [kind, value] of Object.entries(OF_KIND) as Array<[JsonKind, unknown]>) {
      if (covered.has(kind)) continue;
      if (this.accepts(wrap(value))) {
        this.disagree(place, `zod accepts ${JSON.stringify(value)} (a ${kind}), which the schema's type excludes`);
      }
    }
  }

  private branch(spec: TypeSpec, place: string, wrap: Wrap, described: readonly string[]): void {
    const candidates = [...this.candidates(spec), ...(spec.type === "string" ? described : [])];
    if (!candidates.some((candidate) => this.accepts(wrap(candidate)))) {
      this.disagree(
        place,
        `zod refuses every value of the schema type ${describe(spec)}: ${JSON.stringify(candidates)}`,
      );
      return;
    }
    if (spec.type === "integer" && this.strict && this.accepts(wrap(1.5))) {
      this.disagree(place, "zod accepts 1.5 where the schema says integer");
    }
    if (spec.type === "array" && spec.items) {
      this.property(spec.items, `${place}[0]`, (value) => wrap([value]));
    }
    if (spec.type === "object" && spec.additionalProperties) {
      this.property(spec.additionalProperties, `${place}.key`, (value) => wrap({ key: value }));
    }
    const referenced = spec.$ref && spec.$ref !== ANY ? this.referenced(spec.$ref) : undefined;
    if (referenced?.type === "string") {
      if (this.accepts(wrap("not-one-of-the-values"))) this.disagree(place, `zod accepts a value outside ${spec.$ref}`);
    }
    if (referenced?.type === "object") {
      const base = candidates.find((candidate) => this.accepts(wrap(candidate))) as Record<string, unknown>;
      for (const [name, property] of Object.entries(referenced.properties)) {
        this.property(property, `${place}.${name}`, (value) => wrap({ ...base, [name]: value }));
      }
      for (const name of referenced.required ?? []) {
        const { [name]: _omitted, ...without } = base;
        if (this.accepts(wrap(without))) this.disagree(`${place}.${name}`, "required in the schema, optional in zod");
      }
      if (this.strict && this.accepts(wrap({ ...base, unexpectedProperty: "x" }))) {
        this.disagree(place, "zod accepts a property the schema does not declare");
      }
    }
  }

  /** Complete values of a type: every required field set, optional ones left out. */
  private candidates(spec: TypeSpec): unknown[] {
    // Any value: one of each JSON kind (an output typed Any may still hold only some of them, like a list of names).
    if (spec.$ref === ANY) return ["any", ["sample"], 1, false, {}];
    if (spec.$ref) {
      const referenced = this.referenced(spec.$ref);
      if (referenced.type === "string") return referenced.enum.map((member) => member.value);
      let objects: Array<Record<string, unknown>> = [{}];
      for (const name of referenced.required ?? []) {
        const property = referenced.properties[name];
        if (!property) throw new Error(`${spec.$ref} requires undeclared ${name}`);
        const values = (property.oneOf ?? [property]).flatMap((branch) => this.candidates(branch));
        objects = objects.flatMap((object) => values.map((value) => ({ ...object, [name]: value }))).slice(0, 64);
      }
      return objects;
    }
    switch (spec.type) {
      case "string":
        // A plain word, and JSON text (a payload may be given as its JSON text).
        return ["sample", '{"seats":10}'];
      case "integer":
        return [1];
      case "number":
        return [1.5];
      case "boolean":
        return [false];
      case "array":
        return spec.items ? this.candidates(spec.items).map((item) => [item]) : [[]];
      case "object":
        return [{}];
      default:
        return (spec.oneOf ?? []).flatMap((branch) => this.candidates(branch));
    }
  }

  private kindsOf(spec: TypeSpec): JsonKind[] {
    if (spec.$ref === ANY) return Object.keys(OF_KIND) as JsonKind[];
    if (spec.$ref) {
      const referenced = this.referenced(spec.$ref);
      return [referenced.type === "string" ? "string" : "object"];
    }
    switch (spec.type) {
      case "integer":
        return ["number"];
      case undefined:
        return (spec.oneOf ?? []).flatMap((branch) => this.kindsOf(branch));
      default:
        return [spec.type];
    }
  }

  private referenced(ref: string): PackageSchema["types"][string] {
    const token = ref.replace(/^#\/types\//, "");
    const type = this.schema.types[token];
    if (!type) throw new Error(`the schema refers to ${ref}, which it does not define`);
    return type;
  }

  private accepts(bag: Record<string, unknown>): boolean {
    return this.zodSchema.safeParse(bag).success;
  }

  private disagree(place: string, problem: string): void {
    this.disagreements.push({ place, problem });
  }
}

/** A string alternative of a union may take one word only (`"all"`); the schema cannot say so, its description does. */
function describedLiterals(spec: PropertySpec | TypeSpec): string[] {
  return "description" in spec ? [...spec.description.matchAll(/`"([^"`]+)"`/g)].map((match) => match[1] ?? "") : [];
}

function describe(spec: TypeSpec): string {
  return spec.$ref ?? spec.type ?? "oneOf";
}
