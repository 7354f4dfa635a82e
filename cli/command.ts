/**
 * What every command of the `pulumi-distr` bin is: a name, a one-line summary for `pulumi-distr --help`, its own usage
 * text, and a `run` that gets the arguments after its name and returns the exit code. Commands are thin front ends:
 * the work they do lives in sdk/, provider/, local-distr/ and friends, importable and tested without a process.
 */
import { parseArgs } from "node:util";

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[]): Promise<number>;
}

/** A mistake in how the command was called: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type OptionSpec = Readonly<Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>>;

type OptionValue<Spec extends OptionSpec[string]> = Spec["type"] extends "string"
  ? Spec["multiple"] extends true
    ? string[]
    : string
  : boolean;

export interface ParsedOptions<Spec extends OptionSpec> {
  readonly values: { [Name in keyof Spec]?: OptionValue<Spec[Name]> };
  readonly positionals: string[];
}

/**
 * Node's own parser (`util.parseArgs`) tokenizes; this only turns its findings into messages that name the option and
 * what it needs (`unknown option "--verbose"`, `--port needs a value`), which its strict mode does not.
 */
export function parseOptions<Spec extends OptionSpec>(
  argv: readonly string[],
  spec: Spec,
  { positionals: maxPositionals = 0 }: { positionals?: number } = {},
): ParsedOptions<Spec> {
  const { tokens } = parseArgs({ args: [...argv], options: spec, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | string[] | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") {
      if (positionals.length >= maxPositionals)
        throw new UsageError(`unexpected argument ${JSON.stringify(token.value)}`);
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(spec, token.name) ? spec[token.name] : undefined;
    if (option === undefined) throw new UsageError(`unknown option ${JSON.stringify(token.rawName)}`);
    if (option.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
      values[token.name] = true;
      continue;
    }
    if (
      token.value === undefined ||
      (token.inlineValue === false && token.value.startsWith("-") && token.value !== "-")
    ) {
      throw new UsageError(`${token.rawName} needs a value`);
    }
    if (option.multiple) values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), token.value];
    else values[token.name] = token.value;
  }
  return { values: values as ParsedOptions<Spec>["values"], positionals };
}
