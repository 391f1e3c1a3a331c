package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// runRequest is what the engine sends for `pulumi preview` of a program in programDir.
func runRequest(t *testing.T, programDir string, options map[string]any) *pulumirpc.RunRequest {
	t.Helper()
	opts, err := structpb.NewStruct(options)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.RunRequest{
		Project:          "proj",
		Stack:            "dev",
		Organization:     "org",
		Config:           map[string]string{"immuta:url": "https://immuta.example", "proj:names": `["a","b"]`},
		ConfigSecretKeys: []string{"immuta:apiKey"},
		DryRun:           true,
		Parallel:         16,
		MonitorAddress:   "127.0.0.1:50001",
		Args:             []string{"extra-1", "extra 2"},
		Info: &pulumirpc.ProgramInfo{
			RootDirectory:    filepath.Dir(programDir),
			ProgramDirectory: programDir,
			EntryPoint:       ".",
			Options:          opts,
		},
	}
}

func TestRunStartsNodeAsTheOfficialHostDoes(t *testing.T) {
	engine := startFakeEngine(t)
	env, record := fakeNode(t)
	h := startHost(t, env, "--tracing", "http://zipkin.example:9411", engine.address)
	programDir := t.TempDir()

	resp, err := h.client.Run(rpcContext(t), runRequest(t, programDir, map[string]any{
		"nodeargs": "--max-old-space-size=4096 --no-warnings", "tsconfig": "tsconfig.build.json",
	}))
	if err != nil || resp.GetError() != "" || resp.GetBail() {
		t.Fatalf("Run = %v, %v; stderr: %s", resp, err, h.stderr)
	}

	argv := strings.Split(strings.TrimSuffix(recorded(t, record, "argv"), "\x00"), "\x00")
	want := []string{
		"--max-old-space-size=4096", "--no-warnings", // nodeargs come before the run script
		"/fake/node_modules/@pulumi/pulumi/cmd/run/index.js",
		"--monitor", "127.0.0.1:50001",
		"--engine", engine.address,
		"--organization", "org",
		"--project", "proj",
		"--root-directory", filepath.Dir(programDir),
		"--stack", "dev",
		"--pwd", programDir,
		"--dry-run",
		"--parallel", "16",
		"--tracing", "http://zipkin.example:9411",
		".", "extra-1", "extra 2",
	}
	if strings.Join(argv, "\n") != strings.Join(want, "\n") {
		t.Errorf("node argv:\n got %q\nwant %q", argv, want)
	}

	if cwd := strings.TrimSpace(recorded(t, record, "cwd")); cwd != programDir {
		t.Errorf("node ran in %q, want the program directory %q", cwd, programDir)
	}

	got := recordedEnv(t, record)
	var cfg map[string]string
	if err := json.Unmarshal([]byte(got["PULUMI_CONFIG"]), &cfg); err != nil {
		t.Fatalf("PULUMI_CONFIG = %q: %v", got["PULUMI_CONFIG"], err)
	}
	wantCfg := map[string]string{"immuta:config:url": "https://immuta.example", "proj:config:names": `["a","b"]`}
	if len(cfg) != len(wantCfg) || cfg["immuta:config:url"] != wantCfg["immuta:config:url"] ||
		cfg["proj:config:names"] != wantCfg["proj:config:names"] {
		t.Errorf("PULUMI_CONFIG = %v, want %v", cfg, wantCfg)
	}
	if got["PULUMI_CONFIG_SECRET_KEYS"] != `["immuta:apiKey"]` {
		t.Errorf("PULUMI_CONFIG_SECRET_KEYS = %q", got["PULUMI_CONFIG_SECRET_KEYS"])
	}
	if got["PULUMI_NODEJS_TYPESCRIPT"] != "true" {
		t.Errorf("PULUMI_NODEJS_TYPESCRIPT = %q, want true (the default)", got["PULUMI_NODEJS_TYPESCRIPT"])
	}
	if got["PULUMI_NODEJS_TSCONFIG_PATH"] != "tsconfig.build.json" {
		t.Errorf("PULUMI_NODEJS_TSCONFIG_PATH = %q", got["PULUMI_NODEJS_TSCONFIG_PATH"])
	}
	if got["FAKE_NODE_RECORD"] != record {
		t.Error("the host's own environment was not passed on to the program")
	}
}

func TestRunWithoutTypeScriptOrConfig(t *testing.T) {
	env, record := fakeNode(t)
	h := startHost(t, env)
	req := runRequest(t, t.TempDir(), map[string]any{"typescript": false})
	req.Config, req.ConfigSecretKeys, req.DryRun = nil, nil, false
	resp, err := h.client.Run(rpcContext(t), req)
	if err != nil || resp.GetError() != "" {
		t.Fatalf("Run = %v, %v", resp, err)
	}
	got := recordedEnv(t, record)
	if _, set := got["PULUMI_NODEJS_TYPESCRIPT"]; set {
		t.Error("PULUMI_NODEJS_TYPESCRIPT is set although typescript: false")
	}
	if _, set := got["PULUMI_NODEJS_TSCONFIG_PATH"]; set {
		t.Error("PULUMI_NODEJS_TSCONFIG_PATH is set although no tsconfig was given")
	}
	if got["PULUMI_CONFIG"] != "{}" || got["PULUMI_CONFIG_SECRET_KEYS"] != "[]" {
		t.Errorf("empty config: PULUMI_CONFIG=%q PULUMI_CONFIG_SECRET_KEYS=%q",
			got["PULUMI_CONFIG"], got["PULUMI_CONFIG_SECRET_KEYS"])
	}
	if strings.Contains(recorded(t, record, "argv"), "--dry-run") {
		t.Error("--dry-run passed for an update")
	}
}

