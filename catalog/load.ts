/**
 * Reads and validates a license catalog file. Everything that can be wrong with the file is reported at once (as far
 * as the YAML can be read), each problem with its path, line and fix: see CatalogError.
 */
import { readFileSync } from "node:fs";
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { CatalogError, type CatalogIssue } from "./errors";
import { expandCatalog, findNameCollisions } from "./expand";
import {
  CATALOG_KEYS,
  CatalogFileSchema,
  closest,
  unknownPlanReferences,
  type IssueParams,
  type LicenseCatalog,
} from "./schema";

type PathSegment = PropertyKey;

/** Reads `file` and returns the validated catalog, or throws a CatalogError. */
export function loadCatalog(file: string): LicenseCatalog {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const fix =
      code === "ENOENT"
        ? "check the path (relative paths are resolved from the current directory), or copy catalog/licenses.yaml"
        : "check the file's permissions";
    throw new CatalogError("unreadable", file, [{ path: "", message: String((error as Error).message), fix }], {
      cause: error,
    });
  }
  return parseCatalog(text, file);
}

/** Validates catalog text; `file` is only used in messages. */
export function parseCatalog(text: string, file: string): LicenseCatalog {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new CatalogError(
      "syntax",
      file,
      document.errors.map((error) => ({
        path: "",
        line: error.linePos?.[0].line,
        column: error.linePos?.[0].col,
        message:
          error.code === "DUPLICATE_KEY"
            ? "the same key appears twice in one mapping"
            : (error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, ""),
        fix:
          error.code === "DUPLICATE_KEY"
            ? "merge the two entries into one"
            : "check indentation (spaces only) and that every [ or { is closed",
      })),
    );
  }

  let raw: unknown;
  try {
    raw = document.toJS();
  } catch (error) {
    // The yaml package resolves aliases only here (an alias before its anchor, `*name`, throws a ReferenceError).
    throw new CatalogError(
      "syntax",
      file,
      [
        {
          path: "",
          line: 1,
          message: error instanceof Error ? error.message : String(error),
          fix: "define every &anchor before its *alias, or write the value out",
        },
      ],
      { cause: error },
    );
  }
  if (raw === null || raw === undefined) {
    throw new CatalogError("invalid", file, [
      { path: "", message: "the file is empty", fix: "start with plans: and customers: (see catalog/licenses.yaml)" },
    ]);
  }

  const parsed = CatalogFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = toCatalogIssues(parsed.error.issues, document, lineCounter);
    for (const reference of unknownPlanReferences(raw)) {
      const path = formatPath(reference.path);
      if (issues.some((issue) => issue.path === path)) continue;
      issues.push({
        path,
        ...position(document, lineCounter, reference.path),
        message: reference.message,
        fix: reference.fix,
      });
    }
    throw new CatalogError("invalid", file, issues);
  }

  const collisions = findNameCollisions(expandCatalog(parsed.data));
  if (collisions.length > 0) {
    throw new CatalogError(
      "invalid",
      file,
      collisions.map((collision) => {
        const path = parsePath(collision.sources[1]);
        return {
          path: collision.sources[1],
          ...position(document, lineCounter, path),
          message: `produces the ${collision.licenseName ? "license" : "resource"} name ${JSON.stringify(collision.name)}, like ${collision.sources[0]}`,
          fix: collision.licenseName
            ? "give one of the customers a different key:, or rename one of the plans"
            : "give one of the grants a different key:",
        };
      }),
    );
  }
  return parsed.data;
}

function toCatalogIssues(issues: readonly z.core.$ZodIssue[], document: Document, lineCounter: LineCounter) {
  const result: CatalogIssue[] = [];
  for (const issue of issues) {
    // Record key problems (a bad plan name) carry the key schema's own issue inside.
    if (issue.code === "invalid_key") {
      for (const inner of issue.issues) {
        result.push(describeIssue({ ...inner, path: [...issue.path] } as z.core.$ZodIssue, document, lineCounter));
      }
      continue;
    }
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        result.push(unknownKeyIssue(issue.path, key, document, lineCounter));
      }
      continue;
    }
    result.push(describeIssue(issue, document, lineCounter));
  }
  return result;
}

