package server

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"puente/internal/chart"
	"puente/internal/i18n"
)

// insightsCharts computes the charts in the viewer's scope and
// language.
func (s *Server) insightsCharts(r *http.Request) (map[string]chart.Chart, error) {
	lang := state(r).lang
	loc := i18n.For(lang)
	in, err := s.practices.Insights(r.Context(), s.viewer(r), s.clock.Now(), 24)
	if err != nil {
		return nil, err
	}
	rf, err := s.refs(r)
	if err != nil {
		return nil, err
	}
	meetings, err := s.taxonomy.Meetings(r.Context(), lang)
	if err != nil {
		return nil, err
	}
	counts := map[int64][2]int{}
	for _, t := range in.ByTag {
		counts[t.TagID] = [2]int{t.CRM, t.CSM}
	}
	var tagRows []chart.Row
	for _, m := range meetings {
		for _, t := range append(append(m.Objectives[:0:0], m.Objectives...), m.Recommendations...) {
			c := counts[t.ID]
			full := loc.T("tag.kind."+t.Kind, "n", t.Number) + ": " + t.Label
			tagRows = append(tagRows, chart.Row{Label: full, Values: []int{c[0], c[1]}})
		}
	}
	countries := s.taxonomy.Countries(lang)
	var countryRows []chart.Row
	for _, c := range countries {
		countryRows = append(countryRows, chart.Row{Label: rf.CountryName(c.Code), Values: []int{in.ByCountry[c.Code]}})
	}
	var monthRows []chart.Row
	for _, m := range in.ByMonth {
		monthRows = append(monthRows, chart.Row{Label: loc.MonthYear(m.Month), Short: m.Month.Format("2006-01"), Values: []int{m.Practices, m.Comments}})
	}
	ad, err := s.adoptions.Insights(r.Context(), s.viewer(r))
	if err != nil {
		return nil, err
	}
	var adoptionRows []chart.Row
	for _, m := range meetings {
		for _, t := range append(append(m.Objectives[:0:0], m.Objectives...), m.Recommendations...) {
			c := ad.ByTag[t.ID]
			full := loc.T("tag.kind."+t.Kind, "n", t.Number) + ": " + t.Label
			adoptionRows = append(adoptionRows, chart.Row{Label: full, Values: []int{c[0], c[1]}})
		}
	}
	var flowRows []chart.Row
	for _, f := range ad.Flows {
		flowRows = append(flowRows, chart.Row{Label: rf.CountryName(f.From) + " → " + rf.CountryName(f.To), Values: []int{f.Records}})
	}
	num := func(n int) string { return loc.Number(n) }
	return map[string]chart.Chart{
		"adoptions": chart.Horizontal(adoptionRows, []string{loc.T("insights.taken_up"), loc.T("insights.under_way")}, num),
		"flows":     chart.Horizontal(flowRows, []string{loc.T("insights.records")}, num),
		"tags":      chart.Horizontal(tagRows, []string{"CRM", "CSM"}, num),
		"countries": chart.Horizontal(countryRows, []string{loc.T("insights.practices")}, num),
		"months":    chart.Vertical(monthRows, []string{loc.T("insights.practices"), loc.T("insights.comments")}, 240, num),
	}, nil
}

// insightsView is what the insights page shows: the charts, and which
// separator the other CSV download uses ("comma" or "semicolon").
type insightsView struct {
	Charts map[string]chart.Chart
	AltSep string
}

func (s *Server) insightsPage(w http.ResponseWriter, r *http.Request) error {
	charts, err := s.insightsCharts(r)
	if err != nil {
		return err
	}
	alt := sepComma
	if csvSeparator(state(r).lang) == ',' {
		alt = sepSemicolon
	}
	s.render(w, r, http.StatusOK, "insights", &View{Title: "insights.title", Data: insightsView{Charts: charts, AltSep: alt}})
	return nil
}

// insightsCSV downloads one chart's numbers.
func (s *Server) insightsCSV(w http.ResponseWriter, r *http.Request) error {
	charts, err := s.insightsCharts(r)
	if err != nil {
		return err
	}
	name := chi.URLParam(r, "chart")
	c, ok := charts[name]
	if !ok {
		return errNotFound
	}
	lang := state(r).lang
	records := [][]string{append([]string{i18n.For(lang).T("insights.col." + name)}, c.Series...)}
	for _, row := range c.Rows {
		rec := []string{row.Label}
		for _, v := range row.Values {
			rec = append(rec, strconv.Itoa(v))
		}
		records = append(records, rec)
	}
	return writeCSV(w, r, "puente-"+name+".csv", lang, records)
}

// Separators a download can ask for with ?sep=.
const (
	sepComma     = "comma"
	sepSemicolon = "semicolon"
)

// csvSeparator is the list separator of the spreadsheets people of lang
// use: Excel in Spanish, Portuguese, French and Dutch (their regional
// settings write 1,5 for one and a half) splits columns at ";", in
// English at ",".
func csvSeparator(lang string) rune {
	if lang == "en" {
		return ','
	}
	return ';'
}

// writeCSV sends records as a CSV download that a spreadsheet opens
// right: UTF-8 with a byte-order mark (without it Excel reads the accents
// as Windows-1252), separated as the reader's spreadsheet expects unless
// ?sep= asks otherwise, lines ended in CRLF, and text that a spreadsheet
// would run as a formula made inert. Every CSV the site offers goes
// through here; the first record is the header, already in the reader's
// language. Whole numbers are written plainly (no thousands separator);
// a decimal would need the reader's decimal mark.
func writeCSV(w http.ResponseWriter, r *http.Request, filename, lang string, records [][]string) error {
	var buf bytes.Buffer
	if err := encodeCSV(&buf, csvSeparatorFor(r, lang), records); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8; header=present")
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

// csvSeparatorFor is the separator ?sep= names, or that of lang.
func csvSeparatorFor(r *http.Request, lang string) rune {
	switch r.URL.Query().Get("sep") {
	case sepComma:
		return ','
	case sepSemicolon:
		return ';'
	}
	return csvSeparator(lang)
}

// encodeCSV writes the byte-order mark and the records.
func encodeCSV(buf *bytes.Buffer, sep rune, records [][]string) error {
	cw := newCSVStream(buf, sep)
	for _, rec := range records {
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// csvStream writes CSV as the site writes every CSV (a byte-order mark,
// CRLF, cells made inert) record by record, for a file too long to hold.
type csvStream struct{ cw *csv.Writer }

func newCSVStream(w io.Writer, sep rune) *csvStream {
	io.WriteString(w, "\ufeff")
	cw := csv.NewWriter(w)
	cw.Comma = sep
	cw.UseCRLF = true
	return &csvStream{cw}
}

// Write writes one record.
func (c *csvStream) Write(rec []string) error {
	out := make([]string, len(rec))
	for i, f := range rec {
		out[i] = inertCell(f)
	}
	return c.cw.Write(out)
}

// Flush writes what is buffered and reports the first error.
func (c *csvStream) Flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

// inertCell keeps a spreadsheet from reading text as a formula: a cell
// that starts with =, +, -, @ or a tab or carriage return, and is not a
// plain number, gets a leading apostrophe, as OWASP advises.
func inertCell(f string) string {
	if f == "" || !strings.ContainsRune("=+-@\t\r", rune(f[0])) {
		return f
	}
	if _, err := strconv.ParseFloat(f, 64); err == nil {
		return f
	}
	return "'" + f
}
