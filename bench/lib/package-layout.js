"use strict";
/**
 * The one place where bench/ depends on the package's internal layout; everything else goes through its public
 * entries (`pulumi-immuta`, `pulumi-immuta/provider`, `pulumi-immuta/emulator`, `pulumi-immuta/gitops`).
 */

/**
 * The API client's transport module, relative to the installed package's root: the `nodeHttp` experiment
 * overwrites it in its own program copy (bench/experiments/node-http-transport.js). Internal, so it moves when
 * the provider's layout does: update it then (the experiment fails loudly when the file is missing).
 */
const CLIENT_TRANSPORT_MODULE = "dist/provider/client/transport.js";

module.exports = { CLIENT_TRANSPORT_MODULE };
