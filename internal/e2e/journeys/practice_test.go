package journeys

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"puente/internal/accounts"
	"puente/internal/browsertest"
	"puente/internal/servertest"
)

// TestPracticeJourney: an official writes a practice in the rich-text
// editor (bold, a list, a link), tags it, previews, saves and submits; an
// admin publishes it; another official finds it through the filters,
// comments and replies; the author edits it and the history shows the
// change.
func TestPracticeJourney(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	e.CreateAccount("samira@migracion.gob.pa", accounts.Official, "PA")
	e.CreateAccount("beatriz@gov.br", accounts.Official, "BR")
	base := e.HTTP.URL
	shots := browsertest.Shots(t, ctx)
	// toggle clicks an editor's toolbar button until it shows the wanted
	// state. The editor applies a click asynchronously, and a click that
	// lands while it is busy can be lost; a person would look and click
	// again, and so does the test (three tries at most).
	toggle := func(editor, attr string, on bool) chromedp.Action[chromedp.Void] {
		sel := `.rich-wrap:has(#` + editor + `) button[data-cmd="` + attr + `"]`
		check := fmt.Sprintf(`document.querySelector(%q).getAttribute("aria-pressed") === "%v"`, sel, on)
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			var err error
			for range 3 {
				if err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
					return err
				}
				if _, err = chromedp.Run(ctx, chromedp.Poll[bool](check, chromedp.WithPollingTimeout(2*time.Second))); err == nil {
					return nil
				}
			}
			return fmt.Errorf("toolbar button %s never became active=%v: %w", sel, on, err)
		})
	}
	tool := func(editor, attr string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`.rich-wrap:has(#` + editor + `) button[data-cmd="` + attr + `"]`))
	}

	// The official writes the practice.
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	browsertest.Do(t, ctx,
		chromedp.Navigate(base+"/practices/new"),
		chromedp.WaitVisible(chromedp.CSS(`#f-context[contenteditable]`)),
		chromedp.SendKeys(chromedp.ID("title"), "Registro biométrico en Darién"),
		chromedp.SendKeys(chromedp.ID("summary"), "Cada persona que llega por Darién queda registrada."),
		chromedp.Click(chromedp.CSS(`#f-context[contenteditable]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-context[contenteditable]`), "La ruta es "),
		toggle("f-context", "bold", true),
		chromedp.SendKeys(chromedp.CSS(`#f-context[contenteditable]`), "muy peligrosa"),
		toggle("f-context", "bold", false),
		chromedp.SendKeys(chromedp.CSS(`#f-context[contenteditable]`), " para las familias."),
		chromedp.Click(chromedp.CSS(`#f-actions[contenteditable]`)),
		toggle("f-actions", "bulletList", true),
		chromedp.SendKeys(chromedp.CSS(`#f-actions[contenteditable]`), "Huellas dactilares"),
		browsertest.Enter(),
		chromedp.SendKeys(chromedp.CSS(`#f-actions[contenteditable]`), "Fotografía facial"),
		browsertest.Enter(),
		browsertest.Enter(),
		chromedp.SendKeys(chromedp.CSS(`#f-actions[contenteditable]`), "Más en "),
		tool("f-actions", "link"),
		chromedp.WaitVisible(chromedp.ID("f-actions-link-url")),
		chromedp.SendKeys(chromedp.ID("f-actions-link-url"), "https://www.migracion.gob.pa/\r"),
		chromedp.Click(chromedp.ID("t-1")),
		chromedp.Click(chromedp.ID("t-4")),
		chromedp.SetValue(chromedp.ID("period_start"), "2019-06"),
		chromedp.SendKeys(chromedp.ID("institutions"), "Servicio Nacional de Migración"),
	)
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=preview]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`section.preview`)))
	preview := browsertest.OuterHTML(t, ctx, "section.preview")
	for _, want := range []string{"<strong>muy peligrosa</strong>", "<li>Huellas dactilares</li>", "<li>Fotografía facial</li>",
		`<a href="https://www.migracion.gob.pa/" rel="nofollow noopener noreferrer">`, "Objective 1", "Recommendation 2"} {
		if !strings.Contains(preview, want) {
			t.Fatalf("preview lacks %q:\n%s", want, preview)
		}
	}
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "preview.png"))
	// The editor still holds the text after the preview; save and submit.
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#f-context[contenteditable]`)))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.status-banner`)))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action$="/submit"] button`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if flash := browsertest.Text(t, ctx, ".flash"); !strings.Contains(flash, "submitted for review") {
		t.Fatalf("after submit: %q", flash)
	}
	practiceURL := browsertest.Location(t, ctx)
	body := browsertest.OuterHTML(t, ctx, "article.practice")
	if !strings.Contains(body, "<strong>muy peligrosa</strong>") || !strings.Contains(body, "<li>Huellas dactilares</li>") {
		t.Fatalf("saved practice lost its formatting:\n%s", body)
	}
	browsertest.SignOut(t, ctx)

	// An admin publishes it.
	browsertest.SignIn(t, ctx, base, "admin@puente.test", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`form[action$="/publish"] button`)))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action$="/publish"] button`)))
	if flash := browsertest.Text(t, ctx, ".flash"); !strings.Contains(flash, "is published") {
		t.Fatalf("after publish: %q", flash)
	}
	browsertest.SignOut(t, ctx)

	// Another official finds it with the filters and discusses it.
	browsertest.SignIn(t, ctx, base, "beatriz@gov.br", servertest.Password)
	browsertest.Do(t, ctx,
		chromedp.Navigate(base+"/practices"),
		chromedp.WaitVisible(chromedp.ID("f-tag")),
		chromedp.SetValue(chromedp.ID("f-country"), "PA"),
		chromedp.SetValue(chromedp.ID("f-tag"), "4"),
	)
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.practice-card`)))
	if loc := browsertest.Location(t, ctx); !strings.Contains(loc, "country=PA") || !strings.Contains(loc, "tag=4") {
		t.Fatalf("filters not applied: %s", loc)
	}
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`.practice-card h3 a`)))
	browsertest.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`#comment-body-0[contenteditable]`)),
		chromedp.Click(chromedp.CSS(`#comment-body-0[contenteditable]`)),
		chromedp.SendKeys(chromedp.CSS(`#comment-body-0[contenteditable]`), "¿Qué equipos usan en zonas sin red?"),
	)
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form.comment-form:has(#comment-body-0) button[type=submit]`)))
	browsertest.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`article.comment`)),
		chromedp.Click(chromedp.CSS(`details.reply-box summary`)),
		chromedp.WaitVisible(chromedp.CSS(`details.reply-box[open] .rich-content`)),
		chromedp.Click(chromedp.CSS(`details.reply-box[open] .rich-content`)),
		chromedp.SendKeys(chromedp.CSS(`details.reply-box[open] .rich-content`), "Añado: también en Roraima."),
	)
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`details.reply-box[open] button[type=submit]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`article.comment.reply`)))
	thread := browsertest.Text(t, ctx, "section.comments")
	if !strings.Contains(thread, "¿Qué equipos usan en zonas sin red?") || !strings.Contains(thread, "Añado: también en Roraima.") {
		t.Fatalf("thread: %q", thread)
	}
	browsertest.SignOut(t, ctx)

	// The author edits the published practice: the change waits for a
	// moderator, who reads it word by word and approves it; the history
	// then shows what changed.
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	browsertest.Do(t, ctx,
		chromedp.Navigate(practiceURL+"/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#f-results[contenteditable]`)),
		chromedp.Click(chromedp.CSS(`#f-results[contenteditable]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-results[contenteditable]`), "Se identificaron redes de tráfico."),
		chromedp.SendKeys(chromedp.ID("author_note"), "Añado un resultado."),
	)
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)))
	if banner := browsertest.Text(t, ctx, "main"); !strings.Contains(banner, "Changes waiting for review.") || strings.Contains(banner, "redes de tráfico") {
		t.Fatalf("after editing a published practice: %q", banner)
	}
	browsertest.SignOut(t, ctx)
	browsertest.SignIn(t, ctx, base, "admin@puente.test", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`a[href^="/moderation/changes/"]`)))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`a[href^="/moderation/changes/"]`)))
	if shown, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const m = document.querySelector("main"); return !!m && m.innerHTML.includes("tráfico.</ins>") && m.innerText.includes("Añado un resultado."); })()`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil || !shown {
		t.Fatalf("the change's review page (%v):\n%s", err, browsertest.OuterHTML(t, ctx, "main"))
	}
	browsertest.Submit(t, ctx, `button[value=approve]`)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL+"/history"), chromedp.WaitVisible(chromedp.CSS(`.diff`)))
	if diff := browsertest.OuterHTML(t, ctx, "main"); !strings.Contains(diff, "redes de tráfico.</ins>") {
		t.Fatalf("history does not show the change:\n%s", diff)
	}
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "history.png"))
}
