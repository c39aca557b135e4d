package server

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/cache"
	"puente/internal/i18n"
	"puente/internal/moderation"
	"puente/internal/practices"
	"puente/internal/printer"
	"puente/internal/sanitize"
	"puente/internal/taxonomy"
	"puente/static"
	"puente/web"
)

// pages holds every page template, parsed once at start into one set:
// the base layout and the partials once, and each page's file with its
// "main" template renamed after the page ("main:home"). Parsed per page,
// the layout and partials were held 55 times over (18 MB of the server's
// 25 MB at rest).
type pages struct {
	set  *template.Template
	main map[string]string // page name → the name of its main template
}

// defineRE finds the templates a file defines.
var defineRE = regexp.MustCompile(`\{\{-?\s*define\s+"([^"]+)"`)

// has reports whether page is a page template.
func (p *pages) has(page string) bool { _, ok := p.main[page]; return ok }

var funcs = template.FuncMap{
	"asset":            static.URL,
	"langName":         i18n.NativeName,
	"langs":            func() []string { return i18n.Langs },
	"roles":            func() []accounts.Role { return accounts.Roles },
	"observerScopes":   func() []string { return accounts.ObserverScopes },
	"printerOrigin":    func() string { return printer.Origin },
	"pathEscape":       url.PathEscape,
	"queryEscape":      url.QueryEscape,
	"rich":             sanitize.HTML,
	"hasAsset":         func(p string) bool { _, ok := static.Hashes[p]; return ok },
	"sectionKey":       func(k string) string { return "practice.section." + k },
	"editorLabels":     func() []string { return editorLabels },
	"fileSize":         fileSize,
	"sections":         func() []string { return practices.Sections },
	"required":         func(k string) bool { return slices.Contains(practices.RequiredSections, k) },
	"scopeKey":         func(s any) string { return fmt.Sprintf("scope.%s", s) },
	"statusKey":        func(s any) string { return fmt.Sprintf("pstatus.%s", s) },
	"str":              func(v any) string { return fmt.Sprint(v) },
	"join":             strings.Join,
	"list":             func(s ...string) []string { return s },
	"meetingProcesses": func() []string { return taxonomy.MeetingProcesses },
	"meetingKinds":     func() []string { return taxonomy.MeetingKinds },
	"dict":             dict,
	"add1":             func(i int) int { return i + 1 },
	"add":              func(a, b int) int { return a + b },
	"card":             card,
	"pagerLinks":       pagerLinks,
	"listResults":      func(v *View) template.HTML { d := v.Data.(listData); return listResults(v, &d) },
}

