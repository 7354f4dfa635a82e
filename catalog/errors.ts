/**
 * Why a license catalog cannot be used. The message lists every problem with the file, the path inside it
 * (`customers[1].grants[0].plan`), the line, and what to write instead, so it can be fixed without reading code.
 */

export type CatalogErrorKind =
  /** The file does not exist or cannot be read. */
  | "unreadable"
  /** The file is not valid YAML (indentation, duplicate keys, unclosed brackets). */
  | "syntax"
  /** Valid YAML, but not a valid catalog (unknown plan, bad range, missing name, ...). */
  | "invalid";

export interface CatalogIssue {
  /** Path inside the file, e.g. `customers[1].grants[0].plan`; empty for the whole file. */
  readonly path: string;
  /** 1-based position of the offending value (or its nearest existing parent) in the file. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly fix: string;
}

export class CatalogError extends Error {
  readonly kind: CatalogErrorKind;
  /** The file as the user named it (relative paths stay relative). */
  readonly file: string;
  readonly issues: readonly CatalogIssue[];

  constructor(kind: CatalogErrorKind, file: string, issues: readonly CatalogIssue[], options?: { cause?: unknown }) {
    super(CatalogError.describe(kind, file, issues), options);
    this.name = "CatalogError";
    this.kind = kind;
    this.file = file;
    this.issues = issues;
  }

  private static describe(kind: CatalogErrorKind, file: string, issues: readonly CatalogIssue[]): string {
    const heading =
      kind === "unreadable"
        ? `Cannot read the license catalog ${file}`
        : `${kind === "syntax" ? "YAML syntax error in" : "Invalid"} license catalog ${file}` +
          (issues.length > 1 ? ` (${issues.length} problems)` : "");
    const lines = issues.map((issue) => {
      const where = issue.line === undefined ? "" : `${file}:${issue.line}:${issue.column ?? 1} `;
      const path = issue.path ? `${issue.path}: ` : "";
      return `  - ${where}${path}${issue.message}\n    fix: ${issue.fix}`;
    });
    return [heading + ":", ...lines].join("\n");
  }
}

export function isCatalogError(error: unknown): error is CatalogError {
  return error instanceof CatalogError;
}
