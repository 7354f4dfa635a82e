/**
 * Errors the resources raise themselves (Distr's own failures stay `DistrApiError`s from the client). The engine
 * shows the message as the reason an operation failed, so it says what is wrong and what to do.
 */
export type DistrResourceErrorKind =
  /** Provider configuration missing or malformed (host, token, dialect). */
  | "configuration"
  /** The object already exists in Distr and the resource does not adopt it. */
  | "already-exists"
  /** Adoption found nothing, several candidates, or an object that cannot become the desired one. */
  | "adoption"
  /** Distr refused to delete or narrow because something uses the object. */
  | "in-use"
  /** The object is no longer in Distr (deleted out of band); refresh drops it from state. */
  | "gone"
  /** Distr refused an operation for lack of permissions. */
  | "forbidden"
  /** State or checked inputs this version of the provider cannot read. */
  | "invalid-state"
  /** The Distr hub or organization lacks what the resource needs (license keys on 2.x, templates without vendor_billing). */
  | "not-supported"
  /** A license key change or delete would re-render or break running deployments, and was not confirmed. */
  | "deployments-affected";

export class DistrResourceError extends Error {
  readonly kind: DistrResourceErrorKind;

  constructor(kind: DistrResourceErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DistrResourceError";
    this.kind = kind;
  }
}

/** The object of an update is gone from Distr: refresh first, then `up` re-creates it. */
export function goneFromDistr(what: string): DistrResourceError {
  return new DistrResourceError(
    "gone",
    `${what} no longer exists in Distr (deleted outside Pulumi?); run \`pulumi refresh\` to drop it from the ` +
      "state, then `pulumi up` creates it again",
  );
}
