package journeys

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	pngenc "image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"puente/internal/accounts"
	"puente/internal/browsertest"
	"puente/internal/dbtest"
	"puente/internal/servertest"
)

// paste hands html to the editor with the given id as the browser does on
// Ctrl+V: a paste event carrying the clipboard's HTML and text.
func paste(id, html string) chromedp.Action[chromedp.Void] {
	js, _ := json.Marshal(html)
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
	  const el = document.getElementById(%q), dt = new DataTransfer();
	  dt.setData("text/html", %s);
	  dt.setData("text/plain", "(plain)");
	  el.focus();
	  el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
	})()`, id, js))
}

func key(k string, mods ...chromedp.Modifier) chromedp.Action[chromedp.Void] {
	if len(mods) == 0 {
		return chromedp.KeyEvent(k)
	}
	return chromedp.KeyEvent(k, chromedp.KeyModifiers(mods...))
}

// Word, Google Docs and LibreOffice put their own HTML on the clipboard;
// pasted into a section it is stored as the structure the author wrote:
// headings at the section's two levels, lists (Word's typed markers
// included), bold, italics, links and tables, without styles, Office
// markup or spacing paragraphs. The samples are in testdata/paste; what
// each must become is beside it (.want.html).
func TestPasteFromOffice(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t)
	e.CreateAccount("samira@migracion.gob.pa", accounts.Official, "PA")
	base := e.HTTP.URL
	shots := browsertest.Shots(t, ctx)
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	samples := []struct{ file, section string }{{"word", "context"}, {"gdocs", "actions"}, {"libreoffice", "results"}}
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/practices/new"), chromedp.WaitVisible(chromedp.CSS(`#f-context[contenteditable]`)),
		chromedp.SendKeys(chromedp.ID("title"), "Pegado desde procesadores de texto"))
	for _, s := range samples {
		raw, err := os.ReadFile(filepath.Join("testdata", "paste", s.file+".html"))
		if err != nil {
			t.Fatal(err)
		}
		browsertest.Do(t, ctx, paste("f-"+s.section, string(raw)))
	}
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "pasted.png"))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	for _, s := range samples {
		got := dbtest.Value[string](t, e.DB.R, `SELECT `+s.section+`_html FROM practices`)
		wantFile := filepath.Join("testdata", "paste", s.file+".want.html")
		if os.Getenv("PUENTE_UPDATE_PASTE") == "1" {
			// Writes what is stored now as the expectation, for a person
			// to read before committing it.
			if err := os.WriteFile(wantFile, []byte(got+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(wantFile)
		if err != nil {
			t.Fatal(err)
		}
		if got != strings.TrimSpace(string(want)) {
			t.Errorf("%s pasted and stored as\n%s\nwant (%s)\n%s", s.file, got, wantFile, want)
		}
		for _, bad := range []string{"Mso", "mso-", "o:p", "style=", "class=", "<p></p>", "·", "docs-internal", "&nbsp;"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s: stored text holds %q", s.file, bad)
			}
		}
	}
}

// The toolbar with the keyboard alone: one Tab stop, arrows between
// buttons, Alt+F10 from the text, Ctrl+K for a link; a list, a link and
// a table made that way are stored as such.
func TestEditorByKeyboard(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t)
	e.CreateAccount("samira@migracion.gob.pa", accounts.Official, "PA")
	base := e.HTTP.URL
	shots := browsertest.Shots(t, ctx)
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	focusJS := `(document.activeElement.dataset && document.activeElement.dataset.cmd) || document.activeElement.id`
	focused := func() string { return browsertest.Run(t, ctx, chromedp.Evaluate[string](focusJS)) }
	// The editor takes the focus back on the next frame: wait for it.
	focusedOn := func(want string) bool {
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](focusJS+` === `+strconvQuote(want), chromedp.WithPollingTimeout(2*time.Second)))
		return err == nil
	}
	toTool := func(cmd string) {
		t.Helper()
		browsertest.Do(t, ctx, key(kb.F10, chromedp.ModifierAlt))
		for range 20 {
			if focused() == cmd {
				return
			}
			browsertest.Do(t, ctx, key(kb.ArrowRight))
		}
		t.Fatalf("the toolbar never reached %s (at %q)", cmd, focused())
	}
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/practices/new"), chromedp.WaitVisible(chromedp.CSS(`#f-context[contenteditable]`)),
		chromedp.SendKeys(chromedp.ID("title"), "Por teclado"), chromedp.Focus(chromedp.ID("summary")))
	// From the summary, Tab reaches the language, then the countries, the
	// tags... The section's toolbar is one stop before its text.
	browsertest.Do(t, ctx, chromedp.Focus(chromedp.CSS(`#f-context[contenteditable]`)), key(kb.Tab, chromedp.ModifierShift))
	if f := focused(); f != "bold" {
		t.Fatalf("Shift+Tab from the text lands on %q, want the toolbar's first button", f)
	}
	browsertest.Do(t, ctx, key(kb.End))
	if f := focused(); f != "redo" {
		t.Fatalf("End in the toolbar: %q", f)
	}
	browsertest.Do(t, ctx, key(kb.Tab))
	if f := focused(); f != "f-context" {
		t.Fatalf("Tab from the toolbar: %q, want the text", f)
	}
	// A bulleted list.
	toTool("bulletList")
	browsertest.Do(t, ctx, key(kb.Enter))
	if !focusedOn("f-context") {
		t.Fatalf("after a toolbar button the focus is on %q, want the text", focused())
	}
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-context`), "uno"), browsertest.Enter(),
		chromedp.SendKeys(chromedp.CSS(`#f-context`), "dos"), browsertest.Enter(), browsertest.Enter(),
		chromedp.SendKeys(chromedp.CSS(`#f-context`), "Fuente: "))
	// A link through Ctrl+K; a bad address is refused in the dialog.
	browsertest.Do(t, ctx, key("k", chromedp.ModifierCtrl), chromedp.WaitVisible(chromedp.ID("f-context-link-url")),
		chromedp.SendKeys(chromedp.ID("f-context-link-url"), "javascript:alert(1)"), key(kb.Enter))
	if !browsertest.Run(t, ctx, chromedp.Evaluate[bool](`!document.getElementById("f-context-link-url-error").hidden`)) {
		t.Fatal("a javascript: link was accepted")
	}
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("f-context-link-url").value = ""`),
		chromedp.SendKeys(chromedp.ID("f-context-link-url"), "https://www.migracion.gob.pa/"), key(kb.Enter))
	if !focusedOn("f-context") {
		t.Fatalf("after the link the focus is on %q", focused())
	}
	// A table: its own buttons appear while the cursor is in it.
	browsertest.Do(t, ctx, browsertest.Enter())
	toTool("table")
	browsertest.Do(t, ctx, key(kb.Enter))
	if !focusedOn("f-context") {
		t.Fatalf("after inserting a table the focus is on %q", focused())
	}
	browsertest.Do(t, ctx, chromedp.KeyEvent("Indicador"), key(kb.Tab))
	if f := focused(); f != "f-context" {
		t.Fatalf("Tab in a table left the text for %q, want the next cell", f)
	}
	// The third column goes: Tab to it, then the toolbar's button.
	browsertest.Do(t, ctx, chromedp.KeyEvent("Valor"), key(kb.Tab))
	if !browsertest.Run(t, ctx, chromedp.Evaluate[bool](`!document.querySelector('[data-cmd="deleteColumn"]').hidden`)) {
		t.Fatal("the table's buttons do not show in a table")
	}
	toTool("deleteColumn")
	browsertest.Do(t, ctx, key(kb.Enter))
	if !focusedOn("f-context") {
		t.Fatalf("after deleting a column the focus is on %q", focused())
	}
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "keyboard.png"))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	got := dbtest.Value[string](t, e.DB.R, `SELECT context_html FROM practices`)
	for _, want := range []string{"<ul><li>uno</li><li>dos</li></ul>",
		`Fuente: <a href="https://www.migracion.gob.pa/" rel="nofollow noopener noreferrer">https://www.migracion.gob.pa/</a>`,
		"<table><tbody><tr><th>Indicador</th><th>Valor</th></tr>", "<tr><td></td><td></td></tr>"} {
		if !strings.Contains(got, want) {
			t.Errorf("stored %s\nlacks %s", got, want)
		}
	}
	if strings.Contains(got, "javascript") {
		t.Error("the refused link was stored")
	}
}

