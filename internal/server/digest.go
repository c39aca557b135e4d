package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"puente/internal/apperr"
	"puente/internal/digest"
	"puente/internal/i18n"
	"puente/internal/practices"
	"puente/internal/taxonomy"
)

type digestSettingsData struct {
	Settings  *digest.Settings
	Processes []processView
	Meetings  []*taxonomy.Meeting
	Followed  []*practices.Practice
	Refs      *refs
	Schedule  string
}

func (s *Server) digestSettingsView(r *http.Request, st *digest.Settings, errs apperr.FieldErrors) (*View, error) {
	a := currentAccount(r)
	var err error
	if st == nil {
		if st, err = s.digest.Load(r.Context(), a.ID); err != nil {
			return nil, err
		}
	}
	d := digestSettingsData{Settings: st}
	if d.Processes, err = s.processViews(r); err != nil {
		return nil, err
	}
	if d.Meetings, err = s.taxonomy.Meetings(r.Context(), state(r).lang); err != nil {
		return nil, err
	}
	if d.Followed, err = s.practices.Followed(r.Context(), s.viewer(r)); err != nil {
		return nil, err
	}
	if d.Refs, err = s.refs(r); err != nil {
		return nil, err
	}
	return &View{Title: "digest.settings_title", Data: d, Errors: errs}, nil
}

func (s *Server) digestSettings(w http.ResponseWriter, r *http.Request) error {
	v, err := s.digestSettingsView(r, nil, nil)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "digest_settings", v)
	return nil
}

func (s *Server) digestSettingsPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return s.formError(err)
	}
	f := digest.Form{Enabled: r.PostFormValue("enabled") != "", Every: r.PostFormValue("every"),
		Tags: r.PostForm["tags"], Countries: r.PostForm["countries"]}
	tags, err := s.taxonomy.Tags(r.Context(), "es")
	if err != nil {
		return err
	}
	st, errs, err := s.digest.Save(r.Context(), currentAccount(r).ID, f, s.taxonomy.CountryExists, func(id int64) bool { _, ok := tags[id]; return ok })
	if err != nil {
		return err
	}
	if !errs.OK() {
		v, err := s.digestSettingsView(r, st, errs)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusUnprocessableEntity, "digest_settings", v)
		return nil
	}
	s.flash(w, r, "account.saved")
	redirect(w, r, "/settings/digest")
	return nil
}

type unsubscribeData struct {
	Token string
	Done  bool
}

// recipientLanguage writes the page in the language of the account an
// unsubscribe link names: the person reading it came from their email.
func (s *Server) recipientLanguage(w http.ResponseWriter, r *http.Request, account int64) {
	if a, err := s.accounts.ByID(r.Context(), account); err == nil && i18n.Supported(a.Lang) {
		state(r).lang = a.Lang
		w.Header().Set("Content-Language", a.Lang)
	}
}

func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	account, used, err := s.digest.TokenAccount(r.Context(), token)
	if err != nil {
		return err
	}
	s.recipientLanguage(w, r, account)
	// A GET never unsubscribes: mail scanners follow links.
	s.render(w, r, http.StatusOK, "unsubscribe", &View{Title: "unsubscribe.title", Data: unsubscribeData{Token: token, Done: used}})
	return nil
}

// unsubscribePost stops the digest; a repeated POST (a mail client's
// retry) answers the same page.
func (s *Server) unsubscribePost(w http.ResponseWriter, r *http.Request) error {
	id, err := s.digest.Unsubscribe(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		return err
	}
	s.recipientLanguage(w, r, id)
	s.log.Info("digest unsubscribed", "account_id", id, "one_click", r.PostFormValue("List-Unsubscribe") == "One-Click")
	s.render(w, r, http.StatusOK, "unsubscribe", &View{Title: "unsubscribe.title", Data: unsubscribeData{Done: true}})
	return nil
}

// digestPreview shows admins the digest an account would receive. The
// email's inline styles need a CSP of their own: styles inline, and no
// script, form or frame at all.
func (s *Server) digestPreview(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	email := strings.TrimSpace(q.Get("email"))
	if email == "" {
		s.render(w, r, http.StatusOK, "digest_preview", &View{Title: "digest.preview_title", Form: url.Values{}})
		return nil
	}
	a, err := s.accounts.ByEmail(r.Context(), email)
	if apperr.Is(err, apperr.NotFound) {
		s.render(w, r, http.StatusUnprocessableEntity, "digest_preview", &View{Title: "digest.preview_title", Form: q,
			Errors: apperr.FieldErrors{"email": "digest.no_account"}})
		return nil
	}
	if err != nil {
		return err
	}
	p := digest.LastComplete(s.clock.Now(), s.digest.Location)
	if wk := q.Get("week"); wk != "" {
		if p, err = digest.ParsePeriod(wk); err != nil {
			s.render(w, r, http.StatusUnprocessableEntity, "digest_preview", &View{Title: "digest.preview_title", Form: q,
				Errors: apperr.FieldErrors{"week": "digest.week_invalid"}})
			return nil
		}
	}
	m, _, why, err := s.digest.PreviewWhy(r.Context(), a, p)
	if err != nil {
		return err
	}
	// Nothing would go out: the page says why, and can still show what
	// the digest would have held.
	if why != "" && q.Get("anyway") == "" {
		s.render(w, r, http.StatusOK, "digest_preview", &View{Title: "digest.preview_title", Form: q,
			Data: map[string]string{"Why": "digest.nothing." + why, "Email": a.Email, "Week": p.String()}})
		return nil
	}
	if q.Get("part") == "text" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("Subject: " + m.Subject + "\n\n" + m.Text))
		return nil
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write([]byte(m.HTML))
	return nil
}
