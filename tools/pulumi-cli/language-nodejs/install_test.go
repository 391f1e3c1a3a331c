package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// tinyProgram is a Node.js program whose only dependency is a `file:` package beside it, so npm installs it
// offline.
var tinyProgram = map[string]string{
	"Pulumi.yaml": "name: tiny\nruntime: nodejs\n",
	"package.json": `{"name": "tiny-program", "version": "1.0.0", "private": true, "main": "index.js",
		"dependencies": {"local-greeting": "file:./local-greeting"}}`,
	"index.js":                    `module.exports = require("local-greeting");`,
	"local-greeting/package.json": `{"name": "local-greeting", "version": "1.2.3", "main": "index.js"}`,
	"local-greeting/index.js":     `module.exports = "hello";`,
}

// npmEnv keeps npm offline and quiet, with a cache of its own.
func npmEnv(t *testing.T) []string {
	return []string{
		"npm_config_offline=true", "npm_config_audit=false", "npm_config_fund=false",
		"npm_config_update_notifier=false", "npm_config_cache=" + t.TempDir(),
	}
}

// install calls InstallDependencies and collects what the host streamed.
func install(
	t *testing.T, h *runningHost, dir string, options map[string]any, versionTools bool,
) (stdout, stderr string, err error) {
	t.Helper()
	opts, err := structpb.NewStruct(options)
	if err != nil {
		t.Fatal(err)
	}
	stream, err := h.client.InstallDependencies(rpcContext(t), &pulumirpc.InstallDependenciesRequest{
		Info:                    &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: ".", Options: opts},
		UseLanguageVersionTools: versionTools,
	})
	if err != nil {
		return "", "", err
	}
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return stdout, stderr, nil
		}
		if err != nil {
			return stdout, stderr, err
		}
		stdout += string(msg.GetStdout())
		stderr += string(msg.GetStderr())
	}
}

