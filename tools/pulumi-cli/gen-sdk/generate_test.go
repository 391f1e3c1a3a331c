package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const repositoryRoot = "../../.."

// TestCommittedSDKsAreCurrent fails when sdk/generated (python, go, nodejs) differs from what schema.json and
// package.json's version generate: run `npm run gen` and commit the result.
func TestCommittedSDKsAreCurrent(t *testing.T) {
	files, err := generate(repositoryRoot)
	if err != nil {
		t.Fatal(err)
	}
	stale, err := staleFiles(repositoryRoot, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Fatalf("the committed SDKs are stale; run `npm run gen` and commit:\n  %s", strings.Join(stale, "\n  "))
	}
}

// TestStaleFilesNamesEveryKindOfDifference guards the check above against passing vacuously.
func TestStaleFilesNamesEveryKindOfDifference(t *testing.T) {
	root := t.TempDir()
	write := func(name, content string) {
		path := filepath.Join(root, outputDir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("python/same.py", "same")
	write("python/changed.py", "old")
	write("go/immuta/old.go", "old")
	write("nodejs/node_modules/x/index.js", "installed, not generated")
	generated := generated{
		"python/same.py":    []byte("same"),
		"python/changed.py": []byte("new"),
		"nodejs/index.ts":   []byte("new"),
	}
	stale, err := staleFiles(root, generated)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"go/immuta/old.go (no longer generated)", "nodejs/index.ts (missing)", "python/changed.py (differs)"}
	if strings.Join(stale, "|") != strings.Join(want, "|") {
		t.Fatalf("staleFiles = %q, want %q", stale, want)
	}
}

// TestSchemaVersionComesFromPackageJSON: the SDKs' version is the npm package's, so plugin and SDKs release together.
func TestSchemaVersionComesFromPackageJSON(t *testing.T) {
	pkg, err := loadPackage(repositoryRoot)
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(repositoryRoot, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if pkg.Version == nil || !strings.Contains(string(manifest), `"version": "`+pkg.Version.String()+`"`) {
		t.Fatalf("schema version %v is not package.json's", pkg.Version)
	}
}
