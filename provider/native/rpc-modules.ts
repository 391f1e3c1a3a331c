/**
 * The protocol modules the plugin's server is built on: Pulumi's generated provider service and messages, loaded
 * through the runtime's one loader (the copies the installed `@pulumi/pulumi` ships).
 */
import { fromPulumi, loadGrpc, type GrpcModule } from "../runtime/grpc";
import type * as EmptyModule from "google-protobuf/google/protobuf/empty_pb";
import type * as StructModule from "google-protobuf/google/protobuf/struct_pb";
import type * as AnyModule from "google-protobuf/google/protobuf/any_pb";
import type * as PluginModule from "@pulumi/pulumi/proto/plugin_pb";
import type * as ProviderModule from "@pulumi/pulumi/proto/provider_pb";
import type * as ProviderServicesModule from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as StatusModule from "@pulumi/pulumi/proto/status_pb";

export const grpc = loadGrpc();
export const emptyProto = fromPulumi<typeof EmptyModule>("google-protobuf/google/protobuf/empty_pb");
export const structProto = fromPulumi<typeof StructModule>("google-protobuf/google/protobuf/struct_pb");
export const anyProto = fromPulumi<typeof AnyModule>("google-protobuf/google/protobuf/any_pb");
export const pluginProto = fromPulumi<typeof PluginModule>("./proto/plugin_pb");
export const providerProto = fromPulumi<typeof ProviderModule>("./proto/provider_pb");
export const providerServices = fromPulumi<typeof ProviderServicesModule>("./proto/provider_grpc_pb");
export const statusProto = fromPulumi<typeof StatusModule>("./proto/status_pb");

export type Struct = StructModule.Struct;
export type { GrpcModule };
