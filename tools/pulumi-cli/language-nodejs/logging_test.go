package main

import (
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// tests/reliability/secrets.test.ts assumes that, at any verbosity, the language host prints neither a config
// value nor a value from its environment: every occurrence of the API key in `-v=9` output must be one of the
// engine's own trace lines. This holds the host to it.
func TestHostNeverPrintsConfigOrEnvironmentValues(t *testing.T) {
	const (
		configSecret = "config-secret-5b1d9e0f3a7c"
		envSecret    = "environment-secret-8e2a6c4d1f09"
		programSays  = "the-program-printed-this"
	)
	engine := startFakeEngine(t)
	env, _ := fakeNode(t, "IMMUTA_API_KEY="+envSecret, "FAKE_NODE_SAYS="+programSays)
	// The flags a verbose engine (`--debug -v=9 --logtostderr --logflow`) passes to its plugins.
	h := startHost(t, env, "--logtostderr", "-v=9", "--logflow", engine.address)
	ctx := rpcContext(t)

	req := runRequest(t, t.TempDir(), nil)
	req.Config["immuta:apiKey"] = configSecret
	for _, dryRun := range []bool{true, false} {
		req.DryRun = dryRun
		if resp, err := h.client.Run(ctx, req); err != nil || resp.GetError() != "" {
			t.Fatalf("Run = %v, %v", resp, err)
		}
	}
	failing := runRequest(t, t.TempDir(), map[string]any{"typescript": "not a boolean"})
	failing.Config["immuta:apiKey"] = configSecret
	resp, _ := h.client.Run(ctx, failing)
	if resp.GetError() == "" {
		t.Fatal("a Run with an invalid option succeeded")
	}
	if strings.Contains(resp.GetError(), configSecret) {
		t.Errorf("the error the engine shows holds the config value: %q", resp.GetError())
	}
	if _, err := h.client.About(ctx, &pulumirpc.AboutRequest{}); err != nil {
		t.Fatal(err)
	}
	h.kill()

	output := h.stdout.String() + h.stderr.String()
	// The capture works: the program's own output went through the host.
	if strings.Count(output, programSays) != 4 {
		t.Fatalf("the program's output did not come through the host (capture broken?): %q", output)
	}
	for _, secret := range []string{configSecret, envSecret} {
		if strings.Contains(output, secret) {
			t.Errorf("the host printed %q:\n%s", secret, output)
		}
	}
}
