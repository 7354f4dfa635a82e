/**
 * The options of the measurement scripts: `--name N` with N a whole number, read with node's `parseArgs` (an unknown
 * option is an error). An absent option is undefined, for the script's default; a value that is not a whole number
 * of at least `minimum` fails, naming the option.
 */
import { parseArgs } from "node:util";

/** One option's text as a whole number of at least `minimum`; undefined when absent. */
export function wholeNumberOption(name: string, text: string | undefined, minimum: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`--${name} needs a whole number of at least ${minimum}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function wholeNumberOptions<const Name extends string>(
  names: readonly Name[],
  minimum: number,
): Partial<Record<Name, number>> {
  const { values } = parseArgs({
    options: Object.fromEntries(names.map((name) => [name, { type: "string" as const }])),
  });
  const parsed: Partial<Record<Name, number>> = {};
  for (const name of names) {
    const text = values[name];
    const value = wholeNumberOption(name, typeof text === "string" ? text : undefined, minimum);
    if (value !== undefined) parsed[name] = value;
  }
  return parsed;
}
