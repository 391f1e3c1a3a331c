package main

import (
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
)

// programOptions are the `runtime.options` of Pulumi.yaml, with the host's command-line flags as defaults.
type programOptions struct {
	typescript     bool
	tsconfig       string
	nodeargs       string
	packagemanager npm.PackageManagerType
}

// parseProgramOptions reads the runtime options (ProgramInfo.Options) with the same names, types and defaults as
// the official host: `typescript` defaults to true (run.js then registers ts-node, so index.ts runs without a
// build step) and `packagemanager` to auto.
func (h *host) parseProgramOptions(opts map[string]any) (programOptions, error) {
	o := programOptions{
		typescript: true, tsconfig: h.flags.tsconfig, nodeargs: h.flags.nodeargs,
		packagemanager: npm.AutoPackageManager,
	}
	if h.flags.typescript != nil {
		o.typescript = *h.flags.typescript
	}
	if h.flags.packagemanager != "" {
		pm, err := parsePackageManager(h.flags.packagemanager, "the -packagemanager flag")
		if err != nil {
			return o, err
		}
		o.packagemanager = pm
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
	if v, ok := opts["packagemanager"]; ok {
		s, isString := v.(string)
		if !isString {
			return o, errors.New("packagemanager option must be a string")
		}
		pm, err := parsePackageManager(s, "the packagemanager runtime option")
		if err != nil {
			return o, err
		}
		o.packagemanager = pm
	}
	return o, nil
}

// parsePackageManager accepts the names the official host accepts; source says where the value came from.
func parsePackageManager(name, source string) (npm.PackageManagerType, error) {
	switch pm := npm.PackageManagerType(name); pm {
	case npm.AutoPackageManager, npm.NpmPackageManager, npm.YarnPackageManager, npm.PnpmPackageManager,
		npm.BunPackageManager:
		return pm, nil
	default:
		return "", fmt.Errorf("%s must be one of auto, npm, yarn, pnpm or bun, got %q", source, name)
	}
}

// resolveNpm returns npm for a project whose package manager is npm, or auto resolving to npm; anything else is
// refused with an error that names this host.
//
// DECISION: `auto` is resolved exactly as the official host resolves it (a yarn.lock, pnpm-lock.yaml or bun.lock
// beside the program, PULUMI_PREFER_YARN, a package.yaml manifest), and refused when that picks another package
// manager: installing such a project with npm would "succeed" while ignoring its lock file. Only the RPCs that
// act on dependencies (InstallDependencies, GetProgramDependencies) call this: Run starts node the same way
// whoever installed node_modules, so a yarn-managed program still runs.
func resolveNpm(pm npm.PackageManagerType, dir string) (npm.PackageManager, error) {
	if pm != npm.AutoPackageManager && pm != npm.NpmPackageManager {
		return nil, status.Errorf(codes.FailedPrecondition,
			"%s installs and lists dependencies with npm only, but this project's packagemanager is %q; "+
				"set `packagemanager: npm` in Pulumi.yaml's runtime options, or %s", hostName, pm, useOfficialHost)
	}
	resolved, err := npm.ResolvePackageManager(pm, dir)
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "%s could not find npm for %s: %v", hostName, dir, err)
	}
	if resolved.Name() != string(npm.NpmPackageManager) {
		return nil, status.Errorf(codes.FailedPrecondition,
			"%s installs and lists dependencies with npm only, but `packagemanager: auto` resolves to %s for %s "+
				"(a %s lock file, or PULUMI_PREFER_YARN); set `packagemanager: npm` in Pulumi.yaml's runtime "+
				"options to use npm anyway, or %s", hostName, resolved.Name(), dir, resolved.Name(), useOfficialHost)
	}
	return resolved, nil
}
