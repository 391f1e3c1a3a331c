/**
 * `pulumi-resource-immuta`: the provider core (the same object the dynamic resource's host calls) behind Pulumi's
 * resource provider gRPC interface, for programs in any language and for `pulumi import`.
 *
 * Pulumi's own Node.js provider server is not used: its `Configure` ignores the request and claims to accept
 * secrets (secret sentinels would reach the core, and outputs would stop being marked secret), and its `Read`
 * fails on a read by id alone, which is what `pulumi import` sends.
 */
import type { ImmutaResourceProvider } from "../resource-provider";
import type { DataSourceState } from "../core/state";
import { PartialFailureError } from "../core/errors";
import { UNKNOWN_VALUE } from "../core/constants";
import { DATA_SOURCE } from "../core/definition";
import { withDefaults } from "../core/inputs";
import {
  computedOutputs,
  declaredOutputNames,
  outputsChangedByUpdates,
  replacingInputs,
} from "../core/model";
import { configFromVariables } from "./config-variables";
import { fromStruct, toStruct, type Properties } from "./properties";
import {
  anyProto,
  emptyProto,
  grpc,
  pluginProto,
  providerProto,
  providerServices,
  statusProto,
  type GrpcModule,
} from "./rpc-modules";
import { NATIVE_TYPE_TOKEN } from "../core/resource-kind";
import type {
  CheckRequest,
  ConfigureRequest,
  CreateRequest,
  DeleteRequest,
  DiffRequest,
  GetSchemaRequest,
  ProviderHandshakeRequest,
  ReadRequest,
  UpdateRequest,
} from "@pulumi/pulumi/proto/provider_pb";
import type { PluginAttach } from "@pulumi/pulumi/proto/plugin_pb";

type Call<Request> = GrpcModule.ServerUnaryCall<Request, unknown>;
type Callback<Response> = GrpcModule.sendUnaryData<Response>;

export interface NativeServerOptions {
  provider: ImmutaResourceProvider;
  /** The package version `GetPluginInfo` and `GetSchema` report. */
  version: string;
  /** The Pulumi package schema, without its version. */
  schema: Record<string, unknown>;
  /** Called with the engine's address once known (from `Handshake` or `Attach`), for the engine log. */
  onEngineAddress?: (address: string) => void;
}

/** Outputs only Immuta can tell, unknown in the preview of a create. */
const COMPUTED_OUTPUTS = computedOutputs(DATA_SOURCE);

/** Outputs an in-place update may change (restore, rename back), unknown in its preview. */
const UPDATED_OUTPUTS = outputsChangedByUpdates(DATA_SOURCE);

/** Declared inputs an update takes on as they are (those whose change does not replace the source). */
const UPDATED_IN_PLACE = declaredOutputNames(DATA_SOURCE).filter(
  (name) => !replacingInputs(DATA_SOURCE).includes(name),
);

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An operation's failure as the engine expects it. A partial failure (the source exists, a later step failed)
 * carries `ErrorResourceInitFailed` details with the id and state, so that the engine keeps the resource.
 */
function operationError(error: unknown): Partial<GrpcModule.StatusObject> {
  const metadata = new grpc.Metadata();
  if (error instanceof PartialFailureError) {
    const detail = new providerProto.ErrorResourceInitFailed();
    detail.setId(error.id);
    detail.setProperties(toStruct(error.properties));
    detail.setReasonsList(error.reasons);
    const packed = new anyProto.Any();
    packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusProto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(error.message);
    status.addDetails(packed);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: errorMessage(error), metadata };
}

function checkType(type: string): void {
  if (type && type !== NATIVE_TYPE_TOKEN) {
    throw new Error(`pulumi-resource-immuta manages ${NATIVE_TYPE_TOKEN} only, not ${type}`);
  }
}

/** Answers a unary call from an async handler: a rejection becomes the call's error. */
function answer<Response>(
  callback: Callback<Response>,
  work: () => Promise<Response> | Response,
  failure: (error: unknown) => Partial<GrpcModule.StatusObject> = (error) => ({
    code: grpc.status.UNKNOWN,
    details: errorMessage(error),
  }),
): void {
  Promise.resolve()
    .then(work)
    .then(
      (response) => callback(null, response),
      (error: unknown) => callback(failure(error)),
    );
}

function refuse(method: string, why: string) {
  return (_call: unknown, callback: Callback<never>) =>
    callback({
      code: grpc.status.UNIMPLEMENTED,
      details: `pulumi-resource-immuta does not implement ${method}: ${why}`,
    });
}

