package chart

import "testing"

func TestNiceMaxGivesWholeTicks(t *testing.T) {
	for v, want := range map[int]int{0: 4, 1: 4, 3: 4, 4: 4, 5: 8, 9: 20, 37: 40, 41: 80, 950: 2000, 1001: 2000} {
		if got := niceMax(v); got != want {
			t.Errorf("niceMax(%d) = %d, want %d", v, got, want)
		}
	}
}

func TestBarsScaleToTheMaximum(t *testing.T) {
	c := Horizontal([]Row{{Label: "a", Values: []int{4}}, {Label: "b", Values: []int{2}}}, []string{"x"}, 700)
	if len(c.Bars) != 2 || c.Bars[0].W != 2*c.Bars[1].W || c.Bars[0].Value != 4 {
		t.Fatalf("bars %+v", c.Bars)
	}
	if c.Ticks[len(c.Ticks)-1].Text != "4" {
		t.Fatalf("last tick %q", c.Ticks[len(c.Ticks)-1].Text)
	}
	v := Vertical([]Row{{Label: "2026-01", Values: []int{1, 3}}}, []string{"p", "c"}, 500, 200)
	if v.Bars[1].H != 3*v.Bars[0].H {
		t.Fatalf("vertical bars %+v", v.Bars)
	}
}
