"use strict";
// N Immuta S3 data sources, consuming the package by name as a user's program does. Plain JavaScript, as the
// floor program beside it, so that neither pays for TypeScript compilation.
const pulumi = require("@pulumi/pulumi");
const { ImmutaS3DataSource } = require("pulumi-immuta");

const config = new pulumi.Config("bench");
const count = config.requireNumber("count");
const namePrefix = config.get("namePrefix") ?? "bench";
// Governance metadata for the API-call scenario: every source tagged and described when set.
const tags = config.getObject("tags");
const description = config.get("description");

for (let i = 0; i < count; i++) {
  new ImmutaS3DataSource(`src-${i}`, {
    integrationId: 1,
    dataSourceName: `${namePrefix}-${i}`,
    prefix: `s3://bench-bucket/${namePrefix}/src-${i}`,
    ...(tags === undefined ? {} : { tags }),
    ...(description === undefined ? {} : { description }),
  });
}
