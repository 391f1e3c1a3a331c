package main

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// rpcSupport says what this host does with one LanguageRuntime RPC.
type rpcSupport struct {
	implemented bool
	// purpose says, for a refused RPC, what the engine uses it for; it is part of the refusal the user reads.
	purpose string
}

// rpcInventory classifies every RPC (method or stream) of pulumirpc.LanguageRuntime, keyed by its name in
// pulumirpc.LanguageRuntime_ServiceDesc. It is the single source of truth: the server's interceptors refuse
// every RPC that is not marked implemented here (including RPCs a newer engine knows and this table does not),
// and inventory_test.go fails when the pinned service description holds an RPC this table does not classify.
var rpcInventory = map[string]rpcSupport{
	"Handshake":              {implemented: true},
	"GetRequiredPlugins":     {implemented: true},
	"GetRequiredPackages":    {implemented: true},
	"Run":                    {implemented: true},
	"GetPluginInfo":          {implemented: true},
	"InstallDependencies":    {implemented: true},
	"RuntimeOptionsPrompts":  {implemented: true},
	"Template":               {implemented: true},
	"About":                  {implemented: true},
	"GetProgramDependencies": {implemented: true},
	"Cancel":                 {implemented: true},

	"RunPlugin": {purpose: "runs Node.js policy packs and plugins (PulumiPolicy.yaml, or PulumiPlugin.yaml with " +
		"runtime: nodejs)"},
	"GenerateProgram": {purpose: "generates a Node.js program, for `pulumi convert` and the code " +
		"`pulumi import` prints (`pulumi import --generate-code=false` does without it)"},
	"GenerateProject": {purpose: "creates a Node.js project, for `pulumi convert`"},
	"GeneratePackage": {purpose: "generates a Node.js SDK, for `pulumi package gen-sdk` and `pulumi package add`"},
	"Pack":            {purpose: "packs a generated Node.js SDK into a tarball, for `pulumi package add`"},
	"Link":            {purpose: "links a local SDK into a Node.js program, for `pulumi package add`"},
}

// refusal is the error a refused RPC returns. Its code is Unimplemented, as gRPC defines for an operation a server
// does not support; none of the RPCs for which the engine treats Unimplemented as "nothing to do"
// (InstallDependencies, RuntimeOptionsPrompts, Template, Handshake, Cancel, GetRequiredPlugins; GetRequiredPackages
// falls back to GetRequiredPlugins) is refused, so a
// refusal can never pass for a success (inventory_test.go checks this).
func refusal(method string) error {
	purpose := "an RPC this host does not know (the engine is newer than the host)"
	if support, known := rpcInventory[method]; known {
		purpose = "which " + support.purpose
	}
	return status.Errorf(codes.Unimplemented, "%s does not implement LanguageRuntime/%s, %s; %s",
		hostName, method, purpose, useOfficialHost)
}

// languageRuntimeMethod returns the RPC name of a full gRPC method name of the LanguageRuntime service, or ok=false
// for other services (the health service the engine probes).
func languageRuntimeMethod(fullMethod string) (name string, ok bool) {
	prefix := "/" + pulumirpc.LanguageRuntime_ServiceDesc.ServiceName + "/"
	if !strings.HasPrefix(fullMethod, prefix) {
		return "", false
	}
	return strings.TrimPrefix(fullMethod, prefix), true
}

func refused(fullMethod string) (string, bool) {
	name, ok := languageRuntimeMethod(fullMethod)
	if !ok {
		return "", false
	}
	return name, !rpcInventory[name].implemented
}

// inventoryInterceptors enforce rpcInventory in front of the host's handlers.
func inventoryInterceptors() []grpc.ServerOption {
	unary := func(
		ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler,
	) (any, error) {
		if name, isRefused := refused(info.FullMethod); isRefused {
			return nil, refusal(name)
		}
		return handler(ctx, req)
	}
	stream := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if name, isRefused := refused(info.FullMethod); isRefused {
			return refusal(name)
		}
		return handler(srv, ss)
	}
	// RPCs missing from the pinned service description (an engine newer than this host) never reach an
	// interceptor: gRPC hands them to this handler instead of answering a bare "unknown method".
	unknown := func(_ any, ss grpc.ServerStream) error {
		fullMethod, _ := grpc.MethodFromServerStream(ss)
		if name, ok := languageRuntimeMethod(fullMethod); ok {
			return refusal(name)
		}
		return status.Errorf(codes.Unimplemented, "%s serves no method %s", hostName, fullMethod)
	}
	return []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(unary), grpc.ChainStreamInterceptor(stream), grpc.UnknownServiceHandler(unknown),
	}
}