// The editor speaks the page's language: its toolbar's names and the link
// dialog, in each of the five.
func TestEditorLanguages(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t)
	e.CreateAccount("samira@migracion.gob.pa", accounts.Official, "PA")
	base := e.HTTP.URL
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	for lang, want := range map[string][2]string{
		"es": {"Negrita", "Dirección del enlace"}, "en": {"Bold", "Link address"}, "pt": {"Negrito", "Endereço do link"},
		"fr": {"Gras", "Adresse du lien"}, "nl": {"Vet", "Adres van de link"},
	} {
		browsertest.Do(t, ctx, chromedp.Navigate(base+"/practices/new"), chromedp.WaitVisible(chromedp.CSS(`form[action="/language"]`)),
			chromedp.SetValue(chromedp.CSS(`form[action="/language"] select`), lang))
		browsertest.Navigate(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action="/language"]').submit()`))
		browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#f-context[contenteditable]`)))
		got := browsertest.Run(t, ctx, chromedp.Evaluate[[]string](`[document.querySelector('#f-context').closest('.rich-wrap').querySelector('[data-cmd="bold"]').textContent,
		  document.querySelector('label[for="f-context-link-url"]').textContent]`))
		if len(got) != 2 || !strings.HasSuffix(got[0], want[0]) || got[1] != want[1] {
			t.Errorf("%s: the editor says %q, want %q", lang, got, want)
		}
	}
}

