package server

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/practices"
)

// freshData is the page that answers "is this practice still current?"
// from the email's link: the answer chosen there, confirmed with one
// button (a GET never changes anything: mail scanners follow links).
type freshData struct {
	Practice *practices.Practice
	Token    string
	Answer   string
	Month    string
	Done     string // the catalogue key of what was done, once answered
	Since    string
}

func (s *Server) renderFresh(w http.ResponseWriter, r *http.Request, status int, d *freshData, errs apperr.FieldErrors) {
	s.render(w, r, status, "fresh", &View{Title: "review.page_title", Data: d, Errors: errs})
}

func freshAnswer(a string) string {
	switch a {
	case practices.StillCurrent, practices.WillUpdate, practices.HasEnded:
		return a
	}
	return practices.StillCurrent
}

func (s *Server) freshPage(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	p, since, err := s.practices.ReviewByToken(r.Context(), token)
	if err != nil {
		return err
	}
	d := &freshData{Practice: p, Token: token, Answer: freshAnswer(r.URL.Query().Get("answer")), Since: i18n.For(state(r).lang).Date(since)}
	s.renderFresh(w, r, http.StatusOK, d, nil)
	return nil
}

// freshPost answers with the email's token: whoever holds the email
// the question was sent to answers for the practice.
func (s *Server) freshPost(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	p, _, err := s.practices.ReviewByToken(r.Context(), token)
	if err != nil {
		return err
	}
	return s.answerFresh(w, r, p, &freshData{Practice: p, Token: token, Answer: freshAnswer(r.PostFormValue("answer")), Month: r.PostFormValue("month")})
}

// practiceFresh answers from My practices, for the author (or, when
// the author has left, an official of the practice's countries).
func (s *Server) practiceFresh(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	p, err := s.practices.GetHead(r.Context(), s.viewer(r), id)
	if err != nil {
		return err
	}
	ok, err := s.notices.CanReview(r.Context(), currentAccount(r), p)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Forbidden, "review.not_yours")
	}
	return s.answerFresh(w, r, p, &freshData{Practice: p, Answer: freshAnswer(r.PostFormValue("answer")), Month: r.PostFormValue("month")})
}

func (s *Server) answerFresh(w http.ResponseWriter, r *http.Request, p *practices.Practice, d *freshData) error {
	err := s.practices.Review(r.Context(), p.ID, d.Answer, d.Month)
	if errs := apperr.FieldsOf(err, "month"); errs != nil {
		s.renderFresh(w, r, http.StatusUnprocessableEntity, d, errs)
		return nil
	}
	if err != nil {
		return err
	}
	d.Done = "review.done"
	if d.Answer == practices.HasEnded {
		d.Done = "review.done_ended"
	}
	if d.Token == "" && d.Answer == practices.WillUpdate {
		redirect(w, r, fmt.Sprintf("/practices/%d/edit", p.ID))
		return nil
	}
	s.renderFresh(w, r, http.StatusOK, d, nil)
	return nil
}
