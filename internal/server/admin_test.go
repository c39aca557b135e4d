package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
	// The admin who invited is told, with a link to the new account.
	if page := admin.Get("/notifications").Body; !strings.Contains(page, "Beatriz Souza accepted your invitation and joined Puente") ||
		!strings.Contains(page, fmt.Sprintf(`name="next" value="/admin/accounts/%d"`, a.ID)) {
		t.Errorf("the inviting admin is not told:\n%s", page)
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
		if res := official.Get("/account"); res.Status != http.StatusSeeOther {
			t.Fatalf("old session survived the role change: %d", res.Status)
		}
		// The browser is told why, once, on the sign-in page.
		if page := official.Get("/signin").Body; !strings.Contains(page, "an administrator changed your role") {
			t.Errorf("the signed-out browser is not told why:\n%s", page)
		}
		if page := official.Get("/signin").Body; strings.Contains(page, "an administrator changed your role") {
			t.Error("the reason is told twice")
		}
		if !strings.Contains(admin.Get(path).Body, "The role was changed") {
			t.Error("no confirmation")
		}
	})
	t.Run("suspension", func(t *testing.T) {
		official := e.SignIn("ana@gob.pa")
		cookieBefore := official.Cookie(cookie)
		// A reason is required, and a past end date refused; what was
		// typed comes back beside the field.
		if res := admin.PostForm(path+"/suspend", url.Values{"reason": {" "}}); res.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body, `id="suspend-reason-error"`) {
			t.Fatalf("suspension without a reason: %d", res.Status)
		}
		if res := admin.PostForm(path+"/suspend", url.Values{"reason": {"Publicó datos personales."}, "until": {"2020-01-01"}}); res.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body, `id="suspend-until-error"`) || !strings.Contains(res.Body, ">Publicó datos personales.</textarea>") {
			t.Fatalf("suspension until a past date: %d", res.Status)
		}
		until := e.Clock.Now().AddDate(0, 0, 3).Format("2006-01-02")
		if res := admin.PostForm(path+"/suspend", url.Values{"reason": {"Publicó datos personales."}, "until": {until}}); res.Status != http.StatusSeeOther {
			t.Fatalf("suspend: %d", res.Status)
		}
		e.SendMail()
		all := e.SMTP.WaitFor(t, 2, 5*time.Second)
		// The role change of the first subtest was a security notice,
		// which always goes out.
		if m := smtptest.Parse(t, all[0].Raw); m.Subject() != "Security notice: a change to your Puente account" ||
			!strings.Contains(m.Text, "you are now Moderator") || !strings.Contains(m.Text, "they cannot be turned off") {
			t.Errorf("role change notice %q\n%s", m.Subject(), m.Text)
		}
		if m := smtptest.Parse(t, all[len(all)-1].Raw); m.Subject() != "Your Puente account is suspended" ||
			!strings.Contains(m.Text, "Publicó datos personales.") || !strings.Contains(m.Text, "The suspension ends on") {
			t.Fatalf("suspension email %q\n%s", m.Subject(), m.Text)
		}
		if page := official.Get("/signin").Body; !strings.Contains(page, "an administrator suspended your account") {
			t.Error("the suspended browser is not told why")
		}
		// The public log names neither the person nor the reason.
		e.CreateAccount("mx@gob.mx", accounts.Official, "MX")
		publicLog := e.SignIn("mx@gob.mx").Get("/log").Body
		publicLog = publicLog[strings.Index(publicLog, "<tbody>"):] // the entries (she is a moderator now: the filter names her)
		if !strings.Contains(publicLog, "an account of Panama") || strings.Contains(publicLog, "ana@gob.pa") ||
			strings.Contains(publicLog, ">ana<") || strings.Contains(publicLog, "Publicó datos personales.") {
			t.Errorf("the public log exposes the suspension:\n%s", publicLog)
		}
		if staffLog := admin.Get("/log").Body; !strings.Contains(staffLog, "Publicó datos personales.") {
			t.Error("staff do not read the suspension's reason in the log")
		}
		replay := e.Client()
		replay.SetCookie(cookie, cookieBefore)
		if res := replay.Get("/account"); res.Status != http.StatusSeeOther {
			t.Fatalf("suspended account's cookie works: %d", res.Status)
		}
		res := e.Client().PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {servertest.Password}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "This account is suspended") {
			t.Fatalf("suspended sign-in: %d", res.Status)
		}
		// The end date passes: the account comes back by itself, logged,
		// at its next sign-in or at the server's next sweep.
		luis := e.CreateAccount("luis@gob.pa", accounts.Official, "PA")
		if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/suspend", luis.ID), url.Values{"reason": {"Cuenta compartida."}, "until": {until}}); res.Status != http.StatusSeeOther {
			t.Fatalf("suspend a second account: %d", res.Status)
		}
		e.Clock.Advance(4 * 24 * time.Hour)
		e.SignIn("ana@gob.pa")
		if n, err := e.Accounts.EndSuspensions(t.Context()); n != 1 || err != nil {
			t.Errorf("the sweep ended %d suspensions (%v), want luis's", n, err)
		}
		if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action = 'account.reactivate' AND actor_id IS NULL`); n != 2 {
			t.Errorf("%d automatic reactivations logged, want 2", n)
		}
		// Without an end date, only an administrator brings it back.
		admin := e.SignIn("admin@puente.test") // the old session expired meanwhile
		if res := admin.PostForm(path+"/suspend", url.Values{"reason": {"Cuenta compartida."}}); res.Status != http.StatusSeeOther {
			t.Fatalf("suspend: %d", res.Status)
		}
		e.Clock.Advance(365 * 24 * time.Hour)
		if res := e.Client().PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {servertest.Password}}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("open-ended suspension ended by itself: %d", res.Status)
		}
		admin = e.SignIn("admin@puente.test")
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
	admin.PostForm(path+"/suspend", url.Values{"reason": {"Prueba"}})
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

// An administrator corrects an account, changes its address through the
// new address's confirmation (the old one is told), and hands a departing
// official's practices to a colleague of the same country.
func TestAdminCorrectsAccounts(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t) // mod, pa@gob.pa, mx@gob.mx, br@gov.br
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	pa2 := e.CreateAccount("pa2@gob.pa", accounts.Official, "PA")
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	e.SendMail() // the author hears that it was published
	published := len(e.SMTP.WaitFor(t, 1, 5*time.Second))
	admin := e.SignIn("admin@puente.test")
	ana, _ := e.Accounts.ByEmail(t.Context(), "pa@gob.pa")
	page := fmt.Sprintf("/admin/accounts/%d", ana.ID)

	// Name and country, with problems beside their fields.
	if res := admin.PostForm(page+"/correct", url.Values{"display_name": {" "}, "country": {"PA"}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `id="c-name-error"`) {
		t.Fatalf("empty name: %d", res.Status)
	}
	if res := admin.PostForm(page+"/correct", url.Values{"display_name": {"Ana Pérez"}, "country": {""}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `id="c-country-error"`) || !strings.Contains(res.Body, `value="Ana Pérez"`) {
		t.Fatalf("official without a country: %d", res.Status)
	}
	if res := admin.PostForm(page+"/correct", url.Values{"display_name": {"Ana Pérez"}, "country": {"PA"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("correct: %d", res.Status)
	}
	if a, _ := e.Accounts.ByID(t.Context(), ana.ID); a.DisplayName != "Ana Pérez" {
		t.Fatalf("name after correction: %q", a.DisplayName)
	}

	// The address: nothing changes until the new one confirms.
	if res := admin.PostForm(page+"/email", url.Values{"email": {"mx@gob.mx"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an address already in use: %d", res.Status)
	}
	if res := admin.PostForm(page+"/email", url.Values{"email": {"ana.perez@migracion.gob.pa"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("email change: %d", res.Status)
	}
	e.SendMail()
	msgs := e.SMTP.WaitFor(t, published+2, 5*time.Second)[published:]
	var confirm string
	var toldOld bool
	for _, m := range msgs {
		p := smtptest.Parse(t, m.Raw)
		switch {
		case slices.Contains(m.To, "ana.perez@migracion.gob.pa"):
			confirm = e.LinkIn(p.Text, "/email/confirm/")
		case slices.Contains(m.To, "pa@gob.pa"):
			toldOld = strings.Contains(p.Text, "ana.perez@migracion.gob.pa")
		}
	}
	if confirm == "" || !toldOld {
		t.Fatalf("confirmation link %q, old address told %t", confirm, toldOld)
	}
	if a, _ := e.Accounts.ByID(t.Context(), ana.ID); a.Email != "pa@gob.pa" {
		t.Fatal("the address changed before it was confirmed")
	}
	visitor := e.Client()
	if res := visitor.Get(confirm); res.Status != http.StatusOK || !strings.Contains(res.Body, "ana.perez@migracion.gob.pa") {
		t.Fatalf("confirmation page: %d", res.Status)
	}
	if a, _ := e.Accounts.ByID(t.Context(), ana.ID); a.Email != "pa@gob.pa" {
		t.Fatal("opening the link changed the address")
	}
	if res := visitor.PostForm(confirm, nil); res.Status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", res.Status)
	}
	if res := visitor.PostForm(confirm, nil); res.Status != http.StatusNotFound {
		t.Fatalf("a used link: %d", res.Status)
	}
	e.SignIn("ana.perez@migracion.gob.pa")

	// Handing the practices to a colleague of the same country only.
	mx, _ := e.Accounts.ByEmail(t.Context(), "mx@gob.mx")
	if res := admin.PostForm(page+"/transfer", url.Values{"to": {fmt.Sprint(mx.ID)}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("transfer to another country: %d", res.Status)
	}
	if res := admin.PostForm(page+"/transfer", url.Values{"to": {fmt.Sprint(pa2.ID)}}); res.Status != http.StatusSeeOther {
		t.Fatalf("transfer: %d", res.Status)
	}
	if author := dbtest.Int(t, e.DB.R, `SELECT author_id FROM practices WHERE id = ?`, idOf(path)); author != pa2.ID {
		t.Fatalf("author after the transfer: %d", author)
	}
	if res := e.SignIn("pa2@gob.pa").Get(path + "/edit"); res.Status != http.StatusOK {
		t.Errorf("the successor cannot edit: %d", res.Status)
	}
	e.SendMail()
	n := 0
	for _, m := range e.SMTP.Messages() {
		if smtptest.Parse(t, m.Raw).Subject() == "Practices changed hands on Puente" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d transfer emails, want 2", n)
	}
	// The log says it in the reader's language.
	if log := admin.Get("/log").Body; !strings.Contains(log, "(1 practice)") || !strings.Contains(log, "(confirmed)") ||
		!strings.Contains(log, "(Name)") || strings.Contains(log, "account "+fmt.Sprint(pa2.ID)) {
		t.Errorf("log details:\n%s", log[strings.Index(log, "<tbody>"):])
	}
	if got := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action IN ('account.edit', 'account.email', 'account.transfer')`); got != 4 {
		t.Errorf("%d log entries for the correction, the address (asked, confirmed) and the transfer, want 4", got)
	}
}
