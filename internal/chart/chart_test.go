package chart

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNiceMaxGivesWholeTicks(t *testing.T) {
	for v, want := range map[int]int{0: 4, 1: 4, 3: 4, 4: 4, 5: 8, 9: 20, 37: 40, 41: 80, 950: 2000, 1001: 2000} {
		if got := niceMax(v); got != want {
			t.Errorf("niceMax(%d) = %d, want %d", v, got, want)
		}
	}
}

func TestBarsScaleToTheMaximum(t *testing.T) {
	c := Horizontal([]Row{{Label: "a", Values: []int{4}}, {Label: "b", Values: []int{2}}}, []string{"x"}, nil)
	if len(c.Bars) != 2 || c.Bars[0].W != 100 || c.Bars[1].W != 50 || c.Bars[0].Value != 4 {
		t.Fatalf("bars %+v", c.Bars)
	}
	if c.Ticks[len(c.Ticks)-1].Text != "4" || c.Ticks[len(c.Ticks)-1].Anchor != "end" || c.Ticks[0].Anchor != "start" {
		t.Fatalf("ticks %+v", c.Ticks)
	}
	v := Vertical([]Row{{Label: "2026-01", Values: []int{1, 3}}}, []string{"p", "c"}, 200, nil)
	if v.Bars[1].H != 3*v.Bars[0].H {
		t.Fatalf("vertical bars %+v", v.Bars)
	}
}

func texts(c Chart) []Label {
	out := append([]Label{}, c.Labels...)
	out = append(out, c.Values...)
	return append(out, c.Ticks...)
}

// The labels of the insights page, at their longest: the SVG is drawn at
// one unit per pixel, so its font sizes are the sizes a person reads.
var tagRows = []Row{
	{Label: "Recomendación 2: Vías regulares; contra el tráfico y la trata", Values: []int{3, 1}},
	{Label: "Aanbeveling 3: Asiel, integratie en bestrijding van vreemdelingenhaat", Values: []int{0, 12}},
	{Label: "Panamá", Values: []int{1, 0}},
}

func TestHorizontalLabelsAreWholeReadableAndAboveTheirBars(t *testing.T) {
	c := Horizontal(tagRows, []string{"CRM", "CSM"}, func(n int) string { return "n" + strings.Repeat("0", n%2) })
	for _, l := range texts(c) {
		if l.Size < MinFontSize {
			t.Errorf("%q drawn at %v px", l.Text, l.Size)
		}
		if l.Y <= 0 || l.Y > c.Height {
			t.Errorf("%q at y=%v outside 0..%v", l.Text, l.Y, c.Height)
		}
		if l.X < 0 || l.X > 100 {
			t.Errorf("%q at x=%v%%", l.Text, l.X)
		}
	}
	// Each label is there in full, over lines that fit the narrowest
	// screen, and every line sits above the row's first bar.
	line := 0
	for i, r := range tagRows {
		var got []string
		firstBar := c.Bars[i*2]
		for ; line < len(c.Labels) && c.Labels[line].Y < firstBar.Y; line++ {
			l := c.Labels[line]
			if n := utf8.RuneCountInString(l.Text); n > LabelChars {
				t.Errorf("line %q has %d characters", l.Text, n)
			}
			if l.Title != "" {
				t.Errorf("%q was not cut, yet has a title", l.Text)
			}
			got = append(got, l.Text)
		}
		if strings.Join(got, " ") != r.Label {
			t.Errorf("label of row %d drawn as %q", i, got)
		}
		if i == 0 && len(got) < 2 {
			t.Errorf("a 61-character label on %d line(s)", len(got))
		}
	}
	if line != len(c.Labels) {
		t.Errorf("%d label lines, %d placed above their bars", len(c.Labels), line)
	}
	// Bars do not overlap, and every bar has its value and a full title.
	for i := 1; i < len(c.Bars); i++ {
		if c.Bars[i].Y < c.Bars[i-1].Y+c.Bars[i-1].H {
			t.Errorf("bar %d overlaps the one before", i)
		}
	}
	if len(c.Values) != len(c.Bars) || c.Bars[2].Title != "Aanbeveling 3: Asiel, integratie en bestrijding van vreemdelingenhaat · CRM: n" {
		t.Errorf("values %d for %d bars; title %q", len(c.Values), len(c.Bars), c.Bars[2].Title)
	}
	// The longest bar (12 of an axis to 20) has room after it; a bar that
	// fills the axis shows its value inside, at its end.
	if v := c.Values[3]; v.Class != "value" || v.DX <= 0 || v.X != 60 {
		t.Errorf("value of a 60%% bar: %+v", v)
	}
	full := Horizontal([]Row{{Label: "a", Values: []int{4}}}, []string{"x"}, nil)
	if v := full.Values[0]; v.Class != "value inside" || v.Anchor != "end" || v.DX >= 0 {
		t.Errorf("value of a full bar: %+v", v)
	}
}

func TestVerticalAxisFitsANarrowDrawing(t *testing.T) {
	var rows []Row
	for i := range 24 {
		rows = append(rows, Row{Label: "month", Short: "2026-01", Values: []int{i, 2 * i}})
	}
	c := Vertical(rows, []string{"p", "c"}, 240, nil)
	var major, minor int
	for _, l := range texts(c) {
		if l.Size < MinFontSize {
			t.Errorf("%q drawn at %v px", l.Text, l.Size)
		}
		switch {
		case l.Text == "2026-01" && l.Class == "tick":
			major++
			// 7 characters of 12 px text need about 50 px: from 78% on,
			// a 230 px drawing has less.
			if l.X > 78 {
				t.Errorf("major month label at %v%%", l.X)
			}
		case l.Text == "2026-01" && l.Class == "tick minor":
			minor++
		}
	}
	if major != 4 || minor != 4 {
		t.Errorf("%d major and %d minor month labels, want 4 and 4", major, minor)
	}
	last := c.Bars[len(c.Bars)-1]
	if last.X+last.W > 100 || last.Y < 0 || last.Y+last.H > c.Height {
		t.Errorf("last bar %+v outside the drawing", last)
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		in    string
		lines []string
		cut   bool
	}{
		{"Panamá", []string{"Panamá"}, false},
		{"Objetivo 1: Colaboración entre ambos procesos", []string{"Objetivo 1: Colaboración entre", "ambos procesos"}, false},
		{"Rechtshandhavingssamenwerkingsovereenkomst", []string{"Rechtshandhavingssamenwerkings", "overeenkomst"}, false},
		{strings.Repeat("palabra ", 20), []string{"palabra palabra palabra", "palabra palabra palabra", "palabra palabra palabra…"}, true},
	} {
		lines, cut := Wrap(tc.in, 30, 3)
		if strings.Join(lines, "|") != strings.Join(tc.lines, "|") || cut != tc.cut {
			t.Errorf("Wrap(%q) = %q, %v; want %q, %v", tc.in, lines, cut, tc.lines, tc.cut)
		}
	}
	c := Horizontal([]Row{{Label: strings.Repeat("palabra ", 20), Values: []int{1}}}, nil, nil)
	if len(c.Labels) != LabelLines || c.Labels[0].Title != strings.Repeat("palabra ", 20) {
		t.Errorf("a cut label keeps its whole text in a title: %+v", c.Labels)
	}
}