// dict builds a map from name, value pairs, to hand a partial template
// more than one value.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func parsePages() (*pages, error) {
	set, err := template.New("").Funcs(funcs).ParseFS(web.Templates, "templates/layouts/*.html", "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	defined := map[string]string{} // template name → the file defining it
	for _, t := range set.Templates() {
		if t.Name() != "" {
			defined[t.Name()] = "layouts or partials"
		}
	}
	files, err := fs.Glob(web.Templates, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{set: set, main: map[string]string{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		b, err := fs.ReadFile(web.Templates, f)
		if err != nil {
			return nil, err
		}
		text := string(b)
		main := "main:" + name
		n := 0
		text = defineRE.ReplaceAllStringFunc(text, func(m string) string {
			if defineRE.FindStringSubmatch(m)[1] != "main" {
				return m
			}
			n++
			return strings.Replace(m, `"main"`, strconv.Quote(main), 1)
		})
		if n != 1 {
			return nil, fmt.Errorf("%s: defines \"main\" %d times, not once", f, n)
		}
		// One set holds every page: a name two files define would let
		// the later silently replace the earlier.
		for _, m := range defineRE.FindAllStringSubmatch(text, -1) {
			if by, dup := defined[m[1]]; dup {
				return nil, fmt.Errorf("%s: template %q is already defined in %s", f, m[1], by)
			}
			defined[m[1]] = f
		}
		if _, err := set.New("file:" + name).Parse(text); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		p.main[name] = main
	}
	return p, nil
}

// View is what every page template receives. The page's own data is in
// Data; Form and Errors carry a form being corrected.
type View struct {
	i18n.Locale
	Account *accounts.Account
	Flash   []string // catalogue keys
	// DraftSaved is set on the page after a practice form was saved.
	DraftSaved bool
	Path       string
	// NavPath is Path when it is one of the site header's links (which it
	// marks as the current page), and empty otherwise.
	NavPath string
	Title   string // catalogue key
	// TitleText, when set, is the page title as written (a practice's own
	// title), in place of Title.
	TitleText string
	Form      any
	Errors    apperr.FieldErrors
	Data      any
	Status    int
	// Editor asks the layout for the rich-text editor's files.
	Editor bool
	Nonce  string
	// Queues is what waits for moderators, for the navigation.
	Queues moderation.Counts
	// Unread counts the person's unread notifications.
	Unread int
	now    time.Time
	// Description is the page's meta description; Share, when set, the
	// Open Graph data of a page meant to be shared (public pages only);
	// Feeds are the Atom feeds the page offers, also as <link
	// rel="alternate"> for feed readers.
	Description string
	Share       *share
	Feeds       []feedLink

	// parts, when set, are the templates the main part is made of, in
	// order, some of them kept rendered in the server's mainCache.
	parts []part
}

// share is what a link preview shows.
type share struct{ Title, Description, URL, Type string }

// feedLink is an Atom feed a page offers.
type feedLink struct{ Title, URL string }

// part is a piece of a page's main part: the template name, or, when it
// has a key, what the server's mainCache keeps under it (html, when found
// there; stored there once rendered).
type part struct {
	name string
	key  partKey
	html []byte // kept rendering, when current
	z    []byte // html compressed (see keptPart)
	// keep is set when the part is to be kept once rendered, with stamp.
	keep  bool
	stamp cache.Stamp
	// write, when set, renders the part in Go instead of its template.
	write func(*View) string
}

// IsAdmin and IsModerator answer the navigation's questions.
func (v *View) IsAdmin() bool { return v.Account != nil && v.Account.Role == accounts.Admin }

// IsModerator reports whether the viewer moderates (admins do too).
func (v *View) IsModerator() bool {
	return v.Account != nil && v.Account.Role.AtLeast(accounts.Moderator)
}

// Err returns the translated problem with a form field, or "".
func (v *View) Err(field string) string {
	if key, ok := v.Errors[field]; ok {
		return v.T(key)
	}
	return ""
}

// render executes page into a buffer, with the signed-in person, their
// language and any flash, and writes it only when it rendered whole.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v *View) {
	st := state(r)
	v.Locale = i18n.For(st.lang)
	v.now = s.clock.Now()
	v.Account = st.account
	v.Path = returnPath(r)
	if navPaths[v.Path] {
		v.NavPath = v.Path
	}
	v.Status = status
	v.Nonce = st.nonce
	if v.Account != nil {
		if n, err := s.inbox.Unread(r.Context(), v.Account.ID); err == nil {
			v.Unread = n
		} else if r.Context().Err() == nil {
			s.log.Error("unread notifications", "err", err)
		}
	}
	if v.IsModerator() {
		if c, err := s.moderation.QueueCounts(r.Context()); err == nil {
			v.Queues = c
		} else if r.Context().Err() == nil {
			s.log.Error("queue counts", "err", err)
		}
	}
	if v.Errors == nil {
		v.Errors = apperr.FieldErrors{}
	}
	v.Flash = s.takeFlashes(w, r)
	// A practice form the server just saved: the script forgets the copy
	// it kept in the browser (only then: a save that failed keeps it).
	for _, f := range v.Flash {
		if f == "practice.saved" || f == "practice.submitted" || f == "change.saved" || strings.HasPrefix(f, "version.saved_") {
			v.DraftSaved = true
		}
	}
	if !s.pages.has(page) {
		s.log.Error("no such page template", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	buf := pageBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledPage {
			buf.Reset()
			pageBufs.Put(buf)
		}
	}()
	spans, err := s.execute(buf, page, v)
	if err != nil {
		s.log.Error("template", "page", page, "err", err)
		if page != "error" {
			s.renderError(w, r, err)
			return
		}
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if sw := spanWriterOf(w); sw != nil && len(spans) > 0 {
		sw.writeSpans(buf.Bytes(), spans)
		return
	}
	w.Write(buf.Bytes())
}

// pageBufs hold rendered pages until they are written: grown afresh for
// each page, a buffer was a page's largest allocation (some 120 KB of
// doublings for a 40 KB page).
var pageBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledPage is the largest buffer kept for the next page: a rare huge
// page does not stay in memory.
const maxPooledPage = 256 << 10

// execute renders the page, its main part piece by piece when it has
// parts, taking from the cache the pieces rendered earlier. Every piece
// starts and ends in HTML text, so each is escaped as it would be within
// the whole. It returns where the kept parts lie in buf, with their
// compressed copies.
func (s *Server) execute(buf *bytes.Buffer, page string, v *View) ([]span, error) {
	t := s.pages.set
	writeDocHead(buf, v)
	var spans []span
	hk := headerKeyOf(v)
	h, ok := s.headers.get(hk)
	if ok && (h.top.fast || h.rest.fast) {
		h.top, h.rest = h.top.refine(), h.rest.refine()
		s.headers.put(hk, h)
	}
	start := buf.Len()
	if ok {
		buf.Write(h.top.html)
	} else {
		if err := t.ExecuteTemplate(buf, "site-header", v); err != nil {
			return nil, err
		}
		h.top = keepFrom(buf, start)
	}
	spans = append(spans, span{start, buf.Len(), h.top.z})
	var next sanitize.Markup
	next.Tag(`<input type="hidden" name="next" value="`)
	next.Text(v.Path)
	next.Tag(`">`)
	buf.WriteString(string(next.HTML()))
	start = buf.Len()
	if ok {
		buf.Write(h.rest.html)
	} else {
		if err := t.ExecuteTemplate(buf, "site-header-rest", v); err != nil {
			return nil, err
		}
		h.rest = keepFrom(buf, start)
		s.headers.put(hk, h)
	}
	spans = append(spans, span{start, buf.Len(), h.rest.z})
	if err := t.ExecuteTemplate(buf, "page-top", v); err != nil {
		return nil, err
	}
	if len(v.parts) == 0 {
		if err := t.ExecuteTemplate(buf, s.pages.main[page], v); err != nil {
			return nil, err
		}
	}
	for _, p := range v.parts {
		start := buf.Len()
		if p.html == nil {
			if p.write != nil {
				buf.WriteString(p.write(v))
			} else if err := t.ExecuteTemplate(buf, p.name, v); err != nil {
				return nil, err
			}
			if p.keep {
				k := keepFrom(buf, start)
				s.parts.Put(p.key, p.stamp, k)
				spans = append(spans, span{start, buf.Len(), k.z})
			}
			continue
		}
		buf.Write(p.html)
		if p.z != nil {
			spans = append(spans, span{start, buf.Len(), p.z})
		}
	}
	return spans, t.ExecuteTemplate(buf, "page-foot", v)
}

// keepFrom is what buf holds from start on, as a part to keep: a copy,
// and that copy compressed at the fastest level (see pieceLevel).
func keepFrom(buf *bytes.Buffer, start int) keptPart {
	k := keptPart{html: bytes.Clone(buf.Bytes()[start:]), fast: true}
	k.z = deflatePiece(&flatePool, k.html)
	return k
}

// redirect answers a form with 303 See Other, so a reload does not post
// again.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

var (
	errNotFound     = apperr.New(apperr.NotFound, "error.not_found")
	errForbidden    = apperr.New(apperr.Forbidden, "error.forbidden")
	errSignInNeeded = apperr.New(apperr.Unauthorized, "error.signin_needed")
	errMethod       = apperr.New(apperr.Method, "error.method")
	errBadRequest   = apperr.New(apperr.Invalid, "error.bad_request")
)

// tooSoon is the 429 of a limit on attempts (sign-in, codes, resets,
// invitations): the error page says when to come back.
func tooSoon(retry time.Duration) error { return apperr.TooSoon("error.rate_limited", retry) }

// setRetryAfter tells the client, on a 429, when to try again.
func setRetryAfter(w http.ResponseWriter, err error) {
	if retry := apperr.RetryOf(err); retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds()+0.999)))
	}
}

