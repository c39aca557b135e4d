package server

import (
	"context"
	"strings"
	"sync"
	"unsafe"

	"puente/internal/accounts"
	"puente/internal/cache"
	"puente/internal/practices"
)

// Rendered parts of pages that every viewer of a kind sees alike (a
// list's results for one scope, language and filter; a practice's
// comments for visitors, or for members who took no part) are kept in
// s.parts while the topics they show stay unchanged. A new comment
// changes its practice's topic: that thread and the lists showing that
// practice's count are rendered again, nothing else.
type partKey struct {
	kind     string // the part's template
	lang     string
	audience string // visitor, member, or the scopes a list shows
	practice int64
	thread   int64
	before   int64
	filter   practices.Filter
	year     int
	query    string // what was searched for
}

// maxPartBytes bounds the memory the kept parts take. The parts read
// again and again (the home's body, the first pages of lists, the
// practices opened most) are a few MB; beyond that, the cache held list
// pages opened twice in a row and little else, and the heap the
// collector lets grow is twice what is kept.
const maxPartBytes = 8 << 20

// keptPart is a rendered part as kept: its HTML, and the same bytes
// compressed once as a piece of a deflate stream, so that a page made of
// kept parts is gzipped without compressing them again (see
// gzipWriter.writeSpans).
type keptPart struct {
	html []byte
	z    []byte
	fast bool // z is at the fastest level, not yet at pieceLevel
}

func (k keptPart) size() int { return len(k.html) + len(k.z) }

// refine is k with its copy compressed at pieceLevel.
func (k keptPart) refine() keptPart {
	if !k.fast {
		return k
	}
	return keptPart{html: k.html, z: deflatePiece(&piecePool, k.html)}
}

// lookupPart fills p.html from the cache when p's key is kept and still
// current, and otherwise, when the key was asked for before, reads the
// stamp p will be kept with once rendered.
func (s *Server) lookupPart(ctx context.Context, p *part, topics ...cache.Topic) error {
	k, ok, err := s.parts.Lookup(ctx, p.key)
	if err != nil || ok {
		if ok && k.fast {
			// Served again: worth compressing harder, once.
			fast := k
			k = k.refine()
			s.parts.Replace(p.key, func(kept keptPart) bool { return unsafe.SliceData(kept.html) == unsafe.SliceData(fast.html) }, k)
		}
		p.html, p.z = k.html, k.z
		return err
	}
	if !s.parts.Admit(p.key) {
		return nil // rendered, and kept only if asked for again
	}
	p.stamp, err = s.versions.Read(ctx, topics)
	p.keep = err == nil
	return err
}

// shownPractices adds to p's stamp the topics of the practices a list
// showed (their comment counts); if anything changed meanwhile, the part
// is rendered but not kept.
func (s *Server) shownPractices(ctx context.Context, p *part, ps []*practices.Practice) error {
	if !p.keep {
		return nil
	}
	topics := make([]cache.Topic, len(ps))
	for i, pr := range ps {
		topics[i] = cache.Practice(pr.ID)
	}
	var err error
	p.stamp, p.keep, err = s.versions.Extend(ctx, p.stamp, topics)
	return err
}

func scopesOf(v practices.Viewer) string {
	var b strings.Builder
	for _, sc := range v.PublishedScopes() {
		b.WriteString(string(sc))
		b.WriteByte(' ')
	}
	return b.String()
}

// headerKey is everything the site header shows (and whether the page
// carries the editor's words, which go with it), but the page's own
// address, written between its two halves: with the same key it is the
// same bytes.
type headerKey struct {
	lang, nav string
	editor    bool
	signedIn  bool
	name      string
	role      accounts.Role
	focal     bool
	queues    int
	unread    int
}

func headerKeyOf(v *View) headerKey {
	k := headerKey{lang: v.Lang, nav: v.NavPath, editor: v.Editor, queues: v.Queues.Total(), unread: v.Unread}
	if v.Account != nil {
		k.signedIn, k.name, k.role, k.focal = true, v.Account.DisplayName, v.Account.Role, v.Account.FocalPoint
	}
	return k
}

// maxHeaders bounds the site headers kept (a few KB each): when full, the
// store starts over.
const maxHeaders = 2048

// headerStore keeps rendered site headers. Nothing needs to invalidate
// them: a header's key holds all it shows.
type headerStore struct {
	mu sync.Mutex
	m  map[headerKey]keptHeader
}

// keptHeader is the site header's two halves, before and after the
// language form's "next" field.
type keptHeader struct{ top, rest keptPart }

// navPaths are the addresses the site header links to: on these pages
// it marks its link as the current one.
var navPaths = map[string]bool{
	"/": true, "/practices": true, "/my/practices": true, "/practices/new": true,
	"/moderation": true, "/insights": true, "/log": true, "/admin/taxonomy": true,
	"/admin/accounts": true, "/admin/invitations": true, "/notifications": true,
	"/account": true, "/meetings": true, "/focal": true, "/admin/data": true,
}

func (h *headerStore) get(k headerKey) (keptHeader, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.m[k]
	return v, ok
}

func (h *headerStore) put(k headerKey, v keptHeader) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil || len(h.m) >= maxHeaders {
		h.m = make(map[headerKey]keptHeader)
	}
	h.m[k] = v
}
