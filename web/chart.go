package web

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// A horizontal stacked bar chart drawn on the server as SVG: no script, and
// colours and sizes as SVG presentation attributes, which the
// Content-Security-Policy (style-src 'self') allows where inline styles are
// refused. Each chart carries its text alternative (title and desc) and sits
// beside the table of the same numbers.

// BarChart is one chart: a bar per row, a segment per series.
type BarChart struct {
	ID     string // unique on the page; the ids of its title and desc derive from it
	Title  string
	Desc   string
	Series []ChartSeries
	Bars   []ChartBar
}

// ChartSeries is one kind of segment, with its legend label and colour.
type ChartSeries struct {
	Label string
	Color string // with at least 3:1 contrast on white (WCAG 1.4.11)
}

// ChartBar is one bar: its label and a value per series.
type ChartBar struct {
	Label  string
	Lang   string // the label's language, when it is content
	Values []int
}

// Chart geometry, in viewBox units.
const (
	chartWidth     = 640
	chartLabelEnd  = 190 // labels end here, right-aligned
	chartBarStart  = 200
	chartBarMax    = 380 // the longest bar's length; its total follows it
	chartRow       = 30
	chartBarHeight = 20
	chartLegendRow = 24
	chartLegendCol = 125
	chartLabelMax  = 26 // runes of a label before it is cut
)

// ChartSegment is one drawn rectangle.
type ChartSegment struct {
	X, Y, W, H string
	Color      string
	Title      string // shown on hover
}

// ChartLegendItem is one legend entry's position.
type ChartLegendItem struct {
	X, Y, TextX, TextY string
	ChartSeries
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// Height is the chart's viewBox height: the bars, then the legend.
func (c BarChart) Height() int {
	return len(c.Bars)*chartRow + 8 + c.legendRows()*chartLegendRow
}

// ViewBox is the chart's viewBox attribute.
func (c BarChart) ViewBox() string {
	return "0 0 " + strconv.Itoa(chartWidth) + " " + strconv.Itoa(c.Height())
}

func (c BarChart) legendRows() int {
	perRow := chartWidth / chartLegendCol
	return (len(c.Series) + perRow - 1) / perRow
}

func (c BarChart) max() int {
	m := 0
	for _, b := range c.Bars {
		m = max(m, b.total())
	}
	return m
}

func (b ChartBar) total() int {
	t := 0
	for _, v := range b.Values {
		t += v
	}
	return t
}

// Segments are bar i's rectangles, scaled so that the longest bar of the
// chart is chartBarMax long; empty segments are left out.
func (c BarChart) Segments(i int) []ChartSegment {
	m := c.max()
	if m == 0 {
		return nil
	}
	b := c.Bars[i]
	x := float64(chartBarStart)
	y := float64(i*chartRow + (chartRow-chartBarHeight)/2)
	var out []ChartSegment
	for j, v := range b.Values {
		if v == 0 || j >= len(c.Series) {
			continue
		}
		w := float64(v) * chartBarMax / float64(m)
		out = append(out, ChartSegment{X: num(x), Y: num(y), W: num(w), H: strconv.Itoa(chartBarHeight),
			Color: c.Series[j].Color, Title: c.Series[j].Label + ": " + strconv.Itoa(v)})
		x += w
	}
	return out
}

// LabelY is the baseline of bar i's label and total.
func (c BarChart) LabelY(i int) string { return strconv.Itoa(i*chartRow + chartRow/2 + 5) }

// LabelX is where labels end.
func (c BarChart) LabelX() string { return strconv.Itoa(chartLabelEnd) }

// TotalX is where bar i's total is written, just after the bar.
func (c BarChart) TotalX(i int) string {
	m := c.max()
	w := 0.0
	if m > 0 {
		w = float64(c.Bars[i].total()) * chartBarMax / float64(m)
	}
	return num(chartBarStart + w + 6)
}

// Total is bar i's total as text.
func (c BarChart) Total(i int) string { return strconv.Itoa(c.Bars[i].total()) }

// Label is bar i's label, cut to fit the label column.
func (c BarChart) Label(i int) string {
	l := c.Bars[i].Label
	if utf8.RuneCountInString(l) <= chartLabelMax {
		return l
	}
	r := []rune(l)
	return strings.TrimSpace(string(r[:chartLabelMax-1])) + "…"
}

// Legend positions the legend entries below the bars, in rows.
func (c BarChart) Legend() []ChartLegendItem {
	perRow := chartWidth / chartLegendCol
	top := len(c.Bars)*chartRow + 8
	var out []ChartLegendItem
	for i, s := range c.Series {
		x := 10 + (i%perRow)*chartLegendCol
		y := top + (i/perRow)*chartLegendRow
		out = append(out, ChartLegendItem{X: strconv.Itoa(x), Y: strconv.Itoa(y + 4), TextX: strconv.Itoa(x + 18),
			TextY: strconv.Itoa(y + 14), ChartSeries: s})
	}
	return out
}

// TitleID and DescID are the ids of the chart's text alternative.
func (c BarChart) TitleID() string { return c.ID + "-title" }

// DescID is the id of the chart's description.
func (c BarChart) DescID() string { return c.ID + "-desc" }
