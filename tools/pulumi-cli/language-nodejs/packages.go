package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// GetRequiredPackages reports the resource plugins that the program's node_modules declares, as the official host
// does: every package.json below a node_modules directory (found by walking the program directory, following
// symbolic links, skipping policy packs) whose `pulumi` section says `"resource": true`. The engine then loads,
// or installs, those plugins before running the program.
//
// DECISION: where the official host logs and skips a package that declares a plugin it cannot name (a
// third-party package without `pulumi.name`, no version), this host fails the RPC naming the package.json: the
// engine must never silently miss a plugin. A package.json that cannot be read or parsed is reported on stderr
// (the user sees it) and skipped, since it may be any package's test fixture.
func (h *host) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	found, err := pluginPackages(req.GetInfo().GetProgramDirectory(), engineStderr)
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	for _, p := range found {
		resp.Packages = append(resp.Packages, &pulumirpc.PackageDependency{
			Name: p.name, Kind: "resource", Version: p.version, Server: p.server, Parameterization: p.parameterization,
		})
	}
	return resp, nil
}

// GetRequiredPlugins is the deprecated form of GetRequiredPackages, which the engine calls only when
// GetRequiredPackages is unimplemented. The official host no longer implements it; answering it from the same
// walk costs nothing and cannot mislead an older engine.
func (h *host) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	found, err := pluginPackages(req.GetInfo().GetProgramDirectory(), engineStderr)
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.GetRequiredPluginsResponse{}
	for _, p := range found {
		resp.Plugins = append(resp.Plugins, &pulumirpc.PluginDependency{
			Name: p.name, Kind: "resource", Version: p.version, Server: p.server,
		})
	}
	return resp, nil
}

// GetProgramDependencies lists the program's npm dependencies (`pulumi about`), from package-lock.json as the
// official host reads it.
func (h *host) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		return nil, status.Errorf(codes.InvalidArgument,
			"%s was asked for a program's dependencies without a program directory", hostName)
	}
	opts, err := h.parseProgramOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "%s: %v", hostName, err)
	}
	pm, err := resolveNpm(opts.packagemanager, programDir)
	if err != nil {
		return nil, err
	}
	deps, err := pm.ListPackages(ctx, programDir, req.GetTransitiveDependencies())
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "%s could not list the dependencies of %s: %v",
			hostName, programDir, err)
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, d := range deps {
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: d.Name, Version: d.Version})
	}
	return resp, nil
}

// pluginPackage is a resource plugin declared by a package in node_modules.
type pluginPackage struct {
	name, version, server string
	parameterization      *pulumirpc.PackageParameterization
}

// packageJSON is the part of a package.json that declares a plugin.
type packageJSON struct {
	Name    string                  `json:"name"`
	Version string                  `json:"version"`
	Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
}

// pluginPackages walks programDir for the plugins its node_modules declare, sorted by name and version.
func pluginPackages(programDir string, warnings io.Writer) ([]pluginPackage, error) {
	if programDir == "" {
		return nil, status.Errorf(codes.InvalidArgument,
			"%s was asked for a program's plugins without a program directory", hostName)
	}
	w := pluginWalk{visited: map[string]bool{}, warnings: warnings}
	if err := w.visit(programDir, false); err != nil {
		return nil, err
	}
	sort.Slice(w.found, func(i, j int) bool {
		if w.found[i].name != w.found[j].name {
			return w.found[i].name < w.found[j].name
		}
		return w.found[i].version < w.found[j].version
	})
	return w.found, nil
}

type pluginWalk struct {
	visited  map[string]bool // real paths, so symbolic link cycles end
	warnings io.Writer
	found    []pluginPackage
}

func (w *pluginWalk) visit(dir string, inNodeModules bool) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil // a dangling link holds no package to read
	}
	if real, err = filepath.Abs(real); err != nil || w.visited[real] {
		return nil
	}
	w.visited[real] = true

	entries, err := os.ReadDir(dir)
	if err != nil {
		if inNodeModules {
			fmt.Fprintf(w.warnings, "warning: %s could not read %s while looking for Pulumi plugins: %v\n",
				hostName, dir, err)
		}
		return nil
	}
	for _, entry := range entries {
		path := filepath.Join(dir, entry.Name())
		isDir := entry.IsDir()
		if entry.Type()&os.ModeSymlink != 0 {
			info, err := os.Stat(path)
			if err != nil {
				continue
			}
			isDir = info.IsDir()
		}
		switch {
		case isDir:
			// A policy pack's plugins are not the program's.
			if pack, err := workspace.DetectPolicyPackPathAt(path); err != nil || pack != "" {
				continue
			}
			if err := w.visit(path, inNodeModules || filepath.Base(dir) == "node_modules"); err != nil {
				return err
			}
		case inNodeModules && entry.Name() == "package.json":
			if err := w.readPackage(path); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *pluginWalk) readPackage(path string) error {
	data, err := os.ReadFile(path)
	if err == nil {
		var pkg packageJSON
		if err = json.Unmarshal(data, &pkg); err == nil {
			return w.addPlugin(path, pkg)
		}
	}
	fmt.Fprintf(w.warnings, "warning: %s skipped %s while looking for Pulumi plugins: %v\n", hostName, path, err)
	return nil
}

func (w *pluginWalk) addPlugin(path string, pkg packageJSON) error {
	if !pkg.Pulumi.Resource {
		return nil
	}
	name, err := pluginName(pkg)
	if err == nil {
		var version string
		if version, err = pluginVersionOf(pkg); err == nil {
			p := pluginPackage{name: name, version: version, server: pkg.Pulumi.Server}
			if param := pkg.Pulumi.Parameterization; param != nil {
				p.parameterization = &pulumirpc.PackageParameterization{
					Name: param.Name, Version: param.Version, Value: param.Value,
				}
			}
			w.found = append(w.found, p)
			return nil
		}
	}
	return status.Errorf(codes.FailedPrecondition,
		"%s: %s declares a Pulumi resource plugin (\"pulumi\": {\"resource\": true}) but %v; fix or remove "+
			"that package so that the engine knows which plugin the program needs", hostName, path, err)
}

// pluginName is `pulumi.name`, or the package name without its @pulumi/ scope; other scopes must say the name.
func pluginName(pkg packageJSON) (string, error) {
	switch {
	case pkg.Pulumi.Name != "":
		return pkg.Pulumi.Name, nil
	case pkg.Name == "":
		return "", errors.New("it has no \"name\"")
	case strings.HasPrefix(pkg.Name, "@pulumi/"):
		return strings.TrimPrefix(pkg.Name, "@pulumi/"), nil
	default:
		return "", fmt.Errorf("the third-party package %q does not name its plugin in \"pulumi\": {\"name\": ...}",
			pkg.Name)
	}
}

// pluginVersionOf is `pulumi.version`, or the package version, with a leading "v" as the engine expects.
func pluginVersionOf(pkg packageJSON) (string, error) {
	v := pkg.Pulumi.Version
	if v == "" {
		v = pkg.Version
	}
	if v == "" {
		return "", errors.New("it has no \"version\"")
	}
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return v, nil
}
