package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/practices"
)

// versionData is the form of a practice's version in another language.
type versionData struct {
	Practice *practices.Practice
	Lang     string
	// Waiting is set when the version waits for review or came back.
	Waiting *practices.Version
	Action  string
	Form    practices.VersionForm
	// Updated is when the version shown was saved (Unix milliseconds), so
	// that an older copy kept in the browser is not offered.
	Updated int64
}

// versionTarget reads the practice and the language a version route
// names: the language must be one of the others, and the person one who
// may write versions of it.
func (s *Server) versionTarget(r *http.Request) (*practices.Practice, string, error) {
	id, err := urlID(r)
	if err != nil {
		return nil, "", err
	}
	v := s.viewer(r)
	p, err := s.practices.Get(r.Context(), v, id)
	if err != nil {
		return nil, "", err
	}
	lang := chi.URLParam(r, "lang")
	if !i18n.Supported(lang) || lang == p.Lang {
		return nil, "", errNotFound
	}
	if !practices.CanTranslate(v, currentAccount(r).CountryCode, p) {
		return nil, "", apperr.New(apperr.Forbidden, "version.not_allowed")
	}
	return p, lang, nil
}

func (s *Server) versionView(r *http.Request, p *practices.Practice, lang string, f *practices.VersionForm, errs apperr.FieldErrors) (*View, error) {
	vs, err := s.practices.LangVersions(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	d := &versionData{Practice: p, Lang: lang, Action: fmt.Sprintf("/practices/%d/versions/%s", p.ID, lang)}
	var live *practices.Version
	for _, v := range vs {
		if v.Lang != lang {
			continue
		}
		if v.State == practices.VersionLive {
			live = v
		} else {
			d.Waiting = v
		}
	}
	switch {
	case f != nil:
		d.Form = *f
	case d.Waiting != nil:
		d.Form, d.Updated = practices.FormOf(d.Waiting), d.Waiting.UpdatedAt.UnixMilli()
	case live != nil:
		d.Form, d.Updated = practices.FormOf(live), live.UpdatedAt.UnixMilli()
	default:
		d.Form = practices.VersionForm{Sections: map[string]string{}}
	}
	return &View{Title: "version.title", TitleText: p.Title, Data: d, Errors: errs, Editor: true}, nil
}

// versionForm shows the form of a version in another language.
func (s *Server) versionForm(w http.ResponseWriter, r *http.Request) error {
	p, lang, err := s.versionTarget(r)
	if err != nil {
		return err
	}
	v, err := s.versionView(r, p, lang, nil, nil)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "version_form", v)
	return nil
}

// versionPost saves it: at once before the practice is published, for
// review after.
func (s *Server) versionPost(w http.ResponseWriter, r *http.Request) error {
	p, lang, err := s.versionTarget(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return s.formError(err)
	}
	f := practices.VersionForm{Title: r.PostFormValue("title"), Summary: r.PostFormValue("summary"), Sections: map[string]string{}}
	for _, k := range practices.Sections {
		f.Sections[k] = r.PostFormValue(k)
	}
	if errs := f.Validate(); !errs.OK() {
		v, err := s.versionView(r, p, lang, &f, errs)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusUnprocessableEntity, "version_form", v)
		return nil
	}
	state, err := s.practices.SaveVersion(r.Context(), s.viewer(r), currentAccount(r).CountryCode, p.ID, lang, f)
	if err != nil {
		return err
	}
	s.flash(w, r, "version.saved_"+state)
	redirect(w, r, fmt.Sprintf("/practices/%d?lang=%s", p.ID, lang))
	return nil
}

// versionReviewData is a waiting version as a moderator reviews it.
type versionReviewData struct {
	deciding
	PV      *practiceView
	Version *practices.Version
	Action  string
}

func (s *Server) versionReviewPage(w http.ResponseWriter, r *http.Request) error {
	return s.showVersionReview(w, r, http.StatusOK, "", "", nil)
}

func (s *Server) showVersionReview(w http.ResponseWriter, r *http.Request, status int, note, public string, errs apperr.FieldErrors) error {
	_, p, rf, err := s.viewedPractice(r)
	if err != nil {
		return err
	}
	lang := chi.URLParam(r, "lang")
	ver, err := s.practices.VersionOf(r.Context(), p.ID, lang, practices.VersionPending)
	if apperr.Is(err, apperr.NotFound) {
		s.flash(w, r, "practice.already_handled")
		redirect(w, r, "/moderation")
		return nil
	}
	if err != nil {
		return err
	}
	d := versionReviewData{PV: &practiceView{P: ver.Apply(p), Refs: rf}, Version: ver, Action: fmt.Sprintf("/moderation/versions/%d/%s", p.ID, lang)}
	if d.deciding, err = s.deciding(r, p, note, public); err != nil {
		return err
	}
	// The writer of the version may not be the practice's author: it is
	// theirs that no one decides on.
	d.deciding.Own = ver.AuthorID == currentAccount(r).ID
	s.render(w, r, status, "version_review", &View{Title: "version.review_title", TitleText: ver.Title, Data: d, Errors: errs})
	return nil
}

func (s *Server) versionReviewPost(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	lang := chi.URLParam(r, "lang")
	note, public := r.PostFormValue("note"), r.PostFormValue("public")
	d := r.PostFormValue("decision")
	if d != "approve" && d != "send_back" {
		return errBadRequest
	}
	err = s.moderation.DecideVersion(r.Context(), currentAccount(r), id, lang, d == "approve", note, public)
	if errs := apperr.FieldsOf(err, "note"); errs != nil {
		return s.showVersionReview(w, r, http.StatusUnprocessableEntity, note, public, errs)
	}
	if err != nil {
		return s.flashConflict(w, r, err, id)
	}
	s.flash(w, r, "change.done."+d)
	redirect(w, r, "/moderation#versions")
	return nil
}

// langLinks are the languages a practice reads in, for "Also in".
type langLink struct {
	Lang string
	Path string
}

func versionLinks(id int64, langs []string) []langLink {
	out := make([]langLink, 0, len(langs))
	for _, l := range langs {
		out = append(out, langLink{Lang: l, Path: "/practices/" + strconv.FormatInt(id, 10) + "?lang=" + l})
	}
	return out
}

// localized is page with each practice's title and summary in the
// reader's language where a version has them; the page as kept is left
// as it is.
func (s *Server) localized(r *http.Request, page *practices.Page) (*practices.Page, error) {
	if page == nil {
		return nil, nil
	}
	ps, err := s.practices.Localize(r.Context(), state(r).lang, page.Practices)
	if err != nil {
		return nil, err
	}
	cp := *page
	cp.Practices = ps
	return &cp, nil
}
