/**
 * How the resources read Distr's refusals of an update or a delete, the same way for every Distr object: an object
 * that is gone fails an update with what to do, but counts as deleted; a refusal because something still uses the
 * object (or for lack of permissions) keeps Distr's reason and says what to change before running the command again.
 */
import { isDistrApiError, type DistrApiError } from "../sdk/errors";
import { DistrResourceError, goneFromDistr } from "./resourceError";

/** Updates `what` (like `customer "ACME" (id …)`); Distr's not-found becomes `goneFromDistr`. */
export async function updateInDistr<T>(what: string, update: () => Promise<T>): Promise<T> {
  try {
    return await update();
  } catch (error) {
    if (isDistrApiError(error, "not-found")) throw goneFromDistr(what);
    throw error;
  }
}

/** What to do when Distr refuses a delete, after Distr's reason: per refusal kind. */
export interface DeleteRefusalAdvice {
  readonly inUse: string;
  readonly forbidden?: string;
}

/** Deletes `what`; an object already gone counts as deleted, a refusal becomes an actionable error. */
export async function deleteFromDistr(
  what: string,
  remove: () => Promise<void>,
  advice: DeleteRefusalAdvice,
): Promise<void> {
  try {
    await remove();
  } catch (error) {
    // Already gone: deleted in the portal, with its customer (cascade, quirk 16), or by an earlier attempt whose
    // answer was lost.
    if (isDistrApiError(error, "not-found")) return;
    if (isDistrApiError(error, "in-use")) throw refusedToDelete("in-use", what, error, advice.inUse);
    if (advice.forbidden !== undefined && isDistrApiError(error, "forbidden")) {
      throw refusedToDelete("forbidden", what, error, advice.forbidden);
    }
    throw error;
  }
}

function refusedToDelete(
  kind: "in-use" | "forbidden",
  what: string,
  error: DistrApiError,
  advice: string,
): DistrResourceError {
  return new DistrResourceError(
    kind,
    `Distr refused to delete ${what}: ${error.distrMessage ?? error.message}. ${advice}`,
    { cause: error },
  );
}