func statusOf(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Method:
		return http.StatusMethodNotAllowed
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Gone:
		return http.StatusGone
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.Unprocessable:
		return http.StatusUnprocessableEntity
	case apperr.RateLimited:
		return http.StatusTooManyRequests
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// h adapts a handler that returns an error: the one place where an error
// becomes a status and a page.
func (s *Server) h(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.renderError(w, r, err)
		}
	}
}

type errorData struct {
	Message    string // catalogue key
	RetryAfter int    // minutes, for 429
	Next       string
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		err = apperr.New(apperr.TooLarge, "error.too_large")
	}
	if retry := apperr.RetryOf(err); retry > 0 {
		setRetryAfter(w, err)
		minutes := int((retry + time.Minute - 1) / time.Minute)
		s.render(w, r, http.StatusTooManyRequests, "error", &View{Title: "error.title.429",
			Data: errorData{Message: apperr.KeyOf(err), RetryAfter: max(minutes, 1)}})
		return
	}
	code := apperr.CodeOf(err)
	status := statusOf(code)
	if code == apperr.Unauthorized {
		next := "/"
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next = r.URL.RequestURI()
		} else if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && strings.HasPrefix(ref.Path, "/") && !strings.HasPrefix(ref.Path, "//") {
			// A form sent after the session ended: back to the form after
			// signing in, where what was typed is offered again.
			next = ref.RequestURI()
		}
		redirect(w, r, "/signin?next="+url.QueryEscape(next))
		return
	}
	key := apperr.KeyOf(err)
	if status == http.StatusInternalServerError && r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		// The person left (closed the tab, lost the link): nobody reads
		// an answer, and nothing is wrong with the server.
		s.log.Debug("request abandoned", "method", r.Method, "path", r.URL.Path)
		return
	}
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		key = "error.internal"
	}
	if key == "" || !i18n.Has(key) {
		key = "error.generic"
	}
	s.render(w, r, status, "error", &View{Title: "error.title." + strconv.Itoa(status), Data: errorData{Message: key}})
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	h, ok := static.Hashes[name]
	if !ok {
		s.renderError(w, r, errNotFound)
		return
	}
	if r.URL.Query().Get("v") == h {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	ct := mime.TypeByExtension(path.Ext(name))
	body, etag := staticRaw(name), `"`+h+`"`
	if acceptsGzip(r) {
		if gz := staticGzip(name, ct); gz != nil {
			body, etag = gz, `"`+h+`-gzip"`
			w.Header().Set("Content-Encoding", "gzip")
		}
	}
	if body == nil || ct == "" {
		http.ServeFileFS(w, r, static.Files, name)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", ct)
	hd.Set("ETag", etag)
	if r.Header.Get("Range") != "" || r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Range") != "" {
		// Conditional and partial requests, as the standard library
		// answers them.
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
		return
	}
	// The whole file in one write: through ServeContent each answer
	// copied the file through a fresh 32 KB buffer, and collecting those
	// was a quarter of the static path's work.
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// rawStatic holds each static file as embedded, read once.
var rawStatic sync.Map // path → []byte

// staticRaw is the content of the static file name, or nil.
func staticRaw(name string) []byte {
	if v, ok := rawStatic.Load(name); ok {
		return v.([]byte)
	}
	b, err := static.Files.ReadFile(name)
	if err != nil {
		return nil
	}
	rawStatic.Store(name, b)
	return b
}

// favicon answers browsers and link previews that ask for /favicon.ico
// without reading the page: the same picture as the page's icon link.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Content-Type", "image/svg+xml")
	http.ServeFileFS(w, r, static.Files, "img/favicon.svg")
}

