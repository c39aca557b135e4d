package server

import (
	"net/http"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/websession"
)

type profileForm struct {
	DisplayName string
	Lang        string
}

type accountData struct {
	Sessions    []websession.Summary
	Country     string
	Profile     profileForm
	NotifyFlags bool
	// HasFeed tells whether a private feed exists; FeedURL is shown once,
	// right after it is made (only its hash is stored).
	HasFeed bool
	FeedURL string
	// Tokens are the live API tokens; NewToken is one just made, shown
	// once; TokenName is a refused name, as typed.
	Tokens    []*accounts.APIToken
	NewToken  string
	TokenName string
}

func (s *Server) accountView(r *http.Request, title string) (*View, error) {
	a := currentAccount(r)
	var current int64
	if info := websession.InfoOf(state(r).session); info != nil {
		current = info.RowID
	}
	list, err := s.sessions.ListForAccount(r.Context(), a.ID, current)
	if err != nil {
		return nil, err
	}
	d := accountData{Sessions: list, Profile: profileForm{DisplayName: a.DisplayName, Lang: a.Lang}}
	if d.NotifyFlags, err = s.accounts.NotifyFlags(r.Context(), a.ID); err != nil {
		return nil, err
	}
	if d.HasFeed, err = s.accounts.HasFeedToken(r.Context(), a.ID); err != nil {
		return nil, err
	}
	if d.Tokens, err = s.accounts.Tokens(r.Context(), a.ID); err != nil {
		return nil, err
	}
	if c := s.taxonomy.Country(a.CountryCode); c != nil {
		d.Country = c.Name(state(r).lang)
	}
	return &View{Title: title, Data: &d}, nil
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.accountView(r, "account.title")
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "account", v)
	return nil
}

func (s *Server) profilePost(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	f := profileForm{DisplayName: r.PostFormValue("display_name"), Lang: r.PostFormValue("lang")}
	errs := apperr.FieldErrors{}
	if key := accounts.CheckDisplayName(f.DisplayName); key != "" {
		errs.Add("display_name", key)
	}
	if f.Lang != "" && !i18n.Supported(f.Lang) {
		errs.Add("lang", "field.invalid_choice")
	}
	if !errs.OK() {
		v, err := s.accountView(r, "account.title")
		if err != nil {
			return err
		}
		v.Data.(*accountData).Profile = f
		v.Errors = errs
		s.render(w, r, http.StatusUnprocessableEntity, "account", v)
		return nil
	}
	if err := s.accounts.UpdateProfile(r.Context(), a.ID, f.DisplayName, f.Lang); err != nil {
		return err
	}
	s.flash(w, r, "account.saved")
	redirect(w, r, "/account")
	return nil
}

func (s *Server) passwordPost(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	var current int64
	if info := websession.InfoOf(state(r).session); info != nil {
		current = info.RowID
	}
	errs := apperr.FieldErrors{}
	next, confirm := r.PostFormValue("new"), r.PostFormValue("confirm")
	if next != confirm {
		errs.Add("confirm", "password.mismatch")
	}
	if errs.OK() {
		errs = s.accounts.ChangePassword(r.Context(), a.ID, r.PostFormValue("current"), next, current)
	}
	if !errs.OK() {
		v, err := s.accountView(r, "account.title")
		if err != nil {
			return err
		}
		v.Errors = errs
		s.render(w, r, http.StatusUnprocessableEntity, "account", v)
		return nil
	}
	// Every other session has ended; this one goes on under a new id, so
	// an id copied before the change is worth nothing after it.
	if err := s.startSession(w, r, a); err != nil {
		return err
	}
	s.log.Info("security", "event", "password.changed", "account_id", a.ID)
	if err := s.securityNotice(r, a, "password_changed", ""); err != nil {
		return err
	}
	s.flash(w, r, "password.changed")
	redirect(w, r, "/account")
	return nil
}

func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	id, err := urlID(r)
	if err != nil {
		return err
	}
	// Only the account's own sessions match, so another person's session
	// id answers 404 like one that does not exist.
	ok, err := s.sessions.End(r.Context(), a.ID, id)
	if err != nil {
		return err
	}
	if !ok {
		return errNotFound
	}
	s.log.Info("security", "event", "session.revoked", "account_id", a.ID, "by", "owner")
	if info := websession.InfoOf(state(r).session); info != nil && info.RowID == id {
		redirect(w, r, "/signin")
		return nil
	}
	s.flash(w, r, "sessions.ended_one")
	redirect(w, r, "/account")
	return nil
}

func (s *Server) endAllSessions(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	n, err := s.sessions.EndAll(r.Context(), a.ID)
	if err != nil {
		return err
	}
	s.log.Info("security", "event", "session.revoked_all", "account_id", a.ID, "count", n)
	redirect(w, r, "/signin")
	return nil
}

// setLanguage changes the interface language: for a member it is their
// setting; for a visitor, a cookie.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) error {
	lang := r.PostFormValue("lang")
	if !i18n.Supported(lang) {
		return errBadRequest
	}
	if a := currentAccount(r); a != nil {
		if err := s.accounts.SetLang(r.Context(), a.ID, lang); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: s.langCookieName(), Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode})
	redirect(w, r, localPath(r.PostFormValue("next")))
	return nil
}
