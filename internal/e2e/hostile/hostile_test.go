package e2e

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	htmlpkg "html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"puente/internal/accounts"
	"puente/internal/browsertest"
	"puente/internal/servertest"
)

// loadCorpus reads testdata/hostile.txt: samples separated by lines of
// "=====", a sample starting with "@@1MB " repeated to a megabyte.
func loadCorpus(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/hostile.txt")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(b), "\n=====\n")
	var out []string
	for _, s := range blocks[1:] { // the first block is the header
		s = strings.TrimSuffix(s, "\n")
		if rest, ok := strings.CutPrefix(s, "@@1MB "); ok {
			s = strings.Repeat(rest, (1<<20)/len(rest)+1)
		}
		out = append(out, s)
	}
	return out
}

// hookJS runs in every document before the page's own scripts: it traps the
// functions the samples call and records every CSP violation.
const hookJS = `(() => {
  const rec = { calls: [], csp: [] };
  Object.defineProperty(window, '__hostile', { value: rec });
  for (const n of ['alert', 'confirm', 'prompt', 'print', 'xss', 'open']) {
    try { window[n] = (...a) => { rec.calls.push(n + '(' + a.map(String).join(',').slice(0, 60) + ')'); }; } catch (e) {}
  }
  document.addEventListener('securitypolicyviolation', e =>
    rec.csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')), true);
})();`

// inspectJS reports what the hook recorded and any dangerous markup that
// reached the DOM: event-handler attributes, script URLs, frames, foreign
// scripts, style elements in the body, hidden direction or zero-width
// characters in text.
const inspectJS = `(() => {
  const r = window.__hostile || { calls: ['the hook did not run'], csp: [] };
  const markup = [], tricks = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcdoc', 'ping', 'lowsrc', 'dynsrc', 'codebase', 'cite', 'longdesc'];
  for (const el of document.getElementsByTagName('*')) {
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal'].includes(tag)) markup.push('<' + tag + '>');
    if (tag === 'meta' && (el.httpEquiv || el.closest('body'))) markup.push('<meta http-equiv=' + el.httpEquiv + '>');
    if (tag === 'script' && !(el.src && new URL(el.src, location).origin === location.origin)) markup.push('inline or foreign <script>');
    if (tag === 'link' && new URL(el.href, location).origin !== location.origin) markup.push('<link> to ' + el.href);
    if (tag === 'style' && el.closest('body')) markup.push('<style> in body');
    for (const a of el.attributes) {
      const n = a.name.toLowerCase(), v = a.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (n.startsWith('on')) markup.push(tag + ' ' + n);
      if (urlAttrs.includes(n) && /^(javascript|vbscript|livescript|data):/.test(v)) markup.push(tag + ' ' + n + '=' + v.slice(0, 40));
      if (n === 'style' && /url\(|expression|behavior|binding|position:fixed|@import/.test(v)) markup.push(tag + ' style=' + v.slice(0, 40));
    }
  }
  const w = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) {
    const p = w.currentNode.parentElement;
    // What a person is typing, in a field or the editor (which uses U+FEFF
    // as its own cursor marks), is theirs to see as typed.
    if (p && (['TEXTAREA', 'SCRIPT', 'STYLE'].includes(p.tagName) || p.closest('trix-editor'))) continue;
    if (/[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u061c\u{E0000}-\u{E007F}]/u.test(w.currentNode.data)) tricks.push(JSON.stringify(w.currentNode.data.slice(0, 50)));
  }
  return JSON.stringify({ calls: r.calls, csp: r.csp, markup: markup.slice(0, 5), tricks: tricks.slice(0, 5) });
})()`

// watcher records, for one browser tab, dialogs and requests to origins
// other than the allowed ones, and checks each page it is shown.
type watcher struct {
	t       *testing.T
	ctx     context.Context
	allowed []string
	mu      sync.Mutex
	foreign []string
	dialogs []string
	pages   int
	fails   int
}

