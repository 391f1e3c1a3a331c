"use strict";
/**
 * Lets a Node script require this repository's TypeScript modules (those that need only Node built-ins and their
 * own imports) by transpiling each on load, as ts-jest does for the tests: no build step, no type checking
 * (`npm run typecheck` does that).
 */
const fs = require("node:fs");

function registerTypeScript() {
  const ts = require("typescript");
  require.extensions[".ts"] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
      fileName: filename,
    });
    module._compile(outputText, filename);
  };
}

module.exports = { registerTypeScript };
