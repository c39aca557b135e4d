package server

import (
	"cmp"
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/mail"
	"puente/internal/taxonomy"
)

type accountsData struct {
	Accounts  []*accounts.Account
	Countries []*taxonomy.Country
	Names     map[string]string // country code → name
	Filter    accounts.Filter
	NextURL   string
}

func (s *Server) countryNames(r *http.Request) ([]*taxonomy.Country, map[string]string, error) {
	lang := state(r).lang
	cs := s.taxonomy.Countries(lang)
	names := make(map[string]string, len(cs))
	for _, c := range cs {
		names[c.Code] = c.Name(lang)
	}
	return cs, names, nil
}

func (s *Server) adminAccounts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := accounts.Filter{Country: q.Get("country"), Role: q.Get("role"), Status: q.Get("status"), Query: q.Get("q")}
	if after, err := strconv.ParseInt(q.Get("after"), 10, 64); err == nil {
		f.AfterID = after
	}
	if f.Role != "" && !accounts.Role(f.Role).Valid() {
		f.Role = ""
	}
	if f.Status != string(accounts.Active) && f.Status != string(accounts.Suspended) {
		f.Status = ""
	}
	list, more, err := s.accounts.List(r.Context(), f)
	if err != nil {
		return err
	}
	cs, names, err := s.countryNames(r)
	if err != nil {
		return err
	}
	d := accountsData{Accounts: list, Countries: cs, Names: names, Filter: f}
	if more {
		next := url.Values{}
		for k, v := range map[string]string{"country": f.Country, "role": f.Role, "status": f.Status, "q": f.Query} {
			if v != "" {
				next.Set(k, v)
			}
		}
		next.Set("after", strconv.FormatInt(list[len(list)-1].ID, 10))
		d.NextURL = "/admin/accounts?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "admin_accounts", &View{Title: "admin.accounts.title", Data: d})
	return nil
}

type accountDetail struct {
	Target    *accounts.Account
	Country   string
	Countries []*taxonomy.Country
	// Officials of the same country who may take over the practices.
	Successors []*accounts.Account
	// What was typed in a form that came back.
	Reason, Until, Name, CountryCode, NewEmail string
	// An observer's access: as stored, or as typed in a form that came
	// back.
	Observer accounts.ObserverAccess
}

// accountForm is what was typed in one of the account page's forms.
type accountForm struct {
	Reason, Until, Name, CountryCode, NewEmail string
	Observer                                   *accounts.ObserverAccess
}

func (s *Server) targetAccount(r *http.Request) (*accounts.Account, error) {
	id, err := urlID(r)
	if err != nil {
		return nil, err
	}
	return s.accounts.ByID(r.Context(), id)
}

func (s *Server) adminAccount(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, nil, accountForm{})
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, errs apperr.FieldErrors, f accountForm) error {
	t, err := s.targetAccount(r)
	if err != nil {
		return err
	}
	d := accountDetail{Target: t, Reason: f.Reason, Until: f.Until, Name: cmp.Or(f.Name, t.DisplayName),
		CountryCode: t.CountryCode, NewEmail: f.NewEmail, Countries: s.taxonomy.Countries(state(r).lang)}
	if f.Name != "" {
		d.CountryCode = f.CountryCode
	}
	d.Observer = accounts.ObserverAccess{Organisation: t.Organisation, Scope: t.ObserverScope, Comments: t.ObserverComments}
	if f.Observer != nil {
		d.Observer = *f.Observer
	}
	if c := s.taxonomy.Country(t.CountryCode); c != nil {
		d.Country = c.Name(state(r).lang)
	}
	if t.CountryCode != "" {
		list, _, err := s.accounts.List(r.Context(), accounts.Filter{Country: t.CountryCode, Status: string(accounts.Active), Limit: 200})
		if err != nil {
			return err
		}
		for _, a := range list {
			if a.ID != t.ID && a.Role == accounts.Official {
				d.Successors = append(d.Successors, a)
			}
		}
	}
	s.render(w, r, status, "admin_account", &View{Title: "admin.account.title", Data: d, Errors: errs})
	return nil
}

