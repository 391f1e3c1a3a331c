// Declares one ImmutaS3DataSource per entry of the stack config `e2e:sources`, consuming the package by name
// as a user's program does. Tests change the config between runs to change the declarations.
import * as pulumi from "@pulumi/pulumi";
import { ImmutaS3DataSource, type ImmutaS3DataSourceArgs } from "pulumi-immuta";

const config = new pulumi.Config("e2e");
const sources = config.requireObject<Record<string, ImmutaS3DataSourceArgs>>("sources");

const declared: Record<string, ImmutaS3DataSource> = {};
for (const [key, args] of Object.entries(sources)) {
  declared[key] = new ImmutaS3DataSource(key, args);
}

export const dataSources = Object.fromEntries(
  Object.entries(declared).map(([key, source]) => [
    key,
    { dataSourceId: source.dataSourceId, handlerId: source.handlerId, immutaName: source.immutaName },
  ]),
);
