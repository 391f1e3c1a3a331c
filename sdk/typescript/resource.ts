/**
 * `ImmutaS3DataSource`: the resource class, its arguments and outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_MODULE, RESOURCE_TYPE } from "../../provider/core/resource-kind";
import {
  OUTPUT_NAMES,
  type ImmutaS3DataSourceAdoption,
  type ImmutaS3DataSourceArgs,
  type ImmutaS3DataSourceOutputs,
} from "./generated/data-source";
import { REFERENCED_PROVIDER, withProviderReference } from "./provider-reference";

export type { ImmutaS3DataSourceAdoption, ImmutaS3DataSourceArgs };

/**
 * Options of {@link ImmutaS3DataSource.get}: Pulumi's resource options, and the tenant to read the source from.
 *
 * DECISION: Pulumi's `get(name, id, opts)` has no room for inputs, and a read needs to know which configured tenant
 * holds the id, so the tenant travels with the options (default `default`).
 */
export interface ImmutaS3DataSourceGetOptions extends pulumi.CustomResourceOptions {
  /** The configured Immuta tenant holding the source (`immuta:tenants.<name>`); default `default`. */
  tenant?: pulumi.Input<string>;
}

/** Every output, registered as unknown so that the engine populates it; the declaration is filled in over it. */
const OUTPUTS: Record<string, undefined> = Object.fromEntries(OUTPUT_NAMES.map((name) => [name, undefined]));

/**
 * An Amazon S3 data source in Immuta. Creating registers it (`POST /native-s3/handler`), refreshing detects drift,
 * deleting disables and then purges it. {@link ImmutaS3DataSource.get} reads one without managing it. Its inputs
 * and outputs are generated from the resource's definition (./generated/data-source.ts).
 */
// The outputs join the class by declaration merging: the engine assigns them, and a base class holding them would
// add a stack frame to every resource's state.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface ImmutaS3DataSource extends ImmutaS3DataSourceOutputs {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ImmutaS3DataSource extends pulumi.dynamic.Resource {
  /**
   * Declares a data source. With `opts.id` (what {@link ImmutaS3DataSource.get} passes), it reads that source
   * instead and only `args.tenant` is used.
   */
  constructor(name: string, args: ImmutaS3DataSourceArgs, opts?: pulumi.CustomResourceOptions) {
    // Every property given reaches `check`, which refuses the unknown and misspelt ones by name (a JavaScript
    // program has no compiler to do it), a `disabled` included: that input is the provider's own.
    const declaration =
      opts?.id === undefined
        ? args
        : // A read by id: the provider sees no declaration and reads the source as Immuta holds it.
          { tenant: args.tenant };
    const props = withProviderReference({ ...OUTPUTS, ...declaration });
    // Pulumi's SDK formats a stack trace, through source maps, for each promise behind each output property, kept
    // only for its promise-leak report: with this resource's sixteen outputs, most of a program's CPU. They are
    // formatted empty here; the resource's source position and stack trace in state are captured apart, in full.
    // PULUMI_DEBUG_PROMISE_LEAKS, set to debug such a leak, keeps them.
    const stackTraceLimit = Error.stackTraceLimit;
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
    try {
      super(REFERENCED_PROVIDER, name, props, opts, RESOURCE_MODULE, RESOURCE_TYPE);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }

  /**
   * A data source this program references without managing it (one owned by another stack, or registered by
   * hand): its outputs as Immuta holds them now, read again on every `pulumi up` and `refresh`. Pulumi never
   * changes or deletes it; `pulumi destroy` only forgets it.
   *
   * ```ts
   * const shared = ImmutaS3DataSource.get("shared-research", "42");
   * export const sharedPrefix = shared.prefix;
   * ```
   *
   * @param name The Pulumi name of the reference in this stack.
   * @param id Immuta's data source id.
   * @param opts Resource options, and `tenant` when the source is not in the default tenant.
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    opts: ImmutaS3DataSourceGetOptions = {},
  ): ImmutaS3DataSource {
    const { tenant, ...resourceOptions } = opts;
    // Only `tenant` is read when `id` is set (see the constructor); the declared fields are not needed.
    const lookUp = { tenant } as ImmutaS3DataSourceArgs;
    return new ImmutaS3DataSource(name, lookUp, { ...resourceOptions, id });
  }
}