// adminChange runs one change to an account and answers with a flash; a
// refused change (yourself, the last admin, nothing to change) comes
// back as a message on the same page.
func (s *Server) adminChange(w http.ResponseWriter, r *http.Request, event string, do func(actor *accounts.Account, id int64) (*accounts.Change, error), done string) error {
	actor := currentAccount(r)
	t, err := s.targetAccount(r)
	if err != nil {
		return err
	}
	c, err := do(actor, t.ID)
	var refused *formRefusal
	if errors.As(err, &refused) {
		return err
	}
	if err != nil {
		if code := apperr.CodeOf(err); code == apperr.Conflict || code == apperr.Unprocessable {
			s.flash(w, r, apperr.KeyOf(err))
			redirect(w, r, "/admin/accounts/"+strconv.FormatInt(t.ID, 10))
			return nil
		}
		return err
	}
	s.log.Info("security", "event", event, "actor_id", actor.ID, "account_id", c.Account.ID,
		"role_before", string(c.Before.Role), "role", string(c.Account.Role), "status", string(c.Account.Status), "sessions_ended", c.SessionsEnded)
	s.flash(w, r, done)
	redirect(w, r, "/admin/accounts/"+strconv.FormatInt(t.ID, 10))
	return nil
}

func (s *Server) adminSetRole(w http.ResponseWriter, r *http.Request) error {
	role := accounts.Role(r.PostFormValue("role"))
	return s.adminChange(w, r, "account.role_changed", func(actor *accounts.Account, id int64) (*accounts.Change, error) {
		c, err := s.accounts.SetRole(r.Context(), actor, id, role)
		if err == nil {
			err = s.securityNotice(r, c.Account, "role_changed", string(role))
		}
		return c, err
	}, "admin.role_changed")
}

// adminSuspend suspends an account with a reason and an optional end
// date (the day it comes back, in UTC), and emails the person why. A
// missing reason or a past date comes back beside its field, as typed.
func (s *Server) adminSuspend(w http.ResponseWriter, r *http.Request) error {
	reason, untilText := r.PostFormValue("reason"), strings.TrimSpace(r.PostFormValue("until"))
	var until time.Time
	if untilText != "" {
		d, err := time.Parse("2006-01-02", untilText)
		if err != nil {
			return s.renderAccount(w, r, http.StatusUnprocessableEntity, apperr.FieldErrors{"until": "admin.suspend_until_past"}, accountForm{Reason: reason, Until: untilText})
		}
		until = d
	}
	var suspended *accounts.Account
	err := s.adminChange(w, r, "account.suspended", func(actor *accounts.Account, id int64) (*accounts.Change, error) {
		c, err := s.accounts.Suspend(r.Context(), actor, id, reason, until)
		if errs := apperr.FieldsOf(err, "reason"); errs != nil && apperr.Is(err, apperr.Unprocessable) {
			return nil, &formRefusal{errs}
		}
		if err == nil {
			suspended = c.Account
		}
		return c, err
	}, "admin.suspended")
	var refused *formRefusal
	if errors.As(err, &refused) {
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, refused.errs, accountForm{Reason: reason, Until: untilText})
	}
	if err == nil && suspended != nil {
		date := ""
		if !until.IsZero() {
			date = i18n.For(cmp.Or(suspended.Lang, i18n.Default)).Date(until)
		}
		err = s.notices.Account(r.Context(), suspended, "/signin", &mail.AccountSuspended{Reason: strings.TrimSpace(reason), Until: date})
	}
	return err
}

// adminCorrect corrects an account's display name and country.
func (s *Server) adminCorrect(w http.ResponseWriter, r *http.Request) error {
	f := accountForm{Name: r.PostFormValue("display_name"), CountryCode: r.PostFormValue("country")}
	t, err := s.targetAccount(r)
	if err != nil {
		return err
	}
	_, err = s.accounts.Correct(r.Context(), currentAccount(r), t.ID, f.Name, f.CountryCode, s.taxonomy.CountryExists)
	return s.accountAnswer(w, r, t.ID, err, f, "admin.corrected")
}

