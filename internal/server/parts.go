package server

import (
	"context"
	"strings"

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
}

// maxPartBytes bounds the memory the kept parts take.
const maxPartBytes = 16 << 20

// keptPart is a rendered part as kept: its HTML, and the same bytes
// compressed once as a piece of a deflate stream, so that a page made of
// kept parts is gzipped without compressing them again (see
// gzipWriter.writeSpans).
type keptPart struct {
	html []byte
	z    []byte
}

func (k keptPart) size() int { return len(k.html) + len(k.z) }

// lookupPart fills p.html from the cache when p's key is kept and still
// current, and otherwise reads the stamp p will be kept with once
// rendered.
func (s *Server) lookupPart(ctx context.Context, p *part, topics ...cache.Topic) error {
	k, ok, err := s.parts.Lookup(ctx, p.key)
	if err != nil || ok {
		p.html, p.z = k.html, k.z
		return err
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
