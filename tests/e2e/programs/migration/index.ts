// One source, declared with the dynamic resource (pulumi-immuta's ImmutaS3DataSource) or, after the migration,
// with the native plugin's generated Node.js SDK (pulumi-immuta-native): stack config `e2e:stage` says which
// (`native-alias`: the native resource with an alias to the dynamic resource's type).
import * as pulumi from "@pulumi/pulumi";
import { ImmutaS3DataSource } from "pulumi-immuta";
import * as immuta from "pulumi-immuta-native";

const config = new pulumi.Config("e2e");
const stage = config.require("stage");
const args = { integrationId: 1, prefix: "s3://acme-research/raw", dataSourceName: "research" };

const alias = { aliases: [{ type: "pulumi-nodejs:dynamic/immuta:S3DataSource" }] };
const source =
  stage === "dynamic"
    ? new ImmutaS3DataSource("research", args)
    : new immuta.S3DataSource("research", args, stage === "native-alias" ? alias : {});

export const dataSourceId = source.dataSourceId;
