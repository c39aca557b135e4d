package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/qrsvg"
)

// Session values of two-factor sign-in. Between the password and the code
// the session holds who is signing in, not a signed-in account.
const (
	pendingAccountKey = "2fa_account" // int64
	pendingAtKey      = "2fa_at"      // int64, Unix seconds of the password check
	pendingNextKey    = "2fa_next"    // string
	totpSetupKey      = "totp_setup"  // string, otpauth:// URL not yet confirmed
)

// pendingFor is how long the code may follow the password.
const pendingFor = 10 * time.Minute

// CodeLimit is how many wrong codes an account may type per LimitWindow.
const CodeLimit = 5

var errTwoFactorNeeded = apperr.New(apperr.Forbidden, "twofactor.required_first")

// beginSecondFactor is the password step succeeding for an account with
// two-factor sign-in: a new session id that holds only who is signing in.
func (s *Server) beginSecondFactor(w http.ResponseWriter, r *http.Request, a *accounts.Account, next string) error {
	sess := state(r).session
	if err := s.sessions.Renew(r, sess); err != nil {
		return err
	}
	sess.Values = map[any]any{pendingAccountKey: a.ID, pendingAtKey: s.clock.Now().Unix(), pendingNextKey: next}
	return sess.Save(r, w)
}

// pendingAccount is the account between its password and its code, or nil
// when there is none or it waited too long.
func (s *Server) pendingAccount(r *http.Request) (*accounts.Account, string, error) {
	sess := state(r).session
	if sess == nil {
		return nil, "", nil
	}
	id, _ := sess.Values[pendingAccountKey].(int64)
	at, _ := sess.Values[pendingAtKey].(int64)
	next, _ := sess.Values[pendingNextKey].(string)
	if id == 0 || s.clock.Now().Sub(time.Unix(at, 0)) > pendingFor {
		return nil, "", nil
	}
	a, err := s.accounts.ByID(r.Context(), id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	if a.Status != accounts.Active || !a.TwoFactor {
		return nil, "", nil
	}
	return a, next, nil
}

type codeForm struct{ Code string }

// pendingOrRestart is pendingAccount for the code step's handlers: with
// nobody between password and code, the browser is sent back to sign in
// and a is nil.
func (s *Server) pendingOrRestart(w http.ResponseWriter, r *http.Request) (a *accounts.Account, next string, err error) {
	a, next, err = s.pendingAccount(r)
	if err == nil && a == nil {
		s.flash(w, r, "twofactor.start_again")
		redirect(w, r, "/signin")
	}
	return a, next, err
}

func (s *Server) signinCodePage(w http.ResponseWriter, r *http.Request) error {
	a, _, err := s.pendingOrRestart(w, r)
	if a == nil {
		return err
	}
	s.render(w, r, http.StatusOK, "signin_code", &View{Title: "twofactor.signin_title", Form: codeForm{}})
	return nil
}

// checkCode verifies a second-factor code for a, counting failures against
// the per-account limit; a refused code comes back as a field error.
func (s *Server) checkCode(r *http.Request, a *accounts.Account, code string) (usedRecovery bool, errs apperr.FieldErrors, err error) {
	key := strconv.FormatInt(a.ID, 10)
	ip := s.clientIP(r)
	if ok, retry := s.limits.code.Check(key); !ok {
		s.log.Warn("security", "event", "2fa.locked", "account_id", a.ID, "client_ip", ip)
		return false, nil, tooSoon(retry)
	}
	if ok, retry := s.limits.codeIP.Check(ip); !ok {
		s.log.Warn("security", "event", "2fa.locked", "scope", "client", "client_ip", ip)
		return false, nil, tooSoon(retry)
	}
	errs = apperr.FieldErrors{}
	if strings.TrimSpace(code) == "" {
		errs.Add("code", "field.required")
		return false, errs, nil
	}
	usedRecovery, err = s.accounts.VerifySecondFactor(r.Context(), a.ID, code)
	if errors.Is(err, accounts.ErrBadCode) || errors.Is(err, accounts.ErrCodeUsed) {
		s.limits.code.Hit(key)
		s.limits.codeIP.Hit(ip)
		s.log.Warn("security", "event", "2fa.failure", "reason", apperr.KeyOf(err), "account_id", a.ID, "client_ip", ip)
		errs.Add("code", apperr.KeyOf(err))
		return false, errs, nil
	}
	if err != nil {
		return false, nil, err
	}
	return usedRecovery, errs, nil
}

func (s *Server) signinCodePost(w http.ResponseWriter, r *http.Request) error {
	a, next, err := s.pendingOrRestart(w, r)
	if a == nil {
		return err
	}
	f := codeForm{Code: r.PostFormValue("code")}
	usedRecovery, errs, err := s.checkCode(r, a, f.Code)
	if err != nil {
		return err
	}
	if !errs.OK() {
		s.render(w, r, http.StatusUnprocessableEntity, "signin_code", &View{Title: "twofactor.signin_title", Form: f, Errors: errs})
		return nil
	}
	s.limits.code.Reset(strconv.FormatInt(a.ID, 10))
	if err := s.startSession(w, r, a); err != nil {
		return err
	}
	s.log.Info("security", "event", "signin.success", "account_id", a.ID, "second_factor", map[bool]string{true: "recovery", false: "totp"}[usedRecovery], "client_ip", s.clientIP(r))
	if usedRecovery {
		s.flash(w, r, "twofactor.recovery_used")
	}
	redirect(w, r, next)
	return nil
}

// totpSetup is what the page shows while an authenticator is being added.
type totpSetup struct {
	QR     *qrsvg.Image
	Secret string // grouped by four for reading aloud or typing
}

type twoFactorData struct {
	State *accounts.TwoFactor
	Setup *totpSetup
	// Codes are new recovery codes, shown on this one answer only.
	Codes []string
}

func (s *Server) twoFactorView(r *http.Request) (*View, error) {
	a := currentAccount(r)
	st, err := s.accounts.TwoFactorState(r.Context(), a)
	if err != nil {
		return nil, err
	}
	d := &twoFactorData{State: st}
	if url, _ := state(r).session.Values[totpSetupKey].(string); url != "" && !st.Enabled {
		k, err := otp.NewKeyFromURL(url)
		if err != nil {
			return nil, err
		}
		qr, err := qrsvg.Draw(url)
		if err != nil {
			return nil, err
		}
		d.Setup = &totpSetup{QR: qr, Secret: groupBy4(k.Secret())}
	}
	return &View{Title: "twofactor.title", Data: d, Form: codeForm{}}, nil
}

func groupBy4(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (s *Server) twoFactorPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.twoFactorView(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "twofactor", v)
	return nil
}

// twoFactorSetup makes a new secret and keeps it in the session until a
// code from the authenticator confirms it.
func (s *Server) twoFactorSetup(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	if a.TwoFactor {
		redirect(w, r, "/account/2fa")
		return nil
	}
	k, err := accounts.NewTOTPKey(a)
	if err != nil {
		return err
	}
	sess := state(r).session
	sess.Values[totpSetupKey] = k.URL()
	if err := sess.Save(r, w); err != nil {
		return err
	}
	redirect(w, r, "/account/2fa#setup")
	return nil
}

// showCodes answers with the page listing new recovery codes; it is not
// stored by the browser or a proxy.
func (s *Server) showCodes(w http.ResponseWriter, r *http.Request, codes []string) error {
	v, err := s.twoFactorView(r)
	if err != nil {
		return err
	}
	v.Data.(*twoFactorData).Codes = codes
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "twofactor", v)
	return nil
}

