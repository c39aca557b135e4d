// Package chart lays out simple bar charts for server-rendered SVG: the
// geometry only; templates draw it, so no markup is built from strings.
//
// A chart is drawn at one SVG unit to one CSS pixel (the SVG has no
// viewBox), so its text is never scaled down with a narrow screen.
// Across, positions are percentages of the drawing's width, which is that
// of the page; down, they are pixels. Text therefore keeps its size from
// a 320 px phone to a wide screen, and the bars stretch to fit.
package chart

import (
	"math"
	"strconv"
	"strings"
)

// Font sizes, in pixels. Nothing is drawn smaller than MinFontSize.
const (
	LabelSize   = 14.0
	ValueSize   = 13.0
	TickSize    = 12.0
	MinFontSize = 12.0
)

// LabelChars is how many characters of a category label go on one line.
// The narrowest drawing is 262 px wide (a 320 px screen less the page's
// and the figure's margins); 32 characters of 14 px text take about
// 210 px, leaving room for wide letters and wider system fonts.
const LabelChars = 32

// LabelLines is the most lines a category label takes; longer labels end
// in an ellipsis and keep their whole text in Label.Title.
const LabelLines = 3

// Row is one category with a value per series. Short, when set, labels
// the vertical chart's axis, where Label would not fit; the horizontal
// chart, the tooltips and the tables use Label.
type Row struct {
	Label  string
	Short  string
	Values []int
}

// Bar is one drawn bar: X and W in percent of the width, Y and H in
// pixels. Title names the category, the series and the value in full.
type Bar struct {
	X, W, Y, H float64
	Value      int
	Series     int
	Title      string
}

// Label is one line of text: X in percent of the width, moved DX pixels;
// Y, the baseline, in pixels. Title, when set, is the whole text of a
// label that was cut short.
type Label struct {
	X, DX, Y float64
	Text     string
	Title    string
	Anchor   string // start, middle, end
	Size     float64
	// Class is how the text is drawn: "label", "value", "value inside"
	// (on the bar, in white) or "tick"; "tick minor" is hidden where the
	// screen is narrow.
	Class string
}

// Line is a gridline: X in percent of the width, Y in pixels.
type Line struct {
	X1, X2, Y1, Y2 float64
}

// Chart is a laid-out chart. Its width is 100% of the space it is given;
// Height is in pixels.
type Chart struct {
	Height     float64
	Bars       []Bar
	Labels     []Label // category labels
	Values     []Label // the value printed beside each bar
	Ticks      []Label // the value axis, and the vertical chart's category axis
	Gridlines  []Line
	Horizontal bool
	Series     []string
	Rows       []Row
}

// Format writes a number as the reader's language does.
type Format func(int) string

func (f Format) or() Format {
	if f == nil {
		return strconv.Itoa
	}
	return f
}

// ticks is the number of intervals on the value axis.
const ticks = 4

// niceMax is the top of the value axis: four steps of 1, 2 or 5 times a
// power of ten, at least v, so every tick is a whole number.
func niceMax(v int) int {
	need := math.Max(float64(v)/ticks, 1)
	p := math.Pow(10, math.Floor(math.Log10(need)))
	for _, m := range []float64{1, 2, 5, 10} {
		if need <= m*p {
			return int(m*p) * ticks
		}
	}
	return v
}

func maxOf(rows []Row) int {
	m := 0
	for _, r := range rows {
		for _, v := range r.Values {
			m = max(m, v)
		}
	}
	return m
}

// round keeps two decimals, enough for a pixel on any screen, so the
// markup stays short.
func round(x float64) float64 { return math.Round(x*100) / 100 }

func barTitle(r Row, series []string, s int, num Format) string {
	t := r.Label
	if s < len(series) && series[s] != "" {
		t += " · " + series[s]
	}
	return t + ": " + num(r.Values[s])
}

// insideFrom is the share of the width beyond which a bar's value is
// printed inside the bar, at its end, rather than after it: after it,
// there must be room for a few digits even on the narrowest screen.
const insideFrom = 0.7

