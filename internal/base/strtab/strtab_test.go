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
