// Command image packs a statically linked dispatch binary into a container
// image on an empty base and writes it as an OCI image layout tarball (an
// "oci-archive"), with neither a Docker daemon nor network access:
//
//	CGO_ENABLED=0 GOOS=linux go build -trimpath -o dist/dispatch ./cmd/dispatch
//	go run ./internal/cmd/image --binary dist/dispatch -o dist/dispatch-image.tar
//
// The image holds one file, /usr/local/bin/dispatch (mode 0755, owned by
// 65532:65532), and runs it as that non-root user with the entrypoint
// ["/usr/local/bin/dispatch"] and the default arguments ["help"]. Its
// config carries the OCI labels title, description, source, licenses,
// version and revision. The same binary and flags give the same bytes:
// timestamps are fixed (--created, default the Unix epoch) and the tar
// entries are sorted.
//
// With --check, it verifies an existing tarball instead: the layout, the
// config and that the layer holds exactly the given binary.
//
// To push it to a registry without Docker, unpack the archive to an OCI
// layout directory and use crane (or skopeo copy oci-archive:...):
//
//	mkdir dispatch-oci && tar -xf dist/dispatch-image.tar -C dispatch-oci
//	crane push dispatch-oci registry.example.com/dispatch:v1
package main

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/opendispatch/dispatch/internal/base/atomicfile"
)

// Where the binary goes and who runs it.
const (
	binPath = "usr/local/bin/dispatch"
	uid     = 65532 // the conventional "nonroot" user of distroless images
)

// spec is what goes into the image besides the binary.
type spec struct {
	Arch     string    // GOARCH of the binary
	Version  string    // org.opencontainers.image.version
	Revision string    // org.opencontainers.image.revision
	Created  time.Time // the image's creation time and every file's mtime
	RefName  string    // org.opencontainers.image.ref.name in index.json
}

// labels returns the image config's labels.
func (s spec) labels() map[string]string {
	return map[string]string{
		"org.opencontainers.image.title":       "dispatch",
		"org.opencontainers.image.description": "opendispatch: deterministic field-service capacity engine, Dispatch API and what-if simulator",
		"org.opencontainers.image.source":      "https://github.com/opendispatch/dispatch",
		"org.opencontainers.image.licenses":    "Apache-2.0",
		"org.opencontainers.image.version":     s.Version,
		"org.opencontainers.image.revision":    s.Revision,
	}
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	binary := fs.String("binary", "", "the statically linked dispatch `binary` (required)")
	out := fs.String("o", "dispatch-image.tar", "output `file`: an OCI image layout tarball")
	check := fs.String("check", "", "verify this OCI image layout tarball against --binary instead of writing one")
	s := spec{}
	fs.StringVar(&s.Arch, "arch", runtime.GOARCH, "the binary's `GOARCH`")
	fs.StringVar(&s.Version, "version", "dev", "image `version` label")
	fs.StringVar(&s.Revision, "revision", "", "source `revision` label (a commit hash)")
	fs.StringVar(&s.RefName, "ref", "dispatch:dev", "`name` recorded in index.json (org.opencontainers.image.ref.name)")
	created := fs.Int64("created", 0, "creation time in Unix `seconds` (SOURCE_DATE_EPOCH); the default is the epoch, for reproducible bytes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *binary == "" || fs.NArg() > 0 {
		return errors.New("--binary is required, and nothing else")
	}
	s.Created = time.Unix(*created, 0).UTC()
	bin, err := os.ReadFile(*binary)
	if err != nil {
		return err
	}
	if *check != "" {
		if err := verify(*check, bin, s); err != nil {
			return fmt.Errorf("%s: %w", *check, err)
		}
		fmt.Fprintf(stdout, "image: %s holds %s (%d bytes) as /%s, user %d, entrypoint /%s\n", *check, *binary, len(bin), binPath, uid, binPath)
		return nil
	}
	if err := static(bin); err != nil {
		return fmt.Errorf("%s: %w", *binary, err)
	}
	img, err := build(bin, s)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, 0o644, func(w io.Writer) error { return writeArchive(w, img, s) }); err != nil {
		return err
	}
	d, _ := img.Digest()
	fmt.Fprintf(stdout, "image: wrote %s (%s)\n", *out, d)
	return nil
}

// static returns an error unless bin is an ELF executable without a
// dynamic loader: an empty image has no libc to link against.
func static(bin []byte) error {
	f, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		return fmt.Errorf("not an ELF executable: %w", err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return errors.New("the binary is dynamically linked; build it with CGO_ENABLED=0")
		}
	}
	return nil
}

