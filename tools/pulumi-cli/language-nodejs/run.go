package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/shlex"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	// defaultRunPath is the module that bootstraps a Pulumi program inside node. It is resolved from the program
	// directory so that the program's own @pulumi/pulumi is used. PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it,
	// as with the official host.
	defaultRunPath = "@pulumi/pulumi/cmd/run"

	// exitCodeErrorAlreadyReported is the exit code run.js uses after it has shown the user an actionable error
	// through the engine; the engine must then bail out without printing another message.
	exitCodeErrorAlreadyReported = 32

	// programStopGrace is how long a program has to exit after SIGINT before it is killed.
	programStopGrace = 5 * time.Second
)

// Run executes the program once (preview or update). Program failures are not RPC errors: they are reported
// in RunResponse.Error, or as Bail when run.js has already shown the error to the user.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	failed := func(format string, args ...any) (*pulumirpc.RunResponse, error) {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf(format, args...)}, nil
	}
	if req.GetAttachDebugger() {
		return failed("%s cannot start a program under a debugger; to debug it, %s", hostName, useOfficialHost)
	}
	info := req.GetInfo()
	programDir, entryPoint := info.GetProgramDirectory(), info.GetEntryPoint()
	if programDir == "" { // engines that predate ProgramInfo
		programDir = req.GetPwd()
	}
	if programDir == "" {
		return failed("%s was asked to run a program without a program directory", hostName)
	}
	if entryPoint == "" {
		entryPoint = req.GetProgram() //nolint:staticcheck // deprecated field, fallback only
	}
	if entryPoint == "" {
		entryPoint = "." // the program directory itself: package.json "main" or index.{ts,js}
	}

	opts, err := h.parseProgramOptions(info.GetOptions().AsMap())
	if err != nil {
		return failed("%v", err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return failed("could not find node on the $PATH: %v", err)
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = defaultRunPath
	}
	runScript, err := resolveModule(ctx, node, programDir, runPath)
	if err != nil {
		return failed("%v", err)
	}
	nodeArgs, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return failed("invalid nodeargs option: %v", err)
	}
	env, err := programEnvironment(req, opts)
	if err != nil {
		return failed("%v", err)
	}

	if !h.startProgram() {
		return failed("%s is shutting down and starts no more programs", hostName)
	}
	defer h.running.Done()
	if h.programs.Err() != nil {
		return failed("the engine cancelled this host's programs; %s starts no more", hostName)
	}

	// The program is stopped when the engine abandons the RPC, or on Cancel / shutdown: first politely (SIGINT
	// lets the SDK flush and report), then killed after programStopGrace.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopOnHostCancel := context.AfterFunc(h.programs, cancel)
	defer stopOnHostCancel()
	args := append(nodeArgs, h.runArguments(req, runScript, programDir, entryPoint)...)
	cmd := exec.CommandContext(runCtx, node, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = programStopGrace
	cmd.Dir = programDir
	cmd.Env = env
	// The engine reads our stdout/stderr and shows them as the program's output. Wrapping the files hides them
	// from os/exec, which then copies through a pipe instead of handing node our descriptors: node may switch
	// inherited descriptors to non-blocking mode, which would break this process's own writes.
	cmd.Stdout = engineStdout
	cmd.Stderr = engineStderr
	return runResponse(cmd.Run()), nil
}

// runArguments is run.js's command line, as the official host builds it (less `--sync`, see main.go).
func (h *host) runArguments(req *pulumirpc.RunRequest, runScript, programDir, entryPoint string) []string {
	args := []string{runScript}
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	rootDir := req.GetInfo().GetRootDirectory()
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
	return append(args, req.GetArgs()...)
}

// programEnvironment is the host's environment plus the program's config.
//
// Config travels in PULUMI_CONFIG, with keys spelt `<namespace>:config:<name>` as the official host spells them
// (the SDK reads both spellings; older SDKs only this one). PULUMI_CONFIG_SECRET_KEYS lists the secret keys as the
// engine sent them. ConfigPropertyMap (the deprecated typed copy) is not used, as by the official host.
func programEnvironment(req *pulumirpc.RunRequest, opts programOptions) ([]string, error) {
	cfg := make(map[string]string, len(req.GetConfig()))
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, fmt.Errorf("the engine sent an invalid config key %q: %w", k, err)
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	configJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
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
	return env, nil
}

// runResponse maps how node ended to what the engine expects.
func runResponse(err error) *pulumirpc.RunResponse {
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeErrorAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}
	case errors.As(err, &exitErr) && exitErr.ExitCode() > 0:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}
	case errors.As(err, &exitErr): // killed by a signal (the official host says "exit code: -1")
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exitErr)}
	default:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}
	}
}

// Cancel stops any running program (the engine calls it on shutdown or when an update is cancelled).
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelPrograms()
	return &emptypb.Empty{}, nil
}

// resolveModule asks node to resolve a module from the program directory, exactly like the program's own
// require() would, so the program's installed @pulumi/pulumi runs it.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	script := fmt.Sprintf(`try { console.log(require.resolve(%q)); } catch (e) { `+
		`console.error(e.code === "MODULE_NOT_FOUND" ? "It looks like the Pulumi SDK has not been installed. `+
		`Have you run pulumi install?" : e.message); process.exit(1); }`, module)
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

// bestEffortWriter passes writes on until one fails, then drops them. Once the engine is gone its pipes are
// broken: a program's late output must neither block the program (a full pipe nobody reads) nor stop the copy.
type bestEffortWriter struct {
	w      io.Writer
	broken atomic.Bool
}

func (b *bestEffortWriter) Write(p []byte) (int, error) {
	if !b.broken.Load() {
		if _, err := b.w.Write(p); err != nil {
			b.broken.Store(true)
		}
	}
	return len(p), nil
}

var (
	engineStdout = &bestEffortWriter{w: os.Stdout}
	engineStderr = &bestEffortWriter{w: os.Stderr}
)
