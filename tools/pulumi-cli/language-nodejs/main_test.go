package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The engine's argv varies between versions (flags before the address, `--tracing <endpoint>` with a
// separate value, logging flags we know nothing about); none of it may stop the host from starting.
func TestParseFlagsToleratesEngineArgs(t *testing.T) {
	f := parseFlags([]string{
		"--logtostderr", "-v=9", "--tracing", "http://zipkin:9411", "-root=/proj", "-typescript=false",
		"-tsconfig", "tsconfig.build.json", "--unknown-switch", "-packagemanager=npm", "-runtime", "nodejs",
		"127.0.0.1:4242",
	})
	if f.engineAddress != "127.0.0.1:4242" {
		t.Errorf("engine address = %q", f.engineAddress)
	}
	if f.tracing != "http://zipkin:9411" || f.root != "/proj" || f.tsconfig != "tsconfig.build.json" {
		t.Errorf("value flags not parsed: %+v", f)
	}
	if f.typescript == nil || *f.typescript {
		t.Errorf("-typescript=false not honoured: %v", f.typescript)
	}
	if f.packagemanager != "npm" || f.runtime != "nodejs" {
		t.Errorf("-packagemanager / -runtime not parsed: %+v", f)
	}
	if err := f.validate(); err != nil {
		t.Errorf("valid flags refused: %v", err)
	}
}

func TestParseProgramOptions(t *testing.T) {
	h := &host{}
	o, err := h.parseProgramOptions(nil)
	if err != nil || !o.typescript || o.packagemanager != npm.AutoPackageManager {
		t.Fatalf("default options = %+v, %v", o, err)
	}
	o, err = h.parseProgramOptions(map[string]any{
		"typescript": false, "tsconfig": "x.json", "nodeargs": "--max-old-space-size=4096", "packagemanager": "npm",
	})
	if err != nil || o.typescript || o.tsconfig != "x.json" || o.nodeargs != "--max-old-space-size=4096" ||
		o.packagemanager != npm.NpmPackageManager {
		t.Fatalf("options = %+v, %v", o, err)
	}
	for _, bad := range []map[string]any{
		{"typescript": "yes"}, {"tsconfig": 3.0}, {"nodeargs": true}, {"packagemanager": 1.0},
		{"packagemanager": "cargo"},
	} {
		if _, err := h.parseProgramOptions(bad); err == nil {
			t.Errorf("options %v accepted", bad)
		}
	}
	// The flag is the default; the runtime option wins.
	h.flags.packagemanager = "yarn"
	if o, _ := h.parseProgramOptions(nil); o.packagemanager != npm.YarnPackageManager {
		t.Errorf("-packagemanager=yarn not used as the default: %+v", o)
	}
	if o, _ := h.parseProgramOptions(map[string]any{"packagemanager": "npm"}); o.packagemanager != npm.NpmPackageManager {
		t.Errorf("the packagemanager option did not override the flag: %+v", o)
	}
}

// What the host cannot honour stops it before it serves anything, with a message naming it and the way out.
func TestStartupRefusesRuntimesAndPackageManagersItDoesNotKnow(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-runtime=bun", "127.0.0.1:1"}, []string{hostName, "-runtime=bun", "official pulumi-language-nodejs"}},
		{[]string{"-runtime", "deno", "127.0.0.1:1"}, []string{hostName, "-runtime=deno"}},
		{[]string{"-packagemanager=cargo", "127.0.0.1:1"}, []string{"-packagemanager", "cargo", "auto, npm"}},
	} {
		out, err := exec.Command(hostBinary, tc.args...).CombinedOutput()
		if err == nil {
			t.Errorf("%v: the host started", tc.args)
			continue
		}
		for _, want := range tc.want {
			if !strings.Contains(string(out), want) {
				t.Errorf("%v: %q does not say %q", tc.args, out, want)
			}
		}
	}
}

func TestVersionAndIdentify(t *testing.T) {
	out, err := exec.Command(hostBinary, "-version").Output()
	if err != nil || strings.TrimSpace(string(out)) != pluginVersion() {
		t.Errorf("-version = %q, %v", out, err)
	}
	out, err = exec.Command(hostBinary, "-identify").Output()
	if err != nil || strings.TrimSpace(string(out)) != hostKind+" "+pluginVersion() {
		t.Errorf("-identify = %q, %v", out, err)
	}
}

func TestAboutSaysWhichHostAnswered(t *testing.T) {
	env, _ := fakeNode(t)
	h := startHost(t, env)
	resp, err := h.client.About(rpcContext(t), &pulumirpc.AboutRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetMetadata()["languageHost"] != hostKind || resp.GetMetadata()["languageHostVersion"] != pluginVersion() {
		t.Errorf("About metadata = %v", resp.GetMetadata())
	}
	if resp.GetVersion() != "v20.99.0-fake" || !strings.HasSuffix(resp.GetExecutable(), "/node") {
		t.Errorf("About = %q at %q, want the fake node", resp.GetVersion(), resp.GetExecutable())
	}
	if resp.GetMetadata()["packagemanager"] != "npm" {
		t.Errorf("packagemanager = %q", resp.GetMetadata()["packagemanager"])
	}
}
