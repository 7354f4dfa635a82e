/**
 * `pulumi-distr move-to-plugin <exported.json>`: the state of a stack of dynamic Distr resources rewritten for the
 * plugin (plugin/stateMove.ts), printed for `pulumi stack import`. Reads a file, writes stdout; talks to nobody.
 */
import * as fs from "node:fs";
import { moveToPlugin } from "../plugin/stateMove";
import { UsageError, type CliCommand } from "./command";

const USAGE = `Usage: pulumi-distr move-to-plugin <exported.json>

Rewrites the output of \`pulumi stack export\` so that the stack's dynamic Distr resources (TypeScript classes of
pulumi-distr) become the plugin's distr:index:* resources, without touching Distr:

  pulumi stack export --file dynamic.json
  pulumi-distr move-to-plugin dynamic.json > plugin.json
  pulumi stack import --file plugin.json

Then change the program to declare the same resources, under the same names, through the plugin (a YAML program,
or a generated SDK) and run \`pulumi preview\`: it shows no change to the Distr resources.
`;

export const moveToPluginCommand: CliCommand = {
  name: "move-to-plugin",
  summary: "rewrite an exported stack's dynamic Distr resources as the plugin's (for pulumi stack import)",
  usage: USAGE,
  async run(argv) {
    if (argv.includes("-h") || argv.includes("--help")) {
      process.stdout.write(USAGE);
      return 0;
    }
    const [file, ...rest] = argv;
    if (file === undefined || rest.length > 0)
      throw new UsageError("give exactly one file: the output of `pulumi stack export`");
    let exported: unknown;
    try {
      exported = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      process.stderr.write(
        `pulumi-distr move-to-plugin: cannot read ${file}: ${error instanceof Error ? error.message : error}\n`,
      );
      return 1;
    }
    try {
      const { exported: rewritten, moved } = moveToPlugin(exported);
      process.stdout.write(`${JSON.stringify(rewritten, null, 2)}\n`);
      process.stderr.write(`moved ${moved.size} resource(s) to the plugin\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`pulumi-distr move-to-plugin: ${error instanceof Error ? error.message : error}\n`);
      return 1;
    }
  },
};
