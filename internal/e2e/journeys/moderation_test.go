package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"puente/internal/accounts"
	"puente/internal/browsertest"
	"puente/internal/servertest"
)

func submit(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(css)))
}

func typeRich(id, s string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Click(chromedp.CSS(`trix-editor#`+id)), chromedp.SendKeys(chromedp.CSS(`trix-editor#`+id), s))
}

// TestModerationJourney: an official submits; a moderator sends it back
// with a note; the official edits and resubmits; a moderator publishes and
// features it, and it comes first on the home page. A member flags a
// comment, a moderator hides it, its author appeals, a second moderator
// restores it; the log shows all of it in order.
func TestModerationJourney(t *testing.T) {
	ctx := browsertest.New(t)
	e := servertest.New(t)
	e.CreateAccount("marco@puente.test", accounts.Moderator, "")
	e.CreateAccount("lucia@puente.test", accounts.Moderator, "")
	e.CreateAccount("samira@migracion.gob.pa", accounts.Official, "PA")
	e.CreateAccount("luis@inm.gob.mx", accounts.Official, "MX")
	e.CreateAccount("beatriz@gov.br", accounts.Official, "BR")
	base := e.HTTP.URL
	shots := browsertest.Shots(t, ctx)

	// The official writes and submits.
	signIn(t, ctx, base, "samira@migracion.gob.pa")
	browsertest.Do(t, ctx,
		chromedp.Navigate(base+"/practices/new"),
		chromedp.WaitVisible(chromedp.CSS(`trix-editor#f-context`)),
		chromedp.SendKeys(chromedp.ID("title"), "Estaciones de recepción migratoria"),
		chromedp.SendKeys(chromedp.ID("summary"), "Atención integral a personas en tránsito."),
		typeRich("f-context", "Llegadas numerosas por Darién."),
		typeRich("f-actions", "Se abrieron dos estaciones."),
		chromedp.Click(chromedp.ID("t-3")),
		chromedp.SetValue(chromedp.ID("period_start"), "2020-01"),
		chromedp.SendKeys(chromedp.ID("institutions"), "Servicio Nacional de Migración"),
	)
	submit(t, ctx, `button[value=submit]`)
	practiceURL := browsertest.Location(t, ctx)
	signOut(t, ctx)

	// A moderator sends it back with a note.
	signIn(t, ctx, base, "marco@puente.test")
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/moderation"), chromedp.WaitVisible(chromedp.CSS(`#review a`)))
	submit(t, ctx, `#review a`)
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("note"), "Añada los resultados, por favor."))
	submit(t, ctx, `button[value=send_back]`)
	signOut(t, ctx)

	// The official reads the note, edits and resubmits.
	signIn(t, ctx, base, "samira@migracion.gob.pa")
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`.status-banner`)))
	if banner := text(t, ctx, ".status-banner"); !strings.Contains(banner, "Añada los resultados, por favor.") {
		t.Fatalf("author does not see the note: %q", banner)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL+"/edit"), chromedp.WaitVisible(chromedp.CSS(`trix-editor#f-results`)),
		typeRich("f-results", "Miles de personas atendidas."))
	submit(t, ctx, `button[value=submit]`)
	signOut(t, ctx)

	// Another moderator publishes and features it.
	signIn(t, ctx, base, "lucia@puente.test")
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`.mod-panel a.button`)))
	submit(t, ctx, `.mod-panel a.button`)
	if diff := text(t, ctx, "main"); !strings.Contains(diff, "Miles de personas atendidas.") || !strings.Contains(diff, "Changes since version") {
		t.Fatalf("review page lacks what changed: %q", diff)
	}
	submit(t, ctx, `button[value=publish]`)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.ID("feature-note")),
		chromedp.SendKeys(chromedp.ID("feature-note"), "Modelo de atención integral."))
	submit(t, ctx, `form[action$="/feature"] button`)
	signOut(t, ctx)

	// A member sees it first on the home page, and comments.
	signIn(t, ctx, base, "luis@inm.gob.mx")
	if first := text(t, ctx, "main .featured .practice-card h3"); first != "Estaciones de recepción migratoria" {
		t.Fatalf("first on the home page: %q", first)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`trix-editor#comment-body-0`)),
		typeRich("comment-body-0", "Esto es publicidad de mi empresa."))
	submit(t, ctx, `form.comment-form:has(#comment-body-0) button[type=submit]`)
	signOut(t, ctx)

	// Another member flags the comment.
	signIn(t, ctx, base, "beatriz@gov.br")
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`article.comment a[href$="/flag"]`)))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`article.comment a[href$="/flag"]`)))
	if quoted := text(t, ctx, ".flag-item blockquote"); !strings.Contains(quoted, "Esto es publicidad de mi empresa.") {
		t.Fatalf("the flag page quotes %q", quoted)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`form.flag-form input[value=spam]`)))
	submit(t, ctx, `form.flag-form button[type=submit]`)
	if flash := text(t, ctx, ".flash"); !strings.Contains(flash, "moderators will review your flag") {
		t.Fatalf("after flagging: %q", flash)
	}
	signOut(t, ctx)

	// A moderator hides it from the flag queue.
	signIn(t, ctx, base, "marco@puente.test")
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/moderation"), chromedp.WaitVisible(chromedp.CSS(`#flags .hide-box summary`)),
		chromedp.Click(chromedp.CSS(`#flags .hide-box summary`)),
		chromedp.SendKeys(chromedp.CSS(`#flags .hide-box textarea`), "Publicidad comercial."))
	submit(t, ctx, `#flags .hide-box button[type=submit]`)
	signOut(t, ctx)

	// Its author sees it hidden with the reason, and appeals.
	signIn(t, ctx, base, "luis@inm.gob.mx")
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`article.comment .appeal-box textarea`)))
	if note := text(t, ctx, "article.comment .hidden-note"); !strings.Contains(note, "Publicidad comercial.") {
		t.Fatalf("author's view of the hidden comment: %q", note)
	}
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`article.comment .appeal-box textarea`), "Era una broma sobre nuestro programa público."))
	submit(t, ctx, `article.comment .appeal-box button[type=submit]`)
	signOut(t, ctx)

	// Others see only a placeholder meanwhile.
	signIn(t, ctx, base, "beatriz@gov.br")
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`article.comment`)))
	if c := text(t, ctx, "article.comment"); strings.Contains(c, "publicidad de mi empresa") || !strings.Contains(c, "Hidden by moderators.") {
		t.Fatalf("others see: %q", c)
	}
	signOut(t, ctx)

	// A second moderator restores it.
	signIn(t, ctx, base, "lucia@puente.test")
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/moderation"), chromedp.WaitVisible(chromedp.CSS(`#appeals textarea`)),
		chromedp.SendKeys(chromedp.CSS(`#appeals textarea`), "Se restaura: no es publicidad."))
	submit(t, ctx, `#appeals button[value=reverse]`)

	// The log shows it all, newest first.
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/log"), chromedp.WaitVisible(chromedp.CSS(`table.log`)))
	log := text(t, ctx, "table.log tbody")
	want := []string{"reversed an appealed decision", "restored a comment", "hid a comment", "featured", "published", "sent back with a note"}
	last := -1
	for _, w := range want {
		i := strings.Index(log, w)
		if i <= last {
			t.Fatalf("log lacks %q or is out of order:\n%s", w, log)
		}
		last = i
	}
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "log.png"))
}
