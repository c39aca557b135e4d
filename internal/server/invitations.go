package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"puente/internal/accounts"
)

type acceptView struct {
	Invitation *accounts.Invitation
	Country    string
	Token      string
}

func (s *Server) invitation(w http.ResponseWriter, r *http.Request) (*accounts.Invitation, error) {
	ip := s.clientIP(r)
	if ok, retry := s.limits.inviteIP.Check(ip); !ok {
		s.log.Warn("security", "event", "invitation.limited", "client_ip", ip)
		return nil, tooSoon(retry)
	}
	inv, err := s.accounts.InvitationByToken(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		s.limits.inviteIP.Hit(ip)
		return nil, err
	}
	return inv, nil
}

func (s *Server) acceptView(r *http.Request, inv *accounts.Invitation) acceptView {
	v := acceptView{Invitation: inv, Token: chi.URLParam(r, "token")}
	if c := s.taxonomy.Country(inv.CountryCode); c != nil {
		v.Country = c.Name(state(r).lang)
	}
	return v
}

func (s *Server) acceptPage(w http.ResponseWriter, r *http.Request) error {
	inv, err := s.invitation(w, r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "accept", &View{Title: "accept.title", Data: s.acceptView(r, inv), Form: accounts.AcceptForm{}})
	return nil
}

func (s *Server) acceptPost(w http.ResponseWriter, r *http.Request) error {
	inv, err := s.invitation(w, r)
	if err != nil {
		return err
	}
	key := strconv.FormatInt(inv.ID, 10)
	if ok, retry := s.limits.invitation.Check(key); !ok {
		s.log.Warn("security", "event", "invitation.limited", "invitation_id", inv.ID)
		return tooSoon(retry)
	}
	s.limits.inviteIP.Hit(s.clientIP(r))
	s.limits.invitation.Hit(key)
	f := accounts.AcceptForm{
		DisplayName: r.PostFormValue("display_name"),
		Password:    r.PostFormValue("password"),
		Confirm:     r.PostFormValue("confirm"),
	}
	if errs := f.Validate(inv.Email); !errs.OK() {
		f.Password, f.Confirm = "", ""
		s.render(w, r, http.StatusUnprocessableEntity, "accept", &View{Title: "accept.title", Data: s.acceptView(r, inv), Form: f, Errors: errs})
		return nil
	}
	lang := inv.Lang
	if lang == "" {
		lang = state(r).lang
	}
	a, err := s.accounts.Accept(r.Context(), chi.URLParam(r, "token"), f, lang)
	if err != nil {
		return err
	}
	s.log.Info("security", "event", "invitation.accepted", "account_id", a.ID, "role", string(a.Role), "client_ip", s.clientIP(r))
	if err := s.startSession(w, r, a); err != nil {
		return err
	}
	s.flash(w, r, "accept.welcome")
	redirect(w, r, "/")
	return nil
}
