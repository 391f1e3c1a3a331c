import { declareCatalogue } from "pulumi-immuta";

// One ImmutaS3DataSource per entry of datasources.yaml, named by the entry's key. An invalid catalogue fails the
// preview with every problem listed (file:line:column path: message) before any call to Immuta.
const { sources } = declareCatalogue("datasources.yaml");

export const dataSources = Object.fromEntries(
  Object.entries(sources).map(([key, source]) => [
    key,
    { dataSourceId: source.dataSourceId, immutaName: source.immutaName },
  ]),
);
