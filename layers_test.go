package dispatch_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// layer is each package's floor in the layering of docs/design.md §2: a
// package may import, outside its tests, only packages on lower floors.
// The table is the picture of the architecture; a new package must take
// a place in it.
var layer = map[string]int{
	"validate": 0, "interval": 0,
	"internal/base": 0, "internal/base/atomicfile": 0, "internal/base/footprint": 0,
	"internal/base/proptest": 0, "internal/base/strtab": 1,
	"paging": 1, "hours": 1, "zones": 1, "gps": 1,
	"shifts":   2,
	"capacity": 3,
	"tenant":   4, "board": 4,
	"synth": 5, "api": 5, "sim": 5,
	"internal/testkit": 6, "internal/testkit/benchdata": 6, "internal/testkit/bitmap": 6,
	"internal/testkit/capref": 6, "internal/testkit/edge": 6, "internal/testkit/lean": 6, "internal/testkit/shellwords": 6, "internal/testkit/straight": 6, "internal/testkit/tenantgen": 6, "internal/testkit/wcag": 6,
	// The black-box oracle sits with the test kit but imports nothing of
	// the module (its own test checks that it uses the standard library only).
	"internal/testkit/oracle": 6,
	"httpapi":                 6,
	// benchstat's comparison, under the harness that prints it: it
	// imports nothing of the module.
	"bench/compare": 6,
	"bench":         7,
	"cmd/dispatch":  8,
	// The container image builder: a command beside cmd/dispatch.
	"internal/cmd/image": 8,
	"":                   0, // the root package: the embedded demo tenant, no imports
}

const module = "github.com/opendispatch/dispatch"

// TestLayers reads every package's imports and fails on one that points
// up or sideways, so that the layering in the design stays true.
func TestLayers(t *testing.T) {
	imports := map[string]map[string]bool{} // package dir → module packages it imports
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != "." && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(p))
		if dir == "." {
			dir = ""
		}
		if imports[dir] == nil {
			imports[dir] = map[string]bool{}
		}
		for _, spec := range f.Imports {
			ip, _ := strconv.Unquote(spec.Path.Value)
			if ip == module || strings.HasPrefix(ip, module+"/") {
				imports[dir][strings.TrimPrefix(strings.TrimPrefix(ip, module), "/")] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg, deps := range imports {
		lp, ok := layer[pkg]
		if !ok {
			t.Errorf("package %q has no floor in the layer table of layers_test.go: give it one", path.Join(module, pkg))
			continue
		}
		for dep := range deps {
			ld, ok := layer[dep]
			if !ok {
				continue // reported as a package of its own
			}
			if ld >= lp {
				t.Errorf("%s (floor %d) imports %s (floor %d): imports must point down", pkg, lp, dep, ld)
			}
		}
	}
	if len(imports) < 20 {
		t.Fatalf("found only %d packages: is the test running at the module root?", len(imports))
	}
}
