import { ImmutaS3DataSource } from "pulumi-immuta";

// Registers s3://acme-research/raw in Immuta through the Native S3 integration with id 1.
const research = new ImmutaS3DataSource("research", {
  integrationId: 1,
  dataSourceName: "research",
  prefix: "s3://acme-research/raw",
});

export const dataSourceId = research.dataSourceId;
export const immutaName = research.immutaName;