// A draft saves itself while it changes, with only a title; when a save
// fails because the session ended, the text is kept in the browser and
// offered back after signing in again.
func TestDraftAutosaveAndRestore(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t, servertest.WithArgs("--autosave-every", "1s"))
	e.CreateAccount("samira@migracion.gob.pa", accounts.Official, "PA")
	base := e.HTTP.URL
	shots := browsertest.Shots(t, ctx)
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/practices/new"), chromedp.WaitVisible(chromedp.CSS(`#f-context[contenteditable]`)),
		chromedp.SendKeys(chromedp.ID("title"), "Borrador que se guarda solo"),
		browsertest.TypeRich("f-context", "Primera frase."))
	// Saved by itself: the status says so, the draft exists, the address
	// is the draft's.
	browsertest.Do(t, ctx, chromedp.Poll[chromedp.Void](`/Draft saved at/.test(document.getElementById("autosave-status").textContent)`,
		chromedp.WithPollingTimeout(10*time.Second)))
	// A save may have caught the title half typed; the next one has all.
	saved := func(query string, args ...any) bool {
		for range 50 {
			if dbtest.Int(t, e.DB.R, query, args...) == 1 {
				return true
			}
			time.Sleep(200 * time.Millisecond)
		}
		return false
	}
	if !saved(`SELECT count(*) FROM practices WHERE title = 'Borrador que se guarda solo' AND status = 'draft'`) {
		t.Fatalf("no draft with the whole title after autosaves: %d practices", dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practices`))
	}
	if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, "/edit") {
		t.Fatalf("after the first save the page is %s, want the draft's edit form", loc)
	}
	browsertest.Do(t, ctx, browsertest.TypeRich("f-context", " Segunda frase."))
	if !saved(`SELECT count(*) FROM practices WHERE context_html LIKE '%Segunda frase.%'`) {
		t.Fatalf("the second change was not saved: %s", dbtest.Value[string](t, e.DB.R, `SELECT context_html FROM practices`))
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practices`); n != 1 {
		t.Fatalf("%d practices: autosave made copies", n)
	}
	editURL := browsertest.Location(t, ctx)

	// The session ends on the server; the next change cannot be saved.
	samira, err := e.Accounts.ByEmail(t.Context(), "samira@migracion.gob.pa")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Server.Sessions().EndAll(t.Context(), samira.ID); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, ctx, browsertest.TypeRich("f-context", " Tercera frase, sin sesión."),
		chromedp.Poll[chromedp.Void](`document.getElementById("autosave-status").classList.contains("failed")`, chromedp.WithPollingTimeout(10*time.Second)))
	status := browsertest.Text(t, ctx, "#autosave-status")
	if !strings.Contains(status, "session ended") {
		t.Fatalf("status after the session ended: %q", status)
	}
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "session-ended.png"))
	// The person saves by hand anyway: sent to sign in, back to the form
	// after, and the copy is still there.
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)))
	if loc := browsertest.Location(t, ctx); !strings.Contains(loc, "/signin?next="+url.QueryEscape(strings.TrimPrefix(editURL, base))) {
		t.Fatalf("saving without a session leads to %s", loc)
	}

	// Signing in again and opening the draft offers the copy.
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(editURL), chromedp.WaitVisible(chromedp.CSS(`#autosave-restore`)))
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "restore-offered.png"))
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#autosave-restore [data-restore]`)))
	text := browsertest.Text(t, ctx, "#f-context")
	if !strings.Contains(text, "Tercera frase, sin sesión.") {
		t.Fatalf("restored text: %q", text)
	}
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)))
	if html := dbtest.Value[string](t, e.DB.R, `SELECT context_html FROM practices`); !strings.Contains(html, "Tercera frase, sin sesión.") {
		t.Fatalf("the restored text was not saved: %s", html)
	}
	// Once saved, nothing is offered again.
	browsertest.Do(t, ctx, chromedp.Navigate(editURL), chromedp.WaitVisible(chromedp.CSS(`#f-context[contenteditable]`)))
	if browsertest.Run(t, ctx, chromedp.Evaluate[bool](`!document.getElementById("autosave-restore").hidden`)) {
		t.Error("a copy is offered after it was saved")
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// Files through the form in Chromium: chosen, saved with the draft,
// listed and downloaded by its author; refused with the rest of the form
// intact when bad; after publication, downloaded by a reader the practice
// is shared with and a 404 for one it is not.
func TestAttachmentsInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t)
	e.CreateAccount("samira@migracion.gob.pa", accounts.Official, "PA")
	e.CreateAccount("luis@gob.mx", accounts.Official, "MX")
	e.CreateAccount("mod@puente.test", accounts.Moderator, "")
	base := e.HTTP.URL
	shots := browsertest.Shots(t, ctx)
	dir := t.TempDir()
	good := filepath.Join(dir, "Protocolo de registro.pdf")
	empty := filepath.Join(dir, "vacío.pdf")
	photo := filepath.Join(dir, "puesto.png")
	var png bytes.Buffer
	if err := pngenc.Encode(&png, image.NewGray(image.Rect(0, 0, 8, 6))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, png.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte("%PDF-1.7\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fetchStatus := func(path string) int {
		t.Helper()
		browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`fetch(%q).then(r => window.__status = r.status)`, path)),
			chromedp.Poll[chromedp.Void](`window.__status > 0`, chromedp.WithPollingTimeout(5*time.Second)))
		st := browsertest.Run(t, ctx, chromedp.Evaluate[int](`window.__status`))
		browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__status = 0`))
		return st
	}

	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/practices/new"), chromedp.WaitVisible(chromedp.ID("attachments-input")),
		chromedp.SendKeys(chromedp.ID("title"), "Con protocolo adjunto"),
		chromedp.SetUploadFiles(chromedp.ID("attachments-input"), []string{good, photo}))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.attachment-list`)))
	list := browsertest.Text(t, ctx, ".attachment-list")
	if !strings.Contains(list, "Protocolo de registro.pdf") || !strings.Contains(list, "PDF") {
		t.Fatalf("the practice lists %q", list)
	}
	link := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.querySelector('.attachment-list a').getAttribute('href')`))
	if st := fetchStatus(link); st != 200 {
		t.Fatalf("the author downloads: %d", st)
	}
	practice := browsertest.Location(t, ctx)

	// The picture goes into the text with the editor's picture button; a
	// picture pasted from elsewhere is dropped, and the editor says so.
	browsertest.Do(t, ctx, chromedp.Navigate(practice+"/edit"), chromedp.WaitVisible(chromedp.CSS(`#f-context[contenteditable]`)),
		paste("f-context", `<p>Antes <img src="file:///C:/Users/ana/foto.jpg"> después</p>`))
	if note := browsertest.Text(t, ctx, `.rich-wrap:has(#f-context) + .field-error`); !strings.Contains(note, "cannot be pasted") {
		t.Errorf("a dropped pasted picture is not told: %q", note)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`.rich-wrap:has(#f-context) [data-cmd="image"]`)),
		chromedp.WaitVisible(chromedp.ID("f-context-image")))
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`.rich-wrap:has(#f-context) .link-dialog:not([hidden]) button`)))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.rich img`)))
	stored := dbtest.Value[string](t, e.DB.R, `SELECT context_html FROM practices`)
	pid := dbtest.Int(t, e.DB.R, `SELECT id FROM practice_attachments WHERE name = 'puesto.png'`)
	if !strings.Contains(stored, fmt.Sprintf(`<img src="/attachments/%d" alt="puesto.png"/>`, pid)) || strings.Contains(stored, "file:") {
		t.Fatalf("stored text: %s", stored)
	}
	if ok := browsertest.Run(t, ctx, chromedp.Evaluate[bool](`document.querySelector('.rich img').naturalWidth === 8`)); !ok {
		t.Error("the picture does not show in the practice's text")
	}

	// A bad file: refused by name, the form as typed.
	browsertest.Do(t, ctx, chromedp.Navigate(practice+"/edit"), chromedp.WaitVisible(chromedp.ID("attachments-input")),
		chromedp.SendKeys(chromedp.ID("summary"), "Resumen escrito antes del error."),
		chromedp.SetUploadFiles(chromedp.ID("attachments-input"), []string{empty}))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.ID("attachments-error")))
	if msg := browsertest.Text(t, ctx, "#attachments-error"); !strings.Contains(msg, "vacío.pdf") || !strings.Contains(msg, "empty") {
		t.Fatalf("refusal: %q", msg)
	}
	if v := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.getElementById("summary").value`)); v != "Resumen escrito antes del error." {
		t.Fatalf("the summary typed came back as %q", v)
	}
	if focus := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); focus != "error-summary" {
		t.Errorf("the focus is on %q, want the error summary", focus)
	}
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "file-refused.png"))
	// A program named like a document: refused by its content.
	fake := filepath.Join(dir, "informe final.pdf")
	if err := os.WriteFile(fake, []byte("MZ\x90\x00\x03 a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, ctx, chromedp.SetUploadFiles(chromedp.ID("attachments-input"), []string{fake}))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.ID("attachments-error")))
	if msg := browsertest.Text(t, ctx, "#attachments-error"); !strings.Contains(msg, "informe final.pdf") || !strings.Contains(msg, "not of an accepted kind") {
		t.Fatalf("refusal of a disguised program: %q", msg)
	}
	if v := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.getElementById("summary").value`)); v != "Resumen escrito antes del error." {
		t.Fatalf("after the second refusal the summary is %q", v)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practice_attachments`); n != 2 {
		t.Fatalf("%d files stored", n)
	}

	// Shared with the CRM: a Mexican official downloads it once published;
	// before, nobody but its author.
	browsertest.SignOut(t, ctx)
	browsertest.SignIn(t, ctx, base, "luis@gob.mx", servertest.Password)
	if st := fetchStatus(link); st != 404 {
		t.Fatalf("another official downloads a draft's file: %d", st)
	}
	id := practice[strings.LastIndex(practice, "/")+1:]
	dbtest.Exec(t, e.DB.W, `UPDATE practices SET scope = 'crm', status = 'published', published_at = updated_at WHERE id = ?`, id)
	if st := fetchStatus(link); st != 200 {
		t.Fatalf("a CRM official downloads a published CRM practice's file: %d", st)
	}
	browsertest.SignOut(t, ctx)
	if st := fetchStatus(link); st != 404 {
		t.Fatalf("a visitor downloads a CRM practice's file: %d", st)
	}
}

