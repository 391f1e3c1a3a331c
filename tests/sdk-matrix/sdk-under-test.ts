/**
 * The `@pulumi/pulumi` version the current jest project of the SDK tiers runs against (jest.config.js sets it in
 * `globals.sdkMatrix`), and where it is installed.
 */
export interface SdkUnderTest {
  version: string;
  /** The node_modules folder holding that SDK and its dependencies (in the per-user cache, scripts/provision-sdk.js). */
  modules: string;
}

export function sdkUnderTest(): SdkUnderTest {
  const value = (globalThis as { sdkMatrix?: Partial<SdkUnderTest> }).sdkMatrix;
  if (typeof value?.version !== "string" || typeof value.modules !== "string")
    throw new Error(
      "tests/sdk-matrix runs only in the SDK tiers, which name the version under test: " +
        "`npm test`, `npm run test:sdk-matrix`, or `TEST_TIERS=sdk npx jest tests/sdk-matrix`",
    );
  return { version: value.version, modules: value.modules };
}
