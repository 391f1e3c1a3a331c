package main

import "testing"

// The engine's argv varies between versions (flags before the address, `--tracing <endpoint>` with a
// separate value, logging flags we know nothing about); none of it may stop the host from starting.
func TestParseFlagsToleratesEngineArgs(t *testing.T) {
	f := parseFlags([]string{
		"--logtostderr", "-v=9", "--tracing", "http://zipkin:9411", "-root=/proj", "-typescript=false",
		"-tsconfig", "tsconfig.build.json", "--unknown-switch", "-packagemanager=npm", "127.0.0.1:4242",
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
}

func TestParseRunOptionsDefaultsToTypeScript(t *testing.T) {
	h := &host{}
	o, err := h.parseRunOptions(nil)
	if err != nil || !o.typescript {
		t.Fatalf("default options = %+v, %v", o, err)
	}
	o, err = h.parseRunOptions(map[string]any{"typescript": false, "tsconfig": "x.json", "nodeargs": "--max-old-space-size=4096"})
	if err != nil || o.typescript || o.tsconfig != "x.json" || o.nodeargs != "--max-old-space-size=4096" {
		t.Fatalf("options = %+v, %v", o, err)
	}
	if _, err := h.parseRunOptions(map[string]any{"typescript": "yes"}); err == nil {
		t.Fatal("a non-boolean typescript option must be rejected")
	}
}
