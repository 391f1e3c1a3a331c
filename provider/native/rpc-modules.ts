/**
 * The gRPC runtime and Pulumi's generated protocol modules, loaded from the installed `@pulumi/pulumi` (a peer
 * dependency) so that messages and the runtime come from the copies that package was built against.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as GrpcModule from "@grpc/grpc-js";
import type * as EmptyModule from "google-protobuf/google/protobuf/empty_pb";
import type * as StructModule from "google-protobuf/google/protobuf/struct_pb";
import type * as AnyModule from "google-protobuf/google/protobuf/any_pb";
import type * as PluginModule from "@pulumi/pulumi/proto/plugin_pb";
import type * as ProviderModule from "@pulumi/pulumi/proto/provider_pb";
import type * as ProviderServicesModule from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as StatusModule from "@pulumi/pulumi/proto/status_pb";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const load = createRequire(__filename);

function fromPulumi<T>(id: string): T {
  const resolved = id.startsWith("./")
    ? path.join(pulumiDir, id)
    : require.resolve(id, { paths: [pulumiDir] });
  return load(resolved) as T;
}

export const grpc = fromPulumi<typeof GrpcModule>("@grpc/grpc-js");
export const emptyProto = fromPulumi<typeof EmptyModule>("google-protobuf/google/protobuf/empty_pb");
export const structProto = fromPulumi<typeof StructModule>("google-protobuf/google/protobuf/struct_pb");
export const anyProto = fromPulumi<typeof AnyModule>("google-protobuf/google/protobuf/any_pb");
export const pluginProto = fromPulumi<typeof PluginModule>("./proto/plugin_pb");
export const providerProto = fromPulumi<typeof ProviderModule>("./proto/provider_pb");
export const providerServices = fromPulumi<typeof ProviderServicesModule>("./proto/provider_grpc_pb");
export const statusProto = fromPulumi<typeof StatusModule>("./proto/status_pb");

export type Struct = StructModule.Struct;
export type { GrpcModule };
