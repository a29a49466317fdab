package stats

import (
	"encoding/json"
	"io"
	"math"
)

// SchemaVersion is the version of the JSON written by WriteJSON (the
// "schema" field). It changes when a field is removed or changes meaning;
// added fields keep it.
const SchemaVersion = 2

// ReportJSON is the JSON form of a Report; see the package documentation
// for the schema. Numbers that are not finite are null.
type ReportJSON struct {
	Schema          int              `json:"schema"`
	Alpha           float64          `json:"alpha"`
	Confidence      float64          `json:"confidence"`
	FailOn          float64          `json:"fail_on,omitempty"`
	Inputs          []string         `json:"inputs"`
	Comparisons     int              `json:"comparisons"`
	Significant     int              `json:"significant"`
	SignificantHolm int              `json:"significant_holm"`
	Summary         string           `json:"summary"`
	Verdict         string           `json:"verdict"`
	Failed          bool             `json:"failed"`
	GateError       string           `json:"gate_error,omitempty"`
	Ungated         []string         `json:"ungated"`
	Caveats         []string         `json:"caveats"`
	ExactChanges    []string         `json:"exact_changes"`
	Families        []FamilyJSON     `json:"families"`
	Regressions     []RegressionJSON `json:"regressions"`
	Errors          []string         `json:"errors"`
	Notes           []string         `json:"notes"`
	Tables          []TableJSON      `json:"tables"`
}

// FamilyJSON is the JSON form of a Family: one metric's Holm family.
type FamilyJSON struct {
	Unit            string   `json:"unit"`
	Direction       string   `json:"direction"`
	Tests           int      `json:"tests"`
	Significant     int      `json:"significant"`
	SignificantHolm int      `json:"significant_holm"`
	Exact           int      `json:"exact"`
	ExactChanged    int      `json:"exact_changed"`
	Paired          int      `json:"paired"`
	N               int      `json:"n"`
	Reachable       bool     `json:"reachable"`
	NeedCount       int      `json:"need_count,omitempty"`
	Power           string   `json:"power,omitempty"`
	Unchanged       int      `json:"unchanged"`
	MedianBound     *float64 `json:"median_bound"`
	MaxBound        *float64 `json:"max_bound"`
	MaxBoundRow     string   `json:"max_bound_row,omitempty"`
	Text            string   `json:"text"`
	BoundText       string   `json:"bound_text,omitempty"`
}

// RegressionJSON is one change that fails the gate.
type RegressionJSON struct {
	Unit   string   `json:"unit"`
	Row    string   `json:"row"`
	Column string   `json:"column"`
	Delta  *float64 `json:"delta"`
}

// TableJSON is the JSON form of a Table.
type TableJSON struct {
	Config    []KeyValueJSON `json:"config"`
	Unit      string         `json:"unit"`
	Direction string         `json:"direction"`
	Columns   []string       `json:"columns"`
	Rows      []RowJSON      `json:"rows"`
	Geomean   []GeomeanJSON  `json:"geomean"`
}

// KeyValueJSON is one configuration key and value.
type KeyValueJSON struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// RowJSON is the JSON form of a Row; a missing cell is null.
type RowJSON struct {
	Name  string      `json:"name"`
	Cells []*CellJSON `json:"cells"`
}

// CellJSON is the JSON form of a Cell.
type CellJSON struct {
	N        int             `json:"n"`
	Center   *float64        `json:"center"`
	Lo       *float64        `json:"lo"`
	Hi       *float64        `json:"hi"`
	Range    string          `json:"range"`
	Values   []*float64      `json:"values"`
	Warnings []string        `json:"warnings"`
	Compare  *ComparisonJSON `json:"compare,omitempty"`
}

// ComparisonJSON is the JSON form of a Comparison.
type ComparisonJSON struct {
	Delta           *float64 `json:"delta"`
	DeltaText       string   `json:"delta_text"`
	P               *float64 `json:"p"`
	N1              int      `json:"n1"`
	N2              int      `json:"n2"`
	Text            string   `json:"text"`
	Significant     bool     `json:"significant"`
	PHolm           *float64 `json:"p_holm"`
	SignificantHolm bool     `json:"significant_holm"`
	Direction       string   `json:"direction"`
	Test            string   `json:"test"`
	TestText        string   `json:"test_text"`
	PTest           *float64 `json:"p_test"`
	Paired          bool     `json:"paired"`
	Pairs           int      `json:"pairs"`
	Exact           bool     `json:"exact"`
	Estimate        *float64 `json:"estimate"`
	Lo              *float64 `json:"lo"`
	Hi              *float64 `json:"hi"`
	Bound           *float64 `json:"bound"`
	Warnings        []string `json:"warnings"`
}

// GeomeanJSON is the JSON form of a Geomean.
type GeomeanJSON struct {
	Center   *float64 `json:"center"`
	Delta    *float64 `json:"delta"`
	Warnings []string `json:"warnings"`
}

