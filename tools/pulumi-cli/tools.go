//go:build tools

// Package tools pins the Pulumi CLI and the Node.js language host so that
// scripts/provision-pulumi.sh can build them offline from the Go module proxy.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
