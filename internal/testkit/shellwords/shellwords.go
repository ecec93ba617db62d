package shellwords

import "fmt"

// Split returns the words of line: runs of characters separated by
// spaces, where a part quoted with single or double quotes is taken
// whole, spaces included, and its quotes dropped. An unbalanced quote is
// an error.
func Split(line string) ([]string, error) {
	var words []string
	var cur []rune
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur = append(cur, r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ':
			if inWord {
				words = append(words, string(cur))
				cur, inWord = cur[:0], false
			}
		default:
			cur, inWord = append(cur, r), true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("shellwords: unbalanced %c in %q", quote, line)
	}
	if inWord {
		words = append(words, string(cur))
	}
	return words, nil
}
