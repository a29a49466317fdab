package stats

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// grid lays out a fixed-width text table the way benchstat's does, so
// that WriteText prints the same bytes: cells may span columns, carry a
// left margin (" │ ", " ± ") and an alignment; "shrink" columns never
// grow to fit a spanning cell.
type grid struct {
	cells    []gridCell
	ncols    int
	shrink   map[int]bool
	row, col int
}

type gridCell struct {
	row, col, span int
	text, margin   string
	align          byte // 'l', 'c' or 'r'
}

// next starts a new row.
func (g *grid) next() {
	if len(g.cells) > 0 {
		g.row++
	}
	g.col = 0
}

// at moves to column col of the current row.
func (g *grid) at(col int) *grid {
	g.col = col
	return g
}

// put adds a cell spanning span columns at the current position. The
// default margin is one space, none in the first column or for empty text.
func (g *grid) put(span int, text string, align byte, margin ...string) {
	c := gridCell{row: g.row, col: g.col, span: span, text: text, align: align, margin: " "}
	if g.col == 0 || text == "" {
		c.margin = ""
	}
	if len(margin) > 0 {
		c.margin = margin[0]
	}
	g.cells = append(g.cells, c)
	g.col += span
	g.ncols = max(g.ncols, g.col)
}

func width(s string) int { return utf8.RuneCountInString(s) }

// write lays out the grid and writes it to w.
func (g *grid) write(w io.Writer) error {
	margin := make([]int, g.ncols)
	for _, c := range g.cells {
		margin[c.col] = max(margin[c.col], width(c.margin))
	}
	widths := make([]int, g.ncols)
	// Note: the layout must match benchstat's exactly, including how it
	// widens columns under spanning cells: narrow cells first, then each
	// spanning cell spreads its missing width over its non-shrink
	// columns, widest first, rounding up. The sort is sort.Slice, as
	// there, so cells of equal span are visited in the same order.
	sort.Slice(g.cells, func(i, j int) bool { return g.cells[i].span < g.cells[j].span })
	var grow []int
	for _, c := range g.cells {
		need := width(c.text) + margin[c.col]
		if c.span == 1 {
			widths[c.col] = max(widths[c.col], need)
			continue
		}
		have := 0
		for i := c.col; i < c.col+c.span; i++ {
			have += widths[i]
		}
		if have >= need {
			continue
		}
		grow = grow[:0]
		for i := c.col; i < c.col+c.span; i++ {
			if g.shrink[i] {
				need -= widths[i]
			} else {
				grow = append(grow, i)
			}
		}
		sort.Slice(grow, func(a, b int) bool { return widths[grow[a]] > widths[grow[b]] })
		left := len(grow)
		for _, i := range grow {
			widths[i] = max(widths[i], (need+left-1)/left)
			need -= widths[i]
			left--
		}
	}
	offset := make([]int, g.ncols+1)
	for i, wd := range widths {
		offset[i+1] = offset[i] + wd
	}

	sort.Slice(g.cells, func(i, j int) bool {
		a, b := g.cells[i], g.cells[j]
		if a.row != b.row {
			return a.row < b.row
		}
		return a.col < b.col
	})
	var out strings.Builder
	row, pos := 0, 0
	for _, c := range g.cells {
		if strings.TrimSpace(c.text) == "" && strings.TrimSpace(c.margin) == "" {
			continue // nothing visible: no trailing spaces
		}
		for ; row < c.row; row++ {
			out.WriteByte('\n')
			pos = 0
		}
		fmt.Fprintf(&out, "%*s%*s", offset[c.col]-pos, "", margin[c.col], c.margin)
		pos = offset[c.col] + margin[c.col]
		room := offset[c.col+c.span] - offset[c.col] - margin[c.col]
		s := c.text
		switch c.align {
		case 'c':
			s = fmt.Sprintf("%*s%s", (room-width(s))/2, "", s)
		case 'r':
			s = fmt.Sprintf("%*s", room, s)
		}
		out.WriteString(s)
		pos += width(s)
	}
	if len(g.cells) > 0 {
		out.WriteByte('\n')
	}
	_, err := io.WriteString(w, out.String())
	return err
}
