package server

import (
	"net/http"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/mail"
	"puente/internal/practices"
)

// requirePoster lets through officials and staff: an observer reads (and
// comments, when allowed) but never posts practices, flags, or records
// what a country did with a practice.
func (s *Server) requirePoster(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := currentAccount(r); a == nil || !a.Posts() {
			s.renderError(w, r, apperr.New(apperr.Forbidden, "observer.cannot_post"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// adminFocal names an official focal point of their country, or ends it.
func (s *Server) adminFocal(w http.ResponseWriter, r *http.Request) error {
	on := r.PostFormValue("focal") == "1"
	done := "admin.focal_appointed"
	if !on {
		done = "admin.focal_ended"
	}
	return s.adminChange(w, r, "account.focal_point", func(actor *accounts.Account, id int64) (*accounts.Change, error) {
		return s.accounts.SetFocalPoint(r.Context(), actor, id, on)
	}, done)
}

// adminObserver sets what an observer reads and whether it may comment.
func (s *Server) adminObserver(w http.ResponseWriter, r *http.Request) error {
	o := accounts.ObserverAccess{Organisation: r.PostFormValue("organisation"), Scope: r.PostFormValue("scope"), Comments: r.PostFormValue("comments") == "1"}
	t, err := s.targetAccount(r)
	if err != nil {
		return err
	}
	_, err = s.accounts.SetObserverAccess(r.Context(), currentAccount(r), t.ID, o)
	return s.accountAnswer(w, r, t.ID, err, accountForm{Observer: &o}, "admin.observer_saved")
}

// focalView is a focal point's page: their country's accounts, the
// invitations pending for it, and its practices not published.
type focalView struct {
	Country  string
	Accounts []*accounts.Account
	Pending  []*accounts.Invitation
	Work     []*practices.Practice
	// The country's practices whose authors did not say whether they are
	// still current: the focal point may answer.
	ToConfirm []toConfirm
	Refs      *refs
	// A refused suspension: whose, and the reason as typed.
	SuspendID int64
	Reason    string
}

// focalPoint is the signed-in focal point, or a 403.
func focalPoint(r *http.Request) (*accounts.Account, error) {
	a := currentAccount(r)
	if a == nil || !a.FocalFor(a.CountryCode) {
		return nil, apperr.New(apperr.Forbidden, "focal.only")
	}
	return a, nil
}

func (s *Server) focalPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderFocal(w, r, http.StatusOK, nil, accounts.InviteForm{}, focalView{})
}

func (s *Server) renderFocal(w http.ResponseWriter, r *http.Request, status int, errs apperr.FieldErrors, f accounts.InviteForm, d focalView) error {
	fp, err := focalPoint(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if d.Accounts, _, err = s.accounts.List(ctx, accounts.Filter{Country: fp.CountryCode, Limit: 200}); err != nil {
		return err
	}
	pending, err := s.accounts.PendingInvitations(ctx)
	if err != nil {
		return err
	}
	for _, inv := range pending {
		if inv.CountryCode == fp.CountryCode && inv.Role == accounts.Official {
			d.Pending = append(d.Pending, inv)
		}
	}
	if d.Work, err = s.practices.CountryWork(ctx, s.viewer(r)); err != nil {
		return err
	}
	waiting, asked, err := s.practices.CountryReviews(ctx, s.viewer(r))
	if err != nil {
		return err
	}
	for _, p := range waiting {
		d.ToConfirm = append(d.ToConfirm, toConfirm{P: p, AskedAt: asked[p.ID]})
	}
	if d.Refs, err = s.refs(r); err != nil {
		return err
	}
	if c := s.taxonomy.Country(fp.CountryCode); c != nil {
		d.Country = c.Name(state(r).lang)
	}
	s.render(w, r, status, "focal", &View{Title: "focal.title", Data: d, Form: f, Errors: errs})
	return nil
}

// focalInvite invites an official of the focal point's own country: the
// country and the role are theirs, whatever the form says.
func (s *Server) focalInvite(w http.ResponseWriter, r *http.Request) error {
	fp, err := focalPoint(r)
	if err != nil {
		return err
	}
	f := accounts.InviteForm{Email: r.PostFormValue("email"), Role: string(accounts.Official), Country: fp.CountryCode, Lang: r.PostFormValue("lang")}
	errs, err := s.invite(r, fp, &f)
	if err != nil {
		return err
	}
	if !errs.OK() {
		return s.renderFocal(w, r, http.StatusUnprocessableEntity, errs, f, focalView{})
	}
	s.flash(w, r, "admin.invited")
	redirect(w, r, "/focal")
	return nil
}

// focalSuspend suspends one of the focal point's country's officials,
// with a reason the person is told; only an admin lifts it.
func (s *Server) focalSuspend(w http.ResponseWriter, r *http.Request) error {
	fp, err := focalPoint(r)
	if err != nil {
		return err
	}
	id, err := urlID(r)
	if err != nil {
		return err
	}
	reason := r.PostFormValue("reason")
	c, err := s.accounts.FocalSuspend(r.Context(), fp, id, reason)
	if errs := apperr.FieldsOf(err, "reason"); errs != nil && apperr.Is(err, apperr.Unprocessable) {
		return s.renderFocal(w, r, http.StatusUnprocessableEntity, errs, accounts.InviteForm{}, focalView{SuspendID: id, Reason: reason})
	}
	if apperr.Is(err, apperr.Conflict) {
		s.flash(w, r, apperr.KeyOf(err))
		redirect(w, r, "/focal")
		return nil
	}
	if err != nil {
		return err
	}
	s.log.Info("security", "event", "account.suspended", "actor_id", fp.ID, "account_id", id, "by", "focal point", "sessions_ended", c.SessionsEnded)
	if err := s.notices.Account(r.Context(), c.Account, "/signin", &mail.AccountSuspended{Reason: c.Account.SuspendReason}); err != nil {
		return err
	}
	s.flash(w, r, "admin.suspended")
	redirect(w, r, "/focal")
	return nil
}

// practiceShare shows a draft to the author's country's focal points, or
// stops showing it.
func (s *Server) practiceShare(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	on := r.PostFormValue("share") == "1"
	if err := s.practices.ShareWithFocal(r.Context(), s.viewer(r), id, on); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			s.flash(w, r, apperr.KeyOf(err))
			redirect(w, r, "/my/practices")
			return nil
		}
		return err
	}
	s.flash(w, r, map[bool]string{true: "focal.shared", false: "focal.unshared"}[on])
	redirect(w, r, "/my/practices")
	return nil
}
