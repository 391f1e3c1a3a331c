// Preloaded into every Node.js process a matrix stack's CLI starts (`NODE_OPTIONS=--require`): appends the script
// the process runs to SDK_MATRIX_PROCESS_LOG, so that a test can tell which copy of `@pulumi/pulumi` ran the program
// and the dynamic-provider host. A process without a script (`node -e`) records nothing.
"use strict";
const fs = require("node:fs");

const log = process.env.SDK_MATRIX_PROCESS_LOG;
const script = process.argv[1];
if (log && script) fs.appendFileSync(log, `${JSON.stringify({ pid: process.pid, script })}\n`);
