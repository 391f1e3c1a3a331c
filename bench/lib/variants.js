"use strict";
/** The stacks of the benchmark's variants: one program copy, backend and PULUMI_HOME each, with its own names. */
const fs = require("node:fs");
const path = require("node:path");
const { CLIENT_TRANSPORT_MODULE } = require("./package-layout");
const { createBenchStack } = require("./pulumi");

/**
 * A stack of `program` ("immuta" or "noop") named `name` under `root`. `config` is set on the stack; `env` reaches
 * the CLI and everything it starts; `transport` replaces the API client's transport module in this program's copy
 * of the package only.
 */
async function variantStack({ root, emulator }, name, program, { config = {}, env = {}, transport } = {}) {
  const handle = await createBenchStack({
    program,
    root: path.join(root, name),
    immutaUrl: program === "immuta" ? emulator.url : undefined,
    apiKey: emulator.apiKey,
    env,
  });
  if (transport) {
    const target = path.join(handle.programDir, "node_modules/pulumi-immuta", CLIENT_TRANSPORT_MODULE);
    if (!fs.existsSync(target))
      throw new Error(
        `${CLIENT_TRANSPORT_MODULE} is not in the built package: set CLIENT_TRANSPORT_MODULE in ` +
          "bench/lib/package-layout.js to where the API client's transport module is now",
      );
    // A new file, not a write through the hard link into the repository's dist.
    fs.rmSync(target);
    fs.copyFileSync(transport, target);
  }
  await handle.setConfig("bench:namePrefix", name);
  for (const [key, value] of Object.entries(config)) await handle.setConfig(key, value);
  return handle;
}

module.exports = { variantStack };
