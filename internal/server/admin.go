package server

import (
	"database/sql"
	"net/http"
	"net/url"
	"strconv"

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
	Target  *accounts.Account
	Country string
}

func (s *Server) targetAccount(r *http.Request) (*accounts.Account, error) {
	id, err := urlID(r)
	if err != nil {
		return nil, err
	}
	return s.accounts.ByID(r.Context(), id)
}

func (s *Server) adminAccount(w http.ResponseWriter, r *http.Request) error {
	t, err := s.targetAccount(r)
	if err != nil {
		return err
	}
	d := accountDetail{Target: t}
	if c := s.taxonomy.Country(t.CountryCode); c != nil {
		d.Country = c.Name(state(r).lang)
	}
	s.render(w, r, http.StatusOK, "admin_account", &View{Title: "admin.account.title", Data: d})
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
		return s.accounts.SetRole(r.Context(), actor, id, role)
	}, "admin.role_changed")
}

func (s *Server) adminSuspend(w http.ResponseWriter, r *http.Request) error {
	return s.adminChange(w, r, "account.suspended", func(actor *accounts.Account, id int64) (*accounts.Change, error) {
		return s.accounts.SetStatus(r.Context(), actor, id, accounts.Suspended)
	}, "admin.suspended")
}

func (s *Server) adminReactivate(w http.ResponseWriter, r *http.Request) error {
	return s.adminChange(w, r, "account.reactivated", func(actor *accounts.Account, id int64) (*accounts.Change, error) {
		return s.accounts.SetStatus(r.Context(), actor, id, accounts.Active)
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
	}
	errs := f.Validate(s.taxonomy.CountryExists, i18n.Supported)
	var inv *accounts.Invitation
	if errs.OK() {
		if f.Lang == "" {
			// The invitation speaks the country's language unless the
			// admin chose one.
			f.Lang = i18n.Default
			if c := s.taxonomy.Country(f.Country); c != nil {
				f.Lang = c.DefaultLang
			}
		}
		var err error
		inv, _, err = s.accounts.Invite(r.Context(), f, actor.ID, func(tx *sql.Tx, inv *accounts.Invitation, token string) error {
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
		} else if err != nil {
			return err
		}
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
	s.outbox.Notify()
	s.log.Info("security", "event", "invitation.created", "actor_id", actor.ID, "invitation_id", inv.ID, "role", string(inv.Role), "country", inv.CountryCode)
	s.flash(w, r, "admin.invited")
	redirect(w, r, "/admin/invitations")
	return nil
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
