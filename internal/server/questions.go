package server

import (
	"cmp"
	"database/sql"
	"fmt"
	"net/http"
	"strconv"

	"puente/internal/apperr"
	"puente/internal/mail"
	"puente/internal/practices"
	"puente/internal/questions"
)

// questionForm is the page to ask the implementers of a practice.
type questionForm struct {
	Practice *practices.Practice
	Body     string
}

func (s *Server) renderQuestionForm(w http.ResponseWriter, r *http.Request, status int, d *questionForm, errs apperr.FieldErrors) {
	s.render(w, r, status, "question_new", &View{Title: "question.page_title", Data: d, Errors: errs})
}

// askable reads practice id for the question form: one v may see and ask
// about.
func (s *Server) askable(r *http.Request) (*practices.Practice, error) {
	id, err := urlID(r)
	if err != nil {
		return nil, err
	}
	v := s.viewer(r)
	p, err := s.practices.GetHead(r.Context(), v, id)
	if err != nil {
		return nil, err
	}
	if p.AuthorID == v.AccountID {
		return nil, apperr.New(apperr.Forbidden, "question.own_practice")
	}
	if !questions.CanAsk(v, p) {
		return nil, apperr.New(apperr.Conflict, "question.not_published")
	}
	return p, nil
}

func (s *Server) questionNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.askable(r)
	if err != nil {
		return err
	}
	s.renderQuestionForm(w, r, http.StatusOK, &questionForm{Practice: p}, nil)
	return nil
}

// questionPost sends a question: recorded, the author told, and the
// contact point emailed in the same transaction. Questions are limited
// per person, as posts are, and more tightly, as each one emails people.
func (s *Server) questionPost(w http.ResponseWriter, r *http.Request) error {
	p, err := s.askable(r)
	if err != nil {
		return err
	}
	a := currentAccount(r)
	d := &questionForm{Practice: p, Body: r.PostFormValue("body")}
	if ok, retry := s.limits.questions.Take(strconv.FormatInt(a.ID, 10)); !ok {
		setRetryAfter(w, apperr.TooSoon(errPostingTooFast, retry))
		s.renderQuestionForm(w, r, http.StatusTooManyRequests, d, apperr.FieldErrors{"body": errPostingTooFast})
		return nil
	}
	id, err := s.questions.Ask(r.Context(), s.viewer(r), p.ID, d.Body, func(tx *sql.Tx, q *questions.Question, p *practices.Practice) error {
		author, err := s.accounts.ByID(r.Context(), p.AuthorID)
		if err != nil {
			return err
		}
		if p.ContactEmail == "" || p.ContactEmail == author.Email {
			return nil // the author hears of it through their notifications
		}
		lang := p.Lang
		// Who asks: their country, or an observer's organisation.
		country := cmp.Or(a.CountryCode, a.Organisation)
		if c := s.taxonomy.Country(a.CountryCode); c != nil {
			country = c.Name(lang)
		}
		m, err := s.mail.Compose(lang, p.ContactEmail, p.ContactName, &mail.QuestionToContact{
			Recipient: mail.Recipient{Link: s.absURL(fmt.Sprintf("/practices/%d", p.ID))},
			Asker:     a.DisplayName, Country: country, Title: p.Title, Body: q.Body,
		})
		if err != nil {
			return err
		}
		_, err = s.outbox.Enqueue(r.Context(), tx, m)
		return err
	})
	if errs := apperr.FieldsOf(err, "body"); errs != nil {
		s.renderQuestionForm(w, r, http.StatusUnprocessableEntity, d, errs)
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(w, r, "question.sent")
	redirect(w, r, fmt.Sprintf("/questions/%d", id))
	return nil
}

// questionView is a question's page, for its asker, the practice's
// author and staff.
type questionView struct {
	Q        *questions.Question
	Practice *practices.Practice
	IsAsker  bool
	IsAuthor bool
	Answer   string // a refused answer, as typed
	// AskerCountry is the asker's country, in the page's language.
	AskerCountry string
}

func (s *Server) renderQuestion(w http.ResponseWriter, r *http.Request, status int, answer string, errs apperr.FieldErrors) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	v := s.viewer(r)
	q, p, err := s.questions.Get(r.Context(), v, id)
	if err != nil {
		return err
	}
	d := &questionView{Q: q, Practice: p, IsAsker: q.AskerID == v.AccountID, IsAuthor: q.AuthorID == v.AccountID, Answer: answer}
	if d.Answer == "" {
		d.Answer = q.Answer
	}
	if q.AskerCountry != "" {
		rf, err := s.refs(r)
		if err != nil {
			return err
		}
		d.AskerCountry = rf.CountryName(q.AskerCountry)
	}
	s.render(w, r, status, "question", &View{Title: "question.page_title", TitleText: p.Title, Data: d, Errors: errs})
	return nil
}

func (s *Server) questionPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderQuestion(w, r, http.StatusOK, "", nil)
}

func (s *Server) questionAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	text := r.PostFormValue("answer")
	err = s.questions.Answer(r.Context(), s.viewer(r), id, text)
	if errs := apperr.FieldsOf(err, "answer"); errs != nil {
		return s.renderQuestion(w, r, http.StatusUnprocessableEntity, text, errs)
	}
	if err != nil {
		return err
	}
	s.flash(w, r, "question.answered")
	redirect(w, r, fmt.Sprintf("/questions/%d", id))
	return nil
}

func (s *Server) questionClose(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	if err := s.questions.Close(r.Context(), s.viewer(r), id); err != nil {
		return err
	}
	s.flash(w, r, "question.closed_done")
	redirect(w, r, fmt.Sprintf("/questions/%d", id))
	return nil
}

func (s *Server) questionAgree(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	if err := s.questions.Agree(r.Context(), s.viewer(r), id, r.PostFormValue("agree") == "1"); err != nil {
		return err
	}
	s.flash(w, r, "question.agree_saved")
	redirect(w, r, fmt.Sprintf("/questions/%d", id))
	return nil
}
