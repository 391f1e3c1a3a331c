/**
 * The gRPC library that `@pulumi/pulumi` (a peer dependency) ships, loaded on first use: the provider talks to the
 * engine that started it only through it, and only when the engine runs this process.
 */
import * as path from "node:path";

/** The part of `@grpc/grpc-js` the provider uses. */
export interface Grpc {
  credentials: { createInsecure(): unknown };
  Client: new (address: string, credentials: unknown) => GrpcClient;
  Metadata: new () => unknown;
  status: { UNAVAILABLE: number };
}

export interface GrpcClient {
  makeUnaryRequest(
    method: string,
    serialize: (value: Buffer) => Buffer,
    deserialize: (bytes: Buffer) => Buffer,
    argument: Buffer,
    metadata: unknown,
    options: { deadline: number },
    callback: (error: { code?: number } | null) => void,
  ): unknown;
  close(): void;
}

/** `@grpc/grpc-js` as resolved from `@pulumi/pulumi`, so that it is the copy the engine's host itself uses. */
export async function loadGrpc(): Promise<Grpc> {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  return (await import(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }))) as Grpc;
}
