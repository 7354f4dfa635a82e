/**
 * Builds the package schema from the code's own definitions, with the TypeScript compiler API (in the spirit of
 * pulumi-go-provider's `infer`, which reads struct fields and their doc comments):
 * - resources: the classes of provider/resources.ts that extend `pulumi.dynamic.Resource`; inputs are their `Args`
 *   interface, outputs their `declare readonly` fields; the type token is `distr:index:<class name>`;
 * - types: every interface and every named union of string literals those reach (`RegistryCredentialsArgs` becomes
 *   `distr:index:RegistryCredentials`, `CustomerFeature` an enum); unions become `oneOf`;
 * - descriptions: the doc comments, as the editor shows them to TypeScript users; a property without its own takes
 *   the doc comment of its named type (`adopt?: AdoptArgs`), an output the one of the input of the same name;
 * - outputs whose union holds an object type are `Any` (outputUnions.ts: the Python SDK cannot read them back);
 * - flags: `@secret` and `@replaceOnChanges` doc tags (the latter also on the output of the same name, where the
 *   SDK generators look for it); test/plugin/schemaClasses.test.ts checks the secrets against what the classes
 *   make secret at run time (`pulumi.secret`, `additionalSecretOutputs`);
 * - configuration and the explicit provider: `DistrProviderConfig` (provider/config.ts), with the environment
 *   variables and default host that the provider itself falls back to.
 * Anything it cannot express (an anonymous object type, a property without a description, a class that passes
 * another set of inputs than its Args declare) is an error naming the place, so the schema never guesses.
 *
 * Build-time only (it needs the `typescript` dev dependency): scripts/generate-schema.ts writes its result to
 * plugin/schema/distr.schema.json, which the plugin serves; test/plugin/schema.test.ts fails when that file is stale.
 */
import * as path from "node:path";
import ts from "typescript";
import { DEFAULT_DISTR_HOST } from "../../sdk/dialect";
import { CONFIG_KEYS, ENV_VARS } from "../../provider/config";
import { outputUnionsAsAny } from "./outputUnions";
import type { ComplexTypeSpec, PropertySpec, ResourceSpec, TypeSpec, UnversionedPackageSchema } from "./packageSchema";

export const PACKAGE_NAME = "distr";
const REPOSITORY_ROOT = path.resolve(__dirname, "..", "..");
export const RESOURCES_FILE = path.join(REPOSITORY_ROOT, "provider", "resources.ts");
export const CONFIG_FILE = path.join(REPOSITORY_ROOT, "provider", "config.ts");
const CONFIG_INTERFACE = "DistrProviderConfig";

/** Type aliases that stand for a schema primitive TypeScript has no name for. */
const PRIMITIVE_ALIASES: Readonly<Record<string, TypeSpec>> = { WholeNumber: { type: "integer" } };
const ANY = { $ref: "pulumi.json#/Any" } as const;

/** One input or output as read from a declaration. */
interface ExtractedProperty {
  readonly name: string;
  readonly spec: PropertySpec;
  readonly required: boolean;
}

/** Where a type is used, for messages. */
type Place = string;

export class SchemaExtractionError extends Error {
  override readonly name = "SchemaExtractionError";
}

/** The package schema (without version) read from the provider's source files. */
export function packageSchemaFromSource(): UnversionedPackageSchema {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  // Only the project's own files are read: the schema comes from their declarations and doc comments, and
  // `pulumi.Input<T>` is recognised by name. Leaving packages (@pulumi/pulumi, zod, undici) unresolved makes the
  // generator several times faster; their types would only become `any` where nothing here looks.
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, compilerOptions) =>
    literals.map((literal) =>
      literal.text.startsWith(".")
        ? ts.resolveModuleName(literal.text, containingFile, compilerOptions, host)
        : { resolvedModule: undefined },
    );
  return new Extractor(ts.createProgram([RESOURCES_FILE, CONFIG_FILE], options, host)).schema();
}

