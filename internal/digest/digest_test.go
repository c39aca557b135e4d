package digest_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/digest"
	"puente/internal/mail/smtptest"
	"puente/internal/notifications"
	"puente/internal/servertest"
)

// The tests run on Thursday 26 November 2026; the week covered is W47,
// Monday 16 to Sunday 22 November, in Panama's time.
var week47 = digest.Period{Year: 2026, Week: 47}

type fixture struct {
	*servertest.Env
	ctx context.Context
}

func setup(t *testing.T) *fixture {
	e := servertest.New(t)
	f := &fixture{Env: e, ctx: context.Background()}
	return f
}

// practice inserts a published practice directly, published at when.
func (f *fixture) practice(t *testing.T, author *accounts.Account, title, scope string, countries []string, tags []int64, when time.Time) int64 {
	t.Helper()
	at := db.FormatTime(when)
	res, err := f.DB.W.Exec(`INSERT INTO practices (author_id, status, scope, lang, title, summary, policy_version, period_start, created_at, updated_at, published_at)
		VALUES (?, 'published', ?, 'es', ?, ?, 1, '2021-01', ?, ?, ?)`, author.ID, scope, title, "Resumen de "+title, at, at, at)
	if err != nil {
		t.Fatal(err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range countries {
		dbtest.Exec(t, f.DB.W, `INSERT INTO practice_countries VALUES (?, ?)`, id, c)
	}
	for _, tg := range tags {
		dbtest.Exec(t, f.DB.W, `INSERT INTO practice_tags VALUES (?, ?)`, id, tg)
	}
	return id
}

func inWeek(day int) time.Time { return time.Date(2026, 11, 16+day, 15, 0, 0, 0, time.UTC) }

func (f *fixture) run(t *testing.T, p digest.Period, opt digest.Options) digest.Summary {
	t.Helper()
	sum, err := f.Digest.Run(f.ctx, p, opt)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func (f *fixture) messagesTo(t *testing.T) map[string][]*smtptest.Parsed {
	out := map[string][]*smtptest.Parsed{}
	for _, m := range f.SMTP.Messages() {
		out[m.To[0]] = append(out[m.To[0]], smtptest.Parse(t, m.Raw))
	}
	return out
}

func TestDigestContentScopeLanguageAndHeaders(t *testing.T) {
	t.Parallel()
	f := setup(t)
	pa := f.CreateAccount("pa@gob.pa", accounts.Official, "PA") // CRM, en
	br := f.CreateAccount("br@gov.br", accounts.Official, "BR") // CSM
	dbtest.Exec(t, f.DB.W, `UPDATE accounts SET lang = 'pt' WHERE id = ?`, br.ID)
	fr := f.CreateAccount("fr@gob.cl", accounts.Official, "CL")
	dbtest.Exec(t, f.DB.W, `UPDATE accounts SET lang = 'fr' WHERE id = ?`, fr.ID)
	off := f.CreateAccount("off@gob.cl", accounts.Official, "CL")
	dbtest.Exec(t, f.DB.W, `UPDATE accounts SET digest_enabled = 0 WHERE id = ?`, off.ID)
	gone := f.CreateAccount("gone@gob.cl", accounts.Official, "CL")
	dbtest.Exec(t, f.DB.W, `UPDATE accounts SET status = 'suspended' WHERE id = ?`, gone.ID)

	crm := f.practice(t, pa, "Solo CRM: ventanilla única", "crm", []string{"PA"}, []int64{1}, inWeek(1))
	f.practice(t, pa, "Para todos: registro biométrico", "members", []string{"PA"}, []int64{3}, inWeek(2))
	f.practice(t, br, "Operação Acolhida", "members", []string{"BR"}, []int64{5}, inWeek(3))
	f.practice(t, pa, "Publicada la semana anterior", "members", []string{"PA"}, []int64{1}, inWeek(-3))
	f.practice(t, pa, "Publicada esta semana", "members", []string{"PA"}, []int64{1}, inWeek(8))
	// A comment by Brazil on Panama's CRM-only... not possible; on the members one.
	members := dbtest.Int(t, f.DB.R, `SELECT id FROM practices WHERE title LIKE 'Para todos%'`)
	dbtest.Exec(t, f.DB.W, `INSERT INTO comments (practice_id, author_id, body_raw, body_html, policy_version, created_at) VALUES (?, ?, 'x', '<p>x</p>', 1, ?)`,
		members, br.ID, db.FormatTime(inWeek(4)))

	sum := f.run(t, week47, digest.Options{})
	if sum.Recipients != 3 || sum.Queued != 3 {
		t.Fatalf("summary %s", sum)
	}
	f.SendMail()
	msgs := f.messagesTo(t)
	if len(msgs) != 3 || len(msgs["pa@gob.pa"]) != 1 || len(msgs["br@gov.br"]) != 1 || len(msgs["fr@gob.cl"]) != 1 {
		t.Fatalf("messages to %v", msgs)
	}
	paMsg, brMsg, frMsg := msgs["pa@gob.pa"][0], msgs["br@gov.br"][0], msgs["fr@gob.cl"][0]

	// Headers (RFC 8058 one-click, a dated, identified, UTF-8 message).
	for _, m := range []*smtptest.Parsed{paMsg, brMsg, frMsg} {
		lu := m.Header.Get("List-Unsubscribe")
		if !strings.Contains(lu, "<"+f.HTTP.URL+"/unsubscribe/") || !strings.Contains(lu, "<mailto:") {
			t.Errorf("List-Unsubscribe %q", lu)
		}
		if m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", m.Header.Get("List-Unsubscribe-Post"))
		}
		if m.Header.Get("Message-ID") == "" || m.Header.Get("Date") == "" {
			t.Error("no Message-ID or Date")
		}
	}
	// A subject with accents travels as an RFC 2047 UTF-8 word.
	if raw := frMsg.Header.Get("Subject"); !strings.HasPrefix(raw, "=?UTF-8?") || frMsg.Subject() != "Puente : votre résumé hebdomadaire (2026-W47)" {
		t.Errorf("French subject %q decodes to %q", raw, frMsg.Subject())
	}
	// Language: English for Panama's official, Portuguese for Brazil's.
	if paMsg.Subject() != "Puente: your weekly digest (2026-W47)" || !strings.Contains(paMsg.Text, "New practices") {
		t.Errorf("English digest: %q", paMsg.Subject())
	}
	if brMsg.Subject() != "Puente: seu resumo semanal (2026-W47)" || !strings.Contains(brMsg.HTML, "Práticas novas") {
		t.Errorf("Portuguese digest: %q", brMsg.Subject())
	}
	// Content: the week's practices only, within scope.
	for _, part := range []string{paMsg.Text, paMsg.HTML} {
		for _, want := range []string{"Solo CRM: ventanilla única", "Para todos: registro biométrico", "Operação Acolhida", fmt.Sprintf("%s/practices/%d", f.HTTP.URL, crm)} {
			if !strings.Contains(part, want) {
				t.Errorf("Panama's digest lacks %q", want)
			}
		}
		for _, not := range []string{"semana anterior", "Publicada esta semana"} {
			if strings.Contains(part, not) {
				t.Errorf("Panama's digest has %q, outside the week", not)
			}
		}
	}
	if strings.Contains(brMsg.Text, "Solo CRM") || strings.Contains(brMsg.HTML, "Solo CRM") {
		t.Error("a CRM-only practice reached a CSM official")
	}
	// Comments on Panama's own practice, by others.
	if !strings.Contains(paMsg.Text, "New comments on your practices") || !strings.Contains(paMsg.Text, "1 comment (br)") {
		t.Errorf("comments section:\n%s", paMsg.Text)
	}

	// A rerun sends nothing again; an empty week sends nothing at all.
	if sum := f.run(t, week47, digest.Options{}); sum.Queued != 0 || sum.Done != 3 {
		t.Fatalf("rerun: %s", sum)
	}
	if sum := f.run(t, digest.Period{Year: 2026, Week: 40}, digest.Options{}); sum.Queued != 0 || sum.Empty != 3 {
		t.Fatalf("empty week: %s", sum)
	}
	f.SendMail()
	if n := len(f.SMTP.Messages()); n != 3 {
		t.Fatalf("%d messages after rerun and empty week, want 3", n)
	}
}

func TestFollowsNarrowTheDigestAndSettingsChangeThePreview(t *testing.T) {
	t.Parallel()
	f := setup(t)
	pa := f.CreateAccount("pa@gob.pa", accounts.Official, "PA")
	mx := f.CreateAccount("mx@gob.mx", accounts.Official, "MX")
	f.practice(t, mx, "Tarjeta regional", "members", []string{"MX"}, []int64{4}, inWeek(1))
	f.practice(t, mx, "Protección de la infancia", "members", []string{"MX"}, []int64{5}, inWeek(2))
	f.practice(t, pa, "Darién", "members", []string{"PA", "CR"}, []int64{1}, inWeek(3))

	c := f.SignIn("pa@gob.pa")
	before, _, err := f.Digest.Preview(f.ctx, pa, week47)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Tarjeta regional", "Protección de la infancia", "Darién"} {
		if !strings.Contains(before.Text, want) {
			t.Fatalf("following nothing, the digest lacks %q", want)
		}
	}
	res := c.PostForm("/settings/digest", url.Values{"enabled": {"1"}, "every": {"1"}, "tags": {"5"}, "countries": {"CR"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("settings: %d\n%s", res.Status, res.Body)
	}
	after, _, _ := f.Digest.Preview(f.ctx, pa, week47)
	if !strings.Contains(after.Text, "Protección de la infancia") || !strings.Contains(after.Text, "Darién") || strings.Contains(after.Text, "Tarjeta regional") {
		t.Fatalf("following tag 5 and Costa Rica:\n%s", after.Text)
	}
	if !strings.Contains(after.Text, "New practices in what you follow") {
		t.Error("heading does not say the list is narrowed")
	}
	// Bad settings: 422, nothing saved.
	res = c.PostForm("/settings/digest", url.Values{"every": {"3"}, "countries": {"XX"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad settings: %d", res.Status)
	}
	st, _ := f.Digest.Load(f.ctx, pa.ID)
	if !st.Enabled || st.Every != 1 || len(st.Countries) != 1 {
		t.Fatalf("settings changed by an invalid form: %+v", st)
	}
	// Every four weeks: week 47 is not due, week 48 is.
	c.PostForm("/settings/digest", url.Values{"enabled": {"1"}, "every": {"4"}})
	if sum := f.run(t, week47, digest.Options{DryRun: true}); sum.NotDue != 1 {
		t.Fatalf("every four weeks in W47: %s", sum)
	}
	// Admins preview any account's digest in the browser.
	f.CreateAccount("admin@puente.test", accounts.Admin, "")
	admin := f.SignIn("admin@puente.test")
	// W47 is not due for this account: the page says so, and can show
	// what the digest would hold anyway.
	page := admin.Get("/admin/digest/preview?email=pa@gob.pa&week=2026-W47")
	if page.Status != 200 || !strings.Contains(page.Body, "No digest would be sent to pa@gob.pa for 2026-W47:") || !strings.Contains(page.Body, "and not this one") {
		t.Fatalf("admin preview of a week not due: %d\n%s", page.Status, page.Body)
	}
	page = admin.Get("/admin/digest/preview?email=pa@gob.pa&week=2026-W47&anyway=1")
	if page.Status != 200 || !strings.Contains(page.Body, "Protección de la infancia") || !strings.Contains(page.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("admin preview: %d", page.Status)
	}
	c.PostForm("/settings/digest", url.Values{"every": {"1"}})
	if page := admin.Get("/admin/digest/preview?email=pa@gob.pa&week=2026-W47"); !strings.Contains(page.Body, "the person turned the digest off") {
		t.Error("the preview does not say the person turned the digest off")
	}
	if page := admin.Get("/admin/digest/preview?email=admin@puente.test&week=2026-W40"); !strings.Contains(page.Body, "there is nothing new for this person") {
		t.Error("the preview does not say the week is empty")
	}
	if res := c.Get("/admin/digest/preview?email=mx@gob.mx"); res.Status != http.StatusForbidden {
		t.Fatalf("official previewing: %d", res.Status)
	}
}

func TestCrashAndConcurrentRunsSendEachDigestOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	author := f.CreateAccount("author@gob.pa", accounts.Official, "PA")
	const n = 12
	for i := range n {
		f.CreateAccount(fmt.Sprintf("p%02d@gob.pa", i), accounts.Official, "PA")
	}
	f.practice(t, author, "La práctica de la semana", "members", []string{"PA"}, []int64{1}, inWeek(2))

	_, err := f.Digest.Run(f.ctx, week47, digest.Options{FailAfter: 5})
	if err != digest.ErrInjected {
		t.Fatalf("injected crash: %v", err)
	}
	if queued := dbtest.Int(t, f.DB.R, `SELECT count(*) FROM digest_deliveries`); queued != 5 {
		t.Fatalf("%d deliveries recorded before the crash, want 5", queued)
	}
	// Two runs at once after the restart.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := f.Digest.Run(f.ctx, week47, digest.Options{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	f.SendMail()
	got := map[string]int{}
	for _, m := range f.SMTP.Messages() {
		got[m.To[0]]++
	}
	if len(got) != n+1 {
		t.Fatalf("%d recipients, want %d", len(got), n+1)
	}
	for to, k := range got {
		if k != 1 {
			t.Errorf("%s received %d digests", to, k)
		}
	}
}

func TestSMTPAnswersRetryAndUndeliverable(t *testing.T) {
	t.Parallel()
	f := setup(t)
	a := f.CreateAccount("a@gob.pa", accounts.Official, "PA")
	b := f.CreateAccount("b@gob.pa", accounts.Official, "PA")
	f.practice(t, a, "Práctica", "members", []string{"PA"}, []int64{1}, inWeek(2))
	f.run(t, week47, digest.Options{})
	f.SMTP.FailFor("a@gob.pa", 451) // try later
	f.SMTP.FailFor("b@gob.pa", 550) // refused for good
	f.SendMail()
	f.Clock.Advance(2 * time.Minute)
	f.SendMail()
	msgs := f.messagesTo(t)
	if len(msgs["a@gob.pa"]) != 1 {
		t.Fatalf("after 451 then 250: %d messages to a", len(msgs["a@gob.pa"]))
	}
	if len(msgs["b@gob.pa"]) != 0 {
		t.Fatal("550 was retried")
	}
	if undeliverable := dbtest.Value[string](t, f.DB.R, `SELECT coalesce(undeliverable_at, '') FROM accounts WHERE id = ?`, b.ID); undeliverable == "" {
		t.Fatal("address not marked undeliverable after 550")
	}
	f.practice(t, a, "Otra", "members", []string{"PA"}, []int64{1}, time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC))
	if sum := f.run(t, digest.Period{Year: 2026, Week: 48}, digest.Options{DryRun: true}); sum.Recipients != 1 {
		t.Fatalf("next week still counts the undeliverable address: %s", sum)
	}
}

func TestOneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	f := setup(t)
	a := f.CreateAccount("a@gob.pa", accounts.Official, "PA")
	f.practice(t, a, "Práctica", "members", []string{"PA"}, []int64{1}, inWeek(2))
	f.run(t, week47, digest.Options{})
	f.SendMail()
	m := smtptest.Parse(t, f.SMTP.WaitFor(t, 1, 5*time.Second)[0].Raw)
	link := strings.TrimSuffix(strings.Split(m.Header.Get("List-Unsubscribe"), ">")[0][1:], "")
	path := strings.TrimPrefix(link, f.HTTP.URL)

	// A GET (a mail scanner) never unsubscribes.
	if res := f.Client().Get(path); res.Status != 200 || !strings.Contains(res.Body, "Stop receiving") {
		t.Fatalf("GET: %d", res.Status)
	}
	if st, _ := f.Digest.Load(f.ctx, a.ID); !st.Enabled {
		t.Fatal("GET unsubscribed")
	}
	// The mail client's one-click POST: no cookie, no token, another origin.
	req, _ := http.NewRequest(http.MethodPost, link, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://mail.example.org")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("one-click POST: %d", res.StatusCode)
	}
	if st, _ := f.Digest.Load(f.ctx, a.ID); st.Enabled {
		t.Fatal("not unsubscribed")
	}
	// A second one-click POST (mail clients retry) answers the same,
	// and so does opening the link again; both say how to turn it back on.
	for _, do := range []func() *servertest.Response{
		func() *servertest.Response {
			return f.Client().PostForm(path, url.Values{"List-Unsubscribe": {"One-Click"}})
		},
		func() *servertest.Response { return f.Client().Get(path) },
	} {
		if res := do(); res.Status != http.StatusOK || !strings.Contains(res.Body, "you will no longer receive") || !strings.Contains(res.Body, "To receive it again") {
			t.Errorf("repeated unsubscribe: %d", res.Status)
		}
	}
	// An unknown link gets a clear page.
	if res := f.Client().PostForm("/unsubscribe/not-a-token", nil); res.Status != http.StatusGone || !strings.Contains(res.Body, "is not valid") {
		t.Errorf("unknown link: %d", res.Status)
	}
	// The page speaks the recipient's language, whatever the browser's.
	f.Accounts.SetLang(f.ctx, a.ID, "pt")
	if res := f.Client().Get(path); !strings.Contains(res.Body, "Pronto: você não receberá mais") {
		t.Error("the unsubscribe page is not in the recipient's language")
	}
	// Other routes keep their cross-origin protection.
	c := f.SignIn("a@gob.pa")
	req, _ = http.NewRequest(http.MethodPost, c.Base+"/settings/digest", strings.NewReader("enabled=1&every=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := c.Do(req); r.Status != http.StatusForbidden {
		t.Fatalf("cross-site POST to settings: %d", r.Status)
	}
}

func TestPeriods(t *testing.T) {
	loc, _ := time.LoadLocation("America/Panama")
	p, err := digest.ParsePeriod("2026-W48")
	if err != nil || p.Start(loc).Format(time.DateOnly) != "2026-11-23" || p.End(loc).Format(time.DateOnly) != "2026-11-30" {
		t.Fatalf("2026-W48: %v %v", p.Start(loc), err)
	}
	for _, bad := range []string{"2026-48", "2026-W00", "2026-W54", "1999-W01", "2025-W53"} {
		if _, err := digest.ParsePeriod(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if _, err := digest.ParsePeriod("2026-W53"); err != nil {
		t.Errorf("2026 has 53 weeks: %v", err)
	}
	thu := time.Date(2026, 11, 26, 12, 0, 0, 0, loc)
	if got := digest.LastComplete(thu, loc); got != week47 {
		t.Errorf("last complete week on 26 Nov: %v", got)
	}
	next := digest.NextRun(thu, time.Monday, 8, loc)
	if next.Format("2006-01-02 15:04") != "2026-11-30 08:00" {
		t.Errorf("next run %v", next)
	}
	mon := time.Date(2026, 11, 30, 8, 0, 0, 0, loc)
	if got := digest.NextRun(mon, time.Monday, 8, loc); !got.Equal(mon.AddDate(0, 0, 7)) {
		t.Errorf("at the send time, the next is a week later: %v", got)
	}
	if got := digest.LastComplete(mon, loc); got.String() != "2026-W48" {
		t.Errorf("the run on 30 Nov covers %v", got)
	}
}

// TestDigestNamesAFewCommentersPerThread: a thread that drew many people
// in a week is one line naming the first MaxAuthorsNamed, in the order
// they wrote, and how many more; a name with a comma stays whole.
func TestDigestNamesAFewCommentersPerThread(t *testing.T) {
	t.Parallel()
	f := setup(t)
	pa := f.CreateAccount("pa@gob.pa", accounts.Official, "PA")
	id := f.practice(t, pa, "Hilo concurrido", "members", []string{"PA"}, []int64{1}, inWeek(1))
	for i := range 8 {
		c := f.CreateAccount(fmt.Sprintf("c%d@gob.cl", i), accounts.Official, "CL")
		name := fmt.Sprintf("Comentarista %d", i)
		if i == 0 {
			name = "Pérez, Ana"
		}
		dbtest.Exec(t, f.DB.W, `UPDATE accounts SET display_name = ? WHERE id = ?`, name, c.ID)
		for range 2 {
			dbtest.Exec(t, f.DB.W, `INSERT INTO comments (practice_id, author_id, body_raw, body_html, policy_version, created_at) VALUES (?, ?, 'x', '<p>x</p>', 1, ?)`,
				id, c.ID, db.FormatTime(inWeek(2).Add(time.Duration(i)*time.Minute)))
		}
	}
	_, c, err := f.Digest.Preview(f.ctx, pa, week47)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Comments) != 1 {
		t.Fatalf("%d comment groups", len(c.Comments))
	}
	g := c.Comments[0]
	want := []string{"Pérez, Ana", "Comentarista 1", "Comentarista 2", "Comentarista 3", "Comentarista 4"}
	if g.Count != 16 || fmt.Sprint(g.Authors) != fmt.Sprint(want) || g.MoreAuthors != 3 {
		t.Fatalf("group: %d comments, authors %q and %d more", g.Count, g.Authors, g.MoreAuthors)
	}
}

// A week still under way, or one to come, is refused with nothing
// recorded: what is published in its last days would never be sent.
func TestWeekNotOverIsRefused(t *testing.T) {
	t.Parallel()
	f := setup(t)
	a := f.CreateAccount("a@gob.pa", accounts.Official, "PA")
	f.practice(t, a, "Práctica", "members", []string{"PA"}, []int64{1}, inWeek(2))
	for _, p := range []digest.Period{digest.PeriodOf(f.Clock.Now()), {Year: 2026, Week: 50}, {Year: 2027, Week: 2}} {
		if _, err := f.Digest.Run(f.ctx, p, digest.Options{}); !errors.Is(err, digest.ErrWeekNotOver) {
			t.Errorf("%s: %v, want the week refused", p, err)
		}
	}
	if n := dbtest.Int(t, f.DB.R, `SELECT count(*) FROM digest_deliveries`); n != 0 {
		t.Fatalf("%d deliveries recorded for refused weeks", n)
	}
	// The week that just ended goes.
	if sum := f.run(t, week47, digest.Options{}); sum.Queued != 1 {
		t.Fatalf("last week: %+v", sum)
	}
}

// What happened to a person that they chose to hear of in the digest is
// in it, under its own heading: a digest with nothing else still goes.
// Kinds emailed at once, entries read on the site, comments (which have
// their own section) and other weeks are left out.
func TestDigestCarriesNotifications(t *testing.T) {
	t.Parallel()
	f := setup(t)
	mod := f.CreateAccount("mod@puente.test", accounts.Moderator, "")
	pa := f.CreateAccount("pa@gob.pa", accounts.Official, "PA")
	old := inWeek(-10)
	p := f.practice(t, pa, "Registro biométrico", "members", []string{"PA"}, nil, old)
	if err := f.App.Inbox.SetPrefs(f.ctx, pa.ID, map[string]notifications.Delivery{notifications.Reply: notifications.InDigest}); err != nil {
		t.Fatal(err)
	}
	add := func(n notifications.Notification, at time.Time, to int64) {
		t.Helper()
		if err := f.DB.Tx(f.ctx, func(tx *sql.Tx) error { return notifications.Add(f.ctx, tx, at, n, to) }); err != nil {
			t.Fatal(err)
		}
	}
	add(notifications.Notification{Kind: notifications.QueueWaiting, ActorID: pa.ID}, inWeek(1), mod.ID)
	add(notifications.Notification{Kind: notifications.Reply, PracticeID: p, ActorID: mod.ID}, inWeek(2), pa.ID)
	add(notifications.Notification{Kind: notifications.Published, PracticeID: p, ActorID: mod.ID}, inWeek(2), pa.ID) // emailed at once
	add(notifications.Notification{Kind: notifications.Comment, PracticeID: p, ActorID: mod.ID}, inWeek(3), pa.ID)   // its own section
	add(notifications.Notification{Kind: notifications.Reply, PracticeID: p, ActorID: mod.ID, Note: "otra semana"}, inWeek(9), pa.ID)
	add(notifications.Notification{Kind: notifications.Reply, PracticeID: p, ActorID: mod.ID, Note: "leída"}, inWeek(4), pa.ID)
	dbtest.Exec(t, f.DB.W, `UPDATE notifications SET read_at = created_at WHERE note = 'leída'`)
	dbtest.Exec(t, f.DB.W, `UPDATE accounts SET lang = 'en'`)

	if sum := f.run(t, week47, digest.Options{}); sum.Queued != 2 {
		t.Fatalf("%s: want 2 queued", sum)
	}
	f.SendMail()
	got := f.messagesTo(t)
	m := got["mod@puente.test"]
	if len(m) != 1 || !strings.Contains(m[0].Text, "What happened to you this week") || !strings.Contains(m[0].Text, "Items are waiting in the review queue") ||
		!strings.Contains(m[0].HTML, "/moderation") {
		t.Fatalf("the moderator's digest lacks the queue:\n%v", m)
	}
	text := got["pa@gob.pa"][0].Text
	if !strings.Contains(text, "mod replied to your comment on “Registro biométrico”") {
		t.Fatalf("the reply is not in the digest:\n%s", text)
	}
	if strings.Contains(text, "was published") || strings.Contains(text, "commented on") || strings.Contains(text, "otra semana") || strings.Contains(text, "leída") {
		t.Fatalf("the digest carries what it should not:\n%s", text)
	}
	// The notification mailer decides the same way when it runs first.
	if _, err := f.App.Notices.SendDue(f.ctx); err != nil {
		t.Fatal(err)
	}
	if n := dbtest.Int(t, f.DB.R, `SELECT count(*) FROM notifications WHERE mail_state = 'digest'`); n != 4 {
		t.Errorf("%d entries sorted for the digest, want 4 (queue, two replies, the comment)", n)
	}
}

// The week's adoption records reach the digest of each reader who may see
// the practice, in their language; not a hidden one, not one outside the
// week, and never a CRM-only practice's to a CSM official.
func TestDigestTellsWhoTookUpWhat(t *testing.T) {
	t.Parallel()
	f := setup(t)
	pa := f.CreateAccount("pa@gob.pa", accounts.Official, "PA") // CRM
	mx := f.CreateAccount("mx@gob.mx", accounts.Official, "MX") // CRM
	f.CreateAccount("br@gov.br", accounts.Official, "BR")       // CSM
	dbtest.Exec(t, f.DB.W, `UPDATE accounts SET lang = 'es' WHERE id = ?`, mx.ID)
	crm := f.practice(t, pa, "Ventanilla única de la CRM", "crm", []string{"PA"}, []int64{1}, inWeek(-20))
	members := f.practice(t, pa, "Registro para todos", "members", []string{"PA"}, []int64{1}, inWeek(-20))
	hidden := f.practice(t, pa, "Registro oculto", "members", []string{"PA"}, []int64{1}, inWeek(-20))
	old := f.practice(t, pa, "Adoptada hace tiempo", "members", []string{"PA"}, []int64{1}, inWeek(-20))
	record := func(practice int64, country, stage string, when time.Time, hiddenAt any) {
		t.Helper()
		at := db.FormatTime(when)
		dbtest.Exec(t, f.DB.W, `INSERT INTO adoptions (practice_id, country_code, stage, institution, started, created_at, updated_at, hidden_at)
			VALUES (?, ?, ?, 'Institución', '2026-10', ?, ?, ?)`, practice, country, stage, at, at, hiddenAt)
		dbtest.Exec(t, f.DB.W, `INSERT INTO adoption_entries (adoption_id, stage, created_at) SELECT max(id), ?, ? FROM adoptions`, stage, at)
	}
	record(crm, "MX", "piloting", inWeek(2), nil)
	record(members, "BR", "adopted", inWeek(3), nil)
	record(hidden, "MX", "adopted", inWeek(3), db.FormatTime(inWeek(4)))
	record(old, "BR", "adapted", inWeek(-10), nil)

	f.run(t, week47, digest.Options{})
	f.SendMail()
	msgs := f.messagesTo(t)
	mxMsg, brMsg := msgs["mx@gob.mx"], msgs["br@gov.br"]
	if len(mxMsg) != 1 || len(brMsg) != 1 {
		t.Fatalf("messages %v", msgs)
	}
	for _, want := range []string{"Prácticas que otros Estados adoptaron", "México: en piloto desde octubre de 2026: Ventanilla única de la CRM",
		"Brasil: adoptada desde octubre de 2026: Registro para todos", fmt.Sprintf("/practices/%d#adoption-", crm)} {
		if !strings.Contains(mxMsg[0].Text, want) {
			t.Errorf("the CRM official's digest lacks %q:\n%s", want, mxMsg[0].Text)
		}
	}
	if !strings.Contains(mxMsg[0].HTML, "Ventanilla única de la CRM</a>") {
		t.Error("the HTML digest lacks the adoption line")
	}
	for _, not := range []string{"Registro oculto", "Adoptada hace tiempo"} {
		if strings.Contains(mxMsg[0].Text, not) {
			t.Errorf("the digest names %q", not)
		}
	}
	if strings.Contains(brMsg[0].Text, "Ventanilla única de la CRM") || !strings.Contains(brMsg[0].Text, "Registro para todos") {
		t.Errorf("the CSM official's digest:\n%s", brMsg[0].Text)
	}
}
