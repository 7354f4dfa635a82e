/**
 * The Node.js version check. requireSupportedNode.ts runs it when the package is loaded (imported first by every
 * entry point, before anything that loads undici); the CLI runs it as its first step and prints the message. On Node.js 20 undici 7 fails while loading with
 * "Cannot read properties of undefined (reading 'bind')", which says nothing about the cause; this says it. Kept free
 * of imports so that it runs on any Node.js.
 */

/** package.json `engines.node` (">=22"); a unit test keeps the two equal. */
export const MINIMUM_NODE_MAJOR = 22;

/** Why this Node.js cannot run pulumi-distr, or undefined when it can. */
export function unsupportedNodeMessage(
  version: string = process.versions.node,
  executable: string = process.execPath,
): string | undefined {
  const major = Number(version.split(".")[0]);
  if (Number.isInteger(major) && major >= MINIMUM_NODE_MAJOR) return undefined;
  return (
    `pulumi-distr needs Node.js ${MINIMUM_NODE_MAJOR} or newer, but this is Node.js ${version} (${executable}). ` +
    `Install Node.js ${MINIMUM_NODE_MAJOR} or newer and put it first on PATH (Pulumi runs programs with the \`node\` ` +
    "found there), then run again."
  );
}

/** Thrown at load time on an unsupported Node.js. */
export class UnsupportedNodeError extends Error {
  readonly kind = "unsupported-node";
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedNodeError";
  }
}
