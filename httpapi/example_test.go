package httpapi_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
)

// A journal is bound to the tenant file it was written against: started
// with another file, New refuses unless AllowChangedTenant is set.
func ExampleTenantChangedError() {
	dir, _ := os.MkdirTemp("", "journal")
	defer os.RemoveAll(dir)
	srv, err := httpapi.New(httpapi.Config{DataDir: dir}, dispatch.DemoTenant)
	if err != nil {
		panic(err)
	}
	srv.Close()

	edited := append(bytes.Clone(dispatch.DemoTenant), '\n')
	_, err = httpapi.New(httpapi.Config{DataDir: dir}, edited)
	var tc *httpapi.TenantChangedError
	fmt.Println(errors.As(err, &tc), tc.Recorded == httpapi.Fingerprint(dispatch.DemoTenant), tc.Given == httpapi.Fingerprint(edited))

	srv, err = httpapi.New(httpapi.Config{DataDir: dir, AllowChangedTenant: true}, edited)
	fmt.Println(err)
	srv.Close()
	// Output:
	// true true true
	// <nil>
}

func ExampleFingerprint() {
	fmt.Println(httpapi.Fingerprint([]byte("{}")))
	// Output:
	// 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
}
