// Command gen-sdk generates pulumi-immuta's SDKs for Python, Go and Node.js from the Pulumi package schema
// (schema.json at the repository root), with Pulumi's own code generators at the version the CLI is pinned to.
//
// Why not `pulumi package gen-sdk`: it asks each language's plugin (pulumi-language-python, -go, -nodejs) to
// generate, and those plugins cannot be fetched where this project builds; the generators themselves are Go
// packages of github.com/pulumi/pulumi/pkg/v3, which this module already requires.
//
//	go run ./gen-sdk -root ../..          # rewrite sdk/generated/{python,go,nodejs} (npm run gen runs this)
//	go run ./gen-sdk -root ../.. -check   # exit 1, listing the files that differ, when the committed SDKs are stale
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	root := flag.String("root", "../..", "the repository root (holding schema.json and package.json)")
	check := flag.Bool("check", false, "compare with the committed SDKs instead of writing them")
	flag.Parse()

	generated, err := generate(*root)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gen-sdk: %v\n", err)
		os.Exit(1)
	}
	if *check {
		stale, err := staleFiles(*root, generated)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gen-sdk: %v\n", err)
			os.Exit(1)
		}
		if len(stale) > 0 {
			fmt.Fprintf(os.Stderr, "gen-sdk: the committed SDKs are stale (run `npm run gen`):\n")
			for _, file := range stale {
				fmt.Fprintf(os.Stderr, "  %s\n", file)
			}
			os.Exit(1)
		}
		return
	}
	if err := write(*root, generated); err != nil {
		fmt.Fprintf(os.Stderr, "gen-sdk: %v\n", err)
		os.Exit(1)
	}
}
