package hostile

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
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"puente/internal/accounts"
	"puente/internal/adoptions"
	"puente/internal/browsertest"
	"puente/internal/comments"
	"puente/internal/dbtest"
	"puente/internal/htmlcheck"
	"puente/internal/moderation"
	"puente/internal/practices"
	"puente/internal/questions"
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
    if (p && (['TEXTAREA', 'SCRIPT', 'STYLE'].includes(p.tagName) || p.closest('.rich-content'))) continue;
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
			state, _ := chromedp.Run(w.ctx, chromedp.Evaluate[string](`location.href + " " + document.readyState + " editors: " + [...document.querySelectorAll('textarea[data-rich]')].map(t => !!t.editor).join(",") + " long fields: " + document.querySelectorAll('textarea[data-rich]').length`))
			w.t.Fatalf("%s: %s: %v (page: %s)", label, name, err, state)
		}
	}
	stage("open the form", chromedp.Navigate(base+path))
	// Rich-text fields become editors once the editor script has run.
	stage("wait for the editors", chromedp.Poll[chromedp.Void](fmt.Sprintf(
		`document.readyState === 'complete' && [...document.querySelectorAll(%q + ' textarea[data-rich]')].every(t => t.value.length > 100000 || t.editor)`, formCSS)))
	values = cloneValues(values)
	values.Del("action") // the button says which action
	js, _ := json.Marshal(values)
	fill := fmt.Sprintf(`(() => {
	  const f = document.querySelector(%q), v = %s, took = [];
	  for (const [name, vals] of Object.entries(v)) {
	    const els = f.querySelectorAll('[name="' + name + '"]');
	    els.forEach(el => {
	      // A rich-text field takes the HTML as a paste into its editor
	      // would; a megabyte, which nobody pastes, is posted as a script or
	      // a browser without JavaScript would post it.
	      const ed = el.editor;
	      if (ed && vals[0].length > 100000) { const w = el.closest('.rich-wrap'); ed.destroy(); w.replaceWith(el); el.hidden = false; el.value = vals[0]; }
	      else if (ed) { const t0 = performance.now(); ed.commands.clearContent(true); ed.view.pasteHTML(vals[0]); took.push(name + " " + Math.round(performance.now() - t0)); }
	      else if (el.type === 'checkbox' || el.type === 'radio') el.checked = vals.includes(el.value);
	      else el.value = vals[0];
	    });
	  }
	  window.__took = took.join(", ");
	})()`, formCSS, js)
	typed := time.Now()
	stage("type", chromedp.Evaluate[chromedp.Void](fill))
	took, _ := chromedp.Run(w.ctx, chromedp.Evaluate[string](`window.__took || ""`))
	w.t.Logf("%s: typed in %s (%s)", label, time.Since(typed).Round(time.Millisecond), took)
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

// richFields are the practice form's rich-text sections.
var richFields = []string{"context", "actions", "results", "lessons", "adoption"}

// pageChecker checks, in process, the markup of every page the test is
// given: the same rules the browser pass applies to the DOM, applied by
// Go's HTML parser, which builds the tree a browser builds.
type pageChecker struct {
	t      *testing.T
	origin string
	mu     sync.Mutex
	pages  int
	fails  int
}

func (c *pageChecker) check(label, body string) {
	c.t.Helper()
	problems := htmlcheck.Page(body, c.origin)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pages++
	if len(problems) > 0 {
		c.fails++
		c.t.Errorf("%s: %q", label, problems)
		if c.fails > 40 {
			c.t.Fatal("too many failures; stopping")
		}
	}
}

// get fetches path as client, fails on a server error, checks the page and
// returns its body.
func (c *pageChecker) get(cl *servertest.Client, path, label string) string {
	c.t.Helper()
	res := cl.Get(path)
	if res.Status >= 500 || res.Status == http.StatusNotFound {
		c.t.Errorf("%s %s: status %d", label, truncate(path, 80), res.Status)
	}
	c.check(label+" "+truncate(path, 80), res.Body)
	return res.Body
}

// post posts a form as client, fails on a server error, and checks the
// answer when it is a page (a refused form comes back with what was typed).
func (c *pageChecker) post(cl *servertest.Client, path string, v url.Values, label string) *servertest.Response {
	c.t.Helper()
	res := cl.PostForm(path, v)
	if res.Status >= 500 {
		c.t.Errorf("%s: status %d", label, res.Status)
	}
	if res.Status != http.StatusSeeOther {
		c.check(label, res.Body)
	}
	return res
}

