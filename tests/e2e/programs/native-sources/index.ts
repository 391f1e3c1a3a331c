// Declares one native S3DataSource (the plugin's generated Node.js SDK, pulumi-immuta-native) per entry of the
// stack config `e2e:sources`: the native twin of the `sources` program. Tests change the config between runs.
import * as pulumi from "@pulumi/pulumi";
import * as immuta from "pulumi-immuta-native";

const config = new pulumi.Config("e2e");
const sources = config.requireObject<Record<string, immuta.S3DataSourceArgs>>("sources");

for (const [key, args] of Object.entries(sources)) new immuta.S3DataSource(key, args);
