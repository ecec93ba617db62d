package wcag

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// AA is the contrast ratio WCAG 2 success criterion 1.4.3 (level AA)
// asks of normal-size text: every text on the pages is under 18 pt.
const AA = 4.5

// Contrast returns the WCAG 2 contrast ratio of two colours written
// "#rgb" or "#rrggbb" (1 to 21, symmetric). It returns an error naming a
// colour it cannot read.
func Contrast(fg, bg string) (float64, error) {
	a, err := luminance(fg)
	if err != nil {
		return 0, err
	}
	b, err := luminance(bg)
	if err != nil {
		return 0, err
	}
	hi, lo := max(a, b), min(a, b)
	return (hi + 0.05) / (lo + 0.05), nil
}

// luminance is the relative luminance of a "#rgb" or "#rrggbb" colour.
func luminance(c string) (float64, error) {
	h, ok := strings.CutPrefix(c, "#")
	if ok && len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if !ok || len(h) != 6 {
		return 0, fmt.Errorf("wcag: colour %q: want #rgb or #rrggbb", c)
	}
	var ch [3]float64
	for i := range ch {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			return 0, fmt.Errorf("wcag: colour %q: %v", c, err)
		}
		s := float64(v) / 255
		// WCAG 2.2's threshold (2.0 printed sRGB's draft 0.03928; no
		// 8-bit channel, 10/255 = 0.0392 or 11/255 = 0.0431, lies
		// between the two, so the ratios are the same).
		if s <= 0.04045 {
			ch[i] = s / 12.92
		} else {
			ch[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2], nil
}

// Rules reads a style sheet into each selector's declarations, selector
// → property → value, later rules overriding earlier ones as in a browser
// for equal specificity. A rule "a, b { … }" declares for a and for b;
// at-rules such as "@media print { … }" are left out, screen being what
// the contrast is checked for.
// It returns an error naming a rule it cannot read.
func Rules(css string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	rest := css
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			if strings.TrimSpace(rest) != "" {
				return nil, fmt.Errorf("wcag: text after the last rule: %q", strings.TrimSpace(rest))
			}
			return out, nil
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("wcag: rule %q has no closing brace", strings.TrimSpace(rest[:open]))
		}
		sels, body := rest[:open], rest[open+1:open+end]
		if strings.HasPrefix(strings.TrimSpace(sels), "@") {
			// An at-rule ("@media print { … }", "@page { … }"): its
			// block, nested braces and all, is left out.
			depth, i := 0, open
			for ; i < len(rest); i++ {
				if rest[i] == '{' {
					depth++
				} else if rest[i] == '}' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			if depth != 0 {
				return nil, fmt.Errorf("wcag: at-rule %q has no closing brace", strings.TrimSpace(sels))
			}
			rest = rest[i+1:]
			continue
		}
		rest = rest[open+end+1:]
		for _, sel := range strings.Split(sels, ",") {
			sel = strings.Join(strings.Fields(sel), " ")
			if out[sel] == nil {
				out[sel] = map[string]string{}
			}
			for _, decl := range strings.Split(body, ";") {
				if strings.TrimSpace(decl) == "" {
					continue
				}
				p, v, ok := strings.Cut(decl, ":")
				if !ok {
					return nil, fmt.Errorf("wcag: rule %q: declaration %q has no colon", sel, strings.TrimSpace(decl))
				}
				out[sel][strings.TrimSpace(p)] = strings.TrimSpace(v)
			}
		}
	}
}
