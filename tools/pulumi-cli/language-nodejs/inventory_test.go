package main

import (
	"context"
	"sort"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// serviceRPCs is every method and stream of the LanguageRuntime service in the pinned sdk/v3.
func serviceRPCs() []string {
	var names []string
	for _, m := range pulumirpc.LanguageRuntime_ServiceDesc.Methods {
		names = append(names, m.MethodName)
	}
	for _, s := range pulumirpc.LanguageRuntime_ServiceDesc.Streams {
		names = append(names, s.StreamName)
	}
	sort.Strings(names)
	return names
}

// A version bump of sdk/v3 that adds an RPC fails here until rpcInventory says what the host does with it.
func TestEveryLanguageRuntimeRPCIsClassified(t *testing.T) {
	inService := map[string]bool{}
	var unclassified []string
	for _, name := range serviceRPCs() {
		inService[name] = true
		if _, ok := rpcInventory[name]; !ok {
			unclassified = append(unclassified, name)
		}
	}
	if len(unclassified) > 0 {
		t.Errorf("pulumirpc.LanguageRuntime_ServiceDesc (the pinned sdk/v3) has RPCs that rpcInventory in "+
			"inventory.go does not classify: %s. Add each one, implemented (after implementing it) or refused "+
			"(with what the engine uses it for).", strings.Join(unclassified, ", "))
	}
	for name, support := range rpcInventory {
		if !inService[name] {
			t.Errorf("rpcInventory classifies %s, which the LanguageRuntime service does not have", name)
		}
		if !support.implemented && support.purpose == "" {
			t.Errorf("rpcInventory refuses %s without saying what the engine uses it for", name)
		}
	}
}

// For these RPCs the engine (sdk/go/common/resource/plugin/langruntime_plugin.go) takes an Unimplemented answer
// as "nothing to do" and carries on: refusing one of them would pass for a success.
var engineIgnoresUnimplemented = []string{
	"InstallDependencies", "RuntimeOptionsPrompts", "Template", "Handshake", "Cancel", "GetRequiredPlugins",
	"GetRequiredPackages",
}

func TestRPCsWhoseRefusalTheEngineWouldIgnoreAreImplemented(t *testing.T) {
	for _, name := range engineIgnoresUnimplemented {
		if !rpcInventory[name].implemented {
			t.Errorf("%s is refused, but the engine ignores an Unimplemented %s: implement it", name, name)
		}
	}
}

// Every refused RPC, and an RPC the host has never heard of, answers over gRPC with an error that names this host
// and says to use the official one.
func TestRefusedRPCsNameTheHostAndTheWayOut(t *testing.T) {
	h := startHost(t, nil)
	ctx := rpcContext(t)
	prefix := "/" + pulumirpc.LanguageRuntime_ServiceDesc.ServiceName + "/"
	streams := map[string]bool{}
	for _, s := range pulumirpc.LanguageRuntime_ServiceDesc.Streams {
		streams[s.StreamName] = true
	}
	names := []string{"SomeRPCOfANewerEngine"}
	for _, name := range serviceRPCs() {
		if !rpcInventory[name].implemented {
			names = append(names, name)
		}
	}
	if len(names) < 2 {
		t.Fatal("no refused RPC to check")
	}
	for _, name := range names {
		var err error
		if streams[name] || name == "SomeRPCOfANewerEngine" {
			var stream grpc.ClientStream
			stream, err = h.conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, prefix+name)
			if err == nil {
				if err = stream.SendMsg(&emptypb.Empty{}); err == nil {
					_ = stream.CloseSend()
					err = stream.RecvMsg(&emptypb.Empty{})
				}
			}
		} else {
			err = h.conn.Invoke(ctx, prefix+name, &emptypb.Empty{}, &emptypb.Empty{})
		}
		st := status.Convert(err)
		if st.Code() != codes.Unimplemented {
			t.Errorf("%s: code %s (%v), want Unimplemented", name, st.Code(), err)
			continue
		}
		for _, want := range []string{hostName, "LanguageRuntime/" + name, "official pulumi-language-nodejs"} {
			if !strings.Contains(st.Message(), want) {
				t.Errorf("%s: refusal %q does not say %q", name, st.Message(), want)
			}
		}
		if support := rpcInventory[name]; support.purpose != "" && !strings.Contains(st.Message(), support.purpose) {
			t.Errorf("%s: refusal %q does not say what the RPC is for", name, st.Message())
		}
	}
}

// Every RPC marked implemented really is: calling the host's own handler (as the gRPC server would, with an
// empty request) never ends in the embedded UnimplementedLanguageRuntimeServer's default answer.
func TestImplementedRPCsAreNotTheEmbeddedDefault(t *testing.T) {
	h := newHost(hostFlags{})
	ctx := context.Background()
	noRequest := func(any) error { return nil }
	for _, m := range pulumirpc.LanguageRuntime_ServiceDesc.Methods {
		if !rpcInventory[m.MethodName].implemented {
			continue
		}
		_, err := m.Handler(h, ctx, noRequest, nil)
		checkNotDefault(t, m.MethodName, err)
	}
	for _, s := range pulumirpc.LanguageRuntime_ServiceDesc.Streams {
		if !rpcInventory[s.StreamName].implemented {
			continue
		}
		checkNotDefault(t, s.StreamName, s.Handler(h, &emptyServerStream{ctx: ctx}))
	}
}

func checkNotDefault(t *testing.T, name string, err error) {
	t.Helper()
	if st := status.Convert(err); st.Code() == codes.Unimplemented && !strings.Contains(st.Message(), hostName) {
		t.Errorf("%s is classified implemented but answered the embedded default: %v", name, err)
	}
}

// emptyServerStream feeds a stream handler one empty request and discards what it sends.
type emptyServerStream struct {
	ctx context.Context
}

func (s *emptyServerStream) SetHeader(metadata.MD) error  { return nil }
func (s *emptyServerStream) SendHeader(metadata.MD) error { return nil }
func (s *emptyServerStream) SetTrailer(metadata.MD)       {}
func (s *emptyServerStream) Context() context.Context     { return s.ctx }
func (s *emptyServerStream) SendMsg(any) error            { return nil }
func (s *emptyServerStream) RecvMsg(any) error            { return nil }