// follow checks path and every page its rel=next links lead to, and
// returns how many pages it read.
func (c *pageChecker) follow(cl *servertest.Client, path, label string) int {
	c.t.Helper()
	n := 0
	for ; path != "" && n < 200; n++ {
		path = htmlcheck.NextLink(c.get(cl, path, label))
	}
	return n
}

// world is what the samples were posted into: who wrote what, and which
// forms were refused with which values.
type world struct {
	e       *servertest.Env
	corpus  []string
	ids     []string // practice k holds sample k+31·f in text field f
	comment []int64  // the comment on practice k holds sample k
	// showcase holds every sample at once: each rich section the whole
	// corpus, its comments the corpus in pieces, a revision before it.
	showcase         string
	showcaseValues   url.Values
	showcaseComments []int64
	// questions on the showcase, each holding samples in its question and
	// answer, with who asked it.
	questions       []int64
	askers          []*servertest.Client
	authors         []*servertest.Client
	namers          []*servertest.Client
	admin, mod      *servertest.Client
	viewer, flagger *servertest.Client
	refusedForms    []refused
	refusedNames    []int
	refusedComments []int
	refusedFlags    []refusedFlag
	feedPath        string
}

type refused struct {
	k      int
	values url.Values
}

type refusedFlag struct {
	comment int64
	k       int
}

const nAuthors = 6

func authorEmail(i int) string { return fmt.Sprintf("autor%d@gob.pa", i) }

func (w *world) sample(k int) string { return w.corpus[k%len(w.corpus)] }

// form is practice k's form: sample k+31·f+shift in text field f, so that
// every sample lands in every field once.
func (w *world) form(k, shift int) url.Values {
	scopes := []string{"public", "members", "crm"}
	v := url.Values{"lang": {"es"}, "scope": {scopes[k%3]}, "tags": {"1", "4"}, "countries": {"PA"},
		"period_start": {"2021-09"}, "ongoing": {"1"}, "contact_email": {"focal@gob.example"}, "action": {"submit"}}
	for f, name := range textFields {
		v.Set(name, w.sample(k+31*f+shift))
	}
	// A common word in every section, so one search finds them all.
	v.Set("context", "<p>pelícano</p>"+v.Get("context"))
	return v
}

// pick is pieces[i], cycling.
func pick(pieces []string, i int) string { return pieces[i%len(pieces)] }

// pieces joins the samples (those short enough to type) into pieces of at
// most max characters, in order, starting at sample from.
func (w *world) pieces(max, from int) []string {
	var out []string
	var b strings.Builder
	for i := range w.corpus {
		s := w.sample(from + i)
		if utf8.RuneCountInString(s) > max || len(s) > 100000 {
			continue
		}
		if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(s)+1 > max {
			out = append(out, b.String())
			b.Reset()
		}
		b.WriteString(s)
		b.WriteString("\n")
	}
	return append(out, b.String())
}

