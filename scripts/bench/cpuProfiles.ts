/**
 * `bench:scale --cpu-profile DIR`: where an operation's time goes when it sends nothing. Each stack's Node processes
 * (program and dynamic providers) are profiled by cpuProfileHook.cjs into DIR/<stack>, one slice a second; this sums
 * the busy (not idle) CPU of the slices per operation and process role, for the Distr stack and its engine floor.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

const HOOK = path.join(__dirname, "cpuProfileHook.cjs");

const profileSchema = z.object({
  nodes: z.array(z.object({ id: z.number(), callFrame: z.object({ functionName: z.string() }).loose() }).loose()),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

/** The environment that profiles a stack's Node processes into `directory` (created). */
export function cpuProfileEnvironment(directory: string): Record<string, string> {
  fs.mkdirSync(directory, { recursive: true });
  const inherited = process.env["NODE_OPTIONS"] ?? "";
  return {
    NODE_OPTIONS: `${inherited} --require ${JSON.stringify(HOOK)}`.trim(),
    PULUMI_DISTR_CPU_PROFILES: directory,
  };
}

export interface OperationSpan {
  readonly label: string;
  readonly started: number;
  readonly ended: number;
}

export interface OperationCpu {
  readonly label: string;
  /** Busy CPU seconds of the program processes and of the provider processes during the operation. */
  readonly program: number;
  readonly provider: number;
}

/** Busy CPU per operation and role, from the slices whose end falls into the operation's span. */
export function cpuByOperation(directory: string, spans: readonly OperationSpan[]): OperationCpu[] {
  const totals = spans.map((span) => ({ label: span.label, program: 0, provider: 0 }));
  for (const file of fs.existsSync(directory) ? fs.readdirSync(directory) : []) {
    const match = /^(program|provider)-\d+-\d+-(\d+)\.cpuprofile$/.exec(file);
    if (match === null) continue;
    const endedAt = Number(match[2]);
    const index = spans.findIndex((span) => span.started <= endedAt && endedAt <= span.ended);
    if (index === -1) continue;
    const profile = profileSchema.parse(JSON.parse(fs.readFileSync(path.join(directory, file), "utf8")));
    const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
    const busyMicros = profile.samples.reduce(
      (sum, id, i) => (idle.has(id) ? sum : sum + (profile.timeDeltas[i] ?? 0)),
      0,
    );
    totals[index]![match[1] as "program" | "provider"] += busyMicros / 1e6;
  }
  return totals;
}

/** The table printed after the benchmark's own. */
export function cpuTable(distr: readonly OperationCpu[], floor: readonly OperationCpu[]): string {
  return [
    "Busy CPU (s) of the stacks' Node processes, from --cpu-profile (a provider's last second before the engine " +
      "stops it is not recorded):\n",
    "| operation | program | providers | floor program | floor providers |",
    "|---|---|---|---|---|",
    ...distr.map(
      (row, i) =>
        `| ${row.label} | ${row.program.toFixed(2)} | ${row.provider.toFixed(2)} | ` +
        `${(floor[i]?.program ?? 0).toFixed(2)} | ${(floor[i]?.provider ?? 0).toFixed(2)} |`,
    ),
  ].join("\n");
}
