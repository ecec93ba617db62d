package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// fakeBinary stands in for the dispatch binary: the image code does not
// look inside it (main checks that a real one is static).
var fakeBinary = []byte("\x7fELF not really, but bytes to find again\x00\x01\x02")

func writeImage(t *testing.T, bin []byte, s spec) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "image.tar")
	binPath := filepath.Join(t.TempDir(), "dispatch")
	os.WriteFile(binPath, bin, 0o755)
	img, err := build(bin, s)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeArchive(f, img, s); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return out
}

var testSpec = spec{Arch: "amd64", Version: "1.2.3", Revision: "abc123", Created: time.Unix(0, 0).UTC(), RefName: "dispatch:1.2.3"}

// TestImage opens the tarball the way a registry client would and checks
// everything a deployment relies on.
func TestImage(t *testing.T) {
	path := writeImage(t, fakeBinary, testSpec)
	dir := t.TempDir()
	if err := untar(path, dir); err != nil {
		t.Fatal(err)
	}
	// An OCI image layout: oci-layout, index.json, blobs.
	ociLayout, err := os.ReadFile(filepath.Join(dir, "oci-layout"))
	if err != nil || !strings.Contains(string(ociLayout), `"imageLayoutVersion"`) {
		t.Fatalf("oci-layout: %s, %v", ociLayout, err)
	}
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 1 {
		t.Fatalf("%d manifests, want 1", len(im.Manifests))
	}
	desc := im.Manifests[0]
	if desc.MediaType != types.OCIManifestSchema1 || desc.Annotations["org.opencontainers.image.ref.name"] != "dispatch:1.2.3" ||
		desc.Platform == nil || desc.Platform.OS != "linux" || desc.Platform.Architecture != "amd64" {
		t.Errorf("index entry %+v: want an OCI manifest for linux/amd64 named dispatch:1.2.3", desc)
	}
	img, err := idx.Image(desc.Digest)
	if err != nil {
		t.Fatal(err)
	}
	if mt, _ := img.MediaType(); mt != types.OCIManifestSchema1 {
		t.Errorf("manifest media type %s", mt)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if !slices.Equal(c.Entrypoint, []string{"/usr/local/bin/dispatch"}) || !slices.Equal(c.Cmd, []string{"help"}) {
		t.Errorf("entrypoint %q cmd %q", c.Entrypoint, c.Cmd)
	}
	if c.User != "65532:65532" {
		t.Errorf("user %q, want 65532:65532 (not root)", c.User)
	}
	for k, v := range map[string]string{
		"org.opencontainers.image.title": "dispatch", "org.opencontainers.image.source": "https://github.com/opendispatch/dispatch",
		"org.opencontainers.image.licenses": "Apache-2.0", "org.opencontainers.image.version": "1.2.3", "org.opencontainers.image.revision": "abc123",
	} {
		if c.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], v)
		}
	}
	if cf.OS != "linux" || cf.Architecture != "amd64" || !cf.Created.Time.Equal(time.Unix(0, 0)) {
		t.Errorf("config: %s/%s created %v", cf.OS, cf.Architecture, cf.Created)
	}
	raw, _ := img.RawConfigFile()
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil || generic["rootfs"] == nil {
		t.Errorf("config JSON: %s", raw)
	}
	// One layer: the directories and the binary, executable, owned by the
	// non-root user.
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("%d layers, %v; want 1", len(layers), err)
	}
	if mt, _ := layers[0].MediaType(); mt != types.OCILayer {
		t.Errorf("layer media type %s, want %s", mt, types.OCILayer)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		if h.Name == "usr/local/bin/dispatch" {
			got, _ := io.ReadAll(tr)
			if !bytes.Equal(got, fakeBinary) || h.Mode != 0o755 || h.Uid != 65532 || h.Gid != 65532 || !h.ModTime.Equal(time.Unix(0, 0)) {
				t.Errorf("binary entry: %d bytes, mode %o, owner %d:%d, mtime %v", len(got), h.Mode, h.Uid, h.Gid, h.ModTime)
			}
		}
	}
	if want := []string{"usr/", "usr/local/", "usr/local/bin/", "usr/local/bin/dispatch"}; !slices.Equal(names, want) {
		t.Errorf("layer entries %q, want %q", names, want)
	}
	// The checker agrees.
	if err := verify(path, fakeBinary, testSpec); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// TestImageReproducible: the same binary and spec give the same bytes.
func TestImageReproducible(t *testing.T) {
	a, _ := os.ReadFile(writeImage(t, fakeBinary, testSpec))
	b, _ := os.ReadFile(writeImage(t, fakeBinary, testSpec))
	if !bytes.Equal(a, b) {
		t.Error("two builds differ")
	}
	other := testSpec
	other.Version = "1.2.4"
	if c, _ := os.ReadFile(writeImage(t, fakeBinary, other)); bytes.Equal(a, c) {
		t.Error("another version gave the same bytes")
	}
}

// TestVerifyRejects: the checker notices another binary, version or a
// tarball that is not an image.
func TestVerifyRejects(t *testing.T) {
	path := writeImage(t, fakeBinary, testSpec)
	if err := verify(path, []byte("another binary"), testSpec); err == nil || !strings.Contains(err.Error(), "/usr/local/bin/dispatch differs from the binary") {
		t.Errorf("another binary: %v", err)
	}
	other := testSpec
	other.Version = "9"
	if err := verify(path, fakeBinary, other); err == nil || !strings.Contains(err.Error(), `label org.opencontainers.image.version = "1.2.3", want "9"`) {
		t.Errorf("another version: %v", err)
	}
	junk := filepath.Join(t.TempDir(), "junk.tar")
	os.WriteFile(junk, []byte("not a tar"), 0o644)
	if err := verify(junk, fakeBinary, testSpec); err == nil {
		t.Error("verify accepted a file that is not a tarball")
	}
}

func TestStatic(t *testing.T) {
	if err := static([]byte("#!/bin/sh\n")); err == nil || !strings.Contains(err.Error(), "not an ELF executable") {
		t.Errorf("a script: %v", err)
	}
	if err := run([]string{"-o", "x.tar"}, io.Discard); err == nil || !strings.Contains(err.Error(), "--binary is required") {
		t.Errorf("no --binary: %v", err)
	}
}
