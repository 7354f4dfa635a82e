/* global require */
/**
 * Lets Node run the project's TypeScript scripts without a build: `node -r ./scripts/register-typescript.cjs x.ts`.
 * Node 24 strips types natively, but only for imports that name the `.ts` file; the project imports extensionless
 * (`../sdk`), as tsc's node16 CommonJS output expects. Registering `.ts` with the CommonJS loader makes `require`
 * resolve those paths, and TypeScript's own transpiler (a dev dependency) turns each file into CommonJS.
 */
"use strict";
const fs = require("node:fs");
const ts = require("typescript");

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  inlineSourceMap: true,
};

require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, { fileName: filename, compilerOptions });
  module._compile(outputText, filename);
};