// errPostingTooFast is what a form says when its account has posted more
// than the limit allows; the form comes back with a 429 and what was typed.
const errPostingTooFast = "error.posting_too_fast"

// postAllowed spends one of the signed-in account's posts. When none is
// left it sets Retry-After and returns false: the handler then shows its
// form again, with what was typed, a 429 and errPostingTooFast.
func (s *Server) postAllowed(w http.ResponseWriter, r *http.Request) bool {
	a := currentAccount(r)
	if a == nil {
		return true // the routes that post need an account: they answer that
	}
	ok, retry := s.limits.posts.Take(strconv.FormatInt(a.ID, 10))
	if !ok {
		setRetryAfter(w, apperr.TooSoon(errPostingTooFast, retry))
		s.log.Info("security", "event", "post.rate_limited", "account_id", a.ID, "path", r.URL.Path)
	}
	return ok
}

// returnPath is where the page's language switch comes back to: the page
// itself, or, for a form sent back after a POST (whose address answers only
// POST), the page the form was sent from.
func returnPath(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.Path
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		return localPath(ref.Path)
	}
	return "/"
}

// editorLabels are the rich-text editor's words, handed to its script as
// a hidden list (bullet-list is the script's bulletList); each is the
// catalogue's editor.NAME in the page's language.
var editorLabels = []string{"toolbar", "bold", "italic", "h3", "h4", "bullet-list", "ordered-list", "blockquote", "link", "unlink",
	"table", "add-row", "add-column", "delete-row", "delete-column", "delete-table", "undo", "redo",
	"link-url", "link-apply", "link-cancel", "link-invalid", "image", "image-choose", "image-insert", "pasted-images"}