// adminEmail asks the account's new address to confirm a change, and
// tells the old one.
func (s *Server) adminEmail(w http.ResponseWriter, r *http.Request) error {
	f := accountForm{NewEmail: r.PostFormValue("email")}
	t, err := s.targetAccount(r)
	if err != nil {
		return err
	}
	token, a, err := s.accounts.RequestEmailChange(r.Context(), currentAccount(r), t.ID, f.NewEmail)
	if err == nil {
		newEmail := accounts.NormalizeEmail(f.NewEmail)
		if err = s.notices.Send(r.Context(), a, newEmail, "/email/confirm/"+token, &mail.EmailChange{Confirm: true, NewEmail: newEmail}); err == nil {
			err = s.notices.Account(r.Context(), a, "/signin", &mail.EmailChange{NewEmail: newEmail})
		}
	}
	return s.accountAnswer(w, r, t.ID, err, f, "admin.email_change_sent")
}

// adminTransfer hands a departing official's practices to a colleague.
func (s *Server) adminTransfer(w http.ResponseWriter, r *http.Request) error {
	t, err := s.targetAccount(r)
	if err != nil {
		return err
	}
	to, _ := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
	_, err = s.moderation.TransferPractices(r.Context(), currentAccount(r), t.ID, to)
	if err == nil {
		s.outbox.Notify()
	}
	return s.accountAnswer(w, r, t.ID, err, accountForm{}, "admin.transferred")
}

// accountAnswer answers one of the account page's forms: the page again
// with the problems beside their fields, a flash for a refusal, or the
// page with done.
func (s *Server) accountAnswer(w http.ResponseWriter, r *http.Request, id int64, err error, f accountForm, done string) error {
	if errs := apperr.FieldsOf(err, "form"); errs != nil {
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, errs, f)
	}
	if code := apperr.CodeOf(err); err != nil && code == apperr.Conflict {
		s.flash(w, r, apperr.KeyOf(err))
	} else if err != nil {
		return err
	} else {
		s.flash(w, r, done)
	}
	redirect(w, r, "/admin/accounts/"+strconv.FormatInt(id, 10))
	return nil
}

// emailConfirmPage shows, for a change link, the address it sets and a
// button: opening a link changes nothing.
func (s *Server) emailConfirmPage(w http.ResponseWriter, r *http.Request) error {
	email, a, err := s.accounts.PendingEmail(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "email_confirm", &View{Title: "email_change.title", Data: map[string]string{"Name": a.DisplayName, "Email": email}})
	return nil
}

func (s *Server) emailConfirm(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.accounts.ConfirmEmailChange(r.Context(), chi.URLParam(r, "token")); err != nil {
		return err
	}
	s.log.Info("security", "event", "account.email_changed")
	s.flash(w, r, "email_change.done")
	redirect(w, r, "/signin")
	return nil
}

// formRefusal carries a form's problems out of adminChange, whose own
// answer to a refusal is a flash.
type formRefusal struct{ errs apperr.FieldErrors }

func (e *formRefusal) Error() string { return "form refused" }

func (s *Server) adminReactivate(w http.ResponseWriter, r *http.Request) error {
	return s.adminChange(w, r, "account.reactivated", func(actor *accounts.Account, id int64) (*accounts.Change, error) {
		return s.accounts.Reactivate(r.Context(), actor, id)
	}, "admin.reactivated")
}

type invitationsData struct {
	Pending   []*accounts.Invitation
	Countries []*taxonomy.Country
	Names     map[string]string
}

func (s *Server) invitationsView(r *http.Request) (*View, error) {
	pending, err := s.accounts.PendingInvitations(r.Context())
	if err != nil {
		return nil, err
	}
	cs, names, err := s.countryNames(r)
	if err != nil {
		return nil, err
	}
	return &View{Title: "admin.invitations.title", Form: accounts.InviteForm{Role: string(accounts.Official)},
		Data: invitationsData{Pending: pending, Countries: cs, Names: names}}, nil
}