func TestRunMapsHowTheProgramEnded(t *testing.T) {
	for _, tc := range []struct {
		name      string
		env       []string
		wantError string // substring; "" means success
		wantBail  bool
	}{
		{name: "exit 0", env: []string{"FAKE_NODE_EXIT=0"}},
		{name: "exit 32 (error already shown)", env: []string{"FAKE_NODE_EXIT=32"}, wantBail: true},
		{name: "exit 1", env: []string{"FAKE_NODE_EXIT=1"}, wantError: "Program exited with non-zero exit code: 1"},
		{name: "exit 7", env: []string{"FAKE_NODE_EXIT=7"}, wantError: "Program exited with non-zero exit code: 7"},
		{name: "killed", env: []string{"FAKE_NODE_MODE=signal"}, wantError: "Program exited unexpectedly: signal: killed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, _ := fakeNode(t, tc.env...)
			h := startHost(t, env)
			resp, err := h.client.Run(rpcContext(t), runRequest(t, t.TempDir(), nil))
			if err != nil {
				t.Fatalf("Run returned an RPC error: %v", err)
			}
			if resp.GetBail() != tc.wantBail {
				t.Errorf("Bail = %v, want %v", resp.GetBail(), tc.wantBail)
			}
			if tc.wantError == "" && resp.GetError() != "" || !strings.Contains(resp.GetError(), tc.wantError) {
				t.Errorf("Error = %q, want %q", resp.GetError(), tc.wantError)
			}
			if tc.wantBail && resp.GetError() != "" {
				t.Errorf("a bail carries no error message, got %q", resp.GetError())
			}
		})
	}
}

func TestCancelInterruptsTheProgramAndRunReturns(t *testing.T) {
	env, record := fakeNode(t, "FAKE_NODE_MODE=wait")
	h := startHost(t, env)
	done := make(chan *pulumirpc.RunResponse, 1)
	go func() {
		resp, err := h.client.Run(rpcContext(t), runRequest(t, t.TempDir(), nil))
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		done <- resp
	}()
	waitForFile(t, record, "waiting", 10*time.Second)
	if _, err := h.client.Cancel(rpcContext(t), &emptypb.Empty{}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(4 * time.Second): // well before the 5 s after which a program that ignores SIGINT is killed
		t.Fatal("Run did not return within 4 s of Cancel")
	}
	if got := strings.TrimSpace(recorded(t, record, "signal")); got != "SIGINT" {
		t.Errorf("the program recorded %q, want SIGINT", got)
	}
	// The host keeps serving after Cancel, but starts no more programs.
	resp, err := h.client.Run(rpcContext(t), runRequest(t, t.TempDir(), nil))
	if err != nil || !strings.Contains(resp.GetError(), "cancelled") {
		t.Errorf("Run after Cancel = %v, %v; want an error saying the programs were cancelled", resp, err)
	}
}

func TestCancelKillsAProgramThatIgnoresSIGINT(t *testing.T) {
	t.Parallel()
	env, record := fakeNode(t, "FAKE_NODE_MODE=stubborn")
	h := startHost(t, env)
	done := make(chan *pulumirpc.RunResponse, 1)
	go func() {
		resp, _ := h.client.Run(rpcContext(t), runRequest(t, t.TempDir(), nil))
		done <- resp
	}()
	waitForFile(t, record, "waiting", 10*time.Second)
	start := time.Now()
	if _, err := h.client.Cancel(rpcContext(t), &emptypb.Empty{}); err != nil {
		t.Fatal(err)
	}
	select {
	case resp := <-done:
		if elapsed := time.Since(start); elapsed < programStopGrace-time.Second {
			t.Errorf("Run returned after %s, before the %s grace", elapsed, programStopGrace)
		}
		if !strings.Contains(resp.GetError(), "signal: killed") {
			t.Errorf("Error = %q, want the program reported killed", resp.GetError())
		}
	case <-time.After(programStopGrace + 5*time.Second):
		t.Fatal("a program that ignores SIGINT was never killed")
	}
}

func TestRunRefusesWhatItCannotDo(t *testing.T) {
	env, record := fakeNode(t)
	h := startHost(t, env)
	debug := runRequest(t, t.TempDir(), nil)
	debug.AttachDebugger = true
	badOption := runRequest(t, t.TempDir(), map[string]any{"packagemanager": "cargo"})
	noDir := runRequest(t, "", nil)
	noDir.Info.ProgramDirectory = ""
	for name, tc := range map[string]struct {
		req  *pulumirpc.RunRequest
		want []string
	}{
		"a debugger":                 {debug, []string{hostName, "debugger", "official pulumi-language-nodejs"}},
		"an unknown package manager": {badOption, []string{"packagemanager", "cargo"}},
		"no program directory":       {noDir, []string{hostName, "program directory"}},
	} {
		resp, err := h.client.Run(rpcContext(t), tc.req)
		if err != nil {
			t.Errorf("%s: RPC error %v, want a RunResponse error", name, err)
			continue
		}
		for _, want := range tc.want {
			if !strings.Contains(resp.GetError(), want) {
				t.Errorf("%s: Error %q does not say %q", name, resp.GetError(), want)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(record, "argv")); err == nil {
		t.Error("a refused Run started the program anyway")
	}
}

// A yarn-managed program still runs: Run does not involve the package manager.
func TestRunAcceptsAProgramManagedByAnotherPackageManager(t *testing.T) {
	env, _ := fakeNode(t)
	h := startHost(t, env)
	resp, err := h.client.Run(rpcContext(t), runRequest(t, t.TempDir(), map[string]any{"packagemanager": "yarn"}))
	if err != nil || resp.GetError() != "" {
		t.Fatalf("Run = %v, %v", resp, err)
	}
}
