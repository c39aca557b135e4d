package server

import (
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/mail"
	"puente/internal/websession"
)

type signinForm struct {
	Email    string
	Password string
	Next     string
}

func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) error {
	if currentAccount(r) != nil {
		redirect(w, r, localPath(r.URL.Query().Get("next")))
		return nil
	}
	s.render(w, r, http.StatusOK, "signin", &View{Title: "signin.title",
		Form: signinForm{Next: localPath(r.URL.Query().Get("next"))}})
	return nil
}

func (s *Server) signinPost(w http.ResponseWriter, r *http.Request) error {
	f := signinForm{
		Email:    strings.TrimSpace(r.PostFormValue("email")),
		Password: r.PostFormValue("password"),
		Next:     localPath(r.PostFormValue("next")),
	}
	ip := s.clientIP(r)
	acctKey := accounts.NormalizeEmail(f.Email)
	// Failures count per account and device for a browser that signed in
	// to this account before, per account for everyone else (device.go).
	limitKey, knownDevice := s.signinKey(r, acctKey)
	if ok, retry := s.limits.signinAccount.Check(limitKey); !ok {
		s.log.Warn("security", "event", "signin.locked", "scope", "account", "known_device", knownDevice, "client_ip", ip)
		return tooSoon(retry)
	}
	if ok, retry := s.limits.signinIP.Check(ip); !ok {
		s.log.Warn("security", "event", "signin.locked", "scope", "client", "client_ip", ip)
		return tooSoon(retry)
	}
	errs := apperr.FieldErrors{}
	if f.Email == "" {
		errs.Add("email", "field.required")
	}
	if f.Password == "" {
		errs.Add("password", "field.required")
	}
	if !errs.OK() {
		f.Password = ""
		s.render(w, r, http.StatusUnprocessableEntity, "signin", &View{Title: "signin.title", Form: f, Errors: errs})
		return nil
	}
	a, err := s.accounts.Authenticate(r.Context(), f.Email, f.Password)
	if err != nil {
		if !errors.Is(err, accounts.ErrBadCredentials) && !errors.Is(err, accounts.ErrSuspended) {
			return err
		}
		s.limits.signinAccount.Hit(limitKey)
		s.limits.signinIP.Hit(ip)
		if ok, _ := s.limits.signinAccount.Check(limitKey); !ok && !knownDevice {
			// This failure locked the account's unknown browsers out: its
			// owner hears of it, whether or not they were the one typing.
			go s.noticeLock(acctKey)
		}
		s.log.Warn("security", "event", "signin.failure", "reason", apperr.KeyOf(err), "client_ip", ip)
		errs.Add("form", apperr.KeyOf(err))
		f.Password = ""
		s.render(w, r, http.StatusUnprocessableEntity, "signin", &View{Title: "signin.title", Form: f, Errors: errs})
		return nil
	}
	s.limits.signinAccount.Reset(limitKey)
	if a.TwoFactor {
		if err := s.beginSecondFactor(w, r, a, f.Next); err != nil {
			return err
		}
		s.log.Info("security", "event", "signin.password_ok", "account_id", a.ID, "client_ip", ip)
		redirect(w, r, "/signin/code")
		return nil
	}
	if err := s.startSession(w, r, a); err != nil {
		return err
	}
	s.log.Info("security", "event", "signin.success", "account_id", a.ID, "client_ip", ip)
	redirect(w, r, f.Next)
	return nil
}

// startSession signs a in on a brand-new session id; whatever id the
// browser held before is ended, which defeats session fixation.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, a *accounts.Account) error {
	st := state(r)
	sess := st.session
	if err := s.sessions.Renew(r, sess); err != nil {
		return err
	}
	sess.Values = map[any]any{websession.AccountKey: a.ID}
	if err := sess.Save(r, w); err != nil {
		return err
	}
	st.account = a
	// Signed in through every step: this browser is now known to a.
	return s.rememberDevice(w, a)
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	if st.account != nil {
		s.log.Info("security", "event", "signout", "account_id", st.account.ID)
	}
	sess := st.session
	if sess != nil && sess.ID != "" {
		sess.Options.MaxAge = -1
		if err := sess.Save(r, w); err != nil {
			return err
		}
		st.account = nil
		s.flash(w, r, "signout.done")
	}
	redirect(w, r, "/signin")
	return nil
}

