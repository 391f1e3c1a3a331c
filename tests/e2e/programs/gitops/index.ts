// Declares the catalogue the test wrote next to this program, consuming the package by name as a user's program
// does (examples/gitops/index.ts is the same program).
import { declareCatalogue } from "pulumi-immuta";

const { sources } = declareCatalogue("datasources.yaml");

export const dataSourceIds = Object.fromEntries(
  Object.entries(sources).map(([key, source]) => [key, source.dataSourceId]),
);
