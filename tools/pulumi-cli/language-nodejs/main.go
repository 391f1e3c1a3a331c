// Command pulumi-language-nodejs is pulumi-immuta's minimal Node.js language host for the Pulumi engine.
//
// Why it exists: the official host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// cannot be fetched from the Go module proxy available to this project, while the engine refuses to run a
// `runtime: nodejs` project without a `pulumi-language-nodejs` executable. Users run the official host, which
// ships with every Pulumi CLI release; this one exists so that the project's tests and demo can run the real
// engine where only Go modules can be fetched. The gRPC contract comes from the sdk/v3 module (package
// pulumirpc), which the CLI build already depends on.
//
// What it does, as the official host does: runs `node @pulumi/pulumi/cmd/run` from the program directory with the
// engine's arguments and config (Run, Cancel), installs dependencies with npm (InstallDependencies), reports the
// resource plugins that node_modules declares (GetRequiredPackages), lists dependencies from package-lock.json
// (GetProgramDependencies), answers About, GetPluginInfo, Handshake, RuntimeOptionsPrompts and Template.
//
// What it refuses, with an error that names this host and says to use the official one (inventory.go holds the
// one table of what is implemented): policy packs and Node.js plugins (RunPlugin), code generation
// (GenerateProgram, GenerateProject, GeneratePackage, Pack, Link), package managers other than npm, the bun
// runtime, attaching a debugger, and switching Node.js versions with fnm.
//
// Deliberate differences that are not refusals: no monitor proxy and no `--sync` pipes (the program talks to the
// engine's resource monitor directly, so the long-deprecated synchronous invokes, used only with
// PULUMI_NODEJS_SYNC, are unavailable); no out-of-memory hint after a crash; no warning for mixed @pulumi/pulumi
// versions in node_modules; and it exits within seconds of the engine's death (engine.go). docs/official-cli.md
// lists them for users.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func main() {
	flags := parseFlags(os.Args[1:])
	switch {
	case flags.showVersion:
		fmt.Println(pluginVersion())
		return
	case flags.identify:
		fmt.Println(identity())
		return
	}
	if err := flags.validate(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}

	// DECISION: a write to the dead engine's pipes must fail with EPIPE, not kill the host with SIGPIPE: the host
	// has a program to stop first (see host.shutdown). Notify, unlike Ignore, is not inherited by node.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)

	h := newHost(flags)
	interrupts, stopInterrupts := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stopInterrupts()
	go func() {
		<-interrupts.Done()
		h.shutdown("") // the engine forwards Ctrl-C; it needs no message from us
	}()
	if flags.engineAddress != "" {
		h.watchEngine(flags.engineAddress)
	}

	// rpcutil registers the standard gRPC health service next to ours; the engine probes it.
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: h.stopServing,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
		Options: inventoryInterceptors(),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %s could not start its RPC server: %v\n", hostName, err)
		os.Exit(1)
	}

	// Plugin protocol: the first line on stdout is the port the engine should dial.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: RPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

// host implements pulumirpc.LanguageRuntimeServer. The embedded Unimplemented server only satisfies the
// interface: RPCs that are not implemented here never reach it, inventoryInterceptors refuses them first.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	flags hostFlags

	// programs is cancelled by the Cancel RPC and on shutdown: running programs get SIGINT. The server keeps
	// serving after Cancel, since the engine may still talk to us (e.g. to shut down cleanly).
	programs       context.Context
	cancelPrograms context.CancelFunc
	running        sync.WaitGroup // programs started by Run and not yet exited

	mu            sync.Mutex
	engineAddress string
	watching      bool
	stopping      bool

	stopServing chan bool // closed once, by shutdown: the RPC server stops and main returns
}

func newHost(flags hostFlags) *host {
	h := &host{flags: flags, stopServing: make(chan bool)}
	h.programs, h.cancelPrograms = context.WithCancel(context.Background())
	return h
}

// watchEngine starts watching the engine's health once, with the first address the host learns.
func (h *host) watchEngine(addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.engineAddress == "" {
		h.engineAddress = addr
	}
	if h.watching {
		return
	}
	// Not h.programs: after the Cancel RPC the engine is still there, and may still die.
	err := newEngineWatch(addr).run(context.Background(), func() {
		h.shutdown(fmt.Sprintf("the engine at %s is gone", addr))
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: cannot watch the engine at %s: %v\n", addr, err)
		return
	}
	h.watching = true
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// startProgram registers a program about to start; false once the host is shutting down.
func (h *host) startProgram() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopping {
		return false
	}
	h.running.Add(1)
	return true
}

// shutdown interrupts the running programs, waits until they have exited, then stops the server (and so the
// process). reason, when not empty, is printed on stderr.
//
// DECISION: the host never exits while a program it started is still running: a program that still runs could
// still be reporting, and exiting first would orphan it. It gets SIGINT, then SIGKILL five seconds later (Run's
// WaitDelay), so shutdown is bounded.
func (h *host) shutdown(reason string) {
	h.mu.Lock()
	if h.stopping {
		h.mu.Unlock()
		return
	}
	h.stopping = true
	h.mu.Unlock()

	if reason != "" {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: stopping: %s\n", reason)
	}
	h.cancelPrograms()
	h.running.Wait()
	close(h.stopServing)
}
