// Package wcag measures what the HTML pages' tests check of legibility:
// the WCAG 2 contrast ratio of a text colour on its background, and the
// colours a simple style sheet gives each selector.
//
// Only tests import it. The style sheet reader knows the project's own
// CSS, not CSS at large: rules "selector, selector { property: value; … }"
// without comments; at-rules (@media, @page) are skipped whole.
package wcag
