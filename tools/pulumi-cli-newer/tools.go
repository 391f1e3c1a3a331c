//go:build tools

// Package tools pins a second Pulumi CLI release (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at the version in
// go.mod), newer than the one tools/pulumi-cli pins, so that `scripts/provision-pulumi.sh --release <version>` can
// build it and the end-to-end tests can run a real `pulumi up` on a CLI whose release differs from the SDK's
// (tests/e2e/other-release.test.ts). It is paired with this project's Node.js language host: the official host's
// module cannot be fetched from the Go module proxy.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
