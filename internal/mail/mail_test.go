package mail_test

import (
	"context"
	"database/sql"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	netmail "net/mail"

	gomail "github.com/wneessen/go-mail"

	"puente/db"
	"puente/internal/clock"
	"puente/internal/dbtest"
	"puente/internal/mail"
	"puente/internal/mail/smtptest"
	"puente/web"
)

func setup(t *testing.T, sender func(*smtptest.Server) mail.Sender) (*mail.Outbox, *smtptest.Server, *clock.Fake) {
	t.Helper()
	d, err := db.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(t)
	clk := clock.NewFake(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	from, _ := netmail.ParseAddress("Puente <no-reply@puente.test>")
	o := &mail.Outbox{DB: d, Clock: clk, Sender: sender(srv), From: from, MessageIDHost: "puente.test",
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	return o, srv, clk
}

func smtpSender(t *testing.T) func(*smtptest.Server) mail.Sender {
	return func(s *smtptest.Server) mail.Sender {
		u, _ := url.Parse(s.URL())
		snd, err := mail.NewSMTPSender(u, "localhost")
		if err != nil {
			t.Fatal(err)
		}
		return snd
	}
}

func enqueue(t *testing.T, o *mail.Outbox, m mail.Message) int64 {
	t.Helper()
	var id int64
	err := o.DB.Tx(context.Background(), func(tx *sql.Tx) error {
		var err error
		id, err = o.Enqueue(context.Background(), tx, m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var sample = mail.Message{Kind: "test", To: "ana@gob.pa", ToName: "Ana Ríos", Subject: "Revisión ñandú",
	Text: "Hola, Ana.\nUn enlace: https://puente.test/x", HTML: "<p>Hola, <b>Ana</b>.</p>",
	Headers: map[string]string{"X-Puente-Kind": "test"}}

func TestDeliversTextAndHTMLOverSMTP(t *testing.T) {
	t.Parallel()
	o, srv, _ := setup(t, smtpSender(t))
	id := enqueue(t, o, sample)
	if n, err := o.SendDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	p := smtptest.Parse(t, msgs[0].Raw)
	if p.Subject() != "Revisión ñandú" {
		t.Errorf("subject %q", p.Subject())
	}
	if !strings.Contains(p.Text, "Hola, Ana.") || !strings.Contains(p.HTML, "<b>Ana</b>") {
		t.Errorf("parts: text %q html %q", p.Text, p.HTML)
	}
	if p.Header.Get("Message-ID") == "" || p.Header.Get("Date") == "" || p.Header.Get("X-Puente-Kind") != "test" {
		t.Errorf("headers: %v", p.Header)
	}
	if to := p.Header.Get("To"); !strings.Contains(to, "ana@gob.pa") {
		t.Errorf("To %q", to)
	}
	q, _ := o.ByID(context.Background(), id)
	if q.Status != "sent" || q.Attempts != 1 {
		t.Fatalf("state %s after %d attempts", q.Status, q.Attempts)
	}
	if n, _ := o.SendDue(context.Background()); n != 0 {
		t.Fatal("sent message picked again")
	}
}

func TestTemporaryFailureIsRetriedWithBackoff(t *testing.T) {
	t.Parallel()
	o, srv, clk := setup(t, smtpSender(t))
	srv.FailNext(451, 421)
	id := enqueue(t, o, sample)
	o.SendDue(context.Background())
	q, _ := o.ByID(context.Background(), id)
	if q.Status != "pending" || !strings.Contains(q.LastError, "451") {
		t.Fatalf("after 451: %s %q", q.Status, q.LastError)
	}
	if n, _ := o.SendDue(context.Background()); n != 0 {
		t.Fatal("retried before the backoff elapsed")
	}
	clk.Advance(time.Minute)
	o.SendDue(context.Background()) // 421
	clk.Advance(time.Minute)
	if n, _ := o.SendDue(context.Background()); n != 0 {
		t.Fatal("second backoff should be two minutes")
	}
	clk.Advance(time.Minute)
	o.SendDue(context.Background())
	q, _ = o.ByID(context.Background(), id)
	if q.Status != "sent" || q.Attempts != 3 {
		t.Fatalf("after retries: %s, %d attempts", q.Status, q.Attempts)
	}
	if len(srv.Messages()) != 1 {
		t.Fatalf("delivered %d times", len(srv.Messages()))
	}
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	t.Parallel()
	o, srv, clk := setup(t, smtpSender(t))
	srv.FailNext(550)
	id := enqueue(t, o, sample)
	o.SendDue(context.Background())
	q, _ := o.ByID(context.Background(), id)
	if q.Status != "failed" || !strings.Contains(q.LastError, "550") {
		t.Fatalf("after 550: %s %q", q.Status, q.LastError)
	}
	clk.Advance(24 * time.Hour)
	if n, _ := o.SendDue(context.Background()); n != 0 || len(srv.Messages()) != 0 {
		t.Fatal("failed message retried")
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	o, srv, clk := setup(t, smtpSender(t))
	o.MaxAttempts = 3
	srv.FailNext(451, 451, 451, 451)
	id := enqueue(t, o, sample)
	for range 3 {
		o.SendDue(context.Background())
		clk.Advance(time.Hour)
	}
	q, _ := o.ByID(context.Background(), id)
	if q.Status != "failed" || q.Attempts != 3 {
		t.Fatalf("%s after %d attempts", q.Status, q.Attempts)
	}
}

func TestUnreachableServerIsTemporary(t *testing.T) {
	t.Parallel()
	o, _, _ := setup(t, func(*smtptest.Server) mail.Sender {
		u, _ := url.Parse("smtp://127.0.0.1:1?tls=none")
		s, _ := mail.NewSMTPSender(u, "localhost")
		return s
	})
	id := enqueue(t, o, sample)
	o.SendDue(context.Background())
	q, _ := o.ByID(context.Background(), id)
	if q.Status != "pending" || q.LastError == "" {
		t.Fatalf("connection refused: %s %q", q.Status, q.LastError)
	}
}

func TestInterruptedSendIsQueuedAgain(t *testing.T) {
	t.Parallel()
	o, _, _ := setup(t, smtpSender(t))
	id := enqueue(t, o, sample)
	dbtest.Exec(t, o.DB.W, `UPDATE outbox SET status = 'sending' WHERE id = ?`, id)
	if n, err := o.RecoverInterrupted(context.Background()); err != nil || n != 1 {
		t.Fatalf("recovered %d, %v", n, err)
	}
	o.SendDue(context.Background())
	if q, _ := o.ByID(context.Background(), id); q.Status != "sent" {
		t.Fatalf("status %s", q.Status)
	}
}

func TestDirSenderWritesEML(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	o, _, _ := setup(t, func(*smtptest.Server) mail.Sender {
		return &mail.DirSender{Dir: dir, Log: slog.New(slog.DiscardHandler)}
	})
	enqueue(t, o, sample)
	o.SendDue(context.Background())
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 || !strings.Contains(files[0], "ana_gob.pa") {
		t.Fatalf("files %v", files)
	}
	raw, _ := os.ReadFile(files[0])
	p := smtptest.Parse(t, raw)
	if p.Subject() != sample.Subject || !strings.Contains(p.HTML, "<b>Ana</b>") {
		t.Fatalf("eml: %q", p.Subject())
	}
}

func TestWorkerDrainsOnShutdown(t *testing.T) {
	t.Parallel()
	o, srv, _ := setup(t, smtpSender(t))
	o.Poll = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	enqueue(t, o, sample)
	o.Notify()
	srv.WaitFor(t, 1, 5*time.Second)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("worker did not stop")
	}
}

func TestComposeEveryKindInEveryLanguage(t *testing.T) {
	base, _ := url.Parse("https://puente.example.org")
	c, err := mail.NewComposer(base)
	if err != nil {
		t.Fatal(err)
	}
	to := func(link string) mail.Recipient {
		return mail.Recipient{Name: "Ana <b>", Link: "https://puente.example.org/" + link}
	}
	emails := []mail.Email{
		&mail.Invitation{Recipient: to("invitations/t"), Inviter: "Ana <Admin>", Role: "official", Expires: "3 Dec"},
		&mail.PasswordReset{Recipient: to("password/reset/t")},
		&mail.SigninLocked{Recipient: to("account"), Minutes: 15},
		&mail.AccountSuspended{Recipient: to("signin"), Reason: "Publicó datos personales <b>de terceros</b>.", Until: "15 Jan 2027"},
		&mail.Notifications{Recipient: to("notifications"), Lines: []mail.NoticeLine{
			{Kind: "sent_back", Title: "T <i>", Note: "Add figures.", URL: "https://puente.example.org/practices/1", StopURL: "https://puente.example.org/unsubscribe/notices/t?kind=sent_back"},
			{Kind: "appeal_answered", DetailKey: "appeal.outcome.reversed", Title: "T <i>", Note: "Agreed.", URL: "https://puente.example.org/practices/1"},
			{Kind: "reply", Actor: "Ana <b>", URL: "https://puente.example.org/comments/4"},
		}, More: 2, InboxURL: "https://puente.example.org/notifications", SettingsURL: "https://puente.example.org/settings/notifications",
			UnsubURL: "https://puente.example.org/unsubscribe/notices/t"},
		&mail.FlagNotice{Recipient: to("moderation"), Title: "T", Reason: "spam", Type: "comment"},
		&mail.PracticesTransferred{Recipient: to("my/practices"), Count: 3, Other: "Ana <b>", Received: true},
		&mail.EmailChange{Recipient: to("email/confirm/t"), Confirm: true, NewEmail: "ana@gob.pa"},
		&mail.EmailChange{Recipient: to("signin"), NewEmail: "ana@gob.pa"},
		&mail.SecurityNotice{Recipient: to("account"), Event: "role_changed", Role: "moderator"},
		&mail.ReviewRequest{Recipient: to("my/practices"), Title: "T <i>", Since: "15 Sep 2021", Current: "https://puente.example.org/review/t?answer=current",
			Update: "https://puente.example.org/review/t?answer=update", Ended: "https://puente.example.org/review/t?answer=ended"},
		&mail.QuestionToContact{Recipient: to("practices/1"), Asker: "Ana <b>", Country: "México", Title: "T <i>", Body: "¿Cómo <b>funciona</b>?"},
	}
	// Every template but the digest's (its own package renders it) is
	// covered here.
	files, _ := fs.Glob(web.Templates, "templates/email/*.txt")
	for _, f := range files {
		kind := strings.TrimSuffix(path.Base(f), ".txt")
		if kind != "digest" && !slices.ContainsFunc(emails, func(e mail.Email) bool { return e.Kind() == kind }) {
			t.Errorf("no test data for the %s email", kind)
		}
	}
	for _, e := range emails {
		kind := e.Kind()
		for _, lang := range []string{"es", "en", "pt", "fr", "nl"} {
			m, err := c.Compose(lang, "a@b.org", "", e)
			if err != nil {
				t.Fatalf("%s/%s: %v", kind, lang, err)
			}
			if m.Kind != kind || m.Subject == "" || strings.Contains(m.Subject, "email.") || strings.Contains(m.Text, "email.") || strings.Contains(m.HTML, "email.") {
				t.Errorf("%s/%s: untranslated text", kind, lang)
			}
			if !strings.Contains(m.HTML, `lang="`+lang+`"`) || !strings.Contains(m.Text, "https://puente.example.org/") {
				t.Errorf("%s/%s: language or link missing", kind, lang)
			}
			if strings.Contains(m.HTML, "<Admin>") || strings.Contains(m.HTML, "Ana <b>") || strings.Contains(m.HTML, "T <i>") {
				t.Errorf("%s/%s: data not escaped in HTML", kind, lang)
			}
		}
	}
}

// A template that names a field its kind lacks fails to render, where a
// map's missing key rendered as nothing.
type misnamed struct{ mail.PasswordReset }

func (*misnamed) Kind() string { return "invitation" } // reads .Data.Inviter, which PasswordReset lacks

func TestMisnamedFieldFails(t *testing.T) {
	base, _ := url.Parse("https://puente.example.org")
	c, err := mail.NewComposer(base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compose("en", "a@b.org", "", &misnamed{}); err == nil {
		t.Fatal("a template reading a missing field rendered")
	}
}

// Messages go out several at a time, but each person's in the order they
// were written: a message is not taken while another to the same address
// is being sent.
func TestSendsInParallelEachPersonInOrder(t *testing.T) {
	t.Parallel()
	// Ana's first message is slow to send: the others must not overtake
	// it, while other people's messages go on meanwhile.
	o, srv, _ := setup(t, func(s *smtptest.Server) mail.Sender {
		return slowFirst{smtpSender(t)(s), "ana@gob.pa 0"}
	})
	people := []string{"ana@gob.pa", "luis@gob.cr", "marta@gob.gt"}
	const each = 6
	for i := range each {
		for _, p := range people {
			m := sample
			m.To, m.Subject = p, p+" "+strconv.Itoa(i)
			enqueue(t, o, m)
		}
	}
	if n, err := o.SendDue(context.Background()); err != nil || n != each*len(people) {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	got := map[string][]string{}
	for _, m := range srv.Messages() {
		p := smtptest.Parse(t, m.Raw)
		to, _, _ := strings.Cut(p.Subject(), " ")
		got[to] = append(got[to], p.Subject())
	}
	for _, p := range people {
		var want []string
		for i := range each {
			want = append(want, p+" "+strconv.Itoa(i))
		}
		if !slices.Equal(got[p], want) {
			t.Errorf("%s received %q, want %q", p, got[p], want)
		}
	}
}

// slowFirst is a sender that takes its time over one message.
type slowFirst struct {
	mail.Sender
	subject string
}

func (s slowFirst) Send(ctx context.Context, m *gomail.Msg) error {
	if subj := m.GetGenHeader(gomail.HeaderSubject); len(subj) > 0 && subj[0] == s.subject {
		time.Sleep(300 * time.Millisecond)
	}
	return s.Sender.Send(ctx, m)
}
