"use strict";
// Floor (a), the engine's own floor: N dynamic resources whose provider answers at once, with the same inputs as
// the Immuta program. By default every resource stores a one-line __provider that loads the provider by package
// name, exactly as ImmutaS3DataSource does (sdk/provider-reference.ts), so that __provider size favours neither
// program; with `bench:serializedProvider: true` the SDK's own serialization of the provider's code is
// stored instead (about 1 KB, twice per resource), as a plain dynamic provider does.
const pulumi = require("@pulumi/pulumi");
const { provider } = require("bench-noop-provider");

const REFERENCE = 'exports.handler = function () { return require("bench-noop-provider").provider; };\n';

/** Pins `__provider` to REFERENCE; the base constructor's own serialization is assigned and ignored. */
function withReference(props) {
  let assigned = false;
  Object.defineProperty(props, "__provider", {
    enumerable: true,
    configurable: true,
    get: () => (assigned ? REFERENCE : undefined),
    set: (serialization) => {
      assigned = true;
      serialization?.promise?.().catch(() => undefined);
    },
  });
  return props;
}

const config = new pulumi.Config("bench");
const count = config.requireNumber("count");
const namePrefix = config.get("namePrefix") ?? "bench";
const serialized = config.getBoolean("serializedProvider") ?? false;

class Noop extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(provider, name, serialized ? args : withReference(args), opts, "bench", "Noop");
  }
}

for (let i = 0; i < count; i++) {
  new Noop(`src-${i}`, {
    integrationId: 1,
    dataSourceName: `${namePrefix}-${i}`,
    prefix: `s3://bench-bucket/${namePrefix}/src-${i}`,
  });
}
