/**
 * A self-contained plugin folder for `pulumi plugin install resource immuta <version> --file <folder>`: the
 * `pulumi-resource-immuta` launcher at its top, and beside it this package with everything it loads at run time.
 * Programs in Python, Go or YAML then need Node.js only, not an npm project of their own.
 *
 * What is copied: pulumi-immuta (package.json, schema.json, bin/, dist/), its dependencies and theirs, and from the
 * peer dependency @pulumi/pulumi only its generated protocol modules (proto/) with what those load (gRPC, protobuf).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "./package-files";

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The launcher the engine starts; it runs the plugin with the `node` on PATH. */
const LAUNCHER = `#!/bin/sh
# pulumi-resource-immuta: the Immuta resource plugin, from a folder made by \`pulumi-immuta-plugin bundle\`.
exec node "$(dirname "$0")/node_modules/pulumi-immuta/bin/pulumi-resource-immuta" "$@"
`;

/** What of @pulumi/pulumi the plugin loads, and the packages those modules require. */
const PULUMI_PARTS = ["package.json", "proto"];
const PULUMI_PROTO_DEPENDENCIES = ["@grpc/grpc-js", "google-protobuf"];

const readManifest = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;

/** Where Node would find package `name` for code in `fromDir`: the nearest node_modules holding it. */
function resolvePackage(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate);
    if (path.dirname(dir) === dir)
      throw new Error(`cannot find package ${name} from ${fromDir}: reinstall pulumi-immuta`);
  }
}

function copyInto(source: string, destination: string, filter: (relative: string) => boolean = () => true) {
  fs.cpSync(source, destination, {
    recursive: true,
    filter: (from) => filter(path.relative(source, from)),
  });
}

/**
 * Writes the plugin folder; `destination` must not exist or be empty. Returns the packages copied, as
 * `name@version`, the package itself first.
 */
export function bundlePlugin(destination: string, root: string = packageRoot()): string[] {
  if (fs.existsSync(destination) && fs.readdirSync(destination).length > 0) {
    throw new Error(`${destination} is not empty: bundle into a new folder`);
  }
  const modules = path.join(destination, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  const self = readManifest(root);
  const placed = new Map<string, string>(); // package name → real path of the copy placed at the top level
  const copied: string[] = [];

  const own = path.join(modules, self.name);
  for (const part of ["package.json", "schema.json", "bin", "dist"])
    copyInto(path.join(root, part), path.join(own, part));
  copied.push(`${self.name}@${self.version}`);

  const queue: { name: string; from: string; into: string }[] = [];
  const enqueue = (manifest: Manifest, from: string, into: string) => {
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }))
      queue.push({ name, from, into });
  };
  enqueue(self, root, modules);

  const pulumi = resolvePackage("@pulumi/pulumi", root);
  for (const part of PULUMI_PARTS)
    copyInto(path.join(pulumi, part), path.join(modules, "@pulumi/pulumi", part));
  copied.push(`@pulumi/pulumi@${readManifest(pulumi).version} (${PULUMI_PARTS.join(", ")} only)`);
  placed.set("@pulumi/pulumi", pulumi);
  for (const name of PULUMI_PROTO_DEPENDENCIES) queue.push({ name, from: pulumi, into: modules });

  while (queue.length > 0) {
    const { name, from, into } = queue.shift()!;
    let source: string;
    try {
      source = resolvePackage(name, from);
    } catch (error) {
      // An optional dependency for another platform is legitimately absent.
      if (readManifest(from).optionalDependencies?.[name] !== undefined) continue;
      throw error;
    }
    const atTop = placed.get(name);
    if (atTop === source) continue;
    // A second version of a package goes beside the package that needs it, as npm would nest it.
    const target = atTop === undefined ? path.join(modules, name) : path.join(into, "node_modules", name);
    if (atTop === undefined) placed.set(name, source);
    else if (fs.existsSync(target)) continue;
    copyInto(source, target, (relative) => relative.split(path.sep)[0] !== "node_modules");
    const manifest = readManifest(source);
    copied.push(`${manifest.name}@${manifest.version}`);
    enqueue(manifest, source, target);
  }

  const launcher = path.join(destination, "pulumi-resource-immuta");
  fs.writeFileSync(launcher, LAUNCHER, { mode: 0o755 });
  return copied;
}
