package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// About feeds `pulumi about`: node's path and version, the package manager as the official host reports it, and
// which language host answered (`languageHost`), so that a report always says whether it came from this host.
func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("%s could not find node on the $PATH: %w", hostName, err)
	}
	metadata := map[string]string{
		"languageHost":        hostKind,
		"languageHostVersion": pluginVersion(),
		"languageHostNote":    hostName + ": no policy packs, no code generation, npm only",
	}
	opts, err := h.parseProgramOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", hostName, err)
	}
	// Reported, not refused: `pulumi about` describes a project, whichever package manager it uses.
	if pm, err := npm.ResolvePackageManager(opts.packagemanager, req.GetInfo().GetProgramDirectory()); err == nil {
		metadata["packagemanager"] = pm.Name()
		if v, err := pm.Version(); err == nil {
			metadata["packagemanagerVersion"] = v.String()
		}
	}
	resp := &pulumirpc.AboutResponse{Executable: node, Metadata: metadata}
	if out, err := exec.CommandContext(ctx, node, "--version").Output(); err == nil {
		resp.Version = strings.TrimSpace(string(out))
	}
	return resp, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: pluginVersion()}, nil
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

// RuntimeOptionsPrompts asks nothing: the official host offers a choice of package manager for `pulumi new`, and
// npm is the only one this host installs with (auto resolves to it).
func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Template has nothing to do for Node.js templates, as for the official host.
func (h *host) Template(context.Context, *pulumirpc.TemplateRequest) (*pulumirpc.TemplateResponse, error) {
	return &pulumirpc.TemplateResponse{}, nil
}