// Horizontal lays out one group of bars per row, rows top to bottom, each
// under its label, so the label has the whole width and the bars too.
// The value of each bar is printed at its end.
func Horizontal(rows []Row, series []string, num Format) Chart {
	const lineH, barH, barGap, groupGap, top, axis = 18.0, 16.0, 3.0, 14.0, 2.0, 22.0
	num = num.or()
	c := Chart{Horizontal: true, Series: series, Rows: rows}
	m := niceMax(maxOf(rows))
	y := top
	for _, r := range rows {
		lines, cut := Wrap(r.Label, LabelChars, LabelLines)
		for _, l := range lines {
			y += lineH
			lb := Label{X: 0, Y: y - 4, Text: l, Anchor: "start", Size: LabelSize, Class: "label"}
			if cut {
				lb.Title = r.Label
			}
			c.Labels = append(c.Labels, lb)
		}
		y += 3
		for s, v := range r.Values {
			frac := float64(v) / float64(m)
			w := round(100 * frac)
			c.Bars = append(c.Bars, Bar{X: 0, W: w, Y: y, H: barH, Value: v, Series: s, Title: barTitle(r, series, s, num)})
			val := Label{X: w, DX: 4, Y: y + barH - 3.5, Text: num(v), Anchor: "start", Size: ValueSize, Class: "value"}
			if frac > insideFrom {
				val.DX, val.Anchor, val.Class = -4, "end", "value inside"
			}
			c.Values = append(c.Values, val)
			y += barH + barGap
		}
		y += groupGap - barGap
	}
	bottom := y
	c.Height = bottom + axis
	for i := 0; i <= ticks; i++ {
		x := round(100 * float64(i) / ticks)
		anchor := "middle"
		switch i {
		case 0:
			anchor = "start"
		case ticks:
			anchor = "end"
		}
		c.Gridlines = append(c.Gridlines, Line{X1: x, X2: x, Y1: top, Y2: bottom})
		c.Ticks = append(c.Ticks, Label{X: x, Y: c.Height - 6, Text: num(m * i / ticks), Anchor: anchor, Size: TickSize, Class: "tick"})
	}
	return c
}

// Vertical lays out one group of bars per row, rows left to right, with
// the short labels of every sixth row underneath, and of every third on
// screens wide enough ("minor" ticks). The value axis is drawn left of
// the drawing (x < 0): the page gives it a margin there.
func Vertical(rows []Row, series []string, height float64, num Format) Chart {
	const bottom, top = 26.0, 8.0
	num = num.or()
	c := Chart{Height: height, Series: series, Rows: rows}
	plotH := height - bottom - top
	groupW := 100 / float64(max(len(rows), 1))
	barW := groupW * 0.8 / float64(max(len(series), 1))
	m := niceMax(maxOf(rows))
	for i, r := range rows {
		x := groupW * float64(i)
		// A label starts at its group; one that starts too far right
		// would run off a narrow drawing, so it is a minor one there.
		if i%3 == 0 && x <= 90 {
			class := "tick minor"
			if i%6 == 0 && x <= 78 {
				class = "tick"
			}
			text := r.Short
			if text == "" {
				text = r.Label
			}
			c.Ticks = append(c.Ticks, Label{X: round(x), Y: height - 8, Text: text, Anchor: "start", Size: TickSize, Class: class})
		}
		for s, v := range r.Values {
			h := round(plotH * float64(v) / float64(m))
			c.Bars = append(c.Bars, Bar{X: round(x + barW*float64(s)), W: round(barW * 0.92), Y: round(top + plotH - h), H: h,
				Value: v, Series: s, Title: barTitle(r, series, s, num)})
		}
	}
	for i := 0; i <= ticks; i++ {
		y := round(top + plotH - plotH*float64(i)/ticks)
		c.Gridlines = append(c.Gridlines, Line{X1: 0, X2: 100, Y1: y, Y2: y})
		c.Ticks = append(c.Ticks, Label{X: 0, DX: -6, Y: y + 4, Text: num(m * i / ticks), Anchor: "end", Size: TickSize, Class: "tick"})
	}
	return c
}

// Wrap breaks s into lines of at most width characters at spaces (a word
// longer than a line is split), at most lines of them. cut reports that
// the text did not fit: the last line then ends in an ellipsis.
func Wrap(s string, width, lines int) (out []string, cut bool) {
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, word := range strings.Fields(s) {
		w := []rune(word)
		for len(w) > 0 {
			room := width - len(cur)
			if len(cur) > 0 {
				room-- // the space
			}
			switch {
			case len(w) <= room:
				if len(cur) > 0 {
					cur = append(cur, ' ')
				}
				cur = append(cur, w...)
				w = nil
			case len(cur) > 0:
				flush()
			default: // a word longer than a whole line
				cur = append(cur, w[:width]...)
				w = w[width:]
				flush()
			}
		}
	}
	flush()
	if len(out) <= lines {
		return out, false
	}
	out = out[:lines]
	last := []rune(out[lines-1])
	if len(last) >= width {
		last = last[:width-1]
	}
	out[lines-1] = strings.TrimRight(string(last), " ") + "…"
	return out, true
}