type forgotForm struct{ Email string }

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "forgot", &View{Title: "forgot.title", Form: forgotForm{}})
	return nil
}

func (s *Server) forgotPost(w http.ResponseWriter, r *http.Request) error {
	f := forgotForm{Email: accounts.NormalizeEmail(r.PostFormValue("email"))}
	if key := accounts.CheckEmail(f.Email); key != "" {
		s.render(w, r, http.StatusUnprocessableEntity, "forgot", &View{Title: "forgot.title", Form: f,
			Errors: apperr.FieldErrors{"email": key}})
		return nil
	}
	ip := s.clientIP(r)
	if ok, retry := s.limits.resetIP.Check(ip); !ok {
		s.log.Warn("security", "event", "reset.limited", "scope", "client", "client_ip", ip)
		return tooSoon(retry)
	}
	if ok, retry := s.limits.resetEmail.Check(f.Email); !ok {
		s.log.Warn("security", "event", "reset.limited", "scope", "account", "client_ip", ip)
		return tooSoon(retry)
	}
	s.limits.resetIP.Hit(ip)
	s.limits.resetEmail.Hit(f.Email)
	token, err := s.accounts.RequestReset(r.Context(), f.Email, func(tx *sql.Tx, a *accounts.Account, token string) error {
		m, err := s.mail.Compose(s.langFor(a, r), a.Email, a.DisplayName, &mail.PasswordReset{
			Recipient: mail.Recipient{Name: a.DisplayName, Link: s.absURL("/password/reset/" + token)}})
		if err != nil {
			return err
		}
		_, err = s.outbox.Enqueue(r.Context(), tx, m)
		return err
	})
	if err != nil {
		return err
	}
	if token != "" {
		s.outbox.Notify()
		s.log.Info("security", "event", "reset.requested", "client_ip", ip)
	}
	// The same answer whether or not the address has an account.
	s.render(w, r, http.StatusOK, "forgot_sent", &View{Title: "forgot.title", Data: f.Email})
	return nil
}

type resetForm struct {
	Email string
	Token string
}

func (s *Server) resetPage(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	a, err := s.accounts.ResetByToken(r.Context(), token)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "reset", &View{Title: "reset.title", Form: resetForm{Email: a.Email, Token: token}})
	return nil
}

func (s *Server) resetPost(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	ip := s.clientIP(r)
	if ok, retry := s.limits.resetIP.Check(ip); !ok {
		return tooSoon(retry)
	}
	a, err := s.accounts.ResetByToken(r.Context(), token)
	if err != nil {
		s.limits.resetIP.Hit(ip)
		return err
	}
	key := strconv.FormatInt(a.ID, 10)
	if ok, retry := s.limits.resetAccount.Check(key); !ok {
		s.log.Warn("security", "event", "reset.limited", "scope", "account", "account_id", a.ID)
		return tooSoon(retry)
	}
	s.limits.resetAccount.Hit(key)
	f := accounts.ResetForm{Password: r.PostFormValue("password"), Confirm: r.PostFormValue("confirm")}
	if errs := f.Validate(a); !errs.OK() {
		s.render(w, r, http.StatusUnprocessableEntity, "reset", &View{Title: "reset.title",
			Form: resetForm{Email: a.Email, Token: token}, Errors: errs})
		return nil
	}
	a, ended, err := s.accounts.CompleteReset(r.Context(), token, f.Password)
	if err != nil {
		return err
	}
	s.log.Info("security", "event", "reset.completed", "account_id", a.ID, "sessions_ended", ended, "client_ip", ip)
	if a.TwoFactor {
		// A new password does not stand in for the second factor.
		if err := s.beginSecondFactor(w, r, a, "/"); err != nil {
			return err
		}
		s.flash(w, r, "reset.done")
		redirect(w, r, "/signin/code")
		return nil
	}
	if err := s.startSession(w, r, a); err != nil {
		return err
	}
	s.flash(w, r, "reset.done")
	redirect(w, r, "/")
	return nil
}

// langFor is the language to write to a: theirs, else the request's.
func (s *Server) langFor(a *accounts.Account, r *http.Request) string {
	if a != nil && a.Lang != "" {
		return a.Lang
	}
	return state(r).lang
}

// absURL makes a link for an email from a path on this site.
func (s *Server) absURL(path string) string {
	return s.cfg.BaseURL.String() + path
}