class Extractor {
  private readonly checker: ts.TypeChecker;
  private readonly types: Record<string, ComplexTypeSpec> = {};
  /** Declarations being turned into types, so that a recursive type refers to itself instead of looping. */
  private readonly inProgress = new Set<string>();

  constructor(private readonly program: ts.Program) {
    this.checker = program.getTypeChecker();
  }

  schema(): UnversionedPackageSchema {
    const resourcesFile = this.sourceFile(RESOURCES_FILE);
    const resources: Record<string, ResourceSpec> = {};
    for (const statement of resourcesFile.statements) {
      if (ts.isClassDeclaration(statement) && statement.name && extendsDynamicResource(statement)) {
        resources[`${PACKAGE_NAME}:index:${statement.name.text}`] = this.resource(statement);
      }
    }
    const config = this.interfaceIn(this.sourceFile(CONFIG_FILE), CONFIG_INTERFACE);
    const configProperties = this.objectProperties(config, CONFIG_INTERFACE);
    const variables: Record<string, PropertySpec> = {};
    const providerInputs: Record<string, PropertySpec> = {};
    for (const property of configProperties) {
      providerInputs[property.name] = property.spec;
      variables[property.name] = { ...property.spec, ...configDefaults(property.name) };
    }
    const outputs = outputUnionsAsAny(resources, this.types, [variables, providerInputs]);
    return {
      name: PACKAGE_NAME,
      displayName: "Distr",
      description:
        "Manage Distr license management as code: customers, application and artifact licenses (entitlements), " +
        "license keys and license templates.",
      keywords: ["pulumi", "distr", "licensing", "category/utility", "kind/native"],
      license: "Apache-2.0",
      publisher: "pulumi-distr",
      meta: { moduleFormat: "(.*)" },
      config: { variables },
      provider: { description: this.documentation(config, CONFIG_INTERFACE), inputProperties: providerInputs },
      resources: outputs.resources,
      types: sortedByKey(outputs.types),
      language: {
        nodejs: {
          packageName: "@pulumi-distr/plugin-sdk",
          packageDescription:
            "Distr resources served by the pulumi-resource-distr plugin (the npm package pulumi-distr holds the " +
            "dynamic-provider classes).",
          respectSchemaVersion: true,
        },
        python: { packageName: "pulumi_distr", respectSchemaVersion: true, pyproject: { enabled: true } },
        go: {
          importBasePath: "github.com/pulumi-distr/pulumi-distr/languages/go/distr",
          generateResourceContainerTypes: true,
          respectSchemaVersion: true,
        },
      },
    };
  }

  private resource(declaration: ts.ClassDeclaration): ResourceSpec {
    const className = declaration.name?.text ?? "(anonymous class)";
    const constructor = declaration.members.find(ts.isConstructorDeclaration);
    const argsType = constructor?.parameters[1]?.type;
    if (!constructor || !argsType || !ts.isTypeReferenceNode(argsType)) {
      throw new SchemaExtractionError(`${className}: expected a constructor (name, args: <Args>, opts?)`);
    }
    const argsDeclaration = this.declarationOf(argsType.typeName, className);
    if (!ts.isInterfaceDeclaration(argsDeclaration)) {
      throw new SchemaExtractionError(`${className}: ${argsType.typeName.getText()} must be an interface`);
    }
    const argsName = argsDeclaration.name.text;
    const inputs = this.objectProperties(argsDeclaration, argsName);
    const superCall = findSuperCall(constructor);
    const passed = passedProperties(superCall, className);
    const inputNames = inputs.map((input) => input.name);
    const notPassed = inputNames.filter((name) => !passed.inputs.includes(name));
    const notDeclared = passed.inputs.filter((name) => !inputNames.includes(name));
    if (notPassed.length > 0 || notDeclared.length > 0) {
      throw new SchemaExtractionError(
        `${className}: the constructor passes inputs [${passed.inputs.join(", ")}] but ${argsName} declares ` +
          `[${inputNames.join(", ")}]; make them the same`,
      );
    }

    const outputs: ExtractedProperty[] = [];
    for (const member of declaration.members) {
      if (!ts.isPropertyDeclaration(member) || !hasModifier(member, ts.SyntaxKind.DeclareKeyword)) continue;
      const name = propertyName(member.name, className);
      const place = `${className}.${name}`;
      if (!member.type) throw new SchemaExtractionError(`${place}: declare its type`);
      const own = this.documentation(member, place, { optional: true });
      const input = inputs.find((candidate) => candidate.name === name);
      const description = own ?? input?.spec.description;
      if (description === undefined) throw new SchemaExtractionError(`${place}: write a doc comment`);
      const { type, optional } = this.unwrapUndefined(member.type);
      outputs.push({
        name,
        required: !optional,
        spec: {
          ...this.typeOf(type, place),
          description,
          ...(docTags(member).has("secret") ? { secret: true as const } : {}),
          // Code generators read replaceOnChanges from the outputs (schema.Resource.ReplaceOnChanges in pkg/codegen).
          ...(input?.spec.replaceOnChanges ? { replaceOnChanges: true as const } : {}),
        },
      });
    }
    return {
      description: this.documentation(declaration, className),
      properties: propertyMap(outputs),
      ...requiredList("required", outputs),
      inputProperties: propertyMap(inputs),
      ...requiredList("requiredInputs", inputs),
    };
  }

