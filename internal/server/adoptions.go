package server

import (
	"fmt"
	"net/http"

	"puente/internal/adoptions"
	"puente/internal/apperr"
	"puente/internal/practices"
)

// adoptionData is the form for an official's country's record of taking
// a practice up.
type adoptionData struct {
	Practice *practices.Practice
	Existing *adoptions.Adoption // nil for a first record
	Form     adoptions.Form
	Stages   []adoptions.Stage
	// CountryName is the official's country, in the page's language.
	CountryName string
}

func (s *Server) renderAdoption(w http.ResponseWriter, r *http.Request, status int, d *adoptionData, errs apperr.FieldErrors) {
	d.Stages = adoptions.Stages
	if rf, err := s.refs(r); err == nil {
		d.CountryName = rf.CountryName(currentAccount(r).CountryCode)
	}
	s.render(w, r, status, "adoption", &View{Title: "adoption.page_title", Data: d, Errors: errs, Editor: true})
}

// adoptionPage shows the form, filled with the country's record when it
// has one.
func (s *Server) adoptionPage(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	a := currentAccount(r)
	p, existing, err := s.adoptions.Mine(r.Context(), s.viewer(r), a, id)
	if err != nil {
		return err
	}
	d := &adoptionData{Practice: p, Existing: existing}
	if existing != nil {
		d.Form = adoptions.Form{Stage: string(existing.Stage), Institution: existing.Institution, Started: existing.Started,
			Changes: existing.Changes, Outcome: existing.Outcome, Figures: existing.Figures, Reason: existing.Reason}
	}
	s.renderAdoption(w, r, http.StatusOK, d, nil)
	return nil
}

// adoptionPost records or updates the country's adoption. A refused form
// comes back with the messages beside the fields and what was typed.
func (s *Server) adoptionPost(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	a := currentAccount(r)
	p, existing, err := s.adoptions.Mine(r.Context(), s.viewer(r), a, id)
	if err != nil {
		return err
	}
	f := adoptions.Form{Stage: r.PostFormValue("stage"), Institution: r.PostFormValue("institution"), Started: r.PostFormValue("started"),
		Changes: r.PostFormValue("changes"), Outcome: r.PostFormValue("outcome"), Figures: r.PostFormValue("figures"),
		Reason: r.PostFormValue("reason"), Note: r.PostFormValue("note")}
	d := &adoptionData{Practice: p, Existing: existing, Form: f}
	if !s.postAllowed(w, r) {
		s.renderAdoption(w, r, http.StatusTooManyRequests, d, apperr.FieldErrors{"form": errPostingTooFast})
		return nil
	}
	err = s.adoptions.Record(r.Context(), s.viewer(r), a, id, f)
	if errs := apperr.FieldsOf(err, "form"); errs != nil {
		s.renderAdoption(w, r, http.StatusUnprocessableEntity, d, errs)
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(w, r, "adoption.saved")
	redirect(w, r, fmt.Sprintf("/practices/%d#adoptions", id))
	return nil
}
