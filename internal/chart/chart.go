// Package chart lays out simple bar charts for server-rendered SVG: the
// geometry only; templates draw it, so no markup is built from strings.
package chart

import (
	"math"
	"strconv"
)

// Row is one category with a value per series. Short, when set, labels
// the chart where Label would not fit; tables use Label.
type Row struct {
	Label  string
	Short  string
	Values []int
}

func (r Row) chartLabel() string {
	if r.Short != "" {
		return r.Short
	}
	return r.Label
}

// Bar is one drawn bar.
type Bar struct {
	X, Y, W, H float64
	Value      int
	Series     int
}

// Label is a text placed on the chart.
type Label struct {
	X, Y   float64
	Text   string
	Anchor string // start, middle, end
}

// Chart is a laid-out chart.
type Chart struct {
	Width, Height float64
	Bars          []Bar
	Labels        []Label
	Ticks         []Label
	Gridlines     []float64 // x (horizontal charts) or y (vertical) of each tick
	Horizontal    bool
	Series        []string
	Rows          []Row
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

// Horizontal lays out one group of bars per row, rows top to bottom, with
// the labels at the left.
func Horizontal(rows []Row, series []string, width float64) Chart {
	const labelW, barH, gap, top, bottom = 300.0, 14.0, 10.0, 10.0, 28.0
	c := Chart{Width: width, Horizontal: true, Series: series, Rows: rows}
	groupH := barH*float64(len(series)) + gap
	c.Height = top + groupH*float64(len(rows)) + bottom
	plotW := width - labelW - 40
	m := niceMax(maxOf(rows))
	for i, r := range rows {
		y := top + groupH*float64(i)
		c.Labels = append(c.Labels, Label{X: labelW - 8, Y: y + barH*float64(len(series))/2 + 4, Text: r.chartLabel(), Anchor: "end"})
		for s, v := range r.Values {
			w := plotW * float64(v) / float64(m)
			c.Bars = append(c.Bars, Bar{X: labelW, Y: y + barH*float64(s), W: w, H: barH - 2, Value: v, Series: s})
		}
	}
	for i := 0; i <= ticks; i++ {
		x := labelW + plotW*float64(i)/ticks
		c.Gridlines = append(c.Gridlines, x)
		c.Ticks = append(c.Ticks, Label{X: x, Y: c.Height - 8, Text: strconv.Itoa(m * i / ticks), Anchor: "middle"})
	}
	return c
}

// Vertical lays out one group of bars per row, rows left to right, with
// the labels underneath.
func Vertical(rows []Row, series []string, width, height float64) Chart {
	const left, bottom, top = 40.0, 36.0, 10.0
	c := Chart{Width: width, Height: height, Series: series, Rows: rows}
	plotH := height - bottom - top
	groupW := (width - left - 10) / float64(max(len(rows), 1))
	barW := (groupW - 4) / float64(max(len(series), 1))
	m := niceMax(maxOf(rows))
	for i, r := range rows {
		x := left + groupW*float64(i)
		if i%3 == 0 {
			c.Labels = append(c.Labels, Label{X: x + groupW/2, Y: height - bottom + 16, Text: r.chartLabel(), Anchor: "middle"})
		}
		for s, v := range r.Values {
			h := plotH * float64(v) / float64(m)
			c.Bars = append(c.Bars, Bar{X: x + barW*float64(s), Y: top + plotH - h, W: barW - 1, H: h, Value: v, Series: s})
		}
	}
	for i := 0; i <= ticks; i++ {
		y := top + plotH - plotH*float64(i)/ticks
		c.Gridlines = append(c.Gridlines, y)
		c.Ticks = append(c.Ticks, Label{X: left - 6, Y: y + 4, Text: strconv.Itoa(m * i / ticks), Anchor: "end"})
	}
	return c
}
