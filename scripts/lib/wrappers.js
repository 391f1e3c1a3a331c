// The Go wrapper modules under tools/ that pin a Pulumi CLI release (tools/pulumi-cli: the pinned one, with this
// project's language host; tools/pulumi-cli-newer: a second, newer release for the end-to-end check on another
// CLI). Node built-ins only.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../..");
const PKG = "github.com/pulumi/pulumi/pkg/v3";

/** The version (without `v`) at which a go.mod's text requires `module`, or undefined. */
function requiredVersion(goMod, module) {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+v(\\S+)`, "m").exec(goMod)?.[1];
}

/** The Pulumi release the wrapper module in `dir` builds. */
function wrapperRelease(dir) {
  const release = requiredVersion(fs.readFileSync(path.join(dir, "go.mod"), "utf8"), PKG);
  if (!release) throw new Error(`${path.join(dir, "go.mod")} does not require ${PKG}`);
  return release;
}

/** Every wrapper module under tools/: `{ dir, release }`. */
function wrappers(root = ROOT) {
  const tools = path.join(root, "tools");
  return fs
    .readdirSync(tools)
    .map((name) => path.join(tools, name))
    .filter((dir) => fs.existsSync(path.join(dir, "go.mod")))
    .flatMap((dir) => {
      const release = requiredVersion(fs.readFileSync(path.join(dir, "go.mod"), "utf8"), PKG);
      return release ? [{ dir, release }] : [];
    });
}

/** The directory of the wrapper module that builds `release`, or undefined. */
function wrapperFor(release, root = ROOT) {
  return wrappers(root).find((wrapper) => wrapper.release === release)?.dir;
}

/** The second release the end-to-end tests run (tools/pulumi-cli-newer). */
const OTHER_RELEASE_WRAPPER = path.join(ROOT, "tools", "pulumi-cli-newer");

module.exports = { requiredVersion, wrapperRelease, wrappers, wrapperFor, OTHER_RELEASE_WRAPPER };
