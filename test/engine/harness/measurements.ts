/**
 * Figures the engine suite prints (not asserts): scenarios and time per file, and the size of the serialized
 * provider (`__provider`) that every dynamic resource carries in its inputs and outputs.
 */
import type { DeploymentResource } from "./programStack";

const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

export interface ProviderSize {
  readonly type: string;
  readonly resources: number;
  /** Characters of `inputs.__provider` (plaintext string or the JSON of a secret envelope). */
  readonly inputChars: number;
  readonly outputChars: number;
  readonly secret: boolean;
}

/** `__provider` size per resource type of an exported deployment. */
export function providerSizes(resources: readonly DeploymentResource[]): ProviderSize[] {
  const byType = new Map<string, ProviderSize>();
  for (const resource of resources) {
    const input = resource.inputs?.["__provider"];
    if (input === undefined) continue;
    const output = resource.outputs?.["__provider"];
    const size = (value: unknown) => (typeof value === "string" ? value.length : JSON.stringify(value ?? "").length);
    const previous = byType.get(resource.type);
    byType.set(resource.type, {
      type: resource.type,
      resources: (previous?.resources ?? 0) + 1,
      inputChars: Math.max(previous?.inputChars ?? 0, size(input)),
      outputChars: Math.max(previous?.outputChars ?? 0, size(output)),
      secret: typeof input === "object" && input !== null && SECRET_SIGNATURE in input,
    });
  }
  return [...byType.values()];
}

/** Counts the tests of a file and their time; `print()` in an afterAll. */
export class SuiteClock {
  private readonly started = Date.now();
  private readonly scenarios: Array<{ name: string; ms: number }> = [];
  private readonly notes: string[] = [];
  private current: { name: string; at: number } | undefined;

  start(): void {
    this.current = { name: expect.getState().currentTestName ?? "?", at: Date.now() };
  }

  stop(): void {
    if (this.current) this.scenarios.push({ name: this.current.name, ms: Date.now() - this.current.at });
    this.current = undefined;
  }

  note(line: string): void {
    this.notes.push(line);
  }

  /** Registers beforeEach/afterEach/afterAll hooks for the calling test file. */
  install(file: string): void {
    beforeEach(() => this.start());
    afterEach(() => this.stop());
    afterAll(() => this.print(file));
  }

  print(file: string): void {
    const total = ((Date.now() - this.started) / 1000).toFixed(1);
    const lines = [
      `[engine figures] ${file}: ${this.scenarios.length} scenarios in ${total}s`,
      ...this.scenarios.map((s) => `  ${(s.ms / 1000).toFixed(1).padStart(6)}s  ${s.name}`),
      ...this.notes.map((note) => `  ${note}`),
    ];
    console.log(lines.join("\n"));
  }
}

export function describeProviderSizes(sizes: readonly ProviderSize[]): string[] {
  return sizes.map(
    (size) =>
      `__provider of ${size.type}: ${size.inputChars} chars in inputs, ${size.outputChars} in outputs` +
      ` (${size.secret ? "secret" : "plaintext"}; ${size.resources} resource(s))`,
  );
}
