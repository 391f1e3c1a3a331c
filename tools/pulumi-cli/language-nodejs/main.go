// Command pulumi-language-nodejs is a minimal Node.js language host for the Pulumi engine.
//
// Why it exists: the upstream host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// cannot be fetched from the Go module proxy available to this project, while the engine refuses to run a
// `runtime: nodejs` project without a `pulumi-language-nodejs` executable. Everything the host has to do for
// our programs is small: answer a handful of RPCs and launch `node @pulumi/pulumi/cmd/run`. The gRPC contract
// comes from the sdk/v3 module (package pulumirpc), which the CLI build already depends on.
//
// Deliberate differences from the upstream host (fine for this project, documented so nobody is surprised):
//   - no monitor proxy and no `--sync` pipes: the program talks to the engine's resource monitor directly, so
//     the long-deprecated synchronous invokes are unavailable (the SDK only uses them when PULUMI_NODEJS_SYNC
//     is set);
//   - no plugin discovery in node_modules: GetRequiredPackages reports nothing, so the engine never tries to
//     download a plugin. The only plugin our programs need, the dynamic provider launcher
//     `pulumi-resource-pulumi-nodejs`, is a bundled plugin found next to `pulumi` or on PATH;
//   - no dependency installation (`pulumi install` is a no-op: projects install with npm themselves),
//     no debugger attach, no code generation, no RunPlugin (Node.js policy packs / plugins).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/shlex"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	// defaultVersion is reported when the binary was built without the version ldflag
	// (-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=vX.Y.Z), which scripts/provision-pulumi.sh sets.
	defaultVersion = "3.248.0"

	// defaultRunPath is the module that bootstraps a Pulumi program inside node. It is resolved from the program
	// directory so that the program's own @pulumi/pulumi is used. PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it,
	// as with the upstream host.
	defaultRunPath = "@pulumi/pulumi/cmd/run"

	// exitCodeErrorAlreadyReported is the exit code run.js uses after it has shown the user an actionable error
	// through the engine; the engine must then bail out without printing another message.
	exitCodeErrorAlreadyReported = 32

	// healthInterval is how often we check that the engine is still alive (same as the upstream host). If the
	// engine dies without stopping us, we stop too rather than linger as an orphan.
	healthInterval = 5 * time.Minute
)

// hostFlags holds what the engine (or a user) may pass on the command line.
type hostFlags struct {
	engineAddress string // first positional argument
	tracing       string
	root          string
	typescript    *bool  // nil: not given (then runtime options / default true decide)
	tsconfig      string // default for the `tsconfig` runtime option
	nodeargs      string // default for the `nodeargs` runtime option
	showVersion   bool
}

// valueFlags take a value, either as `-name=value` or as `-name value`. Every other flag is treated as a
// boolean switch, so unknown flags (e.g. `--logtostderr`, `-v=9` from a verbose engine) are tolerated
// instead of aborting like the standard flag package would.
var valueFlags = map[string]bool{
	"tracing": true, "root": true, "binary": true, "tsconfig": true, "nodeargs": true,
	"packagemanager": true, "runtime": true,
}

func parseFlags(args []string) hostFlags {
	var f hostFlags
	var positional []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			positional = append(positional, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !hasValue && valueFlags[name] && i+1 < len(args) {
			i++
			value, hasValue = args[i], true
		}
		switch name {
		case "tracing":
			f.tracing = value
		case "root":
			f.root = value
		case "tsconfig":
			f.tsconfig = value
		case "nodeargs":
			f.nodeargs = value
		case "typescript":
			ts := !hasValue || value == "true" || value == "1"
			f.typescript = &ts
		case "version":
			f.showVersion = true
		}
	}
	if len(positional) > 0 {
		f.engineAddress = positional[0]
	}
	return f
}

func pluginVersion() string {
	if v := strings.TrimPrefix(version.Version, "v"); v != "" {
		return v
	}
	return defaultVersion
}

func main() {
	flags := parseFlags(os.Args[1:])
	if flags.showVersion {
		fmt.Println(pluginVersion())
		return
	}

	// Stop serving on Ctrl-C (the engine forwards interrupts) or when the engine health check fails.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cancelServe := make(chan bool)
	go func() { <-ctx.Done(); close(cancelServe) }()

	h := &host{flags: flags, ctx: ctx, stop: stop}
	h.programs, h.cancelPrograms = context.WithCancel(ctx)
	if flags.engineAddress != "" {
		h.watchEngine(flags.engineAddress)
	}

	// rpcutil registers the standard gRPC health service next to ours; the engine probes it.
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelServe,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the RPC server: %v\n", err)
		os.Exit(1)
	}

	// Plugin protocol: the first line on stdout is the port the engine should dial.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: RPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

// host implements pulumirpc.LanguageRuntimeServer. Methods we do not need fall through to the embedded
// Unimplemented server, which the engine handles gracefully (it treats Unimplemented as "not supported").
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	flags hostFlags
	ctx   context.Context    // server lifetime: cancelled on interrupt or when the engine health check fails
	stop  context.CancelFunc // stops the server

	// programs is cancelled by the Cancel RPC (and with ctx): it stops running programs but keeps serving,
	// since the engine may still talk to us afterwards (e.g. to shut down cleanly).
	programs       context.Context
	cancelPrograms context.CancelFunc

	mu            sync.Mutex
	engineAddress string
	watching      bool
}