func watch(t *testing.T, ctx context.Context, allowed ...string) *watcher {
	w := &watcher{t: t, ctx: ctx, allowed: allowed}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hookJS}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			// data: URLs fetch nothing (the browser's own form controls and
			// the editor's icons use them); in content they are caught in
			// the DOM. Everything else must stay on the allowed origins.
			if u := e.Request.URL; !strings.HasPrefix(u, "data:") && !w.allowedURL(u) {
				w.mu.Lock()
				w.foreign = append(w.foreign, u)
				w.mu.Unlock()
			}
		case *page.EventJavascriptDialogOpening:
			w.mu.Lock()
			w.dialogs = append(w.dialogs, string(e.Type)+": "+e.Message)
			w.mu.Unlock()
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
		}
	}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *watcher) allowedURL(u string) bool {
	for _, a := range w.allowed {
		if strings.HasPrefix(u, a+"/") || u == a {
			return true
		}
	}
	return false
}

type inspection struct {
	Calls, CSP, Markup, Tricks []string
}

// check inspects the page now in the tab; what is wrong is reported with
// label and the sample's number.
func (w *watcher) check(label string) { w.inspect(label, false) }

// evaluate runs expression in the page. A page that has just been
// replaced (a submit that answers with a redirect) may not have its new
// document ready: the evaluation is tried again on the new one.
func (w *watcher) evaluate(expression string) string {
	w.t.Helper()
	var err error
	for range 5 {
		ctx, cancel := context.WithTimeout(w.ctx, browsertest.StepTimeout)
		var v string
		v, err = chromedp.Run(ctx, chromedp.Evaluate[string](expression))
		cancel()
		if err == nil {
			return v
		}
		if !strings.Contains(err.Error(), "Cannot find context") {
			break
		}
		browsertest.Do(w.t, w.ctx, chromedp.WaitReady(chromedp.CSS("body")))
	}
	w.t.Fatal(err)
	return ""
}

// checkTyped inspects a page where hostile HTML has just been pasted into
// the editor, before it is sent: the browser parses what a person pastes,
// so the CSP refusing an inline handler, style or image there is the
// defence working. Nothing may run, open a dialog, or reach another origin
// past the CSP, and the DOM must be as clean as on any page.
func (w *watcher) checkTyped(label string) { w.inspect(label, true) }

func (w *watcher) inspect(label string, typed bool) {
	w.t.Helper()
	raw := w.evaluate(inspectJS)
	var in inspection
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		w.t.Fatal(err)
	}
	w.mu.Lock()
	foreign, dialogs := w.foreign, w.dialogs
	w.foreign, w.dialogs = nil, nil
	w.mu.Unlock()
	if typed {
		blocked := map[string]bool{}
		for _, v := range in.CSP {
			if f := strings.Fields(v); len(f) > 1 {
				blocked[f[1]] = true
			}
		}
		foreign = slices.DeleteFunc(foreign, func(u string) bool { return blocked[u] })
		in.CSP = nil
	}
	w.pages++
	bad := false
	report := func(what string, list []string) {
		if len(list) > 0 {
			bad = true
			w.t.Errorf("%s: %s: %q", label, what, list)
		}
	}
	report("script ran", in.Calls)
	report("dialog opened", dialogs)
	report("request to another origin", foreign)
	report("CSP violation", in.CSP)
	report("dangerous markup in the DOM", in.Markup)
	report("direction or zero-width characters shown", in.Tricks)
	if bad {
		w.fails++
		if w.fails > 40 {
			w.t.Fatal("too many failures; stopping")
		}
	}
}

// visit loads path and checks it.
func (w *watcher) visit(base, path, label string) {
	w.t.Helper()
	t0 := time.Now()
	browsertest.Do(w.t, w.ctx, chromedp.Navigate(base+path))
	w.check(label + " " + truncate(path, 80))
	if d := time.Since(t0); d > 2*time.Second {
		w.t.Logf("slow page %s %s: %s", label, truncate(path, 60), d.Round(time.Millisecond))
	}
}