  /** The properties of an interface, each with type, description, required flag and doc-tag flags. */
  private objectProperties(declaration: ts.InterfaceDeclaration, owner: string): ExtractedProperty[] {
    if (declaration.heritageClauses?.length) {
      throw new SchemaExtractionError(`${owner}: interfaces that extend others are not supported; list the fields`);
    }
    return declaration.members.map((member) => {
      if (!ts.isPropertySignature(member) || !member.type) {
        throw new SchemaExtractionError(`${owner}: only typed property signatures are supported`);
      }
      const name = propertyName(member.name, owner);
      const place = `${owner}.${name}`;
      const { type, optional } = this.unwrapUndefined(member.type);
      const tags = docTags(member);
      const description =
        this.documentation(member, place, { optional: true }) ?? this.documentationOfNamedType(type, place);
      return {
        name,
        required: member.questionToken === undefined && !optional,
        spec: {
          ...this.typeOf(type, place),
          description,
          ...(tags.has("secret") ? { secret: true as const } : {}),
          ...(tags.has("replaceOnChanges") ? { replaceOnChanges: true as const } : {}),
        },
      };
    });
  }

  /**
   * The schema type of a TypeScript type node. `inUnion`: the node is an alternative of a union, where a string
   * literal type becomes a plain string: the SDK generators read a union holding an enum as a "relaxed enum" and
   * type it as that enum's string (the Go SDK would then refuse `versions: ["2.1.0"]`). Its description says which
   * string it takes (like `"all"`).
   */
  private typeOf(node: ts.TypeNode, place: Place, inUnion = false): TypeSpec {
    if (ts.isParenthesizedTypeNode(node)) return this.typeOf(node.type, place, inUnion);
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) {
      return this.typeOf(node.type, place, inUnion);
    }
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: "string" };
      case ts.SyntaxKind.NumberKeyword:
        return { type: "number" };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: "boolean" };
      case ts.SyntaxKind.UnknownKeyword:
        return ANY;
    }
    if (ts.isArrayTypeNode(node)) return { type: "array", items: this.typeOf(node.elementType, `${place}[]`) };
    if (ts.isUnionTypeNode(node)) {
      const members = node.types.filter((member) => !isUndefined(member));
      if (members.length === 1 && members[0]) return this.typeOf(members[0], place, inUnion);
      const oneOf: TypeSpec[] = [];
      for (const member of members) {
        const spec = this.typeOf(member, place, true);
        for (const alternative of spec.oneOf ?? [spec]) {
          if (!oneOf.some((known) => sameType(known, alternative))) oneOf.push(alternative);
        }
      }
      return oneOf.length === 1 && oneOf[0] ? oneOf[0] : { oneOf };
    }
    if (ts.isTypeLiteralNode(node)) return this.mapLiteral(node, place);
    if (ts.isTypeReferenceNode(node)) return this.typeOfReference(node, place, inUnion);
    throw new SchemaExtractionError(`${place}: the type ${node.getText()} has no schema form; use a named type`);
  }

  private typeOfReference(node: ts.TypeReferenceNode, place: Place, inUnion: boolean): TypeSpec {
    const name = node.typeName.getText();
    const [first, second] = node.typeArguments ?? [];
    // pulumi.Input<T> and pulumi.Output<T> are how a program passes a T; the schema describes the T.
    if (name === "pulumi.Input" || name === "pulumi.Output") {
      if (!first) throw new SchemaExtractionError(`${place}: ${name} without a type argument`);
      return this.typeOf(first, place, inUnion);
    }
    if (name === "Array" && first) return { type: "array", items: this.typeOf(first, `${place}[]`) };
    if (name === "Record" && first && second) {
      if (first.kind !== ts.SyntaxKind.StringKeyword) {
        throw new SchemaExtractionError(`${place}: only Record<string, …> has a schema form`);
      }
      return { type: "object", additionalProperties: this.typeOf(second, place) };
    }
    const primitive = PRIMITIVE_ALIASES[name];
    if (primitive) return primitive;
    const declaration = this.declarationOf(node.typeName, place);
    if (ts.isInterfaceDeclaration(declaration)) return this.objectType(declaration);
    if (ts.isTypeAliasDeclaration(declaration)) {
      const literals = this.stringLiterals(declaration);
      if (literals) return inUnion ? { type: "string" } : this.enumType(declaration, literals);
      return this.typeOf(declaration.type, place, inUnion);
    }
    throw new SchemaExtractionError(`${place}: ${name} is neither an interface nor a type alias`);
  }

  /** `{ [key: string]: T }`: a map. Objects with named fields must be interfaces, so their type has a name. */
  private mapLiteral(node: ts.TypeLiteralNode, place: Place): TypeSpec {
    const [member] = node.members;
    const parameter = member && ts.isIndexSignatureDeclaration(member) ? member.parameters[0] : undefined;
    if (node.members.length !== 1 || !member || !ts.isIndexSignatureDeclaration(member) || !parameter?.type) {
      throw new SchemaExtractionError(
        `${place}: an anonymous object type has no name in the schema; declare it as an exported interface`,
      );
    }
    if (parameter.type.kind !== ts.SyntaxKind.StringKeyword) {
      throw new SchemaExtractionError(`${place}: only string-keyed maps have a schema form`);
    }
    return { type: "object", additionalProperties: this.typeOf(member.type, place) };
  }

  private objectType(declaration: ts.InterfaceDeclaration): TypeSpec {
    const typeName = schemaTypeName(declaration.name.text);
    const token = `${PACKAGE_NAME}:index:${typeName}`;
    const ref = { $ref: `#/types/${token}` };
    if (this.types[token] || this.inProgress.has(token)) return ref;
    this.inProgress.add(token);
    const properties = this.objectProperties(declaration, declaration.name.text);
    this.types[token] = {
      type: "object",
      description: this.documentation(declaration, declaration.name.text),
      properties: propertyMap(properties),
      ...requiredList("required", properties),
    };
    this.inProgress.delete(token);
    return ref;
  }

  private enumType(declaration: ts.TypeAliasDeclaration, values: readonly string[]): TypeSpec {
    const token = `${PACKAGE_NAME}:index:${schemaTypeName(declaration.name.text)}`;
    this.types[token] ??= {
      type: "string",
      description: this.documentation(declaration, declaration.name.text),
      enum: values.map((value) => ({ value, ...(/^[A-Za-z]/.test(value) ? {} : { name: `V${value}` }) })),
    };
    return { $ref: `#/types/${token}` };
  }

  /** The values of an alias that is a union of string literals (like `CustomerFeature`), else undefined. */
  private stringLiterals(declaration: ts.TypeAliasDeclaration): string[] | undefined {
    const type = this.checker.getTypeAtLocation(declaration.name);
    const members = type.isUnion() ? type.types : [type];
    const values: string[] = [];
    for (const member of members) {
      if (!member.isStringLiteral()) return undefined;
      values.push(member.value);
    }
    return values;
  }

  /** `T | undefined` → T, optional. */
  private unwrapUndefined(node: ts.TypeNode): { type: ts.TypeNode; optional: boolean } {
    if (ts.isTypeReferenceNode(node) && node.typeName.getText() === "pulumi.Output" && node.typeArguments?.[0]) {
      const inner = this.unwrapUndefined(node.typeArguments[0]);
      return { type: inner.type, optional: inner.optional };
    }
    if (ts.isUnionTypeNode(node) && node.types.some(isUndefined)) {
      const rest = node.types.filter((member) => !isUndefined(member));
      if (rest.length === 1 && rest[0]) return { type: rest[0], optional: true };
      return { type: ts.factory.createUnionTypeNode(rest), optional: true };
    }
    return { type: node, optional: false };
  }

  /** The declaration a type name refers to, through imports and re-exports. */
  private declarationOf(name: ts.EntityName, place: Place): ts.Declaration {
    let symbol = this.checker.getSymbolAtLocation(name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol?.declarations?.[0];
    if (!declaration) throw new SchemaExtractionError(`${place}: cannot resolve ${name.getText()}`);
    return declaration;
  }

  private documentationOfNamedType(node: ts.TypeNode, place: Place): string {
    let current = node;
    while (ts.isTypeReferenceNode(current)) {
      const name = current.typeName.getText();
      if ((name === "pulumi.Input" || name === "pulumi.Output") && current.typeArguments?.[0]) {
        current = current.typeArguments[0];
        continue;
      }
      const declaration = this.declarationOf(current.typeName, place);
      const text = this.documentation(declaration, place, { optional: true });
      if (text !== undefined) return text;
      break;
    }
    throw new SchemaExtractionError(`${place}: write a doc comment (neither the property nor its type has one)`);
  }

  /** The doc comment's text (without tags), as TypeScript shows it. */
  private documentation(node: ts.Node, place: Place): string;
  private documentation(node: ts.Node, place: Place, options: { optional: true }): string | undefined;
  private documentation(node: ts.Node, place: Place, options?: { optional: true }): string | undefined {
    const named = node as ts.Node & { name?: ts.Node };
    const symbol = named.name ? this.checker.getSymbolAtLocation(named.name) : undefined;
    const text = symbol ? markdownOf(ts.displayPartsToString(symbol.getDocumentationComment(this.checker))) : "";
    if (text !== "") return text;
    if (options?.optional) return undefined;
    throw new SchemaExtractionError(`${place}: write a doc comment`);
  }

  private sourceFile(file: string): ts.SourceFile {
    const source = this.program.getSourceFile(file);
    if (!source) throw new SchemaExtractionError(`cannot read ${file}`);
    return source;
  }

  private interfaceIn(source: ts.SourceFile, name: string): ts.InterfaceDeclaration {
    const found = source.statements.find(
      (statement): statement is ts.InterfaceDeclaration =>
        ts.isInterfaceDeclaration(statement) && statement.name.text === name,
    );
    if (!found) throw new SchemaExtractionError(`${source.fileName}: no interface ${name}`);
    return found;
  }
}

