package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/mail/smtptest"
	"puente/internal/servertest"
)

func TestInvitationJourney(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	admin := e.SignIn("admin@puente.test")

	res := admin.PostForm("/admin/invitations", url.Values{"email": {" Beatriz@Gov.BR "}, "role": {"official"}, "country": {"BR"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", res.Status, res.Body)
	}
	if list := admin.Get("/admin/invitations"); !strings.Contains(list.Body, "beatriz@gov.br") {
		t.Fatal("pending invitation not listed")
	}
	e.SendMail()
	msgs := e.SMTP.WaitFor(t, 1, 5*time.Second)
	m := smtptest.Parse(t, msgs[0].Raw)
	// No language chosen: the invitation speaks Brazil's.
	if m.Subject() != "Convite para o Puente" {
		t.Errorf("subject %q, want the Portuguese one", m.Subject())
	}
	if !strings.Contains(m.Text, "admin convidou você") || !strings.Contains(m.HTML, "Servidor(a)") {
		t.Errorf("body not in Portuguese or lacks inviter/role:\n%s", m.Text)
	}
	link := e.LinkIn(m.Text, "/invitations/")

	person := e.Client()
	page := person.Get(link)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "beatriz@gov.br") || !strings.Contains(page.Body, "Brazil") {
		t.Fatalf("invitation page: %d\n%s", page.Status, page.Body)
	}
	bad := person.PostForm(link, url.Values{"display_name": {"Beatriz Souza"}, "password": {"short"}, "confirm": {"short"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "at least 8 characters long") ||
		!strings.Contains(bad.Body, `value="Beatriz Souza"`) {
		t.Fatalf("bad password: %d\n%s", bad.Status, bad.Body)
	}
	mismatch := person.PostForm(link, url.Values{"display_name": {"Beatriz Souza"}, "password": {"uma frase longa e boa"}, "confirm": {"uma frase diferente"}})
	if mismatch.Status != http.StatusUnprocessableEntity || !strings.Contains(mismatch.Body, "do not match") {
		t.Fatalf("mismatch: %d", mismatch.Status)
	}
	ok := person.PostForm(link, url.Values{"display_name": {"Beatriz Souza"}, "password": {"uma frase longa e boa"}, "confirm": {"uma frase longa e boa"}})
	if ok.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", ok.Status, ok.Body)
	}
	home := person.Get("/")
	if home.Status != http.StatusOK || !strings.Contains(home.Body, "Olá, Beatriz Souza") {
		t.Fatalf("not signed in, or not in the invitation's language: %d", home.Status)
	}
	a, err := e.Accounts.ByEmail(t.Context(), "beatriz@gov.br")
	if err != nil || a.Role != accounts.Official || a.CountryCode != "BR" || a.Lang != "pt" {
		t.Fatalf("account %+v, %v", a, err)
	}
	if again := e.Client().Get(link); again.Status != http.StatusGone {
		t.Fatalf("used invitation: %d, want 410", again.Status)
	}
	if again := e.Client().PostForm(link, url.Values{"display_name": {"X"}, "password": {"another fine phrase"}, "confirm": {"another fine phrase"}}); again.Status != http.StatusGone {
		t.Fatalf("second acceptance: %d, want 410", again.Status)
	}
}

func TestInvitationExpiresAndCanBeRevoked(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	admin := e.SignIn("admin@puente.test")
	admin.PostForm("/admin/invitations", url.Values{"email": {"a@gob.cl"}, "role": {"official"}, "country": {"CL"}, "lang": {"en"}})
	admin.PostForm("/admin/invitations", url.Values{"email": {"b@gob.cl"}, "role": {"moderator"}, "country": {""}, "lang": {"en"}})
	e.SendMail()
	msgs := e.SMTP.WaitFor(t, 2, 5*time.Second)
	links := map[string]string{}
	for _, m := range msgs {
		links[m.To[0]] = e.LinkIn(smtptest.Parse(t, m.Raw).Text, "/invitations/")
	}
	id := dbtest.Int(t, e.DB.R, `SELECT id FROM invitations WHERE email = 'b@gob.cl'`)
	if res := admin.PostForm(fmt.Sprintf("/admin/invitations/%d/revoke", id), nil); res.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.Status)
	}
	if res := e.Client().Get(links["b@gob.cl"]); res.Status != http.StatusGone {
		t.Fatalf("revoked link: %d", res.Status)
	}
	if res := e.Client().Get(links["a@gob.cl"]); res.Status != http.StatusOK {
		t.Fatalf("valid link: %d", res.Status)
	}
	e.Clock.Advance(7*24*time.Hour + time.Second)
	if res := e.Client().Get(links["a@gob.cl"]); res.Status != http.StatusGone {
		t.Fatalf("expired link: %d", res.Status)
	}
}

