package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"puente/internal/apperr"
	"puente/internal/cache"
	"puente/internal/comments"
	"puente/internal/i18n"
	"puente/internal/practices"
	"puente/internal/sanitize"
	"puente/internal/search"
)

type searchData struct {
	List    listData
	Q       string
	Results *searchResults
	Problem string
	NextURL string
	PrevURL string
}

type searchResults struct {
	Hits []searchHit
	Page int
}

// searchHit is one result as the page shows it: the practice in the
// reader's language where a version has one, and the passage that
// matched, in its own language.
type searchHit struct {
	*practices.Practice
	Snippet []search.Mark
	// SnippetLang is the language of the snippet, "" for a comment's.
	SnippetLang string
	// Comment is set when the snippet quotes a comment.
	Comment *commentHit
}

type commentHit struct {
	Author string
	URL    string
}

// searchSort is the order asked for: best first unless the newest or the
// most discussed, whatever else the address says.
func searchSort(v string) string {
	if v == practices.SortNewest || v == practices.SortDiscussed {
		return v
	}
	return practices.SortRelevance
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	q := sanitize.Plain(r.URL.Query().Get("q"))
	f := s.listFilter(r)
	f.Sort = searchSort(r.URL.Query().Get("sort"))
	f.After, f.Before = "", "" // the list's cursors; search pages by number
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	// The top (the form and the filters) shows the query and the filters
	// chosen, not the results: it is kept while the taxonomy stays.
	audience := "visitor"
	if s.viewer(r).Member() {
		audience = "member"
	}
	top := part{name: "search-top", key: partKey{kind: "search-top", lang: state(r).lang, audience: audience, filter: f, year: s.clock.Now().Year(), query: q}}
	if err := s.lookupPart(r.Context(), &top, cache.Taxonomy); err != nil {
		return err
	}
	ld, err := s.listViewOf(r, f, nil, top.html == nil)
	if err != nil {
		return err
	}
	loc := i18n.For(state(r).lang)
	ld.Choices.Sorts = []option{
		{Value: practices.SortRelevance, Label: loc.T("search.sort_relevance"), Selected: f.Sort == practices.SortRelevance},
		{Value: practices.SortNewest, Label: loc.T("list.sort_newest"), Selected: f.Sort == practices.SortNewest},
		{Value: practices.SortDiscussed, Label: loc.T("list.sort_discussed"), Selected: f.Sort == practices.SortDiscussed},
	}
	ld.Query.Del("sort")
	if f.Sort != practices.SortRelevance {
		ld.Query.Set("sort", f.Sort)
	}
	d := searchData{List: *ld, Q: q}
	status := http.StatusOK
	switch {
	case q == "":
	case search.Parse(q) == "":
		// Only signs or operators: say what is searched, rather than
		// show nothing.
		d.Problem, status = "search.no_words", http.StatusUnprocessableEntity
	default:
		// Comments posted a moment ago are in the index before it is read.
		if _, err := s.search.Flush(r.Context()); err != nil {
			return err
		}
		res, err := s.practices.Search(r.Context(), s.viewer(r), q, f, page)
		switch {
		case apperr.Is(err, apperr.Unprocessable):
			d.Problem, status = apperr.KeyOf(err), http.StatusUnprocessableEntity
		case err != nil:
			return err
		default:
			if d.Results, err = s.searchResults(r, q, res); err != nil {
				return err
			}
			base := "/search?" + ld.Query.Encode()
			if !strings.HasSuffix(base, "?") {
				base += "&"
			}
			base += "q=" + urlQueryEscape(q) + "&page="
			if res.More {
				d.NextURL = base + strconv.Itoa(res.Page+1)
			}
			if res.Page > 1 {
				d.PrevURL = base + strconv.Itoa(res.Page-1)
			}
		}
	}
	if d.Problem != "" {
		// The form then says what is wrong with the query.
		top = part{name: "search-top"}
	}
	s.render(w, r, status, "search", &View{Title: "search.title", Data: d, parts: []part{top, {name: "search-results"}}})
	return nil
}

// searchResults shows each hit with a passage of its own words: where
// they match, those; else a comment that matches, labelled and linked;
// else (the match was in the title or in what only helps to match, such
// as its countries' names in every language) the start of its summary in
// the reader's language.
func (s *Server) searchResults(r *http.Request, q string, res *practices.Results) (*searchResults, error) {
	ctx := r.Context()
	ps := make([]*practices.Practice, len(res.Hits))
	for i, h := range res.Hits {
		ps[i] = h.Practice
	}
	ps, err := s.practices.Localize(ctx, state(r).lang, ps)
	if err != nil {
		return nil, err
	}
	terms := search.Terms(q)
	out := &searchResults{Page: res.Page, Hits: make([]searchHit, len(ps))}
	for i, h := range res.Hits {
		hit := searchHit{Practice: ps[i]}
		switch {
		case h.Passage.InText:
			hit.Snippet, hit.SnippetLang = h.Passage.Marks, h.Lang
		case h.Passage.InComments:
			if hit.Comment, hit.Snippet, err = s.commentPassage(ctx, h.ID, terms); err != nil {
				return nil, err
			}
		}
		if hit.Snippet == nil {
			hit.Snippet, hit.SnippetLang = search.Snippet(hit.Summary, nil, search.SnippetWidth), hit.Lang
		}
		out.Hits[i] = hit
	}
	return out, nil
}

// commentPassage finds the comment on practice id that holds a term and
// quotes it, or returns nil when none does any longer.
func (s *Server) commentPassage(ctx context.Context, id int64, terms []search.Term) (*commentHit, []search.Mark, error) {
	c, text, err := s.comments.FirstMatching(ctx, id, func(text string) bool { return search.Mentions(text, terms) })
	if err != nil || c == nil {
		return nil, nil, err
	}
	return &commentHit{Author: c.AuthorName, URL: comments.PageURL(c)}, search.Snippet(text, terms, search.SnippetWidth), nil
}
