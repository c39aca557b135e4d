package server

import (
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/practices"
)

// The read-only API for members' programs: what a member may read on the
// site, as JSON, authenticated by a personal token (My account), paginated
// with cursors. Its description is openapi.json, served beside it and
// checked against real answers by the tests.

//go:embed openapi.json
var openAPISpec []byte

// API limits: a page holds at most APIMaxLimit items; a token may make
// APIBurst requests at once, then one every APIEvery.
const (
	APIMaxLimit     = 100
	apiDefaultLimit = 25
	APIBurst        = 120
	APIEvery        = 250 * time.Millisecond
)

// apiRoutes mounts the API on r, outside the pages' middleware: no
// session, no CSRF (a token is no cookie a browser sends by itself).
func (s *Server) apiRoutes(r chi.Router) {
	r.Get("/api/v1/openapi.json", s.apiSpec)
	r.Group(func(r chi.Router) {
		r.Use(s.apiAuth)
		r.Get("/api/v1/practices", s.api(s.apiPractices, "cursor", "limit", "country", "tag"))
		r.Get("/api/v1/practices/{id}", s.api(s.apiPractice))
		r.Get("/api/v1/practices/{id}/comments", s.api(s.apiComments, "cursor", "limit"))
		r.Get("/api/v1/practices/{id}/adoptions", s.api(s.apiAdoptions))
		r.Get("/api/v1/tags", s.api(s.apiTags))
		r.Get("/api/v1/countries", s.api(s.apiCountries))
		r.Get("/api/v1/meetings", s.api(s.apiMeetings))
	})
}

func (s *Server) apiSpec(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(openAPISpec)
}

// apiError is the body of every refusal.
type apiError struct {
	Error struct {
		Status  int    `json:"status"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	var e apiError
	code := apperr.CodeOf(err)
	key := apperr.KeyOf(err)
	if code == "" || key == "" {
		if !errors.Is(err, r.Context().Err()) {
			s.log.Error("api", "route", chi.RouteContext(r.Context()).RoutePattern(), "err", err)
		}
		code, key = apperr.Internal, "error.internal"
	}
	e.Error.Status, e.Error.Code, e.Error.Message = statusOf(code), string(code), i18n.For(state(r).lang).T(key)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(ae.Retry.Seconds())+1))
	}
	if code == apperr.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="puente"`)
	}
	writeJSON(w, e.Error.Status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// apiAuth reads the bearer token: a live token of an active account, or
// a 401; the account is the request's as a session's would be. Each token
// has its own rate limit.
func (s *Server) apiAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			s.apiFail(w, r, accounts.ErrTokenInvalid)
			return
		}
		a, id, err := s.accounts.ByToken(r.Context(), strings.TrimSpace(token))
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		st := state(r)
		st.account = a
		if a.Lang != "" {
			st.lang = a.Lang
		}
		if ok, retry := s.limits.api.Take(strconv.FormatInt(id, 10)); !ok {
			e := apperr.New(apperr.RateLimited, "api.too_fast")
			e.Retry = retry
			s.apiFail(w, r, e)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// api runs an API handler: only the query parameters it names are
// allowed, its value is written as JSON, its error as a JSON refusal.
func (s *Server) api(fn func(r *http.Request) (any, error), params ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k := range r.URL.Query() {
			if !slices.Contains(params, k) {
				s.apiFail(w, r, apperr.New(apperr.Invalid, "api.unknown_parameter"))
				return
			}
		}
		v, err := fn(r)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	}
}

// apiPage is a page of a list, and the cursor of the next (null at the
// end).
type apiPage[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pageQuery reads ?cursor and ?limit.
func pageQuery(r *http.Request) (after int64, limit int, err error) {
	q := r.URL.Query()
	limit = apiDefaultLimit
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > APIMaxLimit {
			return 0, 0, apperr.New(apperr.Invalid, "api.bad_limit")
		}
		limit = n
	}
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		if err == nil {
			after, err = strconv.ParseInt(string(b), 10, 64)
		}
		if err != nil || after < 0 {
			return 0, 0, apperr.New(apperr.Invalid, "api.bad_cursor")
		}
	}
	return after, limit, nil
}

func cursorAfter(id int64) *string {
	c := base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
	return &c
}

