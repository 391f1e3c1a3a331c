"use strict";
// The no-op dynamic provider of floor (a): every operation answers at once. Installed into the program copy's
// node_modules (bench/lib/pulumi.js), so that resources can reference it by package name as ours do.
const provider = {
  async create(inputs) {
    return { id: inputs.dataSourceName, outs: inputs };
  },
  async read(id, props) {
    return { id, props };
  },
  async delete() {},
};

module.exports = { provider };