func TestInstallDependenciesRunsNpmAndStreamsItsOutput(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, tinyProgram)
	h := startHost(t, npmEnv(t))

	stdout, stderr, err := install(t, h, dir, nil, false)
	if err != nil {
		t.Fatalf("InstallDependencies: %v\nstdout: %s\nstderr: %s", err, stdout, stderr)
	}
	if !strings.Contains(stdout, "Installing dependencies...") || !strings.Contains(stdout, "Finished installing") {
		t.Errorf("stdout stream = %q", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules/local-greeting/package.json")); err != nil {
		t.Errorf("the dependency was not installed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "package-lock.json")); err != nil {
		t.Errorf("npm install wrote no package-lock.json: %v", err)
	}

	// GetProgramDependencies reads what was installed from package-lock.json.
	deps, err := h.client.GetProgramDependencies(rpcContext(t), &pulumirpc.GetProgramDependenciesRequest{
		Info: &pulumirpc.ProgramInfo{ProgramDirectory: dir, EntryPoint: "."},
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range deps.GetDependencies() {
		names = append(names, d.GetName())
	}
	if strings.Join(names, ",") != "local-greeting" {
		t.Errorf("GetProgramDependencies = %v", names)
	}
}

func TestInstallDependenciesFailsWhenNpmFails(t *testing.T) {
	dir := t.TempDir()
	// A registry dependency cannot be installed offline from an empty cache: npm fails with ENOTCACHED.
	writeFiles(t, dir, map[string]string{
		"package.json": `{"name": "needs-registry", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}}`,
	})
	h := startHost(t, npmEnv(t))
	_, stderr, err := install(t, h, dir, nil, false)
	st := status.Convert(err)
	if err == nil || st.Code() == codes.Unimplemented {
		t.Fatalf("InstallDependencies = %v; a failure must not be Unimplemented (the engine would call it success)", err)
	}
	for _, want := range []string{hostName, "npm install", dir} {
		if !strings.Contains(st.Message(), want) {
			t.Errorf("error %q does not say %q", st.Message(), want)
		}
	}
	if !strings.Contains(stderr, "ENOTCACHED") {
		t.Errorf("npm's own error did not reach the stderr stream: %q", stderr)
	}
}

// fakeTool puts an executable that records its use on PATH (it must never be run).
func fakeTool(t *testing.T, name string) (env string, used string) {
	bin := t.TempDir()
	used = filepath.Join(t.TempDir(), name+"-was-run")
	script := "#!/bin/sh\ntouch " + used + "\necho 1.22.22\n"
	if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), used
}

func TestInstallDependenciesRefusesOtherPackageManagers(t *testing.T) {
	yarnPath, yarnUsed := fakeTool(t, "yarn")
	for _, tc := range []struct {
		name    string
		args    []string
		env     []string
		files   map[string]string
		options map[string]any
		want    []string
	}{
		{name: "packagemanager: yarn", options: map[string]any{"packagemanager": "yarn"},
			want: []string{`packagemanager is "yarn"`}},
		{name: "packagemanager: pnpm", options: map[string]any{"packagemanager": "pnpm"},
			want: []string{`packagemanager is "pnpm"`}},
		{name: "-packagemanager=bun", args: []string{"-packagemanager=bun"}, want: []string{`packagemanager is "bun"`}},
		{name: "auto with a yarn.lock", env: []string{yarnPath}, files: map[string]string{"yarn.lock": ""},
			want: []string{"auto", "resolves to yarn"}},
		{name: "auto with PULUMI_PREFER_YARN", env: []string{yarnPath, "PULUMI_PREFER_YARN=true"},
			want: []string{"auto", "resolves to yarn"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tinyProgram)
			writeFiles(t, dir, tc.files)
			h := startHost(t, append(npmEnv(t), tc.env...), tc.args...)
			_, _, err := install(t, h, dir, tc.options, false)
			st := status.Convert(err)
			if st.Code() != codes.FailedPrecondition {
				t.Fatalf("InstallDependencies = %v, want FailedPrecondition", err)
			}
			for _, want := range append(tc.want, hostName, "npm only", "official pulumi-language-nodejs") {
				if !strings.Contains(st.Message(), want) {
					t.Errorf("error %q does not say %q", st.Message(), want)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil {
				t.Error("something was installed anyway")
			}
			if _, err := os.Stat(yarnUsed); err == nil {
				t.Error("yarn was run")
			}
			_, err = h.client.GetProgramDependencies(rpcContext(t), &pulumirpc.GetProgramDependenciesRequest{
				Info: &pulumirpc.ProgramInfo{ProgramDirectory: dir, EntryPoint: ".", Options: mustStruct(t, tc.options)},
			})
			if status.Code(err) != codes.FailedPrecondition {
				t.Errorf("GetProgramDependencies = %v, want the same refusal", err)
			}
		})
	}
}

func TestInstallDependenciesRefusesAnUnknownPackageManager(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, tinyProgram)
	h := startHost(t, npmEnv(t))
	_, _, err := install(t, h, dir, map[string]any{"packagemanager": "cargo"}, false)
	if st := status.Convert(err); st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), "cargo") {
		t.Fatalf("InstallDependencies = %v", err)
	}
}

// --use-language-version-tools: the official host switches Node.js with fnm when a .nvmrc asks for a version and
// fnm is installed; this host refuses exactly that case and installs as the official host does otherwise.
func TestInstallDependenciesWithLanguageVersionTools(t *testing.T) {
	fnmPath, fnmUsed := fakeTool(t, "fnm")
	dir := t.TempDir()
	writeFiles(t, dir, tinyProgram)
	writeFiles(t, dir, map[string]string{".nvmrc": "20\n"})

	h := startHost(t, append(npmEnv(t), fnmPath))
	_, _, err := install(t, h, dir, nil, true)
	if st := status.Convert(err); st.Code() != codes.FailedPrecondition ||
		!strings.Contains(st.Message(), ".nvmrc") || !strings.Contains(st.Message(), hostName) {
		t.Fatalf("InstallDependencies with fnm and .nvmrc = %v", err)
	}
	if _, err := os.Stat(fnmUsed); err == nil {
		t.Error("fnm was run")
	}

	withoutFnm := startHost(t, npmEnv(t))
	if _, _, err := install(t, withoutFnm, dir, nil, true); err != nil {
		t.Fatalf("without fnm the request is a plain install, got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules/local-greeting")); err != nil {
		t.Error("not installed")
	}
}

func mustStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