// submit loads the page at path, fills the form matched by formCSS with
// values (by field name, hidden editor inputs included) and submits it with
// the button matched by buttonCSS, as a person would, then checks the answer.
func (w *watcher) submit(base, path, formCSS, buttonCSS string, values url.Values, label string) {
	w.t.Helper()
	stage := func(name string, a chromedp.Action[chromedp.Void]) {
		w.t.Helper()
		var err error
		// A document swapped under the step (the previous page's late
		// navigation) loses its context: the step is run again.
		for range 3 {
			ctx, cancel := context.WithTimeout(w.ctx, browsertest.StepTimeout)
			err = chromedp.Do(ctx, a)
			cancel()
			if err == nil || !strings.Contains(err.Error(), "Cannot find context") {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if err != nil {
			w.t.Fatalf("%s: %s: %v", label, name, err)
		}
	}
	stage("open the form", chromedp.Navigate(base+path))
	// Rich-text fields become editors once the editor script has run.
	stage("wait for the editors", chromedp.Poll[chromedp.Void](fmt.Sprintf(
		`document.readyState === 'complete' && [...document.querySelectorAll(%q + ' textarea[data-rich]')].every(t => t.value.length > 100000) && [...document.querySelectorAll('trix-editor')].every(e => e.editor)`, formCSS)))
	values = cloneValues(values)
	values.Del("action") // the button says which action
	js, _ := json.Marshal(values)
	fill := fmt.Sprintf(`(() => {
	  const f = document.querySelector(%q), v = %s;
	  for (const [name, vals] of Object.entries(v)) {
	    const els = f.querySelectorAll('[name="' + name + '"]');
	    els.forEach(el => {
	      // A rich-text field takes the HTML as a paste into its editor
	      // would; a megabyte, which nobody pastes, is posted as a script or
	      // a browser without JavaScript would post it.
	      const ed = el.id && f.querySelector('trix-editor[input="' + el.id + '"]');
	      if (ed && ed.editor && vals[0].length > 100000) { ed.remove(); el.value = vals[0]; }
	      else if (ed && ed.editor) ed.editor.loadHTML(vals[0]);
	      else if (el.type === 'checkbox' || el.type === 'radio') el.checked = vals.includes(el.value);
	      else el.value = vals[0];
	    });
	  }
	  return true;
	})()`, formCSS, js)
	stage("type", chromedp.Evaluate[chromedp.Void](fill))
	w.checkTyped(label + " (typed)")
	ctx, cancel := context.WithTimeout(w.ctx, browsertest.StepTimeout)
	defer cancel()
	// Submitted after the evaluation returns, so the navigation does not
	// pull the page out from under it.
	if _, err := chromedp.RunResponse(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`setTimeout(() => document.querySelector(%q).requestSubmit(document.querySelector(%q)), 0)`, formCSS, buttonCSS))); err != nil {
		w.t.Fatalf("%s: submit: %v", label, err)
	}
	w.check(label)
}

// megabyte tells whether a form carries a megabyte sample.
func megabyte(v url.Values) bool {
	for _, vs := range v {
		for _, x := range vs {
			if len(x) > 100000 {
				return true
			}
		}
	}
	return false
}

// hasFieldError tells whether a re-rendered form marks the field named name.
func hasFieldError(body, name string) bool {
	return strings.Contains(body, `id="`+name+`-error"`) || strings.Contains(body, `id="f-`+name+`-error"`)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// noCSP serves pages without Puente's headers, as a mail client or a feed
// reader shows HTML: without the CSP, nothing but the markup protects.
type noCSP struct {
	mu    sync.Mutex
	pages map[string]string
}

func (n *noCSP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	body, ok := n.pages[r.URL.Path]
	n.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(body))
}

var (
	practicePath = regexp.MustCompile(`^/practices/(\d+)$`)
	fieldErrRe   = regexp.MustCompile(`id="[a-z_-]+-error">[^<]*`)
	feedURLRe    = regexp.MustCompile(`id="feed-url" type="text" readonly value="([^"]+)"`)
)

// Fields of the practice form that take text, in the order the samples
// rotate through them.
var textFields = []string{"title", "summary", "context", "actions", "results", "lessons", "adoption", "institutions", "partners", "contact_name"}

