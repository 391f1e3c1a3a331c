package main

import (
	"errors"
	"fmt"
	"os/exec"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/fsutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// InstallDependencies installs the program's dependencies for `pulumi install`, `pulumi new` and `pulumi convert`,
// streaming npm's output to the engine as it comes.
//
// DECISION: the command is `npm install --loglevel=error` in the npm workspace root (or the program directory),
// as the official host runs it, not `npm ci`: the official host never runs `npm ci`, and `npm install` honours a
// package-lock.json that matches package.json while still working without one.
//
// Every failure is returned with a code other than Unimplemented: the engine takes an Unimplemented
// InstallDependencies for "this host installs nothing" and reports success.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetDirectory() //nolint:staticcheck // deprecated field, fallback only
	}
	if programDir == "" {
		return status.Errorf(codes.InvalidArgument,
			"%s was asked to install dependencies without a program directory", hostName)
	}
	opts, err := h.parseProgramOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return status.Errorf(codes.InvalidArgument, "%s: %v", hostName, err)
	}
	if req.GetUseLanguageVersionTools() {
		if err := refuseVersionTools(programDir); err != nil {
			return err
		}
	}

	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()

	root := programDir
	if workspace, err := npm.FindWorkspaceRoot(programDir); err == nil {
		fmt.Fprintf(stdout, "Detected workspace root at %s\n", workspace)
		root = workspace
	} else if !errors.Is(err, npm.ErrNotInWorkspace) {
		return status.Errorf(codes.FailedPrecondition, "%s could not look for an npm workspace above %s: %v",
			hostName, programDir, err)
	}
	pm, err := resolveNpm(opts.packagemanager, root)
	if err != nil {
		return err
	}

	fmt.Fprint(stdout, "Installing dependencies...\n\n")
	if err := pm.Install(server.Context(), root, false /* production */, stdout, stderr); err != nil {
		return status.Errorf(codes.Unknown, "%s: `npm install` in %s failed: %v (npm's output is above)",
			hostName, root, err)
	}
	if _, err := fsutil.Searchup(root, "node_modules"); err != nil {
		return status.Errorf(codes.Unknown, "%s: `npm install` in %s reported success, but no node_modules "+
			"directory was created", hostName, root)
	}
	fmt.Fprint(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

// refuseVersionTools handles `--use-language-version-tools`. The official host then switches Node.js to the
// version of a .nvmrc or .node-version file with fnm, and silently does nothing when there is no such file or no
// fnm. This host never switches: it does nothing in the same cases and refuses the one where the official host
// would act.
func refuseVersionTools(programDir string) error {
	if _, err := exec.LookPath("fnm"); err != nil {
		return nil
	}
	for _, name := range []string{".nvmrc", ".node-version"} {
		if file, err := fsutil.Searchup(programDir, name); err == nil {
			return status.Errorf(codes.FailedPrecondition,
				"%s cannot switch Node.js to the version %s asks for (the official host does it with fnm); "+
					"run `fnm use` yourself and `pulumi install` without --use-language-version-tools, or %s",
				hostName, file, useOfficialHost)
		}
	}
	return nil
}
