// Command inline-program-go is one step of an Automation API inline program in Go that declares Immuta S3 data
// sources with the generated SDK (sdk/generated/go/immuta). tests/e2e/native-go.test.ts builds it and runs one process per
// step:
//
//	inline-program-go up|preview|refresh|destroy
//
// Environment: E2E_WORK_DIR (backend and PULUMI_HOME live there), E2E_PULUMI_ROOT (holds bin/pulumi),
// E2E_IMMUTA_URL, E2E_IMMUTA_API_KEY (set as secret config), E2E_SOURCES (JSON: resource name -> arguments).
// Prints one JSON line last: the operations per resource, the summary's changes and the stack outputs. It lives in
// this module so that `go vet ./...` proves the generated Go SDK compiles.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pulumi-immuta/pulumi-immuta/sdk/generated/go/immuta"
)

const project = "immuta-go-e2e"

type declaration struct {
	IntegrationID  int    `json:"integrationId"`
	Prefix         string `json:"prefix"`
	DataSourceName string `json:"dataSourceName"`
	Tenant         string `json:"tenant,omitempty"`
}

type operation struct {
	Name string   `json:"name"`
	Op   string   `json:"op"`
	Keys []string `json:"keys"`
}

func program(sources map[string]declaration) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		for name, args := range sources {
			declared := &immuta.S3DataSourceArgs{
				IntegrationId:  pulumi.Int(args.IntegrationID),
				Prefix:         pulumi.String(args.Prefix),
				DataSourceName: pulumi.String(args.DataSourceName),
			}
			if args.Tenant != "" {
				declared.Tenant = pulumi.StringPtr(args.Tenant)
			}
			source, err := immuta.NewS3DataSource(ctx, name, declared)
			if err != nil {
				return err
			}
			ctx.Export(name, pulumi.Map{"dataSourceId": source.DataSourceId, "immutaName": source.ImmutaName})
		}
		return nil
	}
}

// collect records the operations the engine reports for this package's resources.
func collect(stream <-chan events.EngineEvent, into *[]operation, done chan<- struct{}) {
	for event := range stream {
		if pre := event.ResourcePreEvent; pre != nil && pre.Metadata.Type == "immuta:index:S3DataSource" {
			parts := strings.Split(pre.Metadata.URN, "::")
			keys := pre.Metadata.Keys
			if keys == nil {
				keys = []string{}
			}
			*into = append(*into, operation{Name: parts[len(parts)-1], Op: string(pre.Metadata.Op), Keys: keys})
		}
	}
	close(done)
}

func run(step string) (any, error) {
	ctx := context.Background()
	work := os.Getenv("E2E_WORK_DIR")
	var sources map[string]declaration
	if err := json.Unmarshal([]byte(os.Getenv("E2E_SOURCES")), &sources); err != nil {
		return nil, fmt.Errorf("E2E_SOURCES: %w", err)
	}
	backend := filepath.Join(work, "backend")
	home := filepath.Join(work, "pulumi-home")
	projectDir := filepath.Join(work, "project")
	for _, dir := range []string{backend, home, projectDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	command, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: os.Getenv("E2E_PULUMI_ROOT")})
	if err != nil {
		return nil, err
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "e2e", project, program(sources),
		auto.Pulumi(command),
		auto.WorkDir(projectDir),
		auto.PulumiHome(home),
		auto.Project(workspace.Project{Name: tokens.PackageName(project), Runtime: workspace.NewProjectRuntimeInfo("go", nil)}),
		auto.EnvVars(map[string]string{
			"PULUMI_BACKEND_URL":                          "file://" + backend,
			"PULUMI_CONFIG_PASSPHRASE":                    "e2e-test-passphrase",
			"PULUMI_SKIP_UPDATE_CHECK":                    "true",
			"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
			"IMMUTA_URL":                                  "",
			"IMMUTA_API_KEY":                              "",
		}),
	)
	if err != nil {
		return nil, err
	}
	if err := stack.SetConfig(ctx, "immuta:url", auto.ConfigValue{Value: os.Getenv("E2E_IMMUTA_URL")}); err != nil {
		return nil, err
	}
	key := auto.ConfigValue{Value: os.Getenv("E2E_IMMUTA_API_KEY"), Secret: true}
	if err := stack.SetConfig(ctx, "immuta:apiKey", key); err != nil {
		return nil, err
	}

	var operations []operation
	stream := make(chan events.EngineEvent)
	done := make(chan struct{})
	go collect(stream, &operations, done)
	result := map[string]any{}
	switch step {
	case "up":
		res, err := stack.Up(ctx, optup.EventStreams(stream))
		if err != nil {
			return nil, err
		}
		outputs := map[string]any{}
		for name, output := range res.Outputs {
			outputs[name] = output.Value
		}
		result["changes"], result["outputs"] = res.Summary.ResourceChanges, outputs
	case "preview":
		res, err := stack.Preview(ctx, optpreview.EventStreams(stream))
		if err != nil {
			return nil, err
		}
		result["changes"] = res.ChangeSummary
	case "refresh":
		res, err := stack.Refresh(ctx, optrefresh.EventStreams(stream))
		if err != nil {
			return nil, err
		}
		result["changes"] = res.Summary.ResourceChanges
	case "destroy":
		res, err := stack.Destroy(ctx, optdestroy.EventStreams(stream))
		if err != nil {
			return nil, err
		}
		result["changes"] = res.Summary.ResourceChanges
	default:
		return nil, fmt.Errorf("unknown step %q", step)
	}
	<-done
	result["operations"] = operations
	return result, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: inline-program-go up|preview|refresh|destroy")
		os.Exit(2)
	}
	result, err := run(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "inline-program-go %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	line, err := json.Marshal(result)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(string(line))
}
