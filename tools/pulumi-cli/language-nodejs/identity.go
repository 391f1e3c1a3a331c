package main

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
)

const (
	// hostName is how this host names itself in every refusal and error, so that a user never mistakes it for
	// Pulumi's official pulumi-language-nodejs.
	hostName = "pulumi-immuta's minimal Node.js language host"

	// hostKind identifies this host in machine-readable places: the `languageHost` entry of `pulumi about`'s
	// metadata and the first word printed by `-identify`.
	hostKind = "pulumi-immuta-minimal"

	// identifyFlag makes the host print "<hostKind> <version>" and exit 0. The official host has no such flag and
	// exits non-zero with "flag provided but not defined", which is how scripts/provision-pulumi.sh tells them
	// apart without running either as a plugin.
	identifyFlag = "identify"

	// useOfficialHost is what to do when this host cannot serve a request.
	useOfficialHost = "use Pulumi's official pulumi-language-nodejs instead: it ships with every Pulumi CLI " +
		"release, next to `pulumi` (pulumi-immuta: see docs/official-cli.md)"

	// defaultVersion is reported when the binary was built without the version ldflag
	// (-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=vX.Y.Z), which scripts/provision-pulumi.sh sets.
	defaultVersion = "3.248.0"
)

// pluginVersion is the Pulumi version this host was built for, without a leading "v".
func pluginVersion() string {
	if v := strings.TrimPrefix(version.Version, "v"); v != "" {
		return v
	}
	return defaultVersion
}

func identity() string {
	return fmt.Sprintf("%s %s", hostKind, pluginVersion())
}
