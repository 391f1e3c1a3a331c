package main

import (
	"fmt"
	"strings"
)

// hostFlags holds what the engine (or a user) may pass on the command line.
type hostFlags struct {
	engineAddress  string // first positional argument
	tracing        string
	root           string
	typescript     *bool  // nil: not given (then runtime options / default true decide)
	tsconfig       string // default for the `tsconfig` runtime option
	nodeargs       string // default for the `nodeargs` runtime option
	packagemanager string // default for the `packagemanager` runtime option; "" means auto
	runtime        string // -runtime, as the official host accepts it; "" means nodejs
	showVersion    bool
	identify       bool
}

// valueFlags take a value, either as `-name=value` or as `-name value`. Every other flag is treated as a
// boolean switch.
//
// DECISION: unknown flags are tolerated rather than fatal. The engine adds logging flags of its own
// (`--logtostderr`, `-v=9`, `--logflow` ...) whose set changes between releases and which this host has no use
// for; aborting on them would stop every verbose run. Flags that change what the host does (-runtime,
// -packagemanager) are validated by validate().
var valueFlags = map[string]bool{
	"tracing": true, "root": true, "binary": true, "tsconfig": true, "nodeargs": true,
	"packagemanager": true, "runtime": true,
}

func parseFlags(args []string) hostFlags {
	var f hostFlags
	var positional []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			positional = append(positional, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !hasValue && valueFlags[name] && i+1 < len(args) {
			i++
			value, hasValue = args[i], true
		}
		switch name {
		case "tracing":
			f.tracing = value
		case "root":
			f.root = value
		case "tsconfig":
			f.tsconfig = value
		case "nodeargs":
			f.nodeargs = value
		case "packagemanager":
			f.packagemanager = value
		case "runtime":
			f.runtime = value
		case "typescript":
			ts := !hasValue || value == "true" || value == "1"
			f.typescript = &ts
		case "version":
			f.showVersion = true
		case identifyFlag:
			f.identify = true
		}
	}
	if len(positional) > 0 {
		f.engineAddress = positional[0]
	}
	return f
}

// validate refuses, before the host serves anything, the flags it would otherwise have to ignore.
func (f hostFlags) validate() error {
	switch f.runtime {
	case "", "nodejs":
	default:
		return fmt.Errorf("%s runs programs with Node.js only (-runtime=nodejs), but was started with -runtime=%s; "+
			"to run programs with %s, %s", hostName, f.runtime, f.runtime, useOfficialHost)
	}
	if f.packagemanager != "" {
		if _, err := parsePackageManager(f.packagemanager, "the -packagemanager flag"); err != nil {
			return err
		}
	}
	return nil
}