/**
 * A doc comment as markdown for the schema: the source wraps lines at 120 columns, which the SDK generators and doc
 * pages would otherwise keep as hard breaks; lines are joined within a paragraph, list items stay on their own line.
 */
export function markdownOf(comment: string): string {
  return comment
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph
        .split("\n")
        .map((line) => line.trim())
        .reduce(
          (joined, line) => (joined === "" ? line : /^[-*] /.test(line) ? `${joined}\n${line}` : `${joined} ${line}`),
          "",
        ),
    )
    .join("\n\n");
}

/** Schema type names drop the `Args` suffix TypeScript input interfaces carry. */
function schemaTypeName(interfaceName: string): string {
  const name = interfaceName.replace(/Args$/, "");
  // The Go SDK generates `<Type>Output` for every type: a schema type of that name would collide with it.
  if (name.endsWith("Output")) {
    throw new SchemaExtractionError(`${interfaceName}: a type name ending in "Output" collides in the Go SDK`);
  }
  return name;
}

/** Configuration defaults the provider applies itself (provider/config.ts `resolveProviderConfig`). */
function configDefaults(name: string): Pick<PropertySpec, "default" | "defaultInfo"> {
  if (!Object.values(CONFIG_KEYS).includes(`${PACKAGE_NAME}:${name}` as never)) {
    throw new SchemaExtractionError(`${CONFIG_INTERFACE}.${name}: provider/config.ts CONFIG_KEYS does not read it`);
  }
  const environment = (ENV_VARS as Readonly<Record<string, string>>)[name];
  return {
    ...(name === "host" ? { default: DEFAULT_DISTR_HOST } : {}),
    ...(environment !== undefined ? { defaultInfo: { environment: [environment] } } : {}),
  };
}

