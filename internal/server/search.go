package server

import (
	"net/http"
	"strconv"
	"strings"

	"puente/internal/apperr"
	"puente/internal/practices"
	"puente/internal/sanitize"
)

type searchData struct {
	List    listData
	Q       string
	Results *practices.Results
	Problem string
	NextURL string
	PrevURL string
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	q := sanitize.Plain(r.URL.Query().Get("q"))
	f := s.listFilter(r)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	ld, err := s.listView(r, f, nil)
	if err != nil {
		return err
	}
	d := searchData{List: *ld, Q: q}
	status := http.StatusOK
	if q != "" {
		// Comments posted a moment ago are in the index before it is read.
		if _, err := s.search.Flush(r.Context()); err != nil {
			return err
		}
		d.Results, err = s.practices.Search(r.Context(), s.viewer(r), q, f, page)
		switch {
		case apperr.Is(err, apperr.Unprocessable):
			d.Problem, status = apperr.KeyOf(err), http.StatusUnprocessableEntity
		case err != nil:
			return err
		default:
			// Titles and summaries in the reader's language, where a
			// version has them; the snippet stays what matched.
			ps := make([]*practices.Practice, len(d.Results.Hits))
			for i, h := range d.Results.Hits {
				ps[i] = h.Practice
			}
			if ps, err = s.practices.Localize(r.Context(), state(r).lang, ps); err != nil {
				return err
			}
			hits := make([]practices.Hit, len(ps))
			for i := range ps {
				hits[i] = practices.Hit{Practice: ps[i], Snippet: d.Results.Hits[i].Snippet}
			}
			res := *d.Results
			res.Hits, d.Results = hits, &res
			base := "/search?" + ld.Query.Encode()
			if !strings.HasSuffix(base, "?") {
				base += "&"
			}
			base += "q=" + urlQueryEscape(q) + "&page="
			if d.Results.More {
				d.NextURL = base + strconv.Itoa(d.Results.Page+1)
			}
			if d.Results.Page > 1 {
				d.PrevURL = base + strconv.Itoa(d.Results.Page-1)
			}
		}
	}
	s.render(w, r, status, "search", &View{Title: "search.title", Data: d})
	return nil
}
