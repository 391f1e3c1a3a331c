/**
 * Files of the installed pulumi-immuta package the plugin reads at run time: its manifest (version, peer range).
 * Found by walking up from this module, so that the same code works from the repository, from dist/ and from a
 * plugin directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const PACKAGE_NAME = "pulumi-immuta";

/** The folder holding pulumi-immuta's package.json. */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string };
      if (name === PACKAGE_NAME) return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(
        `pulumi-resource-immuta: no ${PACKAGE_NAME} package.json above ${from}; reinstall the package`,
      );
    }
  }
}

/** The package version: what `GetPluginInfo` reports and the version of the generated SDKs. */
export function packageVersion(root = packageRoot()): string {
  return (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string })
    .version;
}
