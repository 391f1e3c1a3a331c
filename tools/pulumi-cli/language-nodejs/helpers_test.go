package main

// Test support: the host binary as the engine starts it, a fake engine, and a fake `node` that records how the
// host started it.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// hostBinary is this package built once by TestMain, so that tests run the host exactly as the engine does.
var hostBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "language-host-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	hostBinary = filepath.Join(dir, "pulumi-language-nodejs")
	build := exec.Command("go", "build", "-o", hostBinary, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "building the host for the tests failed: %v\n", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fakeEngine is the part of the engine a language host talks to by itself: the gRPC health service.
type fakeEngine struct {
	address string
	server  *grpc.Server
}

func startFakeEngine(t *testing.T) *fakeEngine {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	healthpb.RegisterHealthServer(srv, health.NewServer())
	go func() { _ = srv.Serve(lis) }()
	e := &fakeEngine{address: lis.Addr().String(), server: srv}
	t.Cleanup(e.die)
	return e
}

// die is the engine disappearing at once, as when `pulumi` is SIGKILLed: its port stops accepting connections.
func (e *fakeEngine) die() { e.server.Stop() }

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runningHost is the host binary started as a plugin.
type runningHost struct {
	cmd    *exec.Cmd
	client pulumirpc.LanguageRuntimeClient
	conn   *grpc.ClientConn
	stdout *syncBuffer // everything after the port line
	stderr *syncBuffer
	exited chan struct{} // closed when the process has exited
	exitAt time.Time     // set before exited is closed
	copied chan struct{} // closed when all of stdout has been read
}

// startHost starts the host with args (the engine address last, as the engine passes it) and env added to the
// test's environment, and connects to it.
func startHost(t *testing.T, env []string, args ...string) *runningHost {
	t.Helper()
	cmd := exec.Command(hostBinary, args...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	h := &runningHost{
		cmd: cmd, stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan struct{}), copied: make(chan struct{}),
	}
	cmd.Stderr = h.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reader := bufio.NewReader(stdout)
	portLine := make(chan string, 1)
	go func() {
		line, _ := reader.ReadString('\n')
		portLine <- strings.TrimSpace(line)
		_, _ = reader.WriteTo(h.stdout)
		close(h.copied)
	}()
	go func() {
		_ = cmd.Wait()
		h.exitAt = time.Now()
		close(h.exited)
	}()
	t.Cleanup(func() { h.kill() })

	var port string
	select {
	case port = <-portLine:
	case <-time.After(20 * time.Second):
		t.Fatalf("the host printed no port within 20 s; stderr: %s", h.stderr)
	}
	if port == "" {
		<-h.exited
		t.Fatalf("the host exited without printing a port; stderr: %s", h.stderr)
	}
	h.conn, err = grpc.NewClient("127.0.0.1:"+port, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	h.client = pulumirpc.NewLanguageRuntimeClient(h.conn)
	return h
}

func (h *runningHost) kill() {
	if h.conn != nil {
		h.conn.Close()
	}
	_ = h.cmd.Process.Signal(syscall.SIGKILL)
	<-h.exited
	<-h.copied
}

func (h *runningHost) running() bool {
	select {
	case <-h.exited:
		return false
	default:
		return true
	}
}

// waitExit waits up to limit for the host to exit and says whether it did.
func (h *runningHost) waitExit(limit time.Duration) bool {
	select {
	case <-h.exited:
		return true
	case <-time.After(limit):
		return false
	}
}

func rpcContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fakeNodeScript stands in for node. `node --version` and the host's `node -e <resolve run.js>` are answered
// at once; a program run records its argv, environment, working directory and pid under $FAKE_NODE_RECORD, prints
// FAKE_NODE_SAYS on stdout and stderr, then:
//
//	FAKE_NODE_MODE=exit (default)  exits with $FAKE_NODE_EXIT (default 0)
//	FAKE_NODE_MODE=signal          kills itself with SIGKILL
//	FAKE_NODE_MODE=wait            runs until SIGINT, records it, takes $FAKE_NODE_STOP_DELAY s to exit, exits 0
//	FAKE_NODE_MODE=stubborn        ignores SIGINT and runs until killed
const fakeNodeScript = `#!/usr/bin/env bash
rec="${FAKE_NODE_RECORD:?FAKE_NODE_RECORD is not set}"
case "$1" in
  --version) echo "v20.99.0-fake"; exit 0 ;;
  -e) echo "/fake/node_modules/@pulumi/pulumi/cmd/run/index.js"; exit 0 ;;
esac
printf '%s\0' "$@" > "$rec/argv"
pwd > "$rec/cwd"
env -0 > "$rec/env"
echo $$ > "$rec/pid"
if [ -n "${FAKE_NODE_SAYS:-}" ]; then echo "$FAKE_NODE_SAYS"; echo "$FAKE_NODE_SAYS" >&2; fi
case "${FAKE_NODE_MODE:-exit}" in
  exit) exit "${FAKE_NODE_EXIT:-0}" ;;
  signal) kill -KILL $$ ;;
  wait)
    trap 'echo SIGINT > "$rec/signal"; sleep "${FAKE_NODE_STOP_DELAY:-0}"; touch "$rec/exited"; exit 0' INT
    touch "$rec/waiting"
    while :; do sleep 0.05; done ;;
  stubborn)
    trap '' INT
    touch "$rec/waiting"
    while :; do sleep 0.05; done ;;
esac
`

// fakeNode installs the fake node and returns the environment that puts it first on PATH, and its record dir.
func fakeNode(t *testing.T, extra ...string) (env []string, record string) {
	t.Helper()
	bin := t.TempDir()
	record = t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "node"), []byte(fakeNodeScript), 0o755); err != nil {
		t.Fatal(err)
	}
	env = append([]string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"FAKE_NODE_RECORD=" + record,
	}, extra...)
	return env, record
}

// recorded reads what the fake node recorded, "" when it did not.
func recorded(t *testing.T, record, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(record, name))
	if err != nil {
		return ""
	}
	return string(data)
}

// recordedEnv is the fake node's environment as a map.
func recordedEnv(t *testing.T, record string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, kv := range strings.Split(recorded(t, record, "env"), "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

// waitForFile waits up to limit for the fake node to create a record file.
func waitForFile(t *testing.T, record, name string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(filepath.Join(record, name)); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the fake node did not record %q within %s", name, limit)
}

// writeFiles creates files (path relative to dir => content).
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