func (s *Server) apiPractices(r *http.Request) (any, error) {
	after, limit, err := pageQuery(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	country := strings.ToUpper(q.Get("country"))
	if country != "" && !s.taxonomy.CountryExists(country) {
		return nil, apperr.New(apperr.Invalid, "api.bad_country")
	}
	var tag int64
	if t := q.Get("tag"); t != "" {
		if tag, err = strconv.ParseInt(t, 10, 64); err != nil || tag < 1 {
			return nil, apperr.New(apperr.Invalid, "api.bad_tag")
		}
	}
	v := s.viewer(r)
	ps, err := s.practices.APIPage(r.Context(), v, after, limit+1, country, tag)
	if err != nil {
		return nil, err
	}
	page := apiPage[*odPractice]{}
	if len(ps) > limit {
		ps = ps[:limit]
		page.NextCursor = cursorAfter(ps[len(ps)-1].ID)
	}
	if page.Items, err = s.practiceDocs(r.Context(), state(r).lang, ps); err != nil {
		return nil, err
	}
	return page, nil
}

// apiPractice is one practice the reader may see: a draft, a hidden
// practice or another process's is not found, as on the site.
func (s *Server) apiPractice(r *http.Request) (any, error) {
	id, err := urlID(r)
	if err != nil {
		return nil, err
	}
	v := s.viewer(r)
	p, err := s.practices.Get(r.Context(), v, id)
	if err != nil {
		return nil, err
	}
	if p.Status != practices.Published {
		// The API lists what is published, as the lists do; a member's own
		// drafts stay on the site.
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	docs, err := s.practiceDocs(r.Context(), state(r).lang, []*practices.Practice{p})
	if err != nil {
		return nil, err
	}
	return docs[0], nil
}

type apiComment struct {
	ID           int64      `json:"id"`
	PracticeID   int64      `json:"practice_id"`
	ParentID     *int64     `json:"parent_id"`
	Author       string     `json:"author"`
	Country      string     `json:"country,omitempty"`
	Organisation string     `json:"organisation,omitempty"`
	HTML         string     `json:"html"`
	CreatedAt    time.Time  `json:"created_at"`
	EditedAt     *time.Time `json:"edited_at"`
}

func (s *Server) apiComments(r *http.Request) (any, error) {
	id, err := urlID(r)
	if err != nil {
		return nil, err
	}
	after, limit, err := pageQuery(r)
	if err != nil {
		return nil, err
	}
	v := s.viewer(r)
	if p, err := s.practices.GetHead(r.Context(), v, id); err != nil {
		return nil, err
	} else if p.Status != practices.Published {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	list, err := s.comments.Listed(r.Context(), v, id, after, limit+1)
	if err != nil {
		return nil, err
	}
	page := apiPage[apiComment]{Items: []apiComment{}}
	if len(list) > limit {
		list = list[:limit]
		page.NextCursor = cursorAfter(list[len(list)-1].ID)
	}
	for _, c := range list {
		ac := apiComment{ID: c.ID, PracticeID: c.PracticeID, Author: c.AuthorName, Country: c.AuthorCC, Organisation: c.AuthorOrg,
			HTML: c.HTML, CreatedAt: c.CreatedAt.UTC()}
		if c.ParentID != 0 {
			parent := c.ParentID
			ac.ParentID = &parent
		}
		if c.Edited() {
			at := c.EditedAt.UTC()
			ac.EditedAt = &at
		}
		page.Items = append(page.Items, ac)
	}
	return page, nil
}

func (s *Server) apiAdoptions(r *http.Request) (any, error) {
	p, err := s.apiPractice(r)
	if err != nil {
		return nil, err
	}
	return apiPage[odAdoption]{Items: p.(*odPractice).Adoptions}, nil
}

func (s *Server) apiTags(r *http.Request) (any, error) {
	tags, err := s.taxonomy.Tags(r.Context(), state(r).lang)
	if err != nil {
		return nil, err
	}
	out := apiPage[odTag]{Items: []odTag{}}
	for _, t := range tags {
		out.Items = append(out.Items, odTag{ID: t.ID, Kind: t.Kind, Number: t.Number, Label: t.Label, MeetingID: t.MeetingID, Meeting: t.MeetingTitle})
	}
	slices.SortFunc(out.Items, func(a, b odTag) int { return int(a.ID - b.ID) })
	return out, nil
}

type apiCountry struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Processes []string `json:"processes"`
}

func (s *Server) apiCountries(r *http.Request) (any, error) {
	lang := state(r).lang
	out := apiPage[apiCountry]{Items: []apiCountry{}}
	for _, c := range s.taxonomy.Countries(lang) {
		ps := s.taxonomy.ProcessesOf(c.Code)
		if ps == nil {
			ps = []string{}
		}
		out.Items = append(out.Items, apiCountry{Code: c.Code, Name: c.Name(lang), Processes: ps})
	}
	return out, nil
}

type apiMeeting struct {
	ID       int64   `json:"id"`
	Title    string  `json:"title"`
	Process  string  `json:"process"`
	Kind     string  `json:"kind"`
	Place    string  `json:"place"`
	StartsOn string  `json:"starts_on"`
	EndsOn   string  `json:"ends_on"`
	Tags     []int64 `json:"tags"`
}

func (s *Server) apiMeetings(r *http.Request) (any, error) {
	ms, err := s.taxonomy.Meetings(r.Context(), state(r).lang)
	if err != nil {
		return nil, err
	}
	out := apiPage[apiMeeting]{Items: []apiMeeting{}}
	for _, m := range ms {
		ids := m.TagIDs()
		if ids == nil {
			ids = []int64{}
		}
		out.Items = append(out.Items, apiMeeting{ID: m.ID, Title: m.Title, Process: m.Process, Kind: m.Kind, Place: m.Place,
			StartsOn: m.StartsOn, EndsOn: m.EndsOn, Tags: ids})
	}
	return out, nil
}

// tokenCreate makes an API token and shows it once, on My account.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	name := r.PostFormValue("token_name")
	t, token, err := s.accounts.CreateToken(r.Context(), a, name)
	if errs := apperr.FieldsOf(err, "token_name"); errs != nil && apperr.Is(err, apperr.Unprocessable) {
		v, verr := s.accountView(r, "account.title")
		if verr != nil {
			return verr
		}
		v.Data.(*accountData).TokenName, v.Errors = name, errs
		s.render(w, r, http.StatusUnprocessableEntity, "account", v)
		return nil
	}
	if err != nil {
		return err
	}
	s.log.Info("security", "event", "api.token_created", "account_id", a.ID, "token_id", t.ID)
	v, err := s.accountView(r, "account.title")
	if err != nil {
		return err
	}
	v.Data.(*accountData).NewToken = token
	s.render(w, r, http.StatusOK, "account", v)
	return nil
}

// tokenRevoke revokes one of the person's API tokens.
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	id, err := urlID(r)
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeToken(r.Context(), a.ID, id); err != nil {
		return err
	}
	s.log.Info("security", "event", "api.token_revoked", "account_id", a.ID, "token_id", id)
	s.flash(w, r, "api.token_revoked")
	redirect(w, r, "/account#tokens-h")
	return nil
}
