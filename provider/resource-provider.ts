/**
 * The `pulumi.dynamic.ResourceProvider` the engine calls. The SDK never serializes this object: the state holds a
 * few bytes that `require("pulumi-immuta/provider")` at run time (see sdk/provider-reference.ts), so resources
 * created by an older release are read and deleted by the code installed today.
 */
import type { dynamic } from "@pulumi/pulumi";
import type { ImmutaClientOptions } from "./client";
import type { ConfigSource } from "./core/settings";
import { diffDataSource } from "./core/diff";
import { silentLog, type EngineLog } from "./runtime/engine-log";
import { checkInputs, declaredInputs, type DataSourceInputs } from "./core/inputs";
import { InterruptedRun } from "./operations/interrupted-run";
import { ProviderOperations } from "./runtime/operation-drain";
import { createDataSource } from "./operations/create";
import { describeSource } from "./operations/messages";
import { deleteDataSource } from "./operations/delete";
import { describeSourceId, isReadById, parseSourceId, readById } from "./operations/read-by-id";
import { readDataSource } from "./operations/read";
import { updateDataSource } from "./operations/update";
import { describeRetry, withOperation } from "./runtime/operation-context";
import { resourceId, storedState, upgradeState, type DataSourceState, type StoredState } from "./core/state";
import { Tenants } from "./core/tenants";

export interface ProviderOptions {
  /** Environment variables to fall back on; the provider process's own by default. */
  env?: NodeJS.ProcessEnv;
  /** Client options that win over configuration (tests inject a clock or shorter retries here). */
  clientOptions?: Partial<ImmutaClientOptions>;
  /** Where retries and notices go (the engine's log, from a front door); nowhere by default. */
  log?: EngineLog;
  /** Tracks the operations running, so that the process can stop starting new ones once the engine is gone. */
  operations?: ProviderOperations;
}

export type ImmutaResourceProvider = Required<
  Pick<
    dynamic.ResourceProvider<Record<string, unknown>, StoredState>,
    "check" | "diff" | "create" | "read" | "update" | "delete"
  >
> & {
  /** The dynamic host passes Pulumi's `Config`, the native plugin its `Configure` variables: both `ConfigSource`s. */
  configure(request: { config: ConfigSource }): Promise<void>;
  /** Closes keep-alive connections (for tests; the engine simply ends the process). */
  close(): void;
};

export function createProvider(options: ProviderOptions = {}): ImmutaResourceProvider {
  const log = options.log ?? silentLog;
  const operations = options.operations ?? new ProviderOperations();
  const env = options.env ?? process.env;
  const createOptions = {
    interruptedRun: InterruptedRun.fromEnvironment(env),
    notify: (message: string) => log.info(message),
  };
  const tenants = new Tenants(env, log, {
    ...options.clientOptions,
    onRetry(event) {
      log.info(describeRetry(event));
      options.clientOptions?.onRetry?.(event);
    },
  });
  const tenant = (name: string) => tenants.get(name);
  const stateSubject = (state: DataSourceState) =>
    describeSource(state.dataSourceName, state.prefix, state.dataSourceId);

  return {
    configure(request: { config: ConfigSource }) {
      tenants.configure(request.config);
      return Promise.resolve();
    },

    // check and diff are pure: no API call, nothing to wait for.
    check: (olds, news) => Promise.resolve(checkInputs(news, olds)),

    diff: (_id, olds, news) =>
      Promise.resolve(
        diffDataSource(
          upgradeState(olds as unknown as Record<string, unknown>),
          news as unknown as DataSourceInputs,
        ),
      ),

    async create(inputs) {
      const declared = declaredInputs(inputs);
      const subject = describeSource(declared.dataSourceName, declared.prefix);
      return operations.run("Creating", subject, () =>
        withOperation({ action: "Creating", subject }, async () => {
          const state = await createDataSource(tenant(declared.tenant!), declared, createOptions);
          return { id: resourceId(state.dataSourceId), outs: storedState(state) };
        }),
      );
    },

    async read(id, props) {
      const properties = props as unknown as Record<string, unknown> | undefined;
      if (isReadById(properties)) {
        const wanted = parseSourceId(id, properties?.tenant);
        return withOperation({ action: "Reading", subject: describeSourceId(wanted) }, async () => {
          const found = await readById(tenant(wanted.tenant), wanted.dataSourceId);
          return {
            id: resourceId(found.state.dataSourceId),
            props: storedState(found.state),
            inputs: found.inputs as unknown as StoredState,
          };
        });
      }
      const state = upgradeState({
        ...(props as unknown as Record<string, unknown>),
        dataSourceId: Number(id),
      });
      const subject = stateSubject(state);
      return operations.run("Refreshing", subject, () =>
        withOperation({ action: "Refreshing", subject }, async () => {
          const refreshed = await readDataSource(tenant(state.tenant), state);
          if (!refreshed) return {};
          // Pulumi types a read's inputs as its outputs; they are the declaration.
          return {
            id,
            props: storedState(refreshed.state),
            inputs: refreshed.inputs as unknown as StoredState,
          };
        }),
      );
    },

    async update(_id, olds, news) {
      const state = upgradeState(olds);
      const subject = stateSubject(state);
      return operations.run("Updating", subject, () =>
        withOperation({ action: "Updating", subject }, async () => ({
          outs: storedState(
            await updateDataSource(tenant(state.tenant), state, declaredInputs(news), createOptions.notify),
          ),
        })),
      );
    },

    async delete(id, props) {
      const state = upgradeState({
        ...(props as unknown as Record<string, unknown>),
        dataSourceId: Number(id),
      });
      const subject = stateSubject(state);
      await operations.run("Deleting", subject, () =>
        withOperation({ action: "Deleting", subject }, () => deleteDataSource(tenant(state.tenant), state)),
      );
    },

    close() {
      tenants.close();
    },
  };
}