function describeIssue(issue: z.core.$ZodIssue, document: Document, lineCounter: LineCounter): CatalogIssue {
  const path = issue.path;
  const where = { path: formatPath(path), ...position(document, lineCounter, path) };
  const field = String(path[path.length - 1] ?? "");
  switch (issue.code) {
    case "custom": {
      const fix = (issue.params as Partial<IssueParams> | undefined)?.fix ?? "see catalog/licenses.yaml for the format";
      return { ...where, message: issue.message, fix };
    }
    case "invalid_type": {
      const received = typeOfValue(document, path);
      if (received === "nothing") {
        return { ...where, message: `${field} is missing`, fix: `add ${field}: ${exampleOf(issue.expected, field)}` };
      }
      return {
        ...where,
        message: `expected ${articleFor(issue.expected)}, got ${received}`,
        fix: `write ${exampleOf(issue.expected, field)}`,
      };
    }
    case "invalid_value": {
      const value = valueAt(document, path);
      const options = issue.values.map(String);
      const hint = typeof value === "string" ? closest(value, options) : undefined;
      return {
        ...where,
        message: `${JSON.stringify(value)} is not allowed here`,
        fix: (hint ? `did you mean ${hint}? ` : "") + `use one of ${options.join(", ")}`,
      };
    }
    case "too_small":
      return { ...where, message: `${field || "this value"} must not be empty`, fix: `write a value for ${field}` };
    default:
      return { ...where, message: issue.message, fix: "see catalog/licenses.yaml for the format" };
  }
}

function unknownKeyIssue(parent: readonly PathSegment[], key: string, document: Document, lineCounter: LineCounter) {
  const allowed = allowedKeysAt(parent);
  const hint = closest(key, allowed);
  const node = document.getIn(parent as unknown[], true);
  const pair = isMap(node) ? node.items.find((item) => scalarValue(item.key) === key) : undefined;
  const keyNode = pair?.key as Node | undefined;
  const location = keyNode?.range ? lineCounter.linePos(keyNode.range[0]) : undefined;
  return {
    path: formatPath([...parent, key]),
    ...(location ? { line: location.line, column: location.col } : position(document, lineCounter, parent)),
    message: `unknown key ${JSON.stringify(key)}`,
    fix: (hint ? `did you mean ${hint}? ` : "") + `allowed here: ${allowed.join(", ")}`,
  };
}

/** The mapping kind at a path: plans.<name> is a plan, customers[i] a customer, and so on. */
function allowedKeysAt(path: readonly PathSegment[]): readonly string[] {
  const [top, , third, , fifth] = path;
  if (path.length === 0) return CATALOG_KEYS.catalog;
  if (top === "plans" && path.length === 2) return CATALOG_KEYS.plan;
  if (top === "plans" && third === "licenseKey" && path.length === 3) return CATALOG_KEYS.licenseKey;
  if (top === "licenseTemplates" && path.length === 2) return CATALOG_KEYS.licenseTemplate;
  if (top === "customers" && path.length === 2) return CATALOG_KEYS.customer;
  if (top === "customers" && third === "grants" && path.length === 4) return CATALOG_KEYS.grant;
  if (top === "customers" && third === "grants" && fifth === "registry") return CATALOG_KEYS.registry;
  if (top === "grantsWithoutCustomer" && path.length === 2) return CATALOG_KEYS.grant;
  if (top === "grantsWithoutCustomer" && third === "registry") return CATALOG_KEYS.registry;
  return [];
}

/** `["customers", 1, "grants", 0, "plan"]` → `customers[1].grants[0].plan`; odd keys are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(segment))) text += (text ? "." : "") + String(segment);
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

function parsePath(text: string): PathSegment[] {
  return [...text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)].map((match) =>
    match[2] === undefined ? String(match[1]) : Number(match[2]),
  );
}

/** Line and column of the value at `path`, or of its nearest ancestor that exists in the file. */
function position(document: Document, lineCounter: LineCounter, path: readonly PathSegment[]) {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length) as unknown[], true) as Node | undefined;
    if (node && typeof node === "object" && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return {};
}

function valueAt(document: Document, path: readonly PathSegment[]): unknown {
  const node = document.getIn(path as unknown[], true);
  return node === undefined ? undefined : scalarValue(node);
}

function scalarValue(node: unknown): unknown {
  if (isMap(node) || isSeq(node)) return node.toJSON();
  if (node && typeof node === "object" && "value" in node) return (node as { value: unknown }).value;
  return node;
}

function typeOfValue(document: Document, path: readonly PathSegment[]): string {
  const node = document.getIn(path as unknown[], true);
  if (node === undefined) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  const value = scalarValue(node);
  if (value === null) return "an empty value";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function articleFor(expected: string): string {
  switch (expected) {
    case "string":
      return "a text";
    case "array":
      return "a list";
    case "object":
    case "record":
      return "a mapping";
    case "boolean":
      return "true or false";
    default:
      return expected;
  }
}

function exampleOf(expected: string, field: string): string {
  switch (expected) {
    case "string":
      return field === "plan" ? "pro" : `"<${field || "text"}>"`;
    case "array":
      return field === "features" ? "[deployment_targets, artifacts]" : "a list (- item lines, or [a, b])";
    case "object":
    case "record":
      return "a mapping (indented key: value lines)";
    case "boolean":
      return "true or false";
    default:
      return `a ${expected}`;
  }
}
