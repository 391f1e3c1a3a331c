#!/usr/bin/env node
// `npm run test:live` (docs/live-testing.md): the launcher of the live acceptance suite. The launcher and the
// suite's support are TypeScript shared with the jest scenarios; they are transpiled here on load, without type
// checking (`npm run typecheck` checks them), so the launcher needs no build step of its own.
"use strict";
const fs = require("node:fs");
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

require("./launcher.ts")
  .main(process.argv.slice(2))
  .then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
    (error) => {
      process.stderr.write(`test:live: ${error && error.stack ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
