package journeys

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"puente/internal/accounts"
	"puente/internal/browsertest"
	"puente/internal/servertest"
)

// TestModerationJourney: an official submits; a moderator sends it back
// with a note; the official edits and resubmits; a moderator publishes and
// features it, and it comes first on the home page. A member flags a
// comment, a moderator hides it, its author appeals, a second moderator
// restores it; the log shows all of it in order.
func TestModerationJourney(t *testing.T) {
	t.Parallel()
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
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	browsertest.Do(t, ctx,
		chromedp.Navigate(base+"/practices/new"),
		chromedp.WaitVisible(chromedp.CSS(`#f-context[contenteditable]`)),
		chromedp.SendKeys(chromedp.ID("title"), "Estaciones de recepción migratoria"),
		chromedp.SendKeys(chromedp.ID("summary"), "Atención integral a personas en tránsito."),
		browsertest.TypeRich("f-context", "Llegadas numerosas por Darién."),
		browsertest.TypeRich("f-actions", "Se abrieron dos estaciones."),
		chromedp.Click(chromedp.ID("t-3")),
		chromedp.SetValue(chromedp.ID("period_start"), "2020-01"),
		chromedp.SendKeys(chromedp.ID("institutions"), "Servicio Nacional de Migración"),
	)
	browsertest.Submit(t, ctx, `button[value=submit]`)
	practiceURL := browsertest.Location(t, ctx)
	browsertest.SignOut(t, ctx)

	// A moderator sends it back with a note.
	browsertest.SignIn(t, ctx, base, "marco@puente.test", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/moderation"), chromedp.WaitVisible(chromedp.CSS(`#review a`)))
	browsertest.Submit(t, ctx, `#review a`)
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("review-note"), "Añada los resultados, por favor."))
	browsertest.Submit(t, ctx, `button[value=send_back]`)
	browsertest.SignOut(t, ctx)

	// The official reads the note, edits and resubmits.
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`.status-banner`)))
	if banner := browsertest.Text(t, ctx, ".status-banner"); !strings.Contains(banner, "Añada los resultados, por favor.") {
		t.Fatalf("author does not see the note: %q", banner)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL+"/edit"), chromedp.WaitVisible(chromedp.CSS(`#f-results[contenteditable]`)),
		browsertest.TypeRich("f-results", "Miles de personas atendidas."))
	browsertest.Submit(t, ctx, `button[value=submit]`)
	browsertest.SignOut(t, ctx)

	// Another moderator publishes and features it.
	browsertest.SignIn(t, ctx, base, "lucia@puente.test", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`.mod-panel a.button`)))
	browsertest.Submit(t, ctx, `.mod-panel a.button`)
	if diff := browsertest.Text(t, ctx, "main"); !strings.Contains(diff, "Miles de personas atendidas.") || !strings.Contains(diff, "Changes since version") {
		t.Fatalf("review page lacks what changed: %q", diff)
	}
	browsertest.Submit(t, ctx, `button[value=publish]`)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.ID("feature-note")),
		chromedp.SendKeys(chromedp.ID("feature-note"), "Modelo de atención integral."))
	browsertest.Submit(t, ctx, `form[action$="/feature"] button`)
	browsertest.SignOut(t, ctx)

	// A member sees it first on the home page, and comments.
	browsertest.SignIn(t, ctx, base, "luis@inm.gob.mx", servertest.Password)
	if first := browsertest.Text(t, ctx, "main .featured .practice-card h3"); first != "Estaciones de recepción migratoria" {
		t.Fatalf("first on the home page: %q", first)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`#comment-body-0[contenteditable]`)),
		browsertest.TypeRich("comment-body-0", "Esto es publicidad de mi empresa."))
	browsertest.Submit(t, ctx, `form.comment-form:has(#comment-body-0) button[type=submit]`)
	browsertest.SignOut(t, ctx)

	// Another member flags the comment.
	browsertest.SignIn(t, ctx, base, "beatriz@gov.br", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`article.comment a[href$="/flag"]`)))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`article.comment a[href$="/flag"]`)))
	if quoted := browsertest.Text(t, ctx, ".flag-item blockquote"); !strings.Contains(quoted, "Esto es publicidad de mi empresa.") {
		t.Fatalf("the flag page quotes %q", quoted)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`form.flag-form input[value=spam]`)))
	browsertest.Submit(t, ctx, `form.flag-form button[type=submit]`)
	if flash := browsertest.Text(t, ctx, ".flash"); !strings.Contains(flash, "moderators will review your flag") {
		t.Fatalf("after flagging: %q", flash)
	}
	browsertest.SignOut(t, ctx)

	// A moderator hides it from the flag queue.
	browsertest.SignIn(t, ctx, base, "marco@puente.test", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/moderation"), chromedp.WaitVisible(chromedp.CSS(`#flags .hide-box summary`)),
		chromedp.Click(chromedp.CSS(`#flags .hide-box summary`)),
		chromedp.SendKeys(chromedp.CSS(`#flags .hide-box textarea`), "Publicidad comercial."))
	browsertest.Submit(t, ctx, `#flags .hide-box button[type=submit]`)
	browsertest.SignOut(t, ctx)

	// Its author sees it hidden with the reason, and appeals.
	browsertest.SignIn(t, ctx, base, "luis@inm.gob.mx", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`article.comment .appeal-box textarea`)))
	if note := browsertest.Text(t, ctx, "article.comment .hidden-note"); !strings.Contains(note, "Publicidad comercial.") {
		t.Fatalf("author's view of the hidden comment: %q", note)
	}
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`article.comment .appeal-box textarea`), "Era una broma sobre nuestro programa público."))
	browsertest.Submit(t, ctx, `article.comment .appeal-box button[type=submit]`)
	browsertest.SignOut(t, ctx)

	// Others see only a placeholder meanwhile.
	browsertest.SignIn(t, ctx, base, "beatriz@gov.br", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`article.comment`)))
	if c := browsertest.Text(t, ctx, "article.comment"); strings.Contains(c, "publicidad de mi empresa") || !strings.Contains(c, "Hidden by moderators.") {
		t.Fatalf("others see: %q", c)
	}
	browsertest.SignOut(t, ctx)

	// A second moderator restores it.
	browsertest.SignIn(t, ctx, base, "lucia@puente.test", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/moderation"), chromedp.WaitVisible(chromedp.CSS(`#appeals textarea`)),
		chromedp.SendKeys(chromedp.CSS(`#appeals textarea`), "Se restaura: no es publicidad."))
	browsertest.Submit(t, ctx, `#appeals button[value=reverse]`)

	// The log shows it all, newest first.
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/log"), chromedp.WaitVisible(chromedp.CSS(`table.log`)))
	log := browsertest.Text(t, ctx, "table.log tbody")
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
