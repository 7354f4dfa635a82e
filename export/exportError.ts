/** What can stop an export, with a message that says what to do. */
export type ExportErrorKind = "unknown-customer" | "configuration";

export class ExportError extends Error {
  constructor(
    readonly kind: ExportErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "ExportError";
  }
}
