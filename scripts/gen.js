#!/usr/bin/env node
"use strict";
/**
 * `npm run gen`: writes every generated file from the resource's definition (provider/core/definition.ts):
 * schema.json, the catalogue's JSON Schema and the TypeScript SDK's types (scripts/gen/files.ts), then the Python,
 * Go and Node.js SDKs from schema.json with Pulumi's own generators (tools/pulumi-cli/gen-sdk, needs Go).
 *
 *   npm run gen              # write everything
 *   npm run gen -- --check   # write nothing; exit 1 naming every stale file
 *   npm run gen -- --no-go   # only the files rendered in TypeScript (no Go needed)
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { registerTypeScript } = require("./register-typescript");

async function main() {
  const check = process.argv.includes("--check");
  const withGo = !process.argv.includes("--no-go");
  registerTypeScript();
  const { GENERATED_FILES, generatedContent, REPO_ROOT } = require("./gen/files.ts");
  const stale = [];
  for (const file of GENERATED_FILES) {
    const target = path.join(REPO_ROOT, file.file);
    const content = generatedContent(file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
    if (current === content) continue;
    if (check) stale.push(file.file);
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
      console.error(`gen: wrote ${file.file}`);
    }
  }
  if (withGo) {
    const args = ["run", "./gen-sdk", "-root", "../.."].concat(check ? ["-check"] : []);
    try {
      execFileSync("go", args, { cwd: path.join(REPO_ROOT, "tools/pulumi-cli"), stdio: "inherit" });
    } catch {
      if (check) stale.push("sdk/generated (gen-sdk named the files above)");
      else throw new Error("generating the language SDKs failed (gen-sdk's message is above)");
    }
  }
  if (stale.length > 0) {
    console.error(`gen: stale (run \`npm run gen\` and commit):\n  ${stale.join("\n  ")}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(`gen: ${error.stack ?? error}`);
  process.exitCode = 1;
});
