/**
 * The live run's Pulumi stack: the `sources` test program in a temporary folder with a file:// backend, its
 * sources on the provider tenant `live`. The provider reads the `IMMUTA_LIVE_*` variables like any user's program
 * would, except that its URL is the recording proxy's, which forwards to the tenant (verifying TLS and the CA bundle
 * there), so the suite sees every request the provider sends.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { pulumiCommand } from "../../e2e/support/pulumi-cli";
import { copyProgram } from "../../e2e/support/stack";

export interface LiveStack {
  stack: Stack;
  setSources(sources: Record<string, unknown>): Promise<void>;
  dispose(): void;
}

export async function createLiveStack(proxyUrl: string): Promise<LiveStack> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-live-"));
  const programDir = path.join(root, "program");
  const backendDir = path.join(root, "backend");
  const pulumiHome = path.join(root, "pulumi-home");
  copyProgram("sources", programDir);
  fs.mkdirSync(backendDir);
  fs.mkdirSync(pulumiHome);
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "live", workDir: programDir },
    {
      pulumiCommand: await pulumiCommand(),
      pulumiHome,
      envVars: {
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        // Encrypts nothing secret: the stack config holds no credential, the provider reads IMMUTA_LIVE_*.
        PULUMI_CONFIG_PASSPHRASE: "live-acceptance",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        IMMUTA_LIVE_URL: proxyUrl,
        // The proxy is plain HTTP on loopback; the tenant's certificate is verified by the proxy.
        IMMUTA_LIVE_CA_BUNDLE: "",
        // The default tenant is not used: nothing of the developer's own configuration may leak in.
        IMMUTA_URL: "",
        IMMUTA_API_KEY: "",
      },
    },
  );
  return {
    stack,
    async setSources(sources) {
      await stack.setConfig("e2e:sources", { value: JSON.stringify(sources) });
    },
    dispose() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
