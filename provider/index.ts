/**
 * `pulumi-immuta/provider`: the dynamic provider the Pulumi engine runs. Resources reference it by package name
 * at run time, so this module's exports are part of the state contract: keep `provider` here. Everything of the
 * public API (api.ts) is exported too.
 */
export { provider, engineWatch } from "./dynamic/host";
export * from "./api";
export * from "./core/constants";
export { diffDataSource } from "./core/diff";
export { upgradeState } from "./core/state";
export * as client from "./client";
