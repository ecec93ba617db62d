package httpapi

import (
	"context"
	"crypto/subtle"
)

func subtleEq(a, b string) int { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) }

func contextWith(ctx context.Context, c *Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}
