/**
 * `ImmutaS3DataSource`: the resource class, its arguments and outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_MODULE, RESOURCE_TYPE } from "../provider/core/resource-kind";
import { REFERENCED_PROVIDER, withProviderReference } from "./provider-reference";

/** How to take over a data source that already exists in Immuta (this product's `pulumi import`). */
export interface ImmutaS3DataSourceAdoption {
  /** Adopt the data source with this Immuta id; its prefix, integration and name must match the declaration. */
  dataSourceId?: number;
  /** Adopt the data source named `dataSourceName`; its prefix and integration must match the declaration. */
  byName?: boolean;
}

/** The declaration of one Immuta S3 data source. */
export interface ImmutaS3DataSourceArgs {
  /** Id of the Native S3 integration in Immuta that registers the source. Changing it replaces the source. */
  integrationId: pulumi.Input<number>;
  /**
   * The S3 location the source covers: a bucket (`s3://bucket`), a prefix (`s3://bucket/path`) or one object.
   * Stored canonically (no trailing slash). Changing it replaces the source.
   */
  prefix: pulumi.Input<string>;
  /**
   * The name to register. Unique in the tenant. Immuta may store the source under a name of its own
   * (see `immutaName`). Changing it replaces the source.
   */
  dataSourceName: pulumi.Input<string>;
  /**
   * Which configured Immuta tenant holds the source (default: `default`, configured by `immuta:url` and
   * `immuta:apiKey`). Other tenants are configured under `immuta:tenants.<name>`. Changing it replaces the source.
   */
  tenant?: pulumi.Input<string>;
  /**
   * Take over an existing source in `create` instead of registering a new one; it is verified against this
   * declaration first. Ignored once the resource exists.
   */
  adopt?: pulumi.Input<ImmutaS3DataSourceAdoption>;
}

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

/** Every output, declared so that the engine populates it; the declaration is filled in by the constructor. */
const OUTPUTS = {
  integrationId: undefined,
  prefix: undefined,
  dataSourceName: undefined,
  tenant: undefined,
  adopt: undefined,
  disabled: undefined,
  dataSourceId: undefined,
  handlerId: undefined,
  immutaName: undefined,
  appliedName: undefined,
  awsLocationPath: undefined,
  status: undefined,
  schemaVersion: undefined,
} as const;

/**
 * An Amazon S3 data source in Immuta. Creating registers it (`POST /native-s3/handler`), refreshing detects drift,
 * deleting disables and then purges it. {@link ImmutaS3DataSource.get} reads one without managing it.
 */
export class ImmutaS3DataSource extends pulumi.dynamic.Resource {
  // `declare`: the base constructor assigns these outputs; an initialised class field would overwrite them.
  /** The declared integration id. */
  declare public readonly integrationId: pulumi.Output<number>;
  /** The declared prefix, canonical. */
  declare public readonly prefix: pulumi.Output<string>;
  /** The declared name. */
  declare public readonly dataSourceName: pulumi.Output<string>;
  /** The tenant holding the source. */
  declare public readonly tenant: pulumi.Output<string>;
  /** Immuta's id of the data source (also the resource id). */
  declare public readonly dataSourceId: pulumi.Output<number>;
  /** Immuta's id of the source's native-s3 handler (`GET /native-s3/handler/{handlerId}`). */
  declare public readonly handlerId: pulumi.Output<number>;
  /** The name as Immuta reports it; Immuta may rename sources on creation. */
  declare public readonly immutaName: pulumi.Output<string>;
  /** The base S3 location Immuta registered the source under (known after the first refresh or read). */
  declare public readonly awsLocationPath: pulumi.Output<string | null>;
  /** True when Immuta holds the source disabled (soft-deleted); the next `pulumi up` restores it. */
  declare public readonly disabled: pulumi.Output<boolean>;
  /** Immuta's status of the source. */
  declare public readonly status: pulumi.Output<string | null>;
  /** Version of the state shape written for this resource. */
  declare public readonly schemaVersion: pulumi.Output<number>;

  /**
   * Declares a data source. With `opts.id` (what {@link ImmutaS3DataSource.get} passes), it reads that source
   * instead and only `args.tenant` is used.
   */
  constructor(name: string, args: ImmutaS3DataSourceArgs, opts?: pulumi.CustomResourceOptions) {
    const declaration =
      opts?.id === undefined
        ? {
            integrationId: args.integrationId,
            prefix: args.prefix,
            dataSourceName: args.dataSourceName,
            tenant: args.tenant,
            adopt: args.adopt,
            disabled: false,
          }
        : // A read by id: the provider sees no declaration and reads the source as Immuta holds it.
          { tenant: args.tenant };
    const props = withProviderReference({ ...OUTPUTS, ...declaration });
    super(REFERENCED_PROVIDER, name, props, opts, RESOURCE_MODULE, RESOURCE_TYPE);
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
