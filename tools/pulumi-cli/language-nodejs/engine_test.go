package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// engineGoneLimit is how soon the host must exit once the engine has died. tests/reliability/interrupted.test.ts
// gives every plugin of a SIGKILLed `pulumi` 15 s; the host needs about 3 s (engine.go).
const engineGoneLimit = 8 * time.Second

func TestHostExitsWhenEngineDies(t *testing.T) {
	t.Parallel()
	engine := startFakeEngine(t)
	h := startHost(t, nil, engine.address)

	// Alive while the engine is: several probes pass without effect.
	time.Sleep(3500 * time.Millisecond)
	if !h.running() {
		t.Fatalf("the host exited while the engine was alive; stderr: %s", h.stderr)
	}

	engine.die()
	died := time.Now()
	if !h.waitExit(engineGoneLimit) {
		t.Fatalf("the host was still running %s after the engine died", engineGoneLimit)
	}
	t.Logf("the host exited %s after the engine died", h.exitAt.Sub(died).Round(time.Millisecond))
	if !strings.Contains(h.stderr.String(), "is gone") {
		t.Errorf("the host did not say why it stopped; stderr: %q", h.stderr)
	}
}

// The host never exits before the program it runs: the program gets SIGINT and the time it takes to stop.
func TestHostStopsItsProgramBeforeExitingWhenEngineDies(t *testing.T) {
	t.Parallel()
	engine := startFakeEngine(t)
	env, record := fakeNode(t, "FAKE_NODE_MODE=wait", "FAKE_NODE_STOP_DELAY=1")
	h := startHost(t, env, engine.address)
	go func() { _, _ = h.client.Run(rpcContext(t), runRequest(t, t.TempDir(), nil)) }()
	waitForFile(t, record, "waiting", 10*time.Second)

	engine.die()
	if !h.waitExit(engineGoneLimit) {
		t.Fatalf("the host was still running %s after the engine died", engineGoneLimit)
	}
	if got := strings.TrimSpace(recorded(t, record, "signal")); got != "SIGINT" {
		t.Errorf("the program recorded %q, want SIGINT", got)
	}
	exited, err := os.Stat(filepath.Join(record, "exited"))
	if err != nil {
		t.Fatal("the host exited before its program had finished stopping")
	}
	if exited.ModTime().After(h.exitAt) {
		t.Errorf("the program finished at %s, after the host exited at %s", exited.ModTime(), h.exitAt)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(recorded(t, record, "pid")))
	if pid > 0 && syscall.Kill(pid, 0) == nil {
		t.Errorf("the program (pid %d) outlived the host", pid)
	}
}

// An engine that holds its port but does not answer (suspended, or busy) is not gone: the host must stay.
func TestHostStaysWhileEngineIsUnresponsive(t *testing.T) {
	t.Parallel()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close()
	go func() {
		for {
			conn, err := lis.Accept()
			if err != nil {
				return
			}
			defer conn.Close() // accepted, never answered
		}
	}()
	h := startHost(t, nil, lis.Addr().String())
	if h.waitExit(6 * time.Second) {
		t.Fatalf("the host exited although the engine still held its port; stderr: %s", h.stderr)
	}
}
