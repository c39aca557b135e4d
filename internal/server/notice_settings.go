package server

import (
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/notifications"
)

// noticeGroups orders the kinds on the settings page, under headings.
var noticeGroups = []struct {
	Title string
	Kinds []string
}{
	{"notifications.group.conversation", []string{notifications.Reply, notifications.Comment, notifications.Adoption,
		notifications.Question, notifications.QuestionAnswered, notifications.QuestionReminder}},
	{"notifications.group.work", []string{notifications.Published, notifications.SentBack, notifications.Rejected,
		notifications.ChangeApproved, notifications.ChangeReturned, notifications.PracticeHidden, notifications.PracticeRestored,
		notifications.CommentHidden, notifications.CommentRestored, notifications.AdoptionHidden, notifications.AdoptionRestored,
		notifications.QuestionHidden, notifications.QuestionRestored,
		notifications.AppealAnswered}},
	{"notifications.group.flags", []string{notifications.FlagActioned, notifications.FlagDismissed}},
	{"notifications.group.focal", []string{notifications.QuestionUnanswered, notifications.ReviewUnanswered}},
	{"notifications.group.staff", []string{notifications.QueueWaiting, notifications.InviteAccepted}},
}

// receives reports whether a can receive notifications of kind.
func receives(a *accounts.Account, kind string) bool {
	switch notifications.AudienceOf(kind) {
	case notifications.Moderators:
		return a.Role.AtLeast(accounts.Moderator)
	case notifications.Admins:
		return a.Role == accounts.Admin
	case notifications.FocalPoints:
		return a.FocalPoint
	}
	return true
}

// settable lists, in the page's order, the kinds a chooses the delivery
// of: what the settings page shows and all its form must send.
func settable(a *accounts.Account) [][]string {
	out := make([][]string, len(noticeGroups))
	for i, g := range noticeGroups {
		for _, k := range g.Kinds {
			if receives(a, k) {
				out[i] = append(out[i], k)
			}
		}
	}
	return out
}

type noticeRow struct {
	Kind     string
	Delivery notifications.Delivery
	Default  notifications.Delivery
}

type noticeGroup struct {
	Title string
	Rows  []noticeRow
}

type noticeSettingsData struct {
	Groups     []noticeGroup
	Deliveries []notifications.Delivery
	DigestOff  bool
}

func (s *Server) noticeSettingsView(r *http.Request, prefs map[string]notifications.Delivery, errs apperr.FieldErrors) (*View, error) {
	a := currentAccount(r)
	choice, err := s.accounts.DigestChoiceOf(r.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	d := noticeSettingsData{Deliveries: notifications.Deliveries, DigestOff: !choice.Enabled}
	for i, kinds := range settable(a) {
		ng := noticeGroup{Title: noticeGroups[i].Title}
		for _, k := range kinds {
			ng.Rows = append(ng.Rows, noticeRow{Kind: k, Delivery: prefs[k], Default: notifications.Default(k)})
		}
		if len(ng.Rows) > 0 {
			d.Groups = append(d.Groups, ng)
		}
	}
	return &View{Title: "notifications.settings_title", Data: d, Errors: errs}, nil
}

// noticeSettings shows, per kind, how the person hears of it by email.
func (s *Server) noticeSettings(w http.ResponseWriter, r *http.Request) error {
	prefs, err := s.inbox.Prefs(r.Context(), currentAccount(r).ID)
	if err != nil {
		return err
	}
	v, err := s.noticeSettingsView(r, prefs, nil)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "notice_settings", v)
	return nil
}

// noticeSettingsPost stores the choices; a choice that is not one of
// the three comes back marked, with the others as sent.
func (s *Server) noticeSettingsPost(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return s.formError(err)
	}
	a := currentAccount(r)
	prefs, err := s.inbox.Prefs(r.Context(), a.ID)
	if err != nil {
		return err
	}
	errs := apperr.FieldErrors{}
	chosen := map[string]notifications.Delivery{}
	for _, k := range slices.Concat(settable(a)...) {
		d := notifications.Delivery(r.PostFormValue("kind." + k))
		if !d.Valid() {
			errs.Add("kind."+k, "field.invalid_choice")
			continue
		}
		chosen[k], prefs[k] = d, d
	}
	if !errs.OK() {
		v, err := s.noticeSettingsView(r, prefs, errs)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusUnprocessableEntity, "notice_settings", v)
		return nil
	}
	if err := s.inbox.SetPrefs(r.Context(), a.ID, chosen); err != nil {
		return err
	}
	s.flash(w, r, "account.saved")
	redirect(w, r, "/settings/notifications")
	return nil
}

type noticeUnsubData struct {
	Action string
	Kinds  []string
	Done   bool
}

// noticeUnsubscribePage asks before turning off the email of the kinds
// an immediate email's link names; a GET changes nothing (mail scanners
// follow links).
func (s *Server) noticeUnsubscribePage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.inbox.ByToken(r.Context(), chi.URLParam(r, "token"), r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	s.recipientLanguage(w, r, u.AccountID)
	s.render(w, r, http.StatusOK, "unsubscribe_notices", &View{Title: "unsubscribe.notices_title",
		Data: noticeUnsubData{Action: r.URL.RequestURI(), Kinds: u.Kinds, Done: u.Done}})
	return nil
}

// noticeUnsubscribePost turns that email off: the link's own button, or a
// mail client's one-click POST (RFC 8058). Repeating it answers the same.
func (s *Server) noticeUnsubscribePost(w http.ResponseWriter, r *http.Request) error {
	u, err := s.inbox.Unsubscribe(r.Context(), chi.URLParam(r, "token"), r.URL.Query().Get("kind"), s.clock.Now())
	if err != nil {
		return err
	}
	s.recipientLanguage(w, r, u.AccountID)
	s.log.Info("notification email turned off", "account_id", u.AccountID, "kinds", u.Kinds,
		"one_click", r.PostFormValue("List-Unsubscribe") == "One-Click")
	slices.Sort(u.Kinds)
	s.render(w, r, http.StatusOK, "unsubscribe_notices", &View{Title: "unsubscribe.notices_title",
		Data: noticeUnsubData{Kinds: u.Kinds, Done: true}})
	return nil
}
