/**
 * The names a data source resource is known by in Pulumi, and the one test of "is this resource a data source".
 * The dynamic resource (`ImmutaS3DataSource`, Node.js programs) and the native plugin's (every language) are
 * recorded under different type tokens; every command that reads a stack treats both alike through
 * {@link isDataSourceType}. Both tokens are part of every URN: they never change.
 */
import { DATA_SOURCE } from "./definition";

/** The Pulumi package (and plugin) name: `pulumi-resource-immuta`, config keys `immuta:*`. */
export const PACKAGE_NAME = "immuta";

/** Module of the dynamic resource: `pulumi-nodejs:dynamic/<module>:<type>`. */
export const RESOURCE_MODULE = "immuta";

/** The resource's type name in both tokens. */
export const RESOURCE_TYPE = DATA_SOURCE.name;

/** The type token of the dynamic resource, `pulumi-nodejs:dynamic/immuta:S3DataSource`. */
export const DYNAMIC_TYPE_TOKEN = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${RESOURCE_TYPE}`;

/** The type token of the native plugin's resource, `immuta:index:S3DataSource`. */
export const NATIVE_TYPE_TOKEN = `${PACKAGE_NAME}:index:${RESOURCE_TYPE}`;

/** The dynamic resource's token under its first name, kept for programs and tools that import it. */
export const TYPE_TOKEN = DYNAMIC_TYPE_TOKEN;

/** Which front door recorded a resource of this type, or undefined when it is not a data source. */
export function frontDoorOf(type: unknown): "dynamic" | "native" | undefined {
  if (type === DYNAMIC_TYPE_TOKEN) return "dynamic";
  if (type === NATIVE_TYPE_TOKEN) return "native";
  return undefined;
}

/** True for a resource type that is an Immuta S3 data source, whichever front door declared it. */
export function isDataSourceType(type: unknown): boolean {
  return frontDoorOf(type) !== undefined;
}