// watchEngine starts the periodic engine health check once.
func (h *host) watchEngine(addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.engineAddress = addr
	if h.watching {
		return
	}
	if err := rpcutil.Healthcheck(h.ctx, addr, healthInterval, h.stop); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: health check not started: %v\n", err)
		return
	}
	h.watching = true
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// Handshake is how newer engines (and attach mode) hand us the engine address instead of argv.
func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.watchEngine(req.GetEngineAddress())
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: pluginVersion()}, nil
}

// GetRequiredPlugins (deprecated) and GetRequiredPackages report no plugins at all. Returning an empty list
// rather than Unimplemented matters: it tells the engine there is nothing to install, so with
// PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION or offline it never tries to download anything.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// InstallDependencies is a deliberate no-op: our projects run `npm ci`/`npm install` themselves, and the
// engine only calls this for `pulumi install` / `pulumi new`.
func (h *host) InstallDependencies(
	*pulumirpc.InstallDependenciesRequest, pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	return nil
}

func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

// About feeds `pulumi about`: where node is and which version.
func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	resp := &pulumirpc.AboutResponse{Executable: node, Metadata: map[string]string{"packagemanager": "npm"}}
	if out, err := exec.CommandContext(ctx, node, "--version").Output(); err == nil {
		resp.Version = strings.TrimSpace(string(out))
	}
	return resp, nil
}

// Cancel stops any running program (the engine calls it on shutdown or when an update is cancelled).
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelPrograms()
	return &emptypb.Empty{}, nil
}

// runOptions are the `runtime.options` of Pulumi.yaml that matter when running a program.
type runOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   string
}

// parseRunOptions reads the runtime options (Info.Options), with command-line flags as defaults. As upstream,
// `typescript` defaults to true: run.js then registers ts-node so index.ts runs without a build step.
func (h *host) parseRunOptions(opts map[string]any) (runOptions, error) {
	o := runOptions{typescript: true, tsconfig: h.flags.tsconfig, nodeargs: h.flags.nodeargs}
	if h.flags.typescript != nil {
		o.typescript = *h.flags.typescript
	}
	if v, ok := opts["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return o, errors.New("typescript option must be a boolean")
		}
		o.typescript = b
	}
	for key, dst := range map[string]*string{"tsconfig": &o.tsconfig, "nodeargs": &o.nodeargs} {
		if v, ok := opts[key]; ok {
			s, isString := v.(string)
			if !isString {
				return o, fmt.Errorf("%s option must be a string", key)
			}
			*dst = s
		}
	}
	return o, nil
}

// Run executes the program once (preview or update). Program failures are not RPC errors: they are reported
// in RunResponse.Error, or as Bail when run.js has already shown the error to the user.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir, entryPoint := info.GetProgramDirectory(), info.GetEntryPoint()
	if programDir == "" { // engines that predate ProgramInfo
		programDir = req.GetPwd()
	}
	if entryPoint == "" {
		entryPoint = req.GetProgram() //nolint:staticcheck // deprecated field, fallback only
	}
	if entryPoint == "" {
		entryPoint = "." // the program directory itself: package.json "main" or index.{ts,js}
	}

	opts, err := h.parseRunOptions(info.GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %v", err)}, nil
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = defaultRunPath
	}
	runScript, err := resolveModule(ctx, node, programDir, runPath)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("invalid nodeargs option: %v", err)}, nil
	}
	args = append(args, runScript)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	rootDir := info.GetRootDirectory()
	if rootDir == "" {
		rootDir = h.flags.root
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.engine())
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", rootDir)
	flag("stack", req.GetStack())
	flag("pwd", programDir) // run.js chdir()s here before loading the program
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	flag("tracing", h.flags.tracing)
	args = append(args, entryPoint)
	args = append(args, req.GetArgs()...)

	// Config travels in the environment. The SDK accepts both "ns:key" and the legacy "ns:config:key" spelling,
	// so the engine's keys are passed as they are. (ConfigPropertyMap is the deprecated typed copy; the SDK reads
	// the string form. LoaderTarget/MapperTarget only serve code generation, which we do not do.)
	configJSON, err := json.Marshal(nonNilMap(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeysJSON, err := json.Marshal(nonNilSlice(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	// The program is stopped when the engine abandons the RPC, or on Cancel / interrupt: first politely
	// (SIGINT lets the SDK flush and report), then killed after WaitDelay.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopOnHostCancel := context.AfterFunc(h.programs, cancel)
	defer stopOnHostCancel()
	cmd := exec.CommandContext(runCtx, node, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = programDir
	cmd.Env = env
	// The engine reads our stdout/stderr and shows them as the program's output. Wrapping the files hides
	// them from os/exec, which then copies through a pipe instead of handing node our descriptors: node may
	// switch inherited descriptors to non-blocking mode, which would break this process's own writes.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}

	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeErrorAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() > 0:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	case errors.As(err, &exitErr): // killed by a signal
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exitErr)}, nil
	default:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
}

// resolveModule asks node to resolve a module from the program directory, exactly like the program's own
// require() would, so the program's installed @pulumi/pulumi runs it.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	script := fmt.Sprintf(`try { console.log(require.resolve(%q)); } catch (e) { `+
		`console.error(e.code === "MODULE_NOT_FOUND" ? "It looks like the Pulumi SDK has not been installed. `+
		`Have you run npm install?" : e.message); process.exit(1); }`, module)
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && len(exitErr.Stderr) > 0 {
			return "", errors.New(strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", fmt.Errorf("could not resolve %s from %s: %w", module, dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