// setUp posts every sample through every form over HTTP, checking each
// answer that is a page.
func setUp(t *testing.T, c *pageChecker, e *servertest.Env, corpus []string) *world {
	w := &world{e: e, corpus: corpus, ids: make([]string, len(corpus)), comment: make([]int64, len(corpus))}
	start := time.Now()
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	e.CreateAccount("mod@puente.test", accounts.Moderator, "")
	e.CreateAccount("viewer@gob.mx", accounts.Official, "MX")
	e.CreateAccount("flagger@gob.cr", accounts.Official, "CR")
	for i := range nAuthors {
		e.CreateAccount(authorEmail(i), accounts.Official, "PA")
		w.authors = append(w.authors, e.SignIn(authorEmail(i)))
	}
	w.admin, w.mod = e.SignIn("admin@puente.test"), e.SignIn("mod@puente.test")
	w.viewer, w.flagger = e.SignIn("viewer@gob.mx"), e.SignIn("flagger@gob.cr")

	// 1. Display names: sample k is the name of an account of its own, so
	// that every accepted name is shown at once in the accounts list. The
	// authors and the commenter keep a hostile name too, shown on every
	// page they wrote.
	for k := range corpus {
		email := fmt.Sprintf("nombre%d@gob.pa", k)
		e.CreateAccount(email, accounts.Official, "PA")
		cl := e.SignIn(email)
		w.namers = append(w.namers, cl)
		res := c.post(cl, "/account/profile", url.Values{"display_name": {w.sample(k)}, "lang": {"en"}}, fmt.Sprintf("display name %d", k))
		switch res.Status {
		case http.StatusSeeOther:
		case http.StatusUnprocessableEntity:
			w.refusedNames = append(w.refusedNames, k)
		default:
			t.Errorf("display name sample %d: status %d", k, res.Status)
		}
	}
	named := 0
	for k := 0; named < nAuthors+1 && k < len(corpus); k++ {
		cl := w.viewer
		if named < nAuthors {
			cl = w.authors[named]
		}
		if res := cl.PostForm("/account/profile", url.Values{"display_name": {w.sample(k)}, "lang": {"en"}}); res.Status == http.StatusSeeOther {
			named++
		}
	}

	// 2. Practices. A field the form refuses (too long, say) gets a plain
	// value so the practice still exists; the refused form was checked as
	// it came back, and is replayed in the browser.
	for k := range corpus {
		a := w.authors[k%nAuthors]
		v := w.form(k, 0)
		res := c.post(a, "/practices", v, fmt.Sprintf("practice form %d", k))
		if res.Status == http.StatusUnprocessableEntity {
			w.refusedForms = append(w.refusedForms, refused{k, cloneValues(v)})
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
		w.ids[k] = m[1]
	}
	for _, id := range w.ids {
		if res := w.mod.PostForm("/practices/"+id+"/publish", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("publish %s: %d", id, res.Status)
		}
	}
	t.Logf("names and practices posted at %s", time.Since(start).Round(time.Second))

	// 3. Comments, flags with details, moderation reasons, and a second
	// revision of every practice for the history's diff.
	for k, id := range w.ids {
		res := c.post(w.viewer, "/practices/"+id+"/comments", url.Values{"body": {w.sample(k)}}, fmt.Sprintf("comment %d", k))
		if res.Status == http.StatusUnprocessableEntity {
			w.refusedComments = append(w.refusedComments, k)
			res = w.viewer.PostForm("/practices/"+id+"/comments", url.Values{"body": {fmt.Sprintf("<p>Comentario %d</p>", k)}})
		}
		if res.Status != http.StatusSeeOther {
			t.Fatalf("comment on practice %d: %d", k, res.Status)
		}
		cid := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments WHERE practice_id = ?`, id)
		w.comment[k] = cid
		res = c.post(w.flagger, "/flags", url.Values{"target_type": {"comment"}, "target_id": {fmt.Sprint(cid)}, "reason": {"other"}, "details": {w.sample(k + 3)}},
			fmt.Sprintf("flag with sample %d", k+3))
		if res.Status == http.StatusUnprocessableEntity && k%2 == 0 {
			w.refusedFlags = append(w.refusedFlags, refusedFlag{cid, k + 3})
		}
		if k%2 == 1 {
			c.post(w.mod, fmt.Sprintf("/moderation/comments/%d/hide", cid), url.Values{"reason": {w.sample(k + 5)}}, fmt.Sprintf("hide reason %d", k+5))
		}
		v := w.form(k, 211)
		v.Set("action", "save")
		author := w.authors[k%nAuthors]
		res = c.post(author, "/practices/"+id, v, fmt.Sprintf("edit of practice %d", k))
		if res.Status == http.StatusUnprocessableEntity {
			for f, name := range textFields {
				if hasFieldError(res.Body, name) {
					v.Set(name, fmt.Sprintf("Campo %d, segunda versión %d", f, k))
				}
			}
			res = author.PostForm("/practices/"+id, v)
		}
		if res.Status != http.StatusSeeOther {
			t.Fatalf("edit practice %d: %d\n%.1500s", k, res.Status, res.Body)
		}
	}
	t.Logf("comments, flags and edits posted at %s", time.Since(start).Round(time.Second))

	// 4. The showcase: every sample at once, in every rich section (each
	// starting at another sample), its plain fields and its comments.
	sc := url.Values{"lang": {"es"}, "scope": {"public"}, "tags": {"1", "4"}, "countries": {"PA"},
		"period_start": {"2021-09"}, "ongoing": {"1"}, "contact_email": {"focal@gob.example"}, "action": {"submit"}}
	for f, name := range richFields {
		sc.Set(name, w.pieces(practices.MaxSection, 97*f)[0])
	}
	sc.Set("title", w.pieces(practices.MaxTitle, 0)[0])
	sc.Set("summary", w.pieces(practices.MaxSummary, 1)[0])
	sc.Set("institutions", w.pieces(practices.MaxInstitutions, 2)[0])
	sc.Set("partners", w.pieces(practices.MaxInstitutions, 3)[0])
	sc.Set("contact_name", w.pieces(practices.MaxContactName, 4)[0])
	w.showcaseValues = cloneValues(sc)
	res := c.post(w.authors[0], "/practices", sc, "showcase practice")
	m := practicePath.FindStringSubmatch(res.Header.Get("Location"))
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("showcase practice: %d %q", res.Status, fieldErrRe.FindAllString(res.Body, -1))
	}
	w.showcase = m[1]
	// Every sample is also the name of one of its files, as an upload
	// would store it: the page lists them, the edit form too. (A name an
	// upload refuses, with slashes or control characters, is not stored;
	// the server's tests post those.)
	files := 0
	for i, sample := range w.corpus {
		name := []rune(sample)
		if len(name) > practices.MaxAttachmentName {
			name = name[:practices.MaxAttachmentName]
		}
		u, key := practices.CheckUpload(string(name), []byte("%PDF-1.7 x"), 1<<20)
		if key != "" {
			continue
		}
		dbtest.Exec(t, e.DB.W, `INSERT INTO practice_attachments (practice_id, name, type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			w.showcase, u.Name, u.Type, len(u.Data), u.Data, fmt.Sprintf("2026-11-26T12:%02d:%02dZ", i/60%60, i%60))
		files++
	}
	if files < 50 { // most samples hold a slash (a closing tag): those are refused
		t.Fatalf("only %d of %d samples make a file name", files, len(w.corpus))
	}
	if res := w.mod.PostForm("/practices/"+w.showcase+"/publish", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("publish showcase: %d", res.Status)
	}
	// Versions in other languages of the showcase, every sample in their
	// fields: English approved (readers of it read it), French waiting
	// (the moderators' review page shows it).
	for i, lang := range []string{"en", "fr"} {
		vf := url.Values{"title": {w.pieces(practices.MaxTitle, 11+i)[0]}, "summary": {w.pieces(practices.MaxSummary, 13+i)[0]}}
		for f, name := range richFields {
			vf.Set(name, w.pieces(practices.MaxSection, 97*f+31*i)[0])
		}
		res := c.post(w.authors[0], "/practices/"+w.showcase+"/versions/"+lang, vf, "showcase version "+lang)
		if res.Status == http.StatusUnprocessableEntity {
			vf.Set("title", "Versión "+lang)
			res = w.authors[0].PostForm("/practices/"+w.showcase+"/versions/"+lang, vf)
		}
		if res.Status != http.StatusSeeOther {
			t.Fatalf("showcase version %s: %d %q", lang, res.Status, fieldErrRe.FindAllString(res.Body, -1))
		}
	}
	if res := w.mod.PostForm("/moderation/versions/"+w.showcase+"/en", url.Values{"decision": {"approve"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("approve the showcase's English version: %d", res.Status)
	}
	second := cloneValues(sc)
	for f, name := range richFields {
		second.Set(name, w.pieces(practices.MaxSection, 97*f+50)[0])
	}
	second.Set("action", "save")
	if res := c.post(w.authors[0], "/practices/"+w.showcase, second, "showcase second revision"); res.Status != http.StatusSeeOther {
		t.Fatalf("showcase second revision: %d %q", res.Status, fieldErrRe.FindAllString(res.Body, -1))
	}
	for i, piece := range w.pieces(comments.MaxBody, 0) {
		if res := c.post(w.viewer, "/practices/"+w.showcase+"/comments", url.Values{"body": {piece}}, fmt.Sprintf("showcase comment %d", i)); res.Status != http.StatusSeeOther {
			t.Fatalf("showcase comment %d: %d", i, res.Status)
		}
		w.showcaseComments = append(w.showcaseComments, dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments WHERE practice_id = ?`, w.showcase))
	}
	// One of them hidden with every sample as the reason, in pieces the
	// form takes: the moderator's view of the practice shows the last.
	for i, reason := range w.pieces(moderation.MaxReason, 0) {
		action := "hide"
		if i%2 == 1 {
			action = "restore"
		}
		c.post(w.mod, fmt.Sprintf("/moderation/comments/%d/%s", w.showcaseComments[0], action), url.Values{"reason": {reason}}, fmt.Sprintf("showcase reason %d", i))
	}

	// Adoption records of the showcase: Mexico's updated once for every
	// piece of samples each field takes (every update a dated entry),
	// some of them as a decision against with a reason; then shown.
	rich := w.pieces(adoptions.MaxRich, 0)
	for i := range rich {
		v := url.Values{"stage": {"adapted"}, "institution": {pick(w.pieces(adoptions.MaxInstitution, 3), i)},
			"figures": {pick(w.pieces(adoptions.MaxFigures, 5), i)}, "changes": {rich[i]}, "outcome": {pick(rich, i+1)}, "note": {pick(rich, i+2)}}
		if i%2 == 1 {
			v.Set("stage", "declined")
			v.Set("reason", pick(w.pieces(adoptions.MaxReason, 7), i))
		}
		if res := c.post(w.viewer, "/practices/"+w.showcase+"/adoption", v, fmt.Sprintf("showcase adoption %d", i)); res.Status != http.StatusSeeOther {
			t.Fatalf("showcase adoption %d: %d %q", i, res.Status, fieldErrRe.FindAllString(res.Body, -1))
		}
	}
	// Questions with every sample, each from another member (a person
	// may send only a few at once), answered with samples too, and shown
	// on the showcase by both sides' agreement.
	for i, piece := range w.pieces(questions.MaxText, 0) {
		asker := w.namers[(i+1)%len(w.namers)]
		res := c.post(asker, "/practices/"+w.showcase+"/questions", url.Values{"body": {piece}}, fmt.Sprintf("showcase question %d", i))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("showcase question %d: %d", i, res.Status)
		}
		q := strings.TrimPrefix(res.Header.Get("Location"), "/questions/")
		if r := c.post(w.authors[0], "/questions/"+q+"/answer", url.Values{"answer": {pick(w.pieces(questions.MaxText, 9), i)}}, fmt.Sprintf("answer %d", i)); r.Status != http.StatusSeeOther {
			t.Fatalf("answer %d: %d", i, r.Status)
		}
		for _, cl := range []*servertest.Client{asker, w.authors[0]} {
			if r := cl.PostForm("/questions/"+q+"/publish", url.Values{"agree": {"1"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("publish question %d: %d", i, r.Status)
			}
		}
		id, _ := strconv.ParseInt(q, 10, 64)
		w.questions, w.askers = append(w.questions, id), append(w.askers, asker)
	}

	// The private feed of the official who reads everything.
	fres := w.viewer.PostForm("/account/feed", url.Values{"action": {"new"}})
	fm := feedURLRe.FindStringSubmatch(fres.Body)
	if fm == nil {
		fm = feedURLRe.FindStringSubmatch(w.viewer.Get("/account").Body)
	}
	if fm == nil {
		t.Fatalf("no private feed link: %d", fres.Status)
	}
	w.feedPath = strings.TrimPrefix(fm[1], e.HTTP.URL)
	t.Logf("set up in %s: %d practices, %d refused practice forms, %d refused names, %d refused comments, %d refused flags, %d adoption updates, %d questions",
		time.Since(start).Round(time.Second), len(w.ids)+1, len(w.refusedForms), len(w.refusedNames), len(w.refusedComments), len(w.refusedFlags),
		len(rich), len(w.questions))
	return w
}

// feedEntries renders a feed's entries as a feed reader shows them:
// type="html" as markup, the rest as text.
func feedEntries(t *testing.T, feed string) (string, int) {
	t.Helper()
	type text struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	}
	var f struct {
		Entries []struct {
			Title   text `xml:"title"`
			Summary text `xml:"summary"`
			Content text `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(feed), &f); err != nil {
		t.Fatalf("feed does not parse: %v", err)
	}
	var b strings.Builder
	b.WriteString("<!doctype html><meta charset=utf-8><title>entries</title><body>")
	for _, en := range f.Entries {
		b.WriteString("<article>")
		for _, x := range []text{en.Title, en.Summary, en.Content} {
			if x.Type == "html" {
				b.WriteString("<div>" + x.Body + "</div>")
			} else {
				b.WriteString("<p>" + htmlpkg.EscapeString(x.Body) + "</p>")
			}
		}
		b.WriteString("</article>\n")
	}
	return b.String(), len(f.Entries)
}

func (w *world) digestPreview() string {
	yr, wk := w.e.Clock.Now().ISOWeek()
	return fmt.Sprintf("/admin/digest/preview?email=%s&week=%d-W%02d", url.QueryEscape("viewer@gob.mx"), yr, wk)
}

// TestHostileContent posts every sample of the corpus through the real
// forms into every text field (practice title, summary, the five rich-text
// sections, institutions, partners, contact; comments; flag details;
// moderation reasons; display names; the search box). Then, side by side:
//
//   - in process, every page that shows a sample is read as every role
//     that can see it, and its markup checked with Go's HTML parser for
//     event handlers, script and data URLs, foreign scripts and frames,
//     styles in the body and hidden direction characters; the feeds' entries
//     and the digest too;
//   - in Chromium, each kind of page is rendered with every sample on it at
//     once (the showcase practice, its history, editor and review; every
//     page of the lists, search results, log, accounts and moderation
//     queue; the feeds and the digest without any CSP, as a reader or mail
//     client shows them; the refused forms typed back), with a hook that
//     records script execution, dialogs, requests to other origins and CSP
//     violations, and the same inspection of the DOM.
//
// Zero of each is the only pass.
func TestHostileContent(t *testing.T) {
	corpus := loadCorpus(t)
	if len(corpus) < 300 {
		t.Fatalf("corpus has %d samples, want at least 300", len(corpus))
	}
	e := servertest.New(t)
	checker := &pageChecker{t: t, origin: e.HTTP.URL}
	w := setUp(t, checker, e, corpus)
	t.Run("every page in process", func(t *testing.T) {
		t.Parallel()
		everyPage(t, w)
	})
	t.Run("each kind of page in Chromium", func(t *testing.T) {
		t.Parallel()
		inBrowser(t, w)
	})
}

// everyPage reads every page that shows a sample, as each role that can
// see it, and checks its markup.
func everyPage(t *testing.T, w *world) {
	start := time.Now()
	c := &pageChecker{t: t, origin: w.e.HTTP.URL}
	anon := w.e.Client()
	for k, id := range append(append([]string(nil), w.ids...), w.showcase) {
		author := w.authors[0]
		if k < len(w.ids) {
			author = w.authors[k%nAuthors]
		}
		label := fmt.Sprintf("practice %d", k)
		c.get(w.viewer, "/practices/"+id, label+" as an official")
		c.get(w.mod, "/practices/"+id, label+" as a moderator")
		c.get(author, "/practices/"+id, label+" as its author")
		if k%3 == 0 { // public
			c.get(anon, "/practices/"+id, label+" as a visitor")
		}
		c.get(w.viewer, "/practices/"+id+"/history", label+" history")
		c.get(author, "/practices/"+id+"/edit", label+" editor")
		c.get(w.mod, "/moderation/review/"+id, label+" review")
		if id == w.showcase {
			c.get(w.viewer, "/practices/"+id+"?lang=en", label+" in its English version")
			c.get(author, "/practices/"+id+"/versions/en", label+" English version's form")
			c.get(w.mod, "/moderation/versions/"+id+"/fr", label+" French version's review")
		}
		c.get(w.flagger, "/practices/"+id+"/flag", label+" flag page")
	}
	for k, cid := range w.comment {
		c.get(w.viewer, fmt.Sprintf("/comments/%d/edit", cid), fmt.Sprintf("comment %d editor", k))
		if k%2 == 0 { // the odd ones are hidden
			c.get(w.authors[0], fmt.Sprintf("/comments/%d/flag", cid), fmt.Sprintf("comment %d flag page", k))
		}
	}
	for k, cl := range w.namers {
		c.get(cl, "/account", fmt.Sprintf("account page of name %d", k))
	}
	for i, q := range w.questions {
		c.get(w.askers[i], fmt.Sprintf("/questions/%d", q), fmt.Sprintf("question %d as its asker", i))
		c.get(w.authors[0], fmt.Sprintf("/questions/%d", q), fmt.Sprintf("question %d as the author", i))
	}
	c.get(w.viewer, "/practices/"+w.showcase+"/adoption", "the showcase's adoption form")
	c.get(w.authors[0], "/notifications", "notifications of the showcase's author")
	for i, a := range w.authors {
		c.get(a, "/my/practices", fmt.Sprintf("my practices of author %d", i))
		c.get(a, "/", fmt.Sprintf("home of author %d", i))
	}
	pages := 0
	for _, v := range []struct {
		cl          *servertest.Client
		path, label string
	}{
		{w.viewer, "/", "home"},
		{w.viewer, "/practices", "list"},
		{anon, "/practices", "list for visitors"},
		{w.viewer, "/practices?tag=4&country=PA", "list with filters"},
		{w.viewer, "/countries/PA", "country page"},
		{w.viewer, "/countries/MX", "country page of the adopting state"},
		{w.viewer, "/insights", "insights"},
		{w.viewer, "/tags/1", "tag page"},
		{w.viewer, "/search?q=" + url.QueryEscape("pelícano"), "search results"},
		{w.viewer, "/log", "log (official)"},
		{w.mod, "/log", "log (moderator)"},
		{w.mod, "/moderation", "moderation queue"},
		{w.mod, "/moderation/featured", "featured"},
		{w.admin, "/admin/accounts", "accounts list"},
	} {
		pages += c.follow(v.cl, v.path, v.label)
	}
	for k := range w.corpus {
		c.get(w.viewer, "/search?q="+url.QueryEscape(w.sample(k)), fmt.Sprintf("search for sample %d", k))
	}
	for k := range w.namers {
		id := dbtest.Int(t, w.e.DB.R, `SELECT id FROM accounts WHERE email = ?`, fmt.Sprintf("nombre%d@gob.pa", k))
		c.get(w.admin, fmt.Sprintf("/admin/accounts/%d", id), fmt.Sprintf("admin page of name %d", k))
	}
	for _, feed := range []string{w.feedPath, "/feeds/practices.atom", "/feeds/countries/PA", "/feeds/tags/1"} {
		entries, n := feedEntries(t, anon.Get(feed).Body)
		if n == 0 {
			t.Errorf("feed %s has no entries", truncate(feed, 40))
		}
		c.check(fmt.Sprintf("%d entries of %s without CSP", n, truncate(feed, 40)), entries)
	}
	res := w.admin.Get(w.digestPreview())
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "/practices/") {
		t.Fatalf("digest preview: %d\n%.500s", res.Status, res.Body)
	}
	c.check("digest preview", res.Body)
	t.Logf("%d pages checked in process (%d of them list, search, log, queue and account pages) in %s; %d with a problem",
		c.pages, pages, time.Since(start).Round(time.Millisecond), c.fails)
}

// inBrowser renders each kind of page, with every sample on it, in
// Chromium.
func inBrowser(t *testing.T, w *world) {
	ctx := browsertest.NewFor(t, 8*time.Minute)
	browsertest.Shots(t, ctx)
	base := w.e.HTTP.URL
	mirror := &noCSP{pages: map[string]string{}}
	plain := httptest.NewServer(mirror)
	t.Cleanup(plain.Close)
	wt := watch(t, ctx, base, plain.URL)
	start := time.Now()
	stats := map[string]int{}
	followNext := func(path, label string) {
		for i := 0; path != "" && i < 100; i++ {
			wt.visit(base, path, label)
			stats["list, search, log or queue page"]++
			path = browsertest.Run(t, ctx, chromedp.Evaluate[string](`(() => { const a = document.querySelector('a[rel=next]'); return a ? a.getAttribute('href') : ''; })()`))
		}
	}
	sc := "/practices/" + w.showcase

	// The author: the editor holding every sample, the preview, and the
	// refused forms typed back in.
	browsertest.SignIn(t, ctx, base, authorEmail(0), servertest.Password)
	wt.visit(base, sc+"/edit", "editor of the showcase")
	wt.submit(base, "/practices/new", "form.practice-form", `button[name=action][value=preview]`, w.showcaseValues, "preview of every sample")
	tooLong := cloneValues(w.showcaseValues)
	tooLong.Set("title", strings.Repeat("x", practices.MaxTitle+1))
	wt.submit(base, "/practices/new", "form.practice-form", `button[name=action][value=submit]`, tooLong, "refused practice form with every sample")
	stats["form typed in the browser"] += 2
	replayed := 0
	for _, r := range w.refusedForms {
		if megabyte(r.values) || r.k%nAuthors != 0 || replayed == 3 {
			continue // refused over HTTP with the text back, checked in process
		}
		wt.submit(base, "/practices/new", "form.practice-form", `button[name=action][value=submit]`, r.values, fmt.Sprintf("refused practice form %d:", r.k))
		stats["form typed in the browser"]++
		replayed++
	}
	browsertest.SignOut(t, ctx)

	// The moderator: the queue with every flag's details, the review, the
	// showcase with its hidden comment and reason, every page of the log.
	browsertest.SignIn(t, ctx, base, "mod@puente.test", servertest.Password)
	followNext("/moderation", "moderation queue")
	wt.visit(base, "/moderation/review/"+w.showcase, "review of the showcase")
	wt.visit(base, "/moderation/versions/"+w.showcase+"/fr", "review of the showcase's French version")
	wt.visit(base, sc, "showcase as moderator")
	followNext("/log", "log (moderator)")
	browsertest.SignOut(t, ctx)

	// An official of the CRM reads everything: the showcase and its
	// history, every page of the lists and of the search results, the
	// search box with every sample, the log, the feeds.
	browsertest.SignIn(t, ctx, base, "viewer@gob.mx", servertest.Password)
	wt.visit(base, sc, "showcase")
	wt.visit(base, sc+"?lang=en", "showcase in its English version")
	wt.visit(base, sc+"/history", "history of the showcase")
	wt.visit(base, fmt.Sprintf("/comments/%d/edit", w.showcaseComments[1]), "comment editor")
	wt.visit(base, sc+"/adoption", "adoption form of the showcase")
	wt.visit(base, "/countries/MX", "country page of the adopting state")
	wt.visit(base, "/", "home")
	followNext("/practices", "list")
	followNext("/practices?tag=4&country=PA", "list with filters")
	wt.visit(base, "/countries/PA", "country page")
	wt.visit(base, "/tags/1", "tag page")
	followNext("/search?q="+url.QueryEscape("pelícano"), "search results")
	followNext("/log", "log (official)")
	for i, q := range w.pieces(2000, 0) {
		wt.visit(base, "/search?q="+url.QueryEscape(q), fmt.Sprintf("search box with samples, piece %d:", i))
		stats["search box with samples"]++
	}
	wt.visit(base, "/account", "account page")
	if len(w.refusedComments) > 0 {
		k := w.refusedComments[0]
		for _, kk := range w.refusedComments {
			if len(w.sample(kk)) <= 100000 {
				k = kk
				break
			}
		}
		wt.submit(base, "/practices/"+w.ids[k], "form.comment-form", "form.comment-form button[type=submit]", url.Values{"body": {w.sample(k)}}, fmt.Sprintf("refused comment %d:", k))
		stats["form typed in the browser"]++
	}
	tooLongComment := strings.Join(w.pieces(comments.MaxBody, 0), "")
	wt.submit(base, sc, "form.comment-form", "form.comment-form button[type=submit]", url.Values{"body": {tooLongComment}}, "refused comment with every sample")
	stats["form typed in the browser"]++
	browsertest.SignOut(t, ctx)
	wt.visit(base, w.feedPath, "private Atom feed")
	wt.visit(base, "/feeds/practices.atom", "public Atom feed")
	entries, n := feedEntries(t, w.e.Client().Get(w.feedPath).Body)
	mirror.mu.Lock()
	mirror.pages["/feed-entries"] = entries
	mirror.mu.Unlock()
	wt.visit(plain.URL, "/feed-entries", fmt.Sprintf("%d feed entries without CSP", n))

	// Names: the refused ones typed back in; the accepted ones, all at
	// once, in the admin's accounts list.
	browsertest.SignIn(t, ctx, base, "nombre0@gob.pa", servertest.Password)
	for i, k := range w.refusedNames {
		if len(w.sample(k)) > 100000 || i >= 3 {
			continue
		}
		wt.submit(base, "/account", `form[action="/account/profile"]`, `form[action="/account/profile"] button`, url.Values{"display_name": {w.sample(k)}}, fmt.Sprintf("refused name %d:", k))
		stats["form typed in the browser"]++
	}
	browsertest.SignOut(t, ctx)
	browsertest.SignIn(t, ctx, base, "flagger@gob.cr", servertest.Password)
	for _, f := range w.refusedFlags {
		if len(w.sample(f.k)) > 100000 {
			continue
		}
		wt.submit(base, fmt.Sprintf("/comments/%d/flag", f.comment), "form.flag-form", "form.flag-form button[type=submit]",
			url.Values{"reason": {"other"}, "details": {w.sample(f.k)}}, fmt.Sprintf("refused flag %d:", f.k))
		stats["form typed in the browser"]++
		break
	}
	browsertest.SignOut(t, ctx)
	browsertest.SignIn(t, ctx, base, "admin@puente.test", servertest.Password)
	followNext("/admin/accounts", "accounts list")
	wt.visit(base, w.digestPreview(), "digest preview")
	res := w.admin.Get(w.digestPreview())
	mirror.mu.Lock()
	mirror.pages["/digest"] = res.Body
	mirror.mu.Unlock()
	wt.visit(plain.URL, "/digest", "digest HTML without CSP")
	browsertest.Navigate(t, ctx, chromedp.Navigate(base+"/"))
	browsertest.SignOut(t, ctx)

	t.Logf("%v; %d page states checked in Chromium in %s; %d with a problem",
		stats, wt.pages, time.Since(start).Round(time.Second), wt.fails)
}