// num returns a pointer to f, or nil when f is not finite.
func num(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

// nums maps num over fs.
func nums(fs []float64) []*float64 {
	out := make([]*float64, len(fs))
	for i, f := range fs {
		out[i] = num(f)
	}
	return out
}

// nonNil turns a nil slice into an empty one, so JSON has [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// FamilyJSON returns the JSON form of one of r's families (export's data
// carries the same objects).
func (r *Report) FamilyJSON(f *Family) FamilyJSON {
	return FamilyJSON{
		Unit: f.Unit, Direction: f.Direction.String(), Tests: f.Tests, Significant: f.Significant,
		SignificantHolm: f.SignificantHolm, Exact: f.Exact, ExactChanged: f.ExactChanged, Paired: f.Paired, N: f.N,
		Reachable: f.Reachable, NeedCount: f.NeedCount, Power: f.Power(), Unchanged: f.Unchanged,
		MedianBound: num(f.MedianBound), MaxBound: num(f.MaxBound), MaxBoundRow: f.MaxBoundRow,
		Text: f.String(r.Options.Alpha), BoundText: f.BoundText(r.Options.Confidence),
	}
}

// JSON returns the JSON form of r.
func (r *Report) JSON() ReportJSON {
	out := ReportJSON{
		Schema: SchemaVersion, Alpha: r.Options.Alpha, Confidence: r.Options.Confidence,
		FailOn: r.Options.FailOn, Inputs: nonNil(r.Inputs), Comparisons: r.Comparisons,
		Significant: r.Significant, SignificantHolm: r.SignificantHolm,
		Summary: r.Summary(), Verdict: r.Verdict(), Failed: r.Failed(),
		Regressions: []RegressionJSON{}, Errors: []string{}, Notes: nonNil(r.Notes), Tables: []TableJSON{},
		Ungated: nonNil(r.Ungated()), Caveats: nonNil(r.Caveats), ExactChanges: nonNil(r.ExactChanges()),
		Families: []FamilyJSON{},
	}
	if err := r.GateError(); err != nil {
		out.GateError = err.Error()
	}
	for _, f := range r.Families {
		out.Families = append(out.Families, r.FamilyJSON(f))
	}
	if r.Options.FailOn > 0 {
		for _, g := range r.Regressions(r.Options.FailOn) {
			out.Regressions = append(out.Regressions, RegressionJSON{Unit: g.Table.Unit, Row: g.Row, Column: g.Column, Delta: num(g.Delta)})
		}
	}
	for _, e := range r.Errors {
		out.Errors = append(out.Errors, e.Error())
	}
	for _, t := range r.Tables {
		tj := TableJSON{Config: []KeyValueJSON{}, Unit: t.Unit, Direction: t.Direction.String(), Columns: nonNil(t.Columns), Rows: []RowJSON{}}
		for _, kv := range t.Config {
			tj.Config = append(tj.Config, KeyValueJSON(kv))
		}
		for _, row := range t.Rows {
			rj := RowJSON{Name: row.Name, Cells: make([]*CellJSON, len(row.Cells))}
			for i, c := range row.Cells {
				if c == nil {
					continue
				}
				cj := &CellJSON{N: c.N, Center: num(c.Center), Lo: num(c.Lo), Hi: num(c.Hi), Range: c.Range,
					Values: nums(c.Values), Warnings: nonNil(c.Warnings)}
				if cmp := c.Compare; cmp != nil {
					cj.Compare = &ComparisonJSON{
						Delta: num(cmp.Delta), DeltaText: cmp.DeltaText, P: num(cmp.P), N1: cmp.N1, N2: cmp.N2,
						Text: cmp.Text, Significant: cmp.Significant, PHolm: num(cmp.PHolm),
						SignificantHolm: cmp.SignificantHolm, Direction: cmp.Change.String(),
						Test: cmp.Test(), TestText: cmp.TestText(), PTest: num(cmp.PTest), Paired: cmp.Paired, Pairs: cmp.Pairs,
						Exact: cmp.Exact, Estimate: num(cmp.Estimate), Lo: num(cmp.Lo), Hi: num(cmp.Hi),
						Bound: num(cmp.Bound), Warnings: nonNil(cmp.Warnings),
					}
				}
				rj.Cells[i] = cj
			}
			tj.Rows = append(tj.Rows, rj)
		}
		for _, g := range t.Geomean {
			gj := GeomeanJSON{Warnings: nonNil(g.Warnings)}
			if g.HasCenter {
				gj.Center = num(g.Center)
			}
			gj.Delta = num(g.Delta())
			tj.Geomean = append(tj.Geomean, gj)
		}
		out.Tables = append(out.Tables, tj)
	}
	return out
}

// WriteJSON writes r as indented JSON (schema SchemaVersion).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.JSON())
}
