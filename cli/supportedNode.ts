/**
 * The CLI's first import: on a Node.js older than the package needs, one line on stderr naming both versions and
 * exit 1, before any module that loads undici (sdk/supportedNode.ts).
 */
import { unsupportedNodeMessage } from "../sdk/supportedNode";

const problem = unsupportedNodeMessage();
if (problem !== undefined) {
  process.stderr.write(`pulumi-distr: ${problem}\n`);
  process.exit(1);
}
