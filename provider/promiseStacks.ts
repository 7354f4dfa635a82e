/**
 * Pulumi's Node SDK gives each property of a resource four promises and records a stack trace on each
 * (runtime/debuggable.js), read only by its promise-leak report, which prints them only when
 * PULUMI_DEBUG_PROMISE_LEAKS is set. In a TypeScript program ts-node's source-map support maps every frame of every
 * such trace: a license has 13 properties (inputs and the outputs seeded as `undefined`) against 4 of a do-nothing
 * resource, and the traces were the largest part of the program's time in a 240-resource preview (1.70 s of 5.07 s
 * busy, against 0.95 s of 3.35 s for the do-nothing stack: `npm run bench:scale -- --cpu-profile DIR`). So the
 * resource classes register with stack traces off, unless that variable asks for the report's details. Pulumi's own
 * source position of the resource is unaffected: it raises the limit itself while capturing it.
 */

/** Turns stack traces off until the returned function restores the previous limit. */
export function suspendPromiseStacks(): () => void {
  if (process.env["PULUMI_DEBUG_PROMISE_LEAKS"]) return () => {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}
