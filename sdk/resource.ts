/**
 * `ImmutaS3DataSource`: the resource class, its arguments and outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_MODULE, RESOURCE_TYPE } from "../provider/constants";
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
 * An Amazon S3 data source in Immuta. Creating registers it (`POST /native-s3/handler`), refreshing detects drift,
 * deleting disables and then purges it.
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

  constructor(name: string, args: ImmutaS3DataSourceArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withProviderReference({
      integrationId: args.integrationId,
      prefix: args.prefix,
      dataSourceName: args.dataSourceName,
      tenant: args.tenant,
      adopt: args.adopt,
      disabled: false,
      // Output-only properties, declared so that the engine populates them.
      dataSourceId: undefined,
      handlerId: undefined,
      immutaName: undefined,
      appliedName: undefined,
      awsLocationPath: undefined,
      status: undefined,
      schemaVersion: undefined,
    });
    super(REFERENCED_PROVIDER, name, props, opts, RESOURCE_MODULE, RESOURCE_TYPE);
  }
}
