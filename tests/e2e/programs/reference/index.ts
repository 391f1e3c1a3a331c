// References data sources this stack does not manage, by id (stack config `e2e:references`, name → id and
// optional tenant), consuming the package by name as a user's program does.
import * as pulumi from "@pulumi/pulumi";
import { ImmutaS3DataSource } from "pulumi-immuta";

const config = new pulumi.Config("e2e");
const references = config.requireObject<Record<string, { id: string; tenant?: string }>>("references");

export const referenced = Object.fromEntries(
  Object.entries(references).map(([name, { id, tenant }]) => {
    const source = ImmutaS3DataSource.get(name, id, tenant === undefined ? {} : { tenant });
    return [
      name,
      {
        dataSourceId: source.dataSourceId,
        handlerId: source.handlerId,
        integrationId: source.integrationId,
        prefix: source.prefix,
        dataSourceName: source.dataSourceName,
        immutaName: source.immutaName,
        tenant: source.tenant,
        disabled: source.disabled,
        awsLocationPath: source.awsLocationPath,
      },
    ];
  }),
);