func (s *Server) twoFactorEnable(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	sess := state(r).session
	url, _ := sess.Values[totpSetupKey].(string)
	if url == "" || a.TwoFactor {
		s.flash(w, r, "twofactor.setup_again")
		redirect(w, r, "/account/2fa")
		return nil
	}
	k, err := otp.NewKeyFromURL(url)
	if err != nil {
		return err
	}
	key := strconv.FormatInt(a.ID, 10)
	if ok, retry := s.limits.code.Check(key); !ok {
		return tooSoon(retry)
	}
	f := codeForm{Code: r.PostFormValue("code")}
	codes, err := s.accounts.EnableTOTP(r.Context(), a.ID, k.Secret(), f.Code)
	if errors.Is(err, accounts.ErrBadCode) {
		s.limits.code.Hit(key)
		v, verr := s.twoFactorView(r)
		if verr != nil {
			return verr
		}
		v.Form = f
		v.Errors = apperr.FieldErrors{"code": apperr.KeyOf(err)}
		s.render(w, r, http.StatusUnprocessableEntity, "twofactor", v)
		return nil
	}
	if err != nil {
		return err
	}
	delete(sess.Values, totpSetupKey)
	if err := sess.Save(r, w); err != nil {
		return err
	}
	s.log.Info("security", "event", "2fa.enabled", "account_id", a.ID)
	if err := s.securityNotice(r, a, "twofactor_on", ""); err != nil {
		return err
	}
	a.TwoFactor = true
	return s.showCodes(w, r, codes)
}