// A version in another language, end to end in Chromium: written by the
// author through the editor, reviewed by a moderator, read by a reader of
// that language.
func TestVersionInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t)
	e.CreateAccount("samira@migracion.gob.pa", accounts.Official, "PA")
	e.CreateAccount("beatriz@gov.br", accounts.Official, "BR")
	e.CreateAccount("mod@puente.test", accounts.Moderator, "")
	dbtest.Exec(t, e.DB.W, `UPDATE accounts SET lang = 'pt' WHERE email = 'beatriz@gov.br'`)
	base := e.HTTP.URL
	shots := browsertest.Shots(t, ctx)
	author := e.SignIn("samira@migracion.gob.pa")
	f := url.Values{"title": {"Registro biométrico"}, "summary": {"Cada llegada queda registrada."}, "lang": {"es"}, "scope": {"members"},
		"context": {"<p>Contexto</p>"}, "actions": {"<p>Acciones</p>"}, "tags": {"1"}, "period_start": {"2021-09"}, "ongoing": {"1"},
		"institutions": {"SNM"}, "contact_name": {"Punto focal"}, "contact_email": {"focal@gob.example"}, "countries": {"PA"}, "action": {"submit"}}
	res := author.PostForm("/practices", f)
	path := res.Header.Get("Location")
	if res.Status != 303 || e.SignIn("mod@puente.test").PostForm(path+"/publish", nil).Status != 303 {
		t.Fatalf("publish: %d", res.Status)
	}

	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(base+path+"/versions/pt"), chromedp.WaitVisible(chromedp.CSS(`#f-context[contenteditable]`)),
		chromedp.SendKeys(chromedp.ID("title"), "Registro biométrico (português)"),
		chromedp.SendKeys(chromedp.ID("summary"), "Cada chegada fica registrada."),
		browsertest.TypeRich("f-context", "Contexto em português."),
		browsertest.TypeRich("f-actions", "Ações em português."))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`.sticky-actions button[type=submit]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	browsertest.SignOut(t, ctx)

	browsertest.SignIn(t, ctx, base, "mod@puente.test", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/moderation"), chromedp.WaitVisible(chromedp.CSS(`#versions a`)))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`#versions a`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`button[value=approve]`)))
	if body := browsertest.Text(t, ctx, "article.practice"); !strings.Contains(body, "Contexto em português.") {
		t.Fatalf("the review shows %q", body)
	}
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`button[value=approve]`)))
	browsertest.SignOut(t, ctx)

	browsertest.SignIn(t, ctx, base, "beatriz@gov.br", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/practices"), chromedp.WaitVisible(chromedp.CSS(`.practice-card`)))
	if card := browsertest.Text(t, ctx, ".practice-card"); !strings.Contains(card, "Registro biométrico (português)") {
		t.Fatalf("the list shows %q to a Portuguese reader", card)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(`nav.also-in`)))
	if h := browsertest.Text(t, ctx, "#practice-title"); h != "Registro biométrico (português)" {
		t.Fatalf("a Portuguese reader reads %q", h)
	}
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "version-pt.png"))
}
