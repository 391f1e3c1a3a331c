//go:build tools

// Package tools pins the Pulumi CLI (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) so that
// scripts/provision-pulumi.sh can build it from the Go module proxy at the version in go.mod.
// The Node.js language host is not pinned here: the upstream module is not obtainable, so our own
// minimal host lives in ./language-nodejs (built from the sdk/v3 gRPC definitions). ./gen-sdk generates the
// native plugin's SDKs with pkg/v3's code generators.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
