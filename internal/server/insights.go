package server

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"puente/internal/chart"
	"puente/internal/i18n"
)

// insightsCharts computes the three charts in the viewer's scope and
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
			tagRows = append(tagRows, chart.Row{Label: full, Short: shorten(full, 42), Values: []int{c[0], c[1]}})
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
	return map[string]chart.Chart{
		"tags":      chart.Horizontal(tagRows, []string{"CRM", "CSM"}, 760),
		"countries": chart.Horizontal(countryRows, []string{loc.T("insights.practices")}, 760),
		"months":    chart.Vertical(monthRows, []string{loc.T("insights.practices"), loc.T("insights.comments")}, 760, 260),
	}, nil
}

func (s *Server) insightsPage(w http.ResponseWriter, r *http.Request) error {
	charts, err := s.insightsCharts(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "insights", &View{Title: "insights.title", Data: charts})
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
	loc := i18n.For(state(r).lang)
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(append([]string{loc.T("insights.col." + name)}, c.Series...))
	for _, row := range c.Rows {
		rec := []string{row.Label}
		for _, v := range row.Values {
			rec = append(rec, strconv.Itoa(v))
		}
		cw.Write(rec)
	}
	cw.Flush()
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="puente-`+name+`.csv"`)
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

// shorten cuts a label to n characters, with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
