/**
 * The gRPC runtime and Pulumi's generated protocol modules, loaded from the installed `@pulumi/pulumi` (a peer
 * dependency), so that messages and runtime are the copies that package was built against: the ones the engine's
 * own hosts use. Both front doors talk to the engine only through these; nothing is loaded until first asked for.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as GrpcModule from "@grpc/grpc-js";

const load = createRequire(__filename);
let pulumiDir: string | undefined;

/**
 * A module as `@pulumi/pulumi` resolves it: `./proto/engine_pb` is one of its own files, a bare name (`@grpc/grpc-js`)
 * a package it depends on. Node's module cache makes a second call free.
 */
export function fromPulumi<T>(id: string): T {
  pulumiDir ??= path.dirname(load.resolve("@pulumi/pulumi/package.json"));
  const resolved = id.startsWith("./") ? path.join(pulumiDir, id) : load.resolve(id, { paths: [pulumiDir] });
  return load(resolved) as T;
}

/** `@grpc/grpc-js` as `@pulumi/pulumi` resolves it. */
export const loadGrpc = (): typeof GrpcModule => fromPulumi<typeof GrpcModule>("@grpc/grpc-js");

export type { GrpcModule };
