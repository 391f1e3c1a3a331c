import * as pulumi from "@pulumi/pulumi";
import { ImmutaS3DataSource, type ImmutaS3DataSourceArgs } from "pulumi-immuta";

// Each entry of `multi:sources` becomes one data source; the entry's key is its stable Pulumi name, so renaming
// a key replaces the source (use Pulumi's `aliases` option when renaming on purpose).
const sources = new pulumi.Config("multi").requireObject<Record<string, ImmutaS3DataSourceArgs>>("sources");

export const registered = Object.fromEntries(
  Object.entries(sources).map(([key, args]) => {
    const source = new ImmutaS3DataSource(key, args);
    return [key, { dataSourceId: source.dataSourceId, immutaName: source.immutaName, prefix: source.prefix }];
  }),
);