// TestHostileContent posts every sample of the corpus through the real
// forms into every text field (practice title, summary, the five rich-text
// sections, institutions, partners, contact; comments; flag details;
// moderation reasons; display names; the search box), then opens every
// page that shows them in Chromium with a hook that records script
// execution, dialogs, requests to other origins and CSP violations, and
// inspects the DOM for markup that should not be there. The digest's HTML
// and the feeds' entries are opened without any CSP, as a mail client or
// feed reader would show them. Zero of each is the only pass.
func TestHostileContent(t *testing.T) {
	corpus := loadCorpus(t)
	if len(corpus) < 300 {
		t.Fatalf("corpus has %d samples, want at least 300", len(corpus))
	}
	ctx := browsertest.NewFor(t, 12*time.Minute)
	e := servertest.New(t)
	base := e.HTTP.URL
	mirror := &noCSP{pages: map[string]string{}}
	plain := httptest.NewServer(mirror)
	t.Cleanup(plain.Close)
	w := watch(t, ctx, base, plain.URL)
	start := time.Now()
	stats := map[string]int{}

	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	e.CreateAccount("mod@puente.test", accounts.Moderator, "")
	e.CreateAccount("viewer@gob.mx", accounts.Official, "MX")
	e.CreateAccount("flagger@gob.cr", accounts.Official, "CR")
	const nAuthors = 6
	authors := make([]*servertest.Client, nAuthors)
	authorEmail := func(i int) string { return fmt.Sprintf("autor%d@gob.pa", i) }
	for i := range authors {
		e.CreateAccount(authorEmail(i), accounts.Official, "PA")
		authors[i] = e.SignIn(authorEmail(i))
	}
	admin, mod := e.SignIn("admin@puente.test"), e.SignIn("mod@puente.test")
	viewer, flagger := e.SignIn("viewer@gob.mx"), e.SignIn("flagger@gob.cr")
	sample := func(k int) string { return corpus[k%len(corpus)] }

	// 1. Display names, through the profile form: every sample. The
	// authors and the commenter keep a hostile name, shown on every page.
	e.CreateAccount("scratch@gob.pa", accounts.Official, "PA")
	sc := e.SignIn("scratch@gob.pa")
	var rejectedNames []int
	for k := range corpus {
		res := sc.PostForm("/account/profile", url.Values{"display_name": {sample(k)}, "lang": {"en"}})
		stats["display name posted"]++
		switch res.Status {
		case http.StatusSeeOther:
		case http.StatusUnprocessableEntity:
			rejectedNames = append(rejectedNames, k)
		default:
			t.Errorf("display name sample %d: status %d", k, res.Status)
		}
	}
	named := 0
	for k := 0; named < nAuthors+1 && k < len(corpus); k++ {
		c := viewer
		if named < nAuthors {
			c = authors[named]
		}
		if res := c.PostForm("/account/profile", url.Values{"display_name": {sample(k)}, "lang": {"en"}}); res.Status == http.StatusSeeOther {
			named++
		}
	}

	// 2. Practices: sample k+31·f goes into field f of practice k, so every
	// sample lands in every field once. A field the form refuses (too
	// long, say) gets a plain value so the practice still exists; the
	// refused form is replayed in the browser in step 8.
	type refused struct {
		k      int
		values url.Values
	}
	var refusedForms []refused
	ids := make([]string, len(corpus))
	scopes := []string{"public", "members", "crm"}
	form := func(k, shift int) url.Values {
		v := url.Values{"lang": {"es"}, "scope": {scopes[k%3]}, "tags": {"1", "4"}, "countries": {"PA"},
			"period_start": {"2021-09"}, "ongoing": {"1"}, "contact_email": {"focal@gob.example"}, "action": {"submit"}}
		for f, name := range textFields {
			v.Set(name, sample(k+31*f+shift))
		}
		// A common word in every section, so one search finds them all.
		v.Set("context", "<p>pelícano</p>"+v.Get("context"))
		return v
	}
	for k := range corpus {
		a := authors[k%nAuthors]
		v := form(k, 0)
		res := a.PostForm("/practices", v)
		stats["practice form posted"]++
		if res.Status == http.StatusUnprocessableEntity {
			refusedForms = append(refusedForms, refused{k, cloneValues(v)})
			for f, name := range textFields {
				if hasFieldError(res.Body, name) {
					v.Set(name, fmt.Sprintf("Campo %d de la práctica %d", f, k))
				}
			}
			res = a.PostForm("/practices", v)
		}
		m := practicePath.FindStringSubmatch(res.Header.Get("Location"))
		if res.Status != http.StatusSeeOther || m == nil {
			t.Fatalf("practice %d: %d %q", k, res.Status, fieldErrRe.FindAllString(res.Body, -1))
		}
		ids[k] = m[1]
	}

	t.Logf("step 2 done at %s", time.Since(start).Round(time.Second))
	// 3. The moderator reviews every submission in the browser, then
	// publishes it.
	signIn(t, ctx, base, "mod@puente.test")
	w.visit(base, "/moderation", "moderation queue")
	all := make([]int, len(ids))
	for k := range all {
		all[k] = k
	}
	// The review page shows a practice as its page does (checked for
	// every practice below); a third of them are opened here.
	for k := 0; k < len(ids); k += 3 {
		w.visit(base, "/moderation/review/"+ids[k], fmt.Sprintf("review of practice %d:", k))
	}
	for _, id := range ids {
		if res := mod.PostForm("/practices/"+id+"/publish", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("publish %s: %d", id, res.Status)
		}
	}

	t.Logf("step 3 done at %s", time.Since(start).Round(time.Second))
	// 4. Comments, flags with details, moderation reasons, and a second
	// revision of every practice for the history's diff.
	var refusedComments []int
	type refusedFlag struct {
		comment int64
		k       int
	}
	var refusedFlags []refusedFlag
	for k, id := range ids {
		res := viewer.PostForm("/practices/"+id+"/comments", url.Values{"body": {sample(k)}})
		stats["comment posted"]++
		if res.Status == http.StatusUnprocessableEntity {
			refusedComments = append(refusedComments, k)
			res = viewer.PostForm("/practices/"+id+"/comments", url.Values{"body": {fmt.Sprintf("<p>Comentario %d</p>", k)}})
		}
		if res.Status != http.StatusSeeOther {
			t.Fatalf("comment on practice %d: %d", k, res.Status)
		}
		var cid int64
		if err := e.DB.R.QueryRow(`SELECT max(id) FROM comments WHERE practice_id = ?`, id).Scan(&cid); err != nil {
			t.Fatal(err)
		}
		res = flagger.PostForm("/flags", url.Values{"target_type": {"comment"}, "target_id": {fmt.Sprint(cid)}, "reason": {"other"}, "details": {sample(k + 3)}})
		stats["flag posted"]++
		if res.Status >= 500 {
			t.Errorf("flag with sample %d: %d", k+3, res.Status)
		}
		// A refused flag comes back on the flag page, which stays there
		// as long as the comment is not hidden below.
		if res.Status == http.StatusUnprocessableEntity && k%2 == 0 {
			refusedFlags = append(refusedFlags, refusedFlag{cid, k + 3})
		}
		if k%2 == 1 {
			res = mod.PostForm(fmt.Sprintf("/moderation/comments/%d/hide", cid), url.Values{"reason": {sample(k + 5)}})
			stats["hide reason posted"]++
			if res.Status >= 500 {
				t.Errorf("hide reason sample %d: %d", k+5, res.Status)
			}
		}
		v := form(k, 211)
		v.Set("action", "save")
		res = authors[k%nAuthors].PostForm("/practices/"+id, v)
		stats["practice edit posted"]++
		if res.Status == http.StatusUnprocessableEntity {
			for f, name := range textFields {
				if hasFieldError(res.Body, name) {
					v.Set(name, fmt.Sprintf("Campo %d, segunda versión %d", f, k))
				}
			}
			res = authors[k%nAuthors].PostForm("/practices/"+id, v)
		}
		if res.Status != http.StatusSeeOther {
			t.Fatalf("edit practice %d: %d\n%.1500s", k, res.Status, res.Body)
		}
	}

	t.Logf("step 4 done at %s", time.Since(start).Round(time.Second))
	signOut(t, ctx)
	// 5. What the forms refused comes back to the person in the form: the
	// refused practice forms, comments and names, replayed in the browser.
	for i := 0; i < nAuthors; i++ {
		signIn(t, ctx, base, authorEmail(i))
		var mine []int
		for k := i; k < len(ids); k += nAuthors {
			mine = append(mine, k)
		}
		// The editor holds what the practice page shows, sanitised; every
		// third practice is opened in it.
		for _, k := range mine {
			if k%3 == 0 {
				w.visit(base, "/practices/"+ids[k]+"/edit", fmt.Sprintf("editor of practice %d:", k))
			}
		}
		for _, k := range mine {
			if k%25 == i {
				v := form(k+7, 0)
				w.submit(base, "/practices/new", "form.practice-form", `button[name=action][value=preview]`, v, fmt.Sprintf("preview with samples from %d:", k+7))
				stats["preview submitted in browser"]++
			}
		}
		for _, r := range refusedForms {
			if r.k%nAuthors == i && megabyte(r.values) {
				// Refused over HTTP above with the text back; a browser
				// takes minutes to shuttle a megabyte through the
				// test's protocol, so it is not replayed.
				stats["megabyte form refused over HTTP only"]++
				continue
			}
			if r.k%nAuthors == i && r.k%2 == 0 {
				w.submit(base, "/practices/new", "form.practice-form", `button[name=action][value=submit]`, r.values, fmt.Sprintf("refused practice form %d:", r.k))
				stats["refused form replayed in browser"]++
			}
		}
		signOut(t, ctx)
		t.Logf("forms of author %d done at %s", i, time.Since(start).Round(time.Second))
	}
	signIn(t, ctx, base, "scratch@gob.pa")
	for n, k := range rejectedNames {
		if n%8 != 0 {
			continue // every name went through the form over HTTP above
		}
		if len(sample(k)) > 100000 {
			stats["megabyte form refused over HTTP only"]++
			continue
		}
		w.submit(base, "/account", `form[action="/account/profile"]`, `form[action="/account/profile"] button`, url.Values{"display_name": {sample(k)}}, fmt.Sprintf("refused name %d:", k))
		stats["refused form replayed in browser"]++
	}
	signOut(t, ctx)
	signIn(t, ctx, base, "viewer@gob.mx")
	for _, k := range refusedComments {
		if len(sample(k)) > 100000 {
			stats["megabyte form refused over HTTP only"]++
			continue
		}
		w.submit(base, "/practices/"+ids[k], "form.comment-form", "form.comment-form button[type=submit]", url.Values{"body": {sample(k)}}, fmt.Sprintf("refused comment %d:", k))
		stats["refused form replayed in browser"]++
	}
	signOut(t, ctx)
	signIn(t, ctx, base, "flagger@gob.cr")
	for _, f := range refusedFlags {
		if len(sample(f.k)) > 100000 {
			stats["megabyte form refused over HTTP only"]++
			continue
		}
		w.submit(base, fmt.Sprintf("/comments/%d/flag", f.comment), "form.flag-form", "form.flag-form button[type=submit]",
			url.Values{"reason": {"other"}, "details": {sample(f.k)}}, fmt.Sprintf("refused flag %d:", f.k))
		stats["refused form replayed in browser"]++
	}
	signOut(t, ctx)
	t.Logf("step 5 done at %s", time.Since(start).Round(time.Second))

	// 6. The moderator's pages: flags in the queue, the log with every
	// reason, the practices with hidden comments shown to moderators.
	signIn(t, ctx, base, "mod@puente.test")
	w.visit(base, "/moderation", "moderation queue with flags")
	followNext := func(path, label string) {
		for i := 0; path != "" && i < 100; i++ {
			w.visit(base, path, label)
			path = browsertest.Run(t, ctx, chromedp.Evaluate[string](`(() => { const a = document.querySelector('a[rel=next]'); return a ? a.getAttribute('href') : ''; })()`))
		}
	}
	followNext("/log", "log (moderator)")
	for k := 1; k < len(ids); k += 10 {
		w.visit(base, "/practices/"+ids[k], fmt.Sprintf("practice %d as moderator:", k))
	}
	signOut(t, ctx)

	t.Logf("step 6 done at %s", time.Since(start).Round(time.Second))
	// 7. An official of the CRM reads everything: every practice page and
	// its history, the lists, country and tag pages, the search box with
	// every sample, search results, the log.
	signIn(t, ctx, base, "viewer@gob.mx")
	// Half of the practice pages, the history of a third of them (both
	// revisions: every sample in every field once, and again shifted).
	for k := range all {
		if k%2 == 0 {
			w.visit(base, "/practices/"+ids[k], fmt.Sprintf("practice %d:", k))
		}
		if k%3 == 1 {
			w.visit(base, "/practices/"+ids[k]+"/history", fmt.Sprintf("history of practice %d:", k))
		}
	}
	w.visit(base, "/", "home")
	followNext("/practices", "list")
	followNext("/practices?tag=4&country=PA", "list with filters")
	w.visit(base, "/countries/PA", "country page")
	w.visit(base, "/tags/1", "tag page")
	followNext("/search?q="+url.QueryEscape("pelícano"), "search results")
	followNext("/log", "log (official)")
	var short []int
	for k := range corpus {
		// Every sample goes through the search over HTTP; every other one
		// short enough for a URL a browser keeps is opened in the browser.
		stats["search query sent"]++
		q := sample(k)
		if res := viewer.Get("/search?q=" + url.QueryEscape(q)); res.Status >= 500 {
			t.Errorf("search for sample %d: %d", k, res.Status)
		}
		if len(q) <= 4000 && k%2 == 1 {
			short = append(short, k)
		}
	}
	for _, k := range short {
		w.visit(base, "/search?q="+url.QueryEscape(sample(k)), fmt.Sprintf("search box with sample %d:", k))
	}
	w.visit(base, "/account", "account page")
	// The private feed, opened in the browser.
	fres := viewer.PostForm("/account/feed", url.Values{"action": {"new"}})
	fm := feedURLRe.FindStringSubmatch(fres.Body)
	if fm == nil {
		fm = feedURLRe.FindStringSubmatch(viewer.Get("/account").Body)
	}
	if fm == nil {
		t.Fatalf("no private feed link: %d", fres.Status)
	}
	feedPath := strings.TrimPrefix(fm[1], base)
	signOut(t, ctx)
	w.visit(base, feedPath, "private Atom feed")
	w.visit(base, "/feeds/practices.atom", "public Atom feed")

	// Each feed entry's HTML as a feed reader shows it: no CSP.
	type text struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	}
	var feed struct {
		Entries []struct {
			Title   text `xml:"title"`
			Summary text `xml:"summary"`
			Content text `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(e.Client().Get(feedPath).Body), &feed); err != nil {
		t.Fatalf("private feed does not parse: %v", err)
	}
	var entries strings.Builder
	for _, en := range feed.Entries {
		entries.WriteString("<article>")
		// As a reader shows them: type="html" as markup, the rest as text.
		for _, x := range []text{en.Title, en.Summary, en.Content} {
			if x.Type == "html" {
				entries.WriteString("<div>" + x.Body + "</div>")
			} else {
				entries.WriteString("<p>" + htmlpkg.EscapeString(x.Body) + "</p>")
			}
		}
		entries.WriteString("</article>\n")
	}
	mirror.mu.Lock()
	mirror.pages["/feed-entries"] = "<!doctype html><meta charset=utf-8><title>entries</title><body>" + entries.String()
	mirror.mu.Unlock()
	w.visit(plain.URL, "/feed-entries", fmt.Sprintf("%d feed entries without CSP", len(feed.Entries)))

	t.Logf("step 7 done at %s", time.Since(start).Round(time.Second))
	// 8. The digest: the admin's preview, and the same HTML without CSP as
	// a mail client shows it.
	signIn(t, ctx, base, "admin@puente.test")
	followNext("/admin/accounts", "accounts list")
	yr, wk := e.Clock.Now().ISOWeek()
	preview := fmt.Sprintf("/admin/digest/preview?email=%s&week=%d-W%02d", url.QueryEscape("viewer@gob.mx"), yr, wk)
	w.visit(base, preview, "digest preview")
	res := admin.Get(preview)
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "/practices/") {
		t.Fatalf("digest preview: %d\n%.500s", res.Status, res.Body)
	}
	mirror.mu.Lock()
	mirror.pages["/digest"] = res.Body
	mirror.mu.Unlock()
	w.visit(plain.URL, "/digest", "digest HTML without CSP")
	browsertest.Navigate(t, ctx, chromedp.Navigate(base+"/"))
	signOut(t, ctx)

	t.Logf("%d samples; %v; %d page states checked in Chromium in %s; %d with a problem",
		len(corpus), stats, w.pages, time.Since(start).Round(time.Second), w.fails)
}
