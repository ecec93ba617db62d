package strtab

import "testing"

func TestTable(t *testing.T) {
	var tab Table
	if got := tab.At(tab.Add("")); got != "" || tab.Len() != 1 {
		t.Fatalf("empty string: At = %q, Len = %d", got, tab.Len())
	}
	words := []string{"80202", "Install", "80202", "", "Install", "Repair"}
	pos := make([]int32, len(words))
	for i, w := range words {
		pos[i] = tab.Add(w)
	}
	for i, w := range words {
		if got := tab.At(pos[i]); got != w {
			t.Errorf("At(Add(%q)) = %q", w, got)
		}
	}
	if pos[0] != pos[2] || pos[1] != pos[4] || pos[3] != 0 {
		t.Errorf("positions %v: equal strings must share one", pos)
	}
	if tab.Len() != 4 {
		t.Errorf("Len = %d, want 4 (\"\", 80202, Install, Repair)", tab.Len())
	}
	if tab.Bytes() <= 0 {
		t.Errorf("Bytes = %d for a non-empty table", tab.Bytes())
	}
}

// Add answers from its recent positions and its maps alike: words, short
// and long, in runs and alternating, each get one position, and At gives
// the word back.
func TestRecent(t *testing.T) {
	var tab Table
	// Short strings are kept by their packed bytes: "a" and "a\x00" differ.
	words := []string{"Day", "Night", "Swing", "", "Day shift", "a", "a\x00", "1234567", "12345678"}
	pos := map[string]int32{}
	seq := []int{0, 0, 1, 0, 1, 2, 2, 3, 0, 3, 4, 1, 4, 4, 0, 2, 1, 0, 5, 6, 5, 7, 8, 6, 8, 7}
	for _, k := range seq {
		w := string([]byte(words[k])) // not sharing the table's copy
		p := tab.Add(w)
		if q, seen := pos[w]; seen && q != p {
			t.Fatalf("Add(%q) = %d, earlier %d", w, p, q)
		}
		pos[w] = p
		if tab.At(p) != w {
			t.Fatalf("At(Add(%q)) = %q", w, tab.At(p))
		}
	}
	if tab.Len() != len(words) {
		t.Errorf("Len = %d, want %d", tab.Len(), len(words))
	}
}