export function providerService(options: NativeServerOptions): GrpcModule.UntypedServiceImplementation {
  const { provider, version } = options;
  const pb = providerProto;
  let cancelled = false;
  const notCancelled = () => {
    if (cancelled) throw new Error("the Pulumi engine cancelled this update; nothing was sent to Immuta");
  };

  return {
    handshake(call: Call<ProviderHandshakeRequest>, callback: Callback<unknown>) {
      answer(callback, () => {
        const address = call.request.getEngineAddress();
        if (address) options.onEngineAddress?.(address);
        // Secrets, resource references and output values arrive as plain values; the engine re-marks secrets.
        return new pb.ProviderHandshakeResponse()
          .setAcceptSecrets(false)
          .setAcceptResources(false)
          .setAcceptOutputs(false)
          .setSupportsAutonamingConfiguration(false);
      });
    },

    attach(call: Call<PluginAttach>, callback: Callback<unknown>) {
      answer(callback, () => {
        options.onEngineAddress?.(call.request.getAddress());
        return new emptyProto.Empty();
      });
    },

    getPluginInfo(_call: unknown, callback: Callback<unknown>) {
      answer(callback, () => new pluginProto.PluginInfo().setVersion(version));
    },

    getSchema(call: Call<GetSchemaRequest>, callback: Callback<unknown>) {
      answer(callback, () => {
        if (call.request.getSubpackageName()) {
          throw new Error("pulumi-resource-immuta has no subpackages");
        }
        return new pb.GetSchemaResponse().setSchema(JSON.stringify({ ...options.schema, version }));
      });
    },

    checkConfig(call: Call<CheckRequest>, callback: Callback<unknown>) {
      // DECISION: settings are validated where they are used, as for the dynamic resource, so that a setting
      // supplied by an environment variable is judged the same way; the configuration passes unchanged.
      answer(callback, () => new pb.CheckResponse().setInputs(call.request.getNews()));
    },

    configure(call: Call<ConfigureRequest>, callback: Callback<unknown>) {
      answer(callback, async () => {
        const variables = new Map(call.request.getVariablesMap().getEntryList());
        await provider.configure({ config: configFromVariables(variables) });
        return new pb.ConfigureResponse()
          .setAcceptsecrets(false)
          .setAcceptresources(false)
          .setAcceptoutputs(false)
          .setSupportspreview(true);
      });
    },

    check(call: Call<CheckRequest>, callback: Callback<unknown>) {
      answer(callback, async () => {
        checkType(call.request.getType());
        const olds = fromStruct(call.request.getOlds(), "old input");
        const news = fromStruct(call.request.getNews(), "input");
        const result = await provider.check(olds, news);
        const response = new pb.CheckResponse().setInputs(toStruct(result.inputs ?? news));
        response.setFailuresList(
          (result.failures ?? []).map((failure) =>
            new pb.CheckFailure().setProperty(failure.property).setReason(failure.reason),
          ),
        );
        return response;
      });
    },

    diff(call: Call<DiffRequest>, callback: Callback<unknown>) {
      answer(callback, async () => {
        const olds = fromStruct(call.request.getOlds(), "old output");
        const news = fromStruct(call.request.getNews(), "input");
        const result = await provider.diff(call.request.getId(), olds as unknown as DataSourceState, news);
        const Changes = pb.DiffResponse.DiffChanges;
        return new pb.DiffResponse()
          .setChanges(result.changes ? Changes.DIFF_SOME : Changes.DIFF_NONE)
          .setDiffsList((result as { changed?: string[] }).changed ?? [])
          .setReplacesList(result.replaces ?? [])
          .setDeletebeforereplace(result.deleteBeforeReplace === true);
      });
    },

    create(call: Call<CreateRequest>, callback: Callback<unknown>) {
      answer(
        callback,
        async () => {
          const inputs = fromStruct(call.request.getProperties(), "input");
          if (call.request.getPreview()) {
            const outputs: Properties = withDefaults(inputs);
            for (const key of COMPUTED_OUTPUTS) outputs[key] = UNKNOWN_VALUE;
            return new pb.CreateResponse().setId("").setProperties(toStruct(outputs));
          }
          notCancelled();
          const result = await provider.create(inputs);
          return new pb.CreateResponse().setId(result.id).setProperties(toStruct(result.outs ?? {}));
        },
        operationError,
      );
    },

    read(call: Call<ReadRequest>, callback: Callback<unknown>) {
      answer(callback, async () => {
        const props = fromStruct(call.request.getProperties(), "recorded output");
        const result = await provider.read(call.request.getId(), props as unknown as DataSourceState);
        const response = new pb.ReadResponse();
        if (result.id === undefined || result.props === undefined) return response; // gone: leaves the state
        response.setId(result.id).setProperties(toStruct(result.props));
        if (result.inputs) response.setInputs(toStruct(result.inputs));
        return response;
      });
    },

    update(call: Call<UpdateRequest>, callback: Callback<unknown>) {
      answer(
        callback,
        async () => {
          const olds = fromStruct(call.request.getOlds(), "old output");
          const news = fromStruct(call.request.getNews(), "input");
          if (call.request.getPreview()) {
            const outputs: Properties = { ...olds };
            const declared = withDefaults(news);
            for (const key of UPDATED_IN_PLACE) outputs[key] = declared[key];
            for (const key of UPDATED_OUTPUTS) outputs[key] = UNKNOWN_VALUE;
            return new pb.UpdateResponse().setProperties(toStruct(outputs));
          }
          notCancelled();
          const result = await provider.update(
            call.request.getId(),
            olds as unknown as DataSourceState,
            news,
          );
          return new pb.UpdateResponse().setProperties(
            toStruct((result.outs as Properties | undefined) ?? olds),
          );
        },
        operationError,
      );
    },

    delete(call: Call<DeleteRequest>, callback: Callback<unknown>) {
      answer(callback, async () => {
        notCancelled();
        const props = fromStruct(call.request.getProperties(), "recorded output");
        await provider.delete(call.request.getId(), props as unknown as DataSourceState);
        return new emptyProto.Empty();
      });
    },

    cancel(_call: unknown, callback: Callback<unknown>) {
      // Operations already running finish (a half-sent create is worse than a finished one); new ones are refused.
      cancelled = true;
      callback(null, new emptyProto.Empty());
    },

    invoke: refuse("Invoke", "the Immuta provider has no functions"),
    streamInvoke: refuse("StreamInvoke", "the Immuta provider has no functions"),
    call: refuse("Call", "the Immuta provider has no methods"),
    construct: refuse("Construct", "the Immuta provider has no component resources"),
    parameterize: refuse("Parameterize", "the Immuta provider takes no parameters"),
  };
}

/** The service definition the server registers the implementation under. */
export const resourceProviderService = providerServices.ResourceProviderService;