// twoFactorConfirm re-renders the page with a field error unless code is
// right; ok reports whether the caller may go on.
func (s *Server) twoFactorConfirm(w http.ResponseWriter, r *http.Request, errs apperr.FieldErrors) (ok bool, err error) {
	a := currentAccount(r)
	if !a.TwoFactor {
		redirect(w, r, "/account/2fa")
		return false, nil
	}
	f := codeForm{Code: r.PostFormValue("code")}
	// A code is spent only when the rest of the form is right.
	if errs.OK() {
		_, codeErrs, err := s.checkCode(r, a, f.Code)
		if err != nil {
			return false, err
		}
		if codeErrs.OK() {
			return true, nil
		}
		errs = codeErrs
	}
	v, err := s.twoFactorView(r)
	if err != nil {
		return false, err
	}
	v.Form = f
	v.Errors = errs
	s.render(w, r, http.StatusUnprocessableEntity, "twofactor", v)
	return false, nil
}

func (s *Server) twoFactorRecovery(w http.ResponseWriter, r *http.Request) error {
	ok, err := s.twoFactorConfirm(w, r, apperr.FieldErrors{})
	if !ok || err != nil {
		return err
	}
	a := currentAccount(r)
	codes, err := s.accounts.NewRecoveryCodes(r.Context(), a.ID)
	if err != nil {
		return err
	}
	s.log.Info("security", "event", "2fa.recovery_codes_renewed", "account_id", a.ID)
	if err := s.securityNotice(r, a, "recovery_codes", ""); err != nil {
		return err
	}
	return s.showCodes(w, r, codes)
}

func (s *Server) twoFactorDisable(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	errs := apperr.FieldErrors{}
	required, err := s.accounts.TwoFactorRequiredFor(r.Context(), a)
	if err != nil {
		return err
	}
	if required {
		errs.Add("form", "twofactor.cannot_disable")
	} else if ok, err := s.accounts.CheckPasswordOf(r.Context(), a.ID, r.PostFormValue("password")); err != nil {
		return err
	} else if !ok {
		errs.Add("password", "password.current_wrong")
	}
	ok, err := s.twoFactorConfirm(w, r, errs)
	if !ok || err != nil {
		return err
	}
	if err := s.accounts.DisableTOTP(r.Context(), a.ID); err != nil {
		return err
	}
	s.log.Info("security", "event", "2fa.disabled", "account_id", a.ID)
	if err := s.securityNotice(r, a, "twofactor_off", ""); err != nil {
		return err
	}
	s.flash(w, r, "twofactor.disabled")
	redirect(w, r, "/account/2fa")
	return nil
}

// twoFactorFree are the paths a moderator or admin who must add two-factor
// sign-in can still reach: the setup page and the way out.
func twoFactorFree(path string) bool {
	return path == "/account/2fa" || strings.HasPrefix(path, "/account/2fa/") || path == "/signout" ||
		path == "/language" || strings.HasPrefix(path, "/static/") || path == "/healthz"
}

// enforceTwoFactor sends moderators and admins without two-factor sign-in
// to its setup page when an admin requires it of them; until then they can
// do nothing else.
func (s *Server) enforceTwoFactor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := currentAccount(r)
		if a == nil || a.TwoFactor || !a.Role.AtLeast(accounts.Moderator) || twoFactorFree(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		required, err := s.accounts.TwoFactorRequired(r.Context())
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if !required {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			s.flash(w, r, "twofactor.required_notice")
			redirect(w, r, "/account/2fa")
			return
		}
		s.renderError(w, r, errTwoFactorNeeded)
	})
}

type securityData struct {
	Required bool
	Missing  []*accounts.Account
}

func (s *Server) adminSecurity(w http.ResponseWriter, r *http.Request) error {
	required, err := s.accounts.TwoFactorRequired(r.Context())
	if err != nil {
		return err
	}
	missing, err := s.accounts.StaffWithoutTwoFactor(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_security", &View{Title: "admin.security.title", Data: securityData{Required: required, Missing: missing}})
	return nil
}

func (s *Server) adminSecurityPost(w http.ResponseWriter, r *http.Request) error {
	on := r.PostFormValue("require_2fa") == "1"
	err := s.accounts.SetTwoFactorRequired(r.Context(), currentAccount(r), on)
	switch {
	case apperr.Is(err, apperr.Conflict):
		s.flash(w, r, apperr.KeyOf(err))
	case err != nil:
		return err
	default:
		s.log.Info("security", "event", "2fa.required_changed", "actor_id", currentAccount(r).ID, "required", on)
		s.flash(w, r, "admin.security.saved")
	}
	redirect(w, r, "/admin/security")
	return nil
}

func (s *Server) adminResetTwoFactor(w http.ResponseWriter, r *http.Request) error {
	return s.adminChange(w, r, "2fa.reset", func(actor *accounts.Account, id int64) (*accounts.Change, error) {
		c, err := s.accounts.ResetTwoFactor(r.Context(), actor, id)
		if err == nil {
			err = s.securityNotice(r, c.Account, "twofactor_reset", "")
		}
		return c, err
	}, "admin.twofactor_was_reset")
}
