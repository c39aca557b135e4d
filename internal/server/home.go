package server

import (
	"net/http"

	"puente/internal/taxonomy"
)

type homeData struct {
	Meetings  []*taxonomy.Meeting
	Processes []processView
}

type processView struct {
	Code      string
	Name      string
	Countries []*taxonomy.Country
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	lang := state(r).lang
	meetings, err := s.taxonomy.Meetings(r.Context(), lang)
	if err != nil {
		return err
	}
	procs, err := s.taxonomy.Processes(r.Context())
	if err != nil {
		return err
	}
	countries, err := s.taxonomy.Countries(r.Context(), lang)
	if err != nil {
		return err
	}
	d := homeData{Meetings: meetings}
	for _, p := range procs {
		pv := processView{Code: p.Code, Name: p.Name(lang)}
		for _, c := range countries {
			for _, pc := range c.Processes {
				if pc == p.Code {
					pv.Countries = append(pv.Countries, c)
				}
			}
		}
		d.Processes = append(d.Processes, pv)
	}
	s.render(w, r, http.StatusOK, "home", &View{Title: "home.title", Data: d})
	return nil
}