function extendsDynamicResource(declaration: ts.ClassDeclaration): boolean {
  return (
    declaration.heritageClauses?.some((clause) =>
      clause.types.some((type) => type.expression.getText() === "pulumi.dynamic.Resource"),
    ) ?? false
  );
}

function hasModifier(node: ts.HasModifiers, kind: ts.SyntaxKind): boolean {
  return ts.getModifiers(node)?.some((modifier) => modifier.kind === kind) ?? false;
}

function propertyName(name: ts.PropertyName, owner: string): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  throw new SchemaExtractionError(`${owner}: computed property names are not supported`);
}

function isUndefined(node: ts.TypeNode): boolean {
  return node.kind === ts.SyntaxKind.UndefinedKeyword;
}

function docTags(node: ts.Node): Set<string> {
  return new Set(ts.getJSDocTags(node).map((tag) => tag.tagName.text));
}

function findSuperCall(constructor: ts.ConstructorDeclaration): ts.CallExpression {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) found = node;
    else ts.forEachChild(node, visit);
  };
  if (constructor.body) visit(constructor.body);
  if (!found) throw new SchemaExtractionError("a resource constructor without super(...) call");
  return found;
}

/** The property bag handed to `dynamic.Resource`: inputs, and outputs seeded as `undefined`. */
function passedProperties(superCall: ts.CallExpression, className: string): { inputs: string[]; seeded: string[] } {
  const bag = superCall.arguments[2];
  if (!bag || !ts.isObjectLiteralExpression(bag)) {
    throw new SchemaExtractionError(`${className}: super(...)'s third argument must be an object literal`);
  }
  const inputs: string[] = [];
  const seeded: string[] = [];
  for (const property of bag.properties) {
    if (!ts.isPropertyAssignment(property)) {
      throw new SchemaExtractionError(`${className}: write the property bag as \`key: value\` pairs`);
    }
    const name = propertyName(property.name, className);
    if (ts.isIdentifier(property.initializer) && property.initializer.text === "undefined") seeded.push(name);
    else inputs.push(name);
  }
  return { inputs, seeded };
}

function sameType(a: TypeSpec, b: TypeSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function propertyMap(properties: readonly ExtractedProperty[]): Record<string, PropertySpec> {
  return Object.fromEntries(properties.map((property) => [property.name, property.spec]));
}

function requiredList<K extends string>(
  key: K,
  properties: readonly ExtractedProperty[],
): Partial<Record<K, string[]>> {
  const required = properties.filter((property) => property.required).map((property) => property.name);
  return required.length > 0 ? ({ [key]: required } as Partial<Record<K, string[]>>) : {};
}

function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