// build returns the image: an empty base and one layer holding the binary.
func build(bin []byte, s spec) (v1.Image, error) {
	var layerTar bytes.Buffer
	tw := tar.NewWriter(&layerTar)
	for _, dir := range []string{"usr/", "usr/local/", "usr/local/bin/"} {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir, Mode: 0o755, ModTime: s.Created, Format: tar.FormatPAX}); err != nil {
			return nil, err
		}
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: binPath, Mode: 0o755, Uid: uid, Gid: uid, Size: int64(len(bin)), ModTime: s.Created, Format: tar.FormatPAX}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(bin); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := layerTar.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	base := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err := mutate.Append(base, mutate.Addendum{Layer: layer, MediaType: types.OCILayer,
		History: v1.History{Created: v1.Time{Time: s.Created}, CreatedBy: "internal/cmd/image: /" + binPath}})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", s.Arch
	cf.Created = v1.Time{Time: s.Created}
	cf.Config = v1.Config{
		Entrypoint: []string{"/" + binPath},
		Cmd:        []string{"help"},
		User:       fmt.Sprintf("%d:%d", uid, uid),
		Env:        []string{"PATH=/usr/local/bin"},
		WorkingDir: "/",
		Labels:     s.labels(),
	}
	return mutate.ConfigFile(img, cf)
}

// writeArchive writes img as an OCI image layout and tars the layout to w
// with sorted entries and fixed times.
func writeArchive(w io.Writer, img v1.Image, s spec) error {
	dir, err := os.MkdirTemp("", "dispatch-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": s.RefName}),
		layout.WithPlatform(v1.Platform{OS: "linux", Architecture: s.Arch})); err != nil {
		return err
	}
	var files []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			rel += "/"
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(files)
	tw := tar.NewWriter(w)
	for _, name := range files {
		if strings.HasSuffix(name, "/") {
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: 0o755, ModTime: s.Created, Format: tar.FormatPAX}); err != nil {
				return err
			}
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: s.Created, Format: tar.FormatPAX}); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return tw.Close()
}

// verify opens the tarball at path and checks that it is an OCI image
// layout of one linux image whose config runs the binary as the non-root
// user with s's labels, and whose one layer holds exactly bin at /binPath.
func verify(path string, bin []byte, s spec) error {
	dir, err := os.MkdirTemp("", "dispatch-image-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := untar(path, dir); err != nil {
		return err
	}
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	if len(im.Manifests) != 1 {
		return fmt.Errorf("index.json lists %d manifests, want 1", len(im.Manifests))
	}
	img, err := idx.Image(im.Manifests[0].Digest)
	if err != nil {
		return err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if cf.OS != "linux" || cf.Architecture != s.Arch {
		bad("platform %s/%s, want linux/%s", cf.OS, cf.Architecture, s.Arch)
	}
	if !slices.Equal(cf.Config.Entrypoint, []string{"/" + binPath}) {
		bad("entrypoint %q, want [/%s]", cf.Config.Entrypoint, binPath)
	}
	if want := fmt.Sprintf("%d:%d", uid, uid); cf.Config.User != want {
		bad("user %q, want %q (not root)", cf.Config.User, want)
	}
	for k, v := range s.labels() {
		if cf.Config.Labels[k] != v {
			bad("label %s = %q, want %q", k, cf.Config.Labels[k], v)
		}
	}
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	if len(layers) != 1 {
		return fmt.Errorf("%d layers, want 1 (an empty base and the binary)", len(layers))
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	found := false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if h.Name != binPath {
			continue
		}
		found = true
		got, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, bin) {
			bad("/%s differs from the binary (%d bytes, want %d)", binPath, len(got), len(bin))
		}
		if h.Mode&0o111 == 0 || h.Uid != uid {
			bad("/%s has mode %o and owner %d, want executable and %d", binPath, h.Mode, h.Uid, uid)
		}
	}
	if !found {
		bad("the layer has no /%s", binPath)
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// untar extracts the regular files and directories of the tarball at path
// into dir, refusing names that leave it.
func untar(path, dir string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if !filepath.IsLocal(h.Name) {
			return fmt.Errorf("entry %q leaves the archive", h.Name)
		}
		target := filepath.Join(dir, h.Name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			data, err := io.ReadAll(tr)
			if err != nil {
				return err
			}
			if err := os.WriteFile(target, data, 0o644); err != nil {
				return err
			}
		}
	}
}
