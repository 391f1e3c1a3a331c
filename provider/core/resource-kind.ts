/** Names the native plugin is known by: part of every URN and of the generated SDKs, so they never change. */

/** The Pulumi package (and plugin) name: `pulumi-resource-immuta`, config keys `immuta:*`. */
export const PACKAGE_NAME = "immuta";

/** The resource's type token. */
export const RESOURCE_TOKEN = `${PACKAGE_NAME}:index:S3DataSource`;
