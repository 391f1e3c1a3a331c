#!/usr/bin/env node
// `npm run test:live` (docs/live-testing.md): the launcher of the live acceptance suite. The launcher and the
// suite's support are TypeScript shared with the jest scenarios; they are transpiled on load (scripts/register-typescript.js),
// so the launcher needs no build step of its own.
"use strict";
const { registerTypeScript } = require("../../scripts/register-typescript");

registerTypeScript();
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