func (s *Server) adminInvitations(w http.ResponseWriter, r *http.Request) error {
	v, err := s.invitationsView(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_invitations", v)
	return nil
}

func (s *Server) adminInvite(w http.ResponseWriter, r *http.Request) error {
	actor := currentAccount(r)
	f := accounts.InviteForm{
		Email: r.PostFormValue("email"), Role: r.PostFormValue("role"),
		Country: r.PostFormValue("country"), Lang: r.PostFormValue("lang"),
		Observer: accounts.ObserverAccess{Organisation: r.PostFormValue("organisation"), Scope: r.PostFormValue("scope"),
			Comments: r.PostFormValue("comments") == "1"},
	}
	errs, err := s.invite(r, actor, &f)
	if err != nil {
		return err
	}
	if !errs.OK() {
		v, err := s.invitationsView(r)
		if err != nil {
			return err
		}
		v.Form, v.Errors = f, errs
		s.render(w, r, http.StatusUnprocessableEntity, "admin_invitations", v)
		return nil
	}
	s.flash(w, r, "admin.invited")
	redirect(w, r, "/admin/invitations")
	return nil
}

// invite checks f and, if it holds, records the invitation and queues its
// email in one transaction. The problems come back per field.
func (s *Server) invite(r *http.Request, actor *accounts.Account, f *accounts.InviteForm) (apperr.FieldErrors, error) {
	errs := f.Validate(s.taxonomy.CountryExists, i18n.Supported)
	if !errs.OK() {
		return errs, nil
	}
	if f.Lang == "" {
		// The invitation speaks the country's language unless the
		// inviter chose one.
		f.Lang = i18n.Default
		if c := s.taxonomy.Country(f.Country); c != nil {
			f.Lang = c.DefaultLang
		}
	}
	inv, _, err := s.accounts.Invite(r.Context(), *f, actor.ID, func(tx *sql.Tx, inv *accounts.Invitation, token string) error {
		m, err := s.mail.Compose(inv.Lang, inv.Email, "", &mail.Invitation{
			Recipient: mail.Recipient{Link: s.absURL("/invitations/" + token)},
			Inviter:   actor.DisplayName,
			Role:      string(inv.Role),
			Expires:   i18n.For(inv.Lang).Date(inv.ExpiresAt),
		})
		if err != nil {
			return err
		}
		_, err = s.outbox.Enqueue(r.Context(), tx, m)
		return err
	})
	if apperr.Is(err, apperr.Conflict) {
		errs.Add("email", apperr.KeyOf(err))
		return errs, nil
	} else if err != nil {
		return nil, err
	}
	s.outbox.Notify()
	s.log.Info("security", "event", "invitation.created", "actor_id", actor.ID, "invitation_id", inv.ID, "role", string(inv.Role), "country", inv.CountryCode)
	return errs, nil
}

func (s *Server) adminRevokeInvitation(w http.ResponseWriter, r *http.Request) error {
	actor := currentAccount(r)
	id, err := urlID(r)
	if err != nil {
		return err
	}
	inv, err := s.accounts.RevokeInvitation(r.Context(), actor.ID, id)
	if apperr.Is(err, apperr.Conflict) {
		s.flash(w, r, apperr.KeyOf(err))
		redirect(w, r, "/admin/invitations")
		return nil
	}
	if err != nil {
		return err
	}
	s.log.Info("security", "event", "invitation.revoked", "actor_id", actor.ID, "invitation_id", inv.ID)
	s.flash(w, r, "admin.invitation_revoked")
	redirect(w, r, "/admin/invitations")
	return nil
}

// securityNotice emails a a notice about a change to how they sign in or
// what they may do: it always goes out.
func (s *Server) securityNotice(r *http.Request, a *accounts.Account, event, role string) error {
	return s.notices.Account(r.Context(), a, "/account", &mail.SecurityNotice{Event: event, Role: role})
}
