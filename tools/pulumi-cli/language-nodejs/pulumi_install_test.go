package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pulumiCLI is the Pulumi CLI in PULUMI_CLI_DIR, the directory scripts/provision-pulumi.sh chose: tests/go sets it
// from the CLI an engine tier of the same jest run provisioned (npm test does). Without it the test is skipped,
// saying why: the CLI is provisioned into a per-user cache this module does not know the layout of.
func pulumiCLI(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PULUMI_CLI_DIR")
	if dir == "" {
		t.Skip("PULUMI_CLI_DIR is not set: run this through `npm test`, or set it to the directory of a Pulumi CLI " +
			"(`bash scripts/provision-pulumi.sh` prints one as its last line)")
	}
	cli := filepath.Join(dir, "pulumi")
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("PULUMI_CLI_DIR=%s holds no pulumi: %v", dir, err)
	}
	return cli
}

// `pulumi install` with this host, end to end through the real CLI: it installs the program's dependencies, or
// fails with this host's message; it never reports success for an install it did not do.
func TestPulumiInstallWithThisHost(t *testing.T) {
	cli := pulumiCLI(t)
	bin := t.TempDir()
	if err := os.Symlink(cli, filepath.Join(bin, "pulumi")); err != nil {
		t.Fatal(err)
	}
	// The host under test, found first on PATH (the engine then warns that it is not the one next to pulumi).
	if err := os.Symlink(hostBinary, filepath.Join(bin, "pulumi-language-nodejs")); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"PULUMI_HOME="+t.TempDir(),
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
	)
	env = append(env, npmEnv(t)...)
	pulumiInstall := func(dir string) (string, error) {
		cmd := exec.Command(filepath.Join(bin, "pulumi"), "install", "--non-interactive")
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	t.Run("npm", func(t *testing.T) {
		dir := t.TempDir()
		writeFiles(t, dir, tinyProgram)
		out, err := pulumiInstall(dir)
		if err != nil {
			t.Fatalf("pulumi install: %v\n%s", err, out)
		}
		if !strings.Contains(out, "Installing dependencies...") || !strings.Contains(out, "Finished installing") {
			t.Errorf("pulumi install printed %q", out)
		}
		if _, err := os.Stat(filepath.Join(dir, "node_modules/local-greeting/package.json")); err != nil {
			t.Errorf("pulumi install succeeded without installing the dependency: %v\n%s", err, out)
		}
	})

	t.Run("yarn", func(t *testing.T) {
		dir := t.TempDir()
		writeFiles(t, dir, tinyProgram)
		writeFiles(t, dir, map[string]string{
			"Pulumi.yaml": "name: tiny\nruntime:\n  name: nodejs\n  options:\n    packagemanager: yarn\n",
		})
		out, err := pulumiInstall(dir)
		if err == nil {
			t.Fatalf("pulumi install succeeded for a yarn project:\n%s", out)
		}
		if !strings.Contains(out, hostName) || !strings.Contains(out, "npm only") {
			t.Errorf("pulumi install failed without this host's message:\n%s", out)
		}
		if _, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil {
			t.Error("something was installed anyway")
		}
	})
}