func TestInviteFormValidation(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	e.CreateAccount("taken@gob.mx", accounts.Official, "MX")
	admin := e.SignIn("admin@puente.test")
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"bad email", url.Values{"email": {"not-an-address"}, "role": {"official"}, "country": {"MX"}}, "Enter a valid email address"},
		{"official without country", url.Values{"email": {"x@gob.mx"}, "role": {"official"}, "country": {""}}, "officials represent a member state"},
		{"unknown country", url.Values{"email": {"x@gob.mx"}, "role": {"official"}, "country": {"FR"}}, "not a member of the CRM or the CSM"},
		{"unknown role", url.Values{"email": {"x@gob.mx"}, "role": {"king"}, "country": {"MX"}}, "Choose a role from the list."},
		{"existing account", url.Values{"email": {"TAKEN@gob.mx"}, "role": {"official"}, "country": {"MX"}}, "already exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.PostForm("/admin/invitations", tc.form)
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.Status)
			}
			if !strings.Contains(res.Body, tc.want) {
				t.Errorf("message %q missing", tc.want)
			}
			if !strings.Contains(res.Body, "value=\""+strings.ToLower(tc.form.Get("email"))+"\"") {
				t.Errorf("typed address not kept")
			}
		})
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM invitations`); n != 0 {
		t.Fatalf("%d invitations stored from invalid forms", n)
	}
}

func TestAdminRoutesNeedAnAdmin(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	e.CreateAccount("mod@puente.test", accounts.Moderator, "")
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	// The accounts acted upon are not the ones signed in, so one role's
	// requests cannot end another's session.
	target := e.CreateAccount("target@gob.pa", accounts.Official, "PA")
	clients := map[string]*servertest.Client{
		"anonymous": e.Client(),
		"official":  e.SignIn("ana@gob.pa"),
		"moderator": e.SignIn("mod@puente.test"),
		"admin":     e.SignIn("admin@puente.test"),
	}
	id := fmt.Sprint(target.ID)
	routes := []struct{ method, path string }{
		{"GET", "/admin/accounts"},
		{"GET", "/admin/accounts/" + id},
		{"GET", "/admin/invitations"},
		{"POST", "/admin/invitations"},
		{"POST", "/admin/accounts/" + id + "/role"},
		{"POST", "/admin/accounts/" + id + "/suspend"},
		{"POST", "/admin/accounts/" + id + "/reactivate"},
		{"POST", "/admin/invitations/1/revoke"},
	}
	for who, c := range clients {
		for _, rt := range routes {
			var res *servertest.Response
			if rt.method == "GET" {
				res = c.Get(rt.path)
			} else {
				res = c.PostForm(rt.path, url.Values{"role": {"moderator"}})
			}
			var want []int
			switch who {
			case "anonymous":
				want = []int{303}
			case "official", "moderator":
				want = []int{403}
			case "admin":
				want = []int{200, 303, 422}
			}
			ok := false
			for _, w := range want {
				ok = ok || res.Status == w
			}
			if !ok {
				t.Errorf("%s %s %s: %d, want %v", who, rt.method, rt.path, res.Status, want)
			}
		}
	}
}

func TestAdminListFilters(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	e.CreateAccount("luis@gob.mx", accounts.Official, "MX")
	e.CreateAccount("mod@gob.mx", accounts.Moderator, "MX")
	admin := e.SignIn("admin@puente.test")
	for _, tc := range []struct {
		query     string
		want, not []string
	}{
		{"country=MX", []string{"luis@gob.mx", "mod@gob.mx"}, []string{"ana@gob.pa"}},
		{"role=official", []string{"luis@gob.mx", "ana@gob.pa"}, []string{"mod@gob.mx", "admin@puente.test"}},
		{"country=MX&role=moderator", []string{"mod@gob.mx"}, []string{"luis@gob.mx"}},
		{"q=ANA", []string{"ana@gob.pa"}, []string{"luis@gob.mx"}},
		{"status=suspended", nil, []string{"ana@gob.pa", "luis@gob.mx"}},
	} {
		res := admin.Get("/admin/accounts?" + tc.query)
		if res.Status != 200 {
			t.Fatalf("%s: %d", tc.query, res.Status)
		}
		for _, w := range tc.want {
			if !strings.Contains(res.Body, w) {
				t.Errorf("%s: %s missing", tc.query, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(res.Body, n) {
				t.Errorf("%s: %s listed", tc.query, n)
			}
		}
	}
}

func TestSuspensionAndRoleChangeEndSessions(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	ana := e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	admin := e.SignIn("admin@puente.test")
	path := fmt.Sprintf("/admin/accounts/%d", ana.ID)

	t.Run("role change", func(t *testing.T) {
		official := e.SignIn("ana@gob.pa")
		if res := admin.PostForm(path+"/role", url.Values{"role": {"moderator"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("role change: %d", res.Status)
		}
		if res := official.Get("/"); res.Status != http.StatusSeeOther {
			t.Fatalf("old session survived the role change: %d", res.Status)
		}
		if !strings.Contains(admin.Get(path).Body, "The role was changed") {
			t.Error("no confirmation")
		}
	})
	t.Run("suspension", func(t *testing.T) {
		official := e.SignIn("ana@gob.pa")
		cookieBefore := official.Cookie(cookie)
		if res := admin.PostForm(path+"/suspend", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("suspend: %d", res.Status)
		}
		replay := e.Client()
		replay.SetCookie(cookie, cookieBefore)
		if res := replay.Get("/"); res.Status != http.StatusSeeOther {
			t.Fatalf("suspended account's cookie works: %d", res.Status)
		}
		res := e.Client().PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {servertest.Password}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "This account is suspended") {
			t.Fatalf("suspended sign-in: %d", res.Status)
		}
		if res := admin.PostForm(path+"/reactivate", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("reactivate: %d", res.Status)
		}
		e.SignIn("ana@gob.pa")
	})
	logs := e.Logs.String()
	for _, ev := range []string{"event=account.role_changed", "event=account.suspended", "event=account.reactivated"} {
		if !strings.Contains(logs, ev) {
			t.Errorf("no %s log line", ev)
		}
	}
}

func TestAdminsCannotLockThemselvesOut(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	me := e.CreateAccount("admin@puente.test", accounts.Admin, "")
	admin := e.SignIn("admin@puente.test")
	path := fmt.Sprintf("/admin/accounts/%d", me.ID)
	admin.PostForm(path+"/suspend", nil)
	if !strings.Contains(admin.Get(path).Body, "You cannot change the role or access of your own account.") {
		t.Fatal("self-suspension not refused with a message")
	}
	other := e.CreateAccount("other@puente.test", accounts.Admin, "")
	otherAdmin := e.SignIn("other@puente.test")
	// Two admins: one may demote the other, then the last one is protected.
	if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/role", other.ID), url.Values{"role": {"moderator"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("demote: %d", res.Status)
	}
	if otherAdmin.Get("/admin/accounts").Status != http.StatusSeeOther {
		t.Fatal("demoted admin's session survived")
	}
	a, _ := e.Accounts.ByID(t.Context(), me.ID)
	if a.Status != accounts.Active || a.Role != accounts.Admin {
		t.Fatalf("admin changed: %+v", a)
	}
}

func TestInvitationAcceptanceIsRateLimited(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	e.SignIn("admin@puente.test").PostForm("/admin/invitations", url.Values{"email": {"a@gob.cl"}, "role": {"official"}, "country": {"CL"}})
	e.SendMail()
	link := e.LinkIn(smtptest.Parse(t, e.SMTP.WaitFor(t, 1, 5*time.Second)[0].Raw).Text, "/invitations/")
	for i := 0; i < 10; i++ {
		if res := e.Client().PostForm(link, url.Values{"display_name": {"A"}, "password": {"x"}, "confirm": {"x"}}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: %d", i+1, res.Status)
		}
	}
	if res := e.Client().PostForm(link, url.Values{"display_name": {"A"}, "password": {"a fine long phrase"}, "confirm": {"a fine long phrase"}}); res.Status != http.StatusTooManyRequests {
		t.Fatalf("11th attempt on one invitation: %d, want 429", res.Status)
	}
	// Guessing links from one address is limited too.
	for i := 0; i < 20; i++ {
		e.Client().Get("/invitations/guess" + fmt.Sprint(i))
	}
	if res := e.Client().Get("/invitations/guess-again"); res.Status != http.StatusTooManyRequests {
		t.Fatalf("link guessing: %d, want 429", res.Status)
	}
}
