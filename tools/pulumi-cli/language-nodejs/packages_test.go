package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func TestGetRequiredPackagesReportsThePluginsNodeModulesDeclares(t *testing.T) {
	dir := t.TempDir()
	elsewhere := t.TempDir()
	writeFiles(t, elsewhere, map[string]string{
		"linked-provider/package.json": `{"name": "@pulumi/random", "version": "4.16.0", "pulumi": {"resource": true}}`,
	})
	writeFiles(t, dir, map[string]string{
		"package.json": `{"name": "program", "pulumi": {"resource": true}}`, // not in node_modules: not a plugin
		"node_modules/@pulumi/pulumi/package.json": `{"name": "@pulumi/pulumi", "version": "3.248.0"}`,
		"node_modules/@pulumi/aws/package.json":    `{"name": "@pulumi/aws", "version": "6.1.0", "pulumi": {"resource": true}}`,
		"node_modules/acme-provider/package.json": `{"name": "acme-provider", "version": "1.0.0",
			"pulumi": {"resource": true, "name": "acme", "version": "2.0.0", "server": "https://plugins.acme.example",
			"parameterization": {"name": "acme-sub", "version": "0.1.0", "value": "AQI="}}}`,
		"node_modules/not-a-plugin/package.json": `{"name": "not-a-plugin", "version": "1.0.0", "pulumi": {"resource": false}}`,
		"node_modules/outer/node_modules/@pulumi/tls/package.json": `{"name": "@pulumi/tls", "version": "5.0.0",
			"pulumi": {"resource": true}}`,
		"node_modules/broken/package.json": `{"name": "broken",`, // skipped with a warning
		// A policy pack's plugins are not the program's.
		"node_modules/my-policies/PulumiPolicy.yaml":                        "runtime: nodejs\n",
		"node_modules/my-policies/node_modules/@pulumi/gcp/package.json":    `{"name": "@pulumi/gcp", "version": "7.0.0", "pulumi": {"resource": true}}`,
		"node_modules/my-policies/node_modules/@pulumi/policy/package.json": `{"name": "@pulumi/policy", "version": "1.0.0"}`,
	})
	// A linked package (npm link, file: dependencies) and a link cycle.
	if err := os.Symlink(filepath.Join(elsewhere, "linked-provider"), filepath.Join(dir, "node_modules/linked")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "node_modules"), filepath.Join(dir, "node_modules/outer/loop")); err != nil {
		t.Fatal(err)
	}

	h := startHost(t, nil)
	info := &pulumirpc.ProgramInfo{ProgramDirectory: dir, RootDirectory: dir, EntryPoint: "."}
	resp, err := h.client.GetRequiredPackages(rpcContext(t), &pulumirpc.GetRequiredPackagesRequest{Info: info})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range resp.GetPackages() {
		entry := p.GetKind() + ":" + p.GetName() + "@" + p.GetVersion()
		if p.GetServer() != "" {
			entry += " from " + p.GetServer()
		}
		if param := p.GetParameterization(); param != nil {
			entry += " as " + param.GetName() + "@" + param.GetVersion() + "=" + string(param.GetValue())
		}
		got = append(got, entry)
	}
	want := []string{
		"resource:acme@v2.0.0 from https://plugins.acme.example as acme-sub@0.1.0=\x01\x02",
		"resource:aws@v6.1.0",
		"resource:random@v4.16.0",
		"resource:tls@v5.0.0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("GetRequiredPackages:\n got %q\nwant %q", got, want)
	}
	if !strings.Contains(h.stderr.String(), filepath.Join(dir, "node_modules/broken/package.json")) {
		t.Errorf("the unreadable package.json was skipped silently; stderr: %q", h.stderr)
	}

	// The deprecated GetRequiredPlugins answers from the same walk.
	plugins, err := h.client.GetRequiredPlugins(rpcContext(t), &pulumirpc.GetRequiredPluginsRequest{Info: info})
	if err != nil || len(plugins.GetPlugins()) != len(want) {
		t.Errorf("GetRequiredPlugins = %v, %v", plugins, err)
	}
}

// A package that declares a plugin the engine cannot identify fails the request instead of being left out.
func TestGetRequiredPackagesFailsOnAPluginItCannotName(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"node_modules/third-party/package.json": `{"name": "third-party", "version": "1.0.0", "pulumi": {"resource": true}}`,
	})
	h := startHost(t, nil)
	_, err := h.client.GetRequiredPackages(rpcContext(t), &pulumirpc.GetRequiredPackagesRequest{
		Info: &pulumirpc.ProgramInfo{ProgramDirectory: dir, EntryPoint: "."},
	})
	st := status.Convert(err)
	if st.Code() != codes.FailedPrecondition {
		t.Fatalf("GetRequiredPackages = %v, want FailedPrecondition", err)
	}
	for _, want := range []string{hostName, filepath.Join(dir, "node_modules/third-party/package.json"), `"name"`} {
		if !strings.Contains(st.Message(), want) {
			t.Errorf("error %q does not say %q", st.Message(), want)
		}
	}
}
