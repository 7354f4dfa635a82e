/**
 * Imported first by each of the package's entry points: on a Node.js older than the package needs, loading fails
 * here with a message that names both versions, instead of deep inside undici (supportedNode.ts).
 */
import { UnsupportedNodeError, unsupportedNodeMessage } from "./supportedNode";

const problem = unsupportedNodeMessage();
if (problem !== undefined) throw new UnsupportedNodeError(problem);
