// Declares one ImmutaS3DataSource per entry of the stack config `e2e:sources`, as tests/e2e/programs/sources does,
// references the sources of `e2e:references` (name → id) with ImmutaS3DataSource.get, as tests/e2e/programs/reference
// does, and reports which `@pulumi/pulumi` the program and the package loaded: the SDK matrix requires one and the
// same copy (a class from another copy would not be a `pulumi.dynamic.Resource` of this one).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ImmutaS3DataSource, type ImmutaS3DataSourceArgs } from "pulumi-immuta";

const config = new pulumi.Config("e2e");
const sources = config.requireObject<Record<string, ImmutaS3DataSourceArgs>>("sources");
const references = config.getObject<Record<string, string>>("references") ?? {};

const declared = Object.entries(sources).map(([key, args]) => new ImmutaS3DataSource(key, args));

export const referenced = Object.fromEntries(
  Object.entries(references).map(([name, id]) => {
    const source = ImmutaS3DataSource.get(name, id);
    return [
      name,
      { dataSourceId: source.dataSourceId, prefix: source.prefix, immutaName: source.immutaName },
    ];
  }),
);

/** The `@pulumi/pulumi` that code in `directory` loads: its folder and version. */
function sdkSeenFrom(directory: string): { directory: string; version: string } {
  const manifest = require.resolve("@pulumi/pulumi/package.json", { paths: [directory] });
  const { version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string };
  return { directory: path.dirname(manifest), version };
}

export const sdk = {
  program: sdkSeenFrom(__dirname),
  package: sdkSeenFrom(path.dirname(require.resolve("pulumi-immuta"))),
  oneCopy: declared.every((resource) => resource instanceof pulumi.dynamic.Resource),
};
