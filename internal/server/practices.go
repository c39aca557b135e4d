package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"puente/internal/adoptions"
	"puente/internal/apperr"
	"puente/internal/cache"
	"puente/internal/comments"
	"puente/internal/i18n"
	"puente/internal/moderation"
	"puente/internal/modlog"
	"puente/internal/practices"
	"puente/internal/questions"
	"puente/internal/taxonomy"
)

// viewer is the signed-in person (or a visitor) as the visibility rule
// sees them.
func (s *Server) viewer(r *http.Request) practices.Viewer {
	return practices.ViewerOf(currentAccount(r), s.taxonomy)
}

// urlID is the id in the URL's {id}; what is not a positive number is
// no page (404).
// urlID is the positive id in the route's {id}; anything else is a 404.
func urlID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// refs turns codes and ids into names in the page's language.
type refs struct {
	lang      string
	countries map[string]*taxonomy.Country
	tags      map[int64]*taxonomy.TagRef
}

func (s *Server) refs(r *http.Request) (*refs, error) {
	lang := state(r).lang
	cs := s.taxonomy.Countries(lang)
	tags, err := s.taxonomy.Tags(r.Context(), lang)
	if err != nil {
		return nil, err
	}
	rf := &refs{lang: lang, countries: map[string]*taxonomy.Country{}, tags: tags}
	for _, c := range cs {
		rf.countries[c.Code] = c
	}
	return rf, nil
}

// CountryName and TagLabel are called from templates.
func (rf *refs) CountryName(code string) string {
	if c, ok := rf.countries[code]; ok {
		return c.Name(rf.lang)
	}
	return code
}

// Tag returns the tag with id, or nil.
func (rf *refs) Tag(id int64) *taxonomy.TagRef { return rf.tags[id] }

// TagLabel names a tag: "Objective 1: label".
func (rf *refs) TagLabel(id int64) string {
	if t, ok := rf.tags[id]; ok {
		return t.Label
	}
	return strconv.FormatInt(id, 10)
}

// practiceView is what the practice page and the preview show.
type practiceView struct {
	P *practices.Practice
	// Original is the language the practice was written in, when P reads
	// as a version in another; AlsoIn the other languages it reads in;
	// Translate the languages a version may be written in by the viewer.
	Original  string
	AlsoIn    []langLink
	Translate []string
	// Attachments are the practice's files, for whoever may see it;
	// WaitingFiles those added that wait for review (author and staff).
	Attachments  []*practices.Attachment
	WaitingFiles []*practices.Attachment
	Refs         *refs
	Comments     []*comments.Comment
	// Discussion says which page of the comments this is and where the
	// earlier ones are.
	Discussion *comments.Page
	Following  bool
	// Adoptions are the countries' records of taking the practice up;
	// CanAdopt is set when the viewer may record their country's.
	Adoptions []*adoptions.Adoption
	// TakenUp are those of Adoptions, shown and not decided against, for
	// the one-line summary.
	TakenUp  []*adoptions.Adoption
	CanAdopt bool
	// OwnAdoption is set when the viewer's country has a record.
	OwnAdoption bool
	// Questions are the exchanges with the implementers shown on the
	// practice; CanAsk is set when the viewer may ask one.
	Questions  []*questions.Question
	CanAsk     bool
	CanEdit    bool
	CanSubmit  bool
	CanPublish bool
	CanComment bool
	Preview    bool
	// A comment being corrected: its text, its parent and its problem.
	CommentBody   string
	CommentParent int64
	CommentError  string

	// Change is the edit of a published practice waiting for review, for
	// its author and staff.
	Change *practices.Change
	// Moderation: what staff see and what an author may appeal.
	Staff bool
	// Own is set when the viewer wrote the practice: as staff they do not
	// decide on it, and Deciders are who may.
	Own         bool
	Deciders    []string
	Featured    bool
	FlagCount   int
	FlaggedByMe bool
	Appeal      *appealInfo
	// CommentAppeals are the viewer's own hidden comments' appeal state.
	CommentAppeals map[int64]*appealInfo
	CommentFlags   map[int64]int
}

// appealInfo is the decision an author may appeal, and their appeal.
type appealInfo struct {
	Log    *modlog.Entry
	Appeal *moderation.Appeal
}

func (s *Server) practicePage(w http.ResponseWriter, r *http.Request) error {
	return s.showPractice(w, r, http.StatusOK, nil)
}

// viewedPractice loads the practice in the URL as the viewer may see it,
// with the names the page shows for countries and tags.
func (s *Server) viewedPractice(r *http.Request) (practices.Viewer, *practices.Practice, *refs, error) {
	v := s.viewer(r)
	id, err := urlID(r)
	if err != nil {
		return v, nil, nil, err
	}
	p, err := s.practices.Get(r.Context(), v, id)
	if err != nil {
		return v, nil, nil, err
	}
	rf, err := s.refs(r)
	return v, p, rf, err
}

func (s *Server) showPractice(w http.ResponseWriter, r *http.Request, status int, fill func(*practiceView)) error {
	v := s.viewer(r)
	id, err := urlID(r)
	if err != nil {
		return err
	}
	// The sections are read only when the practice is rendered, not when
	// it is kept (below).
	p, err := s.practices.GetHead(r.Context(), v, id)
	if err != nil {
		return err
	}
	rf, err := s.refs(r)
	if err != nil {
		return err
	}
	pv := &practiceView{P: p, Refs: rf, CanEdit: v.CanEdit(p),
		CanSubmit:  v.CanEdit(p) && (p.Status == practices.Draft || p.Status == practices.Returned || p.Status == practices.Rejected),
		CanPublish: v.Staff() && p.Status == practices.Submitted && !p.Hidden(),
		CanComment: v.Member() && currentAccount(r).Comments() && p.Status == practices.Published && (!p.Hidden() || v.Staff())}
	view := &View{Title: "practice.page_title", Data: pv, TitleText: p.Title, Editor: pv.CanComment}
	live, shown, err := s.shownLang(r, p)
	if err != nil {
		return err
	}
	// The practice itself reads the same for every reader who may neither
	// edit nor moderate it, in the same language and version: it is kept
	// rendered until the practice, its files, the names or the taxonomy
	// change.
	article := part{name: "practice-article"}
	if fill == nil && p.Status == practices.Published && !p.Hidden() && !v.CanEdit(p) && !v.Staff() {
		article.key = partKey{kind: "practice-article", lang: state(r).lang, audience: shown, practice: id}
		if err := s.lookupPart(r.Context(), &article, cache.Practice(id), cache.Names, cache.Taxonomy); err != nil {
			return err
		}
	}
	if article.html == nil {
		if err := s.practices.LoadSections(r.Context(), p); err != nil {
			return err
		}
	}
	if err := s.chooseVersion(r, v, pv, live, shown); err != nil {
		return err
	}
	if article.html == nil {
		// Its author and moderators also see the files waiting for
		// review: one read of all the files, split.
		all, err := s.practices.AllAttachments(r.Context(), id)
		if err != nil {
			return err
		}
		for _, a := range all {
			switch {
			case a.State != practices.FileAdded:
				pv.Attachments = append(pv.Attachments, a)
			case v.CanEdit(p) || v.Staff():
				pv.WaitingFiles = append(pv.WaitingFiles, a)
			}
		}
	}
	view.TitleText = pv.P.Title
	if p.Scope == practices.ScopePublic && p.Status == practices.Published && !p.Hidden() {
		// Only what anyone may read gets a preview where a link is shared.
		view.Description = clip(pv.P.Summary, 300)
		view.Share = &share{Title: pv.P.Title, Description: view.Description, URL: s.absURL(fmt.Sprintf("/practices/%d", id)), Type: "article"}
	}
	comments := part{name: "practice-comments"}
	if fill == nil && p.Status == practices.Published {
		if err := s.commentsPart(r, v, p, &comments); err != nil {
			return err
		}
		if comments.key.kind != "" {
			// A reader's thread (no control of their own) is written in Go.
			comments.write = func(v *View) string { return readerComments(v, pv) }
		}
	}
	article.write = func(v *View) string { return practiceBody(v, pv) }
	view.parts = []part{{name: "practice-head"}, article, {name: "practice-foot"}, comments}
	if p.Status == practices.Published && comments.html == nil {
		if pv.Discussion, err = s.comments.Discussion(r.Context(), p, discussionQuery(r)); err != nil {
			return err
		}
		pv.Comments = pv.Discussion.Comments
	}
	if p.Status == practices.Published {
		a := currentAccount(r)
		country := ""
		if a != nil {
			country = a.CountryCode
		}
		if pv.Adoptions, err = s.adoptions.ForPractice(r.Context(), v, country, p); err != nil {
			return err
		}
		for _, ad := range pv.Adoptions {
			if !ad.Hidden() && ad.Stage != adoptions.Declined {
				pv.TakenUp = append(pv.TakenUp, ad)
			}
			if ad.Country == country {
				pv.OwnAdoption = true
			}
		}
		pv.CanAdopt, _ = adoptions.CanRecord(a, p)
		if pv.Questions, err = s.questions.Published(r.Context(), v, p); err != nil {
			return err
		}
		pv.CanAsk = questions.CanAsk(v, p)
	}
	if v.Member() {
		if pv.Following, err = s.practices.Following(r.Context(), v, id); err != nil {
			return err
		}
		if err := s.fillModeration(r, v, pv); err != nil {
			return err
		}
	}
	if fill != nil {
		fill(pv)
	}
	s.render(w, r, status, "practice", view)
	return nil
}

// commentsPart looks up a practice's rendered comments, unless the
// viewer's are their own: moderators (flag counts, hide forms) and anyone
// who wrote one of the comments (edit and delete links, their hidden
// comments, appeals). Visitors share one rendering, the other members
// another, until a comment, the practice, a name or the taxonomy changes.
func (s *Server) commentsPart(r *http.Request, v practices.Viewer, p *practices.Practice, c *part) error {
	audience := "visitor"
	if v.Member() {
		if v.Staff() {
			return nil
		}
		wrote, err := s.comments.WroteOn(r.Context(), p.ID, v.AccountID)
		if err != nil || wrote {
			return err
		}
		audience = "member"
		// An observer gets no flag links, and no reply boxes unless
		// allowed to comment.
		if a := currentAccount(r); !a.Posts() {
			audience = fmt.Sprintf("observer comments=%v", a.Comments())
		}
	}
	q := discussionQuery(r)
	c.key = partKey{kind: c.name, lang: state(r).lang, audience: audience, practice: p.ID, thread: q.Thread, before: q.Before}
	return s.lookupPart(r.Context(), c, cache.Practice(p.ID), cache.Names, cache.Taxonomy)
}

// discussionQuery reads which page of the comments the URL asks for:
// ?before=ID for earlier comments, ?thread=ID for one thread alone (and
// then ?before=ID for its earlier replies). What is not an id is ignored.
func discussionQuery(r *http.Request) comments.PageQuery {
	var q comments.PageQuery
	for name, dst := range map[string]*int64{"before": &q.Before, "thread": &q.Thread} {
		if n, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64); err == nil && n > 0 {
			*dst = n
		}
	}
	return q
}

// fillModeration adds what moderators see and what an author may appeal.
func (s *Server) fillModeration(r *http.Request, v practices.Viewer, pv *practiceView) error {
	ctx := r.Context()
	p := pv.P
	t := moderation.Target{Type: "practice", ID: p.ID}
	pv.Staff = v.Staff()
	var err error
	if pv.Change, err = s.practices.ChangeFor(ctx, v, p); err != nil {
		return err
	}
	state, err := s.moderation.FlagState(ctx, v.AccountID, t)
	if err != nil {
		return err
	}
	pv.FlaggedByMe = state != ""
	if v.Staff() {
		if pv.Own = p.AuthorID == v.AccountID; pv.Own {
			if pv.Deciders, err = s.moderation.Deciders(ctx, v.AccountID); err != nil {
				return err
			}
		}
		if pv.Featured, err = s.moderation.IsFeatured(ctx, p.ID); err != nil {
			return err
		}
		if pv.FlagCount, err = s.moderation.FlagCount(ctx, t); err != nil {
			return err
		}
		pv.CommentFlags = map[int64]int{}
	}
	if v.CanEdit(p) && (p.Status == practices.Rejected || p.Hidden()) {
		e, a, err := s.moderation.AppealableAction(ctx, v.AccountID, t)
		if err != nil {
			return err
		}
		if e != nil {
			pv.Appeal = &appealInfo{Log: e, Appeal: a}
		}
	}
	pv.CommentAppeals = map[int64]*appealInfo{}
	var walk func([]*comments.Comment) error
	walk = func(cs []*comments.Comment) error {
		for _, c := range cs {
			ct := moderation.Target{Type: "comment", ID: c.ID}
			if c.Hidden() && c.AuthorID == v.AccountID {
				e, a, err := s.moderation.AppealableAction(ctx, v.AccountID, ct)
				if err != nil {
					return err
				}
				if e != nil {
					pv.CommentAppeals[c.ID] = &appealInfo{Log: e, Appeal: a}
				}
			}
			if v.Staff() {
				n, err := s.moderation.FlagCount(ctx, ct)
				if err != nil {
					return err
				}
				pv.CommentFlags[c.ID] = n
			}
			if err := walk(c.Replies); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(pv.Comments)
}

// practiceFormData is what the practice form needs besides the form.
type practiceFormData struct {
	Practice  *practices.Practice // nil for a new practice
	Action    string
	Processes []processView
	Meetings  []*taxonomy.Meeting
	Preview   *practiceView
	Scopes    []practices.Scope
	Sections  []string
	Required  map[string]bool
	// ModeratorNote is what moderators asked the author to correct: the
	// note of a returned or rejected practice, of a returned change, or
	// of the hiding.
	ModeratorNote string
	// Problems lists the refused fields in the form's order, each linking
	// to its field.
	Problems []formProblem
	// Autosave is set on a form whose script saves it as a draft in the
	// background: "new", or the draft's id. Updated is when the draft was
	// last saved (Unix milliseconds), so that an older copy kept in the
	// browser is not offered.
	Autosave      string
	Updated       int64
	AutosaveEvery int64 // milliseconds
	// Attachments are the practice's files; CanAttach says whether they
	// may change now (before review); FileProblems are the files just
	// refused; the limits are in MB.
	Attachments  []*practices.Attachment
	CanAttach    bool
	Reviewed     bool // files added or removed wait for moderators
	FileProblems []fileProblem
	AttachMaxMB  int64
	AttachAllMB  int64
}

// formProblem is one line of the error summary.
type formProblem struct {
	Field  string // the key of its message in the errors
	Anchor string // the id the link leads to
	Label  string // catalogue key of the field's name
}

// problemsOf lists errs in the order the practice form shows its fields.
func problemsOf(errs apperr.FieldErrors) []formProblem {
	fields := []formProblem{{"title", "title", "practice.field.title"}, {"summary", "summary", "practice.field.summary"},
		{"lang", "lang", "practice.field.lang"}, {"countries", "countries", "practice.field.countries"}, {"tags", "tags", "practice.field.tags"}}
	for _, k := range practices.Sections {
		fields = append(fields, formProblem{k, "f-" + k + "-label", "practice.section." + k})
	}
	fields = append(fields, formProblem{"period_start", "period_start", "practice.field.period_start"},
		formProblem{"period_end", "period_end", "practice.field.period_end"}, formProblem{"institutions", "institutions", "practice.field.institutions"},
		formProblem{"partners", "partners", "practice.field.partners"}, formProblem{"contact_name", "contact_name", "practice.field.contact_name"},
		formProblem{"contact_email", "contact_email", "practice.field.contact_email"}, formProblem{"scope", "scope", "practice.field.scope"},
		formProblem{"attachments", "attachments", "attachment.title"})
	var out []formProblem
	for _, f := range fields {
		if _, ok := errs[f.Field]; ok {
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) practiceFormView(r *http.Request, p *practices.Practice, f practices.Form, errs apperr.FieldErrors) (*View, error) {
	lang := state(r).lang
	procs, err := s.processViews(r)
	if err != nil {
		return nil, err
	}
	meetings, err := s.taxonomy.Meetings(r.Context(), lang)
	if err != nil {
		return nil, err
	}
	// A retired tag is offered only to a practice that already carries it.
	for _, m := range meetings {
		m.Objectives = choosable(m.Objectives, p)
		m.Recommendations = choosable(m.Recommendations, p)
	}
	d := &practiceFormData{Practice: p, Action: "/practices", Processes: procs, Meetings: meetings,
		Scopes: practices.Scopes, Sections: practices.Sections, Required: map[string]bool{}, Problems: problemsOf(errs)}
	for _, k := range practices.RequiredSections {
		d.Required[k] = true
	}
	title := "practice.new_title"
	switch {
	case s.cfg.AutosaveEvery == 0:
	case p == nil:
		d.Autosave = "new"
	case practices.Unsubmitted(p.Status):
		d.Autosave, d.Updated = strconv.FormatInt(p.ID, 10), p.UpdatedAt.UnixMilli()
	}
	d.AutosaveEvery = s.cfg.AutosaveEvery.Milliseconds()
	d.CanAttach = p == nil || practices.FilesChangeable(p.Status)
	d.Reviewed = p != nil && p.Status == practices.Published
	d.AttachMaxMB, d.AttachAllMB = s.cfg.AttachmentMax>>20, s.cfg.AttachmentsMax>>20
	if p != nil {
		if d.Attachments, err = s.practices.AllAttachments(r.Context(), p.ID); err != nil {
			return nil, err
		}
	}
	if p != nil {
		d.Action = "/practices/" + strconv.FormatInt(p.ID, 10)
		title = "practice.edit_title"
		switch {
		case p.Status == practices.Returned || p.Status == practices.Rejected:
			d.ModeratorNote = p.ReviewNote
		case p.Hidden():
			d.ModeratorNote = p.HiddenReason
		}
		if p.Status == practices.Published {
			c, err := s.practices.ChangeFor(r.Context(), s.viewer(r), p)
			if err != nil {
				return nil, err
			}
			if c != nil && c.Returned {
				d.ModeratorNote = c.ReviewNote
			}
		}
	}
	return &View{Title: title, Form: &f, Errors: errs, Data: d, Editor: true}, nil
}

func choosable(tags []taxonomy.Tag, p *practices.Practice) []taxonomy.Tag {
	var out []taxonomy.Tag
	for _, t := range tags {
		if !t.Retired || (p != nil && p.HasTag(t.ID)) {
			out = append(out, t)
		}
	}
	return out
}

func (s *Server) processViews(r *http.Request) ([]processView, error) {
	lang := state(r).lang
	procs := s.taxonomy.Processes()
	countries := s.taxonomy.Countries(lang)
	var out []processView
	for _, p := range procs {
		pv := processView{Code: p.Code, Name: p.Name(lang)}
		for _, c := range countries {
			for _, pc := range c.Processes {
				if pc == p.Code {
					pv.Countries = append(pv.Countries, c)
				}
			}
		}
		out = append(out, pv)
	}
	return out, nil
}

func (s *Server) practiceNew(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	f := practices.Form{Sections: map[string]string{}, Ongoing: true, Scope: string(practices.ScopeMembers),
		Lang: state(r).lang, ContactName: a.DisplayName, ContactEmail: a.Email}
	if a.CountryCode != "" {
		f.Countries = []string{a.CountryCode}
	}
	v, err := s.practiceFormView(r, nil, f, nil)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "practice_form", v)
	return nil
}

func formFromRequest(r *http.Request) practices.Form {
	f := practices.Form{
		Note:         r.PostFormValue("author_note"),
		Title:        r.PostFormValue("title"),
		Summary:      r.PostFormValue("summary"),
		Sections:     map[string]string{},
		Countries:    r.PostForm["countries"],
		Tags:         r.PostForm["tags"],
		PeriodStart:  r.PostFormValue("period_start"),
		PeriodEnd:    r.PostFormValue("period_end"),
		Ongoing:      r.PostFormValue("ongoing") != "",
		Institutions: r.PostFormValue("institutions"),
		Partners:     r.PostFormValue("partners"),
		ContactName:  r.PostFormValue("contact_name"),
		ContactEmail: r.PostFormValue("contact_email"),
		Lang:         r.PostFormValue("lang"),
		Scope:        r.PostFormValue("scope"),
	}
	for _, k := range practices.Sections {
		f.Sections[k] = r.PostFormValue(k)
	}
	return f
}

func (s *Server) checks(r *http.Request, p *practices.Practice) (practices.Checks, error) {
	tags, err := s.taxonomy.Tags(r.Context(), i18n.Default)
	if err != nil {
		return practices.Checks{}, err
	}
	return practices.Checks{
		CountryExists: s.taxonomy.CountryExists,
		TagChoosable: func(id int64) bool {
			t, ok := tags[id]
			return ok && (!t.Retired || (p != nil && p.HasTag(id)))
		},
		Author: currentAccount(r),
		Now:    s.clock.Now(),
	}, nil
}

// savePractice handles the form's three buttons: save, preview, submit.
// An invalid form comes back as typed with 422; a preview shows the
// practice as it will look, above the same form, and saves nothing.
func (s *Server) savePractice(w http.ResponseWriter, r *http.Request, p *practices.Practice) error {
	if err := s.parsePracticeForm(r); err != nil {
		return err
	}
	f := formFromRequest(r)
	c, err := s.checks(r, p)
	if err != nil {
		return err
	}
	action := r.PostFormValue("action")
	// A draft keeps partial work: only what is submitted must be complete.
	c.Draft = action != "submit" && (p == nil || practices.Unsubmitted(p.Status))
	errs := f.Validate(c)
	uploads, remove, fileProblems, err := s.uploadsOf(r, p)
	if err != nil {
		return err
	}
	if len(fileProblems) > 0 {
		errs.Add("attachments", "attachment.refused")
	}
	if !errs.OK() || action == "preview" {
		v, err := s.practiceFormView(r, p, f, errs)
		if err != nil {
			return err
		}
		v.Data.(*practiceFormData).FileProblems = fileProblems
		status := http.StatusUnprocessableEntity
		if errs.OK() {
			status = http.StatusOK
			v.Data.(*practiceFormData).Preview, err = s.previewOf(r, p, f)
			if err != nil {
				return err
			}
		}
		s.render(w, r, status, "practice_form", v)
		return nil
	}
	if p == nil && !s.postAllowed(w, r) {
		v, err := s.practiceFormView(r, p, f, apperr.FieldErrors{"form": errPostingTooFast})
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusTooManyRequests, "practice_form", v)
		return nil
	}
	viewer := s.viewer(r)
	var saved *practices.Practice
	if p == nil {
		saved, err = s.practices.Create(r.Context(), currentAccount(r), f)
	} else {
		saved, err = s.practices.Update(r.Context(), viewer, p.ID, f)
	}
	if err != nil {
		return err
	}
	if len(uploads) > 0 || len(remove) > 0 {
		if err := s.practices.ChangeAttachments(r.Context(), viewer, saved.ID, uploads, remove); err != nil {
			return err
		}
	}
	// A background save from the form's script: no page, no flash; the
	// script learns where the draft lives.
	if r.Header.Get("X-Autosave") == "1" && action == "save" {
		w.Header().Set("X-Practice", "/practices/"+strconv.FormatInt(saved.ID, 10))
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	flash := "practice.saved"
	switch {
	case action == "submit" && (saved.Status == practices.Draft || saved.Status == practices.Returned || saved.Status == practices.Rejected):
		if err := s.practices.Submit(r.Context(), viewer, saved.ID, f.Note); err != nil {
			return err
		}
		flash = "practice.submitted"
	case saved.Status == practices.Published:
		c, err := s.practices.ChangeFor(r.Context(), viewer, saved)
		if err != nil {
			return err
		}
		if c != nil {
			flash = "change.saved"
		}
	}
	s.flash(w, r, flash)
	redirect(w, r, "/practices/"+strconv.FormatInt(saved.ID, 10))
	return nil
}

// urlQueryEscape escapes a query parameter's value.
func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// formError turns a body that could not be parsed into the right answer.
func (s *Server) formError(err error) error {
	return apperr.Wrap(apperr.Invalid, "error.bad_request", err)
}

// previewOf builds the practice page's view of an unsaved form.
func (s *Server) previewOf(r *http.Request, p *practices.Practice, f practices.Form) (*practiceView, error) {
	rf, err := s.refs(r)
	if err != nil {
		return nil, err
	}
	a := currentAccount(r)
	pp := practices.Preview(f, a.ID, a.DisplayName, a.CountryCode)
	if p != nil {
		pp.ID, pp.Status, pp.CreatedAt, pp.PublishedAt = p.ID, p.Status, p.CreatedAt, p.PublishedAt
	}
	return &practiceView{P: pp, Refs: rf, Preview: true}, nil
}

func (s *Server) practiceCreate(w http.ResponseWriter, r *http.Request) error {
	return s.savePractice(w, r, nil)
}

// ownPractice loads a practice for a change by its author: 404 when the
// viewer cannot see it, 403 when they can but it is not theirs.
func (s *Server) ownPractice(r *http.Request) (*practices.Practice, error) {
	id, err := urlID(r)
	if err != nil {
		return nil, err
	}
	v := s.viewer(r)
	p, err := s.practices.Get(r.Context(), v, id)
	if err != nil {
		return nil, err
	}
	if !v.CanEdit(p) {
		return nil, apperr.New(apperr.Forbidden, "practice.not_yours")
	}
	return p, nil
}

func (s *Server) practiceEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.ownPractice(r)
	if err != nil {
		return err
	}
	f := practices.FormFrom(p)
	// A published practice's edit goes on from the change waiting for review.
	if c, err := s.practices.ChangeFor(r.Context(), s.viewer(r), p); err != nil {
		return err
	} else if c != nil {
		f = c.Form
	}
	v, err := s.practiceFormView(r, p, f, nil)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "practice_form", v)
	return nil
}

func (s *Server) practiceUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.ownPractice(r)
	if err != nil {
		return err
	}
	return s.savePractice(w, r, p)
}

// changeWithdraw drops the author's change waiting for review.
func (s *Server) changeWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	if err := s.practices.WithdrawChange(r.Context(), s.viewer(r), id); err != nil {
		return s.flashConflict(w, r, err, id)
	}
	s.flash(w, r, "change.withdrawn")
	redirect(w, r, "/practices/"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) practiceSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	// A draft saved incomplete comes back as its form, with what is missing.
	p, err := s.ownPractice(r)
	if err != nil {
		return err
	}
	if practices.Unsubmitted(p.Status) {
		c, err := s.checks(r, p)
		if err != nil {
			return err
		}
		f := practices.FormFrom(p)
		f.Note = r.PostFormValue("author_note")
		if errs := f.Validate(c); !errs.OK() {
			v, err := s.practiceFormView(r, p, f, errs)
			if err != nil {
				return err
			}
			s.render(w, r, http.StatusUnprocessableEntity, "practice_form", v)
			return nil
		}
	}
	if err := s.practices.Submit(r.Context(), s.viewer(r), id, r.PostFormValue("author_note")); err != nil {
		return s.flashConflict(w, r, err, id)
	}
	s.flash(w, r, "practice.submitted")
	redirect(w, r, "/practices/"+strconv.FormatInt(id, 10))
	return nil
}

// flashConflict shows "already handled" on the practice page; other
// errors go to the error page.
func (s *Server) flashConflict(w http.ResponseWriter, r *http.Request, err error, id int64) error {
	if apperr.Is(err, apperr.Conflict) {
		s.flash(w, r, apperr.KeyOf(err))
		redirect(w, r, "/practices/"+strconv.FormatInt(id, 10))
		return nil
	}
	return err
}

func (s *Server) practiceFollow(w http.ResponseWriter, r *http.Request) error {
	return s.setFollow(w, r, true)
}

func (s *Server) practiceUnfollow(w http.ResponseWriter, r *http.Request) error {
	return s.setFollow(w, r, false)
}

// setFollow follows or unfollows a practice and goes back to where the
// button was (the practice, or "my practices").
func (s *Server) setFollow(w http.ResponseWriter, r *http.Request, follow bool) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	flash := "practice.followed"
	if follow {
		err = s.practices.Follow(r.Context(), s.viewer(r), id)
	} else {
		err = s.practices.Unfollow(r.Context(), s.viewer(r), id)
		flash = "practice.unfollowed"
	}
	if err != nil {
		return err
	}
	s.flash(w, r, flash)
	next := localPath(r.PostFormValue("next"))
	if next == "/" {
		next = "/practices/" + strconv.FormatInt(id, 10)
	}
	redirect(w, r, next)
	return nil
}

type historyData struct {
	P         *practices.Practice
	Revisions []*practices.Revision
	From, To  *practices.Revision
	Diff      []practices.FieldDiff
}

func (s *Server) practiceHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	v := s.viewer(r)
	p, err := s.practices.Get(r.Context(), v, id)
	if err != nil {
		return err
	}
	revs, err := s.practices.Revisions(r.Context(), v, id)
	if err != nil {
		return err
	}
	d := historyData{P: p, Revisions: revs}
	if len(revs) >= 2 {
		to, from := revs[0].Number, revs[1].Number
		if n, err := strconv.Atoi(r.URL.Query().Get("to")); err == nil {
			to = n
		}
		if n, err := strconv.Atoi(r.URL.Query().Get("from")); err == nil {
			from = n
		}
		d.From, d.To, err = practices.RevisionPair(revs, from, to)
		if err != nil {
			return err
		}
		rf, err := s.refs(r)
		if err != nil {
			return err
		}
		d.Diff = practices.Diff(d.From.Snapshot, d.To.Snapshot, rf.CountryName, func(id int64) string {
			if t := rf.Tag(id); t != nil {
				return t.Label
			}
			return strconv.FormatInt(id, 10)
		})
	}
	s.render(w, r, http.StatusOK, "practice_history", &View{Title: "history.title", Data: d, TitleText: p.Title})
	return nil
}

type listData struct {
	Page      *practices.Page
	Filter    practices.Filter
	Refs      *refs
	Processes []processView
	Meetings  []*taxonomy.Meeting
	Years     []int
	Query     url.Values // the filters, for pagination links
	Choices   filterChoices
}

// Narrowed tells whether a filter (not the order) narrows the list: the
// page then offers to clear them.
func (d listData) Narrowed() bool {
	f := d.Filter
	return f.Tag != 0 || f.Country != "" || f.Process != "" || f.Lang != "" || f.Year != 0 || f.Adopted
}

// listFilter reads the list's filters from the query; unknown values are
// ignored rather than refused, as a person may have edited the URL.
func (s *Server) listFilter(r *http.Request) practices.Filter {
	q := r.URL.Query()
	f := practices.Filter{Country: q.Get("country"), Process: q.Get("process"), Lang: q.Get("lang"),
		Sort: q.Get("sort"), After: q.Get("after"), Before: q.Get("before")}
	if id, err := strconv.ParseInt(q.Get("tag"), 10, 64); err == nil {
		f.Tag = id
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y > 1900 && y < 3000 {
		f.Year = y
	}
	f.Adopted = q.Get("adopted") == "1"
	if !s.taxonomy.CountryExists(f.Country) {
		f.Country = ""
	}
	if f.Process != "CRM" && f.Process != "CSM" {
		f.Process = ""
	}
	if !i18n.Supported(f.Lang) {
		f.Lang = ""
	}
	if f.Sort != practices.SortDiscussed {
		f.Sort = practices.SortNewest
	}
	return f
}

// listViewOf gathers what the list page (and the search page) show
// beside the results: the filters' choices and the filters as a query
// string. Without filters, it leaves out what only the filters show
// (their choices, processes and meetings), for a page whose filters are
// kept rendered.
func (s *Server) listViewOf(r *http.Request, f practices.Filter, page *practices.Page, filters bool) (*listData, error) {
	rf, err := s.refs(r)
	if err != nil {
		return nil, err
	}
	var procs []processView
	var meetings []*taxonomy.Meeting
	if filters {
		if procs, err = s.processViews(r); err != nil {
			return nil, err
		}
		if meetings, err = s.taxonomy.Meetings(r.Context(), state(r).lang); err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	for k, v := range map[string]string{"country": f.Country, "process": f.Process, "lang": f.Lang} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Tag != 0 {
		q.Set("tag", strconv.FormatInt(f.Tag, 10))
	}
	if f.Year != 0 {
		q.Set("year", strconv.Itoa(f.Year))
	}
	if f.Adopted {
		q.Set("adopted", "1")
	}
	if f.Sort != practices.SortNewest {
		q.Set("sort", f.Sort)
	}
	var years []int
	for y := s.clock.Now().Year(); y >= 2000; y-- {
		years = append(years, y)
	}
	d := &listData{Page: page, Filter: f, Refs: rf, Processes: procs, Meetings: meetings, Years: years, Query: q}
	if filters {
		d.Choices = filterChoicesOf(i18n.For(state(r).lang), d)
	}
	return d, nil
}

// practiceList shows a page of the published practices. Everyone with the
// same scopes, language and filter sees the same list, so its rendered
// results are kept until practices or the taxonomy change, and its title
// and filters until the taxonomy does.
func (s *Server) practiceList(w http.ResponseWriter, r *http.Request) error {
	f := s.listFilter(r)
	v := s.viewer(r)
	ctx := r.Context()
	lang, year := state(r).lang, s.clock.Now().Year()
	// The top (title and filters) depends on the filters chosen, not on
	// the page of results: it stays kept while practices change.
	choice := f
	choice.After, choice.Before = "", ""
	audience := "visitor"
	if v.Member() {
		audience = "member"
	}
	top := part{name: "list-top", key: partKey{kind: "list-top", lang: lang, audience: audience, filter: choice, year: year}}
	results := part{name: "list-results", key: partKey{kind: "list-results", lang: lang, audience: scopesOf(v), filter: f}}
	if err := s.lookupPart(ctx, &top, cache.Taxonomy); err != nil {
		return err
	}
	// Results show the practices' cards (names, countries, tags) and each
	// one's comment count, which shownPractices adds once known; the most
	// discussed order changes with any count.
	topics := []cache.Topic{cache.Lists, cache.Names, cache.Taxonomy}
	if f.Sort == practices.SortDiscussed {
		topics = append(topics, cache.Discussed)
	}
	if err := s.lookupPart(ctx, &results, topics...); err != nil {
		return err
	}
	view := &View{Title: "list.title", parts: []part{top, results}}
	if top.html != nil && results.html != nil {
		s.render(w, r, http.StatusOK, "practice_list", view)
		return nil
	}
	var page *practices.Page
	var err error
	if results.html == nil {
		if page, err = s.practices.List(ctx, v, f); err != nil {
			return err
		}
		if page, err = s.localized(r, page); err != nil {
			return err
		}
		if err := s.shownPractices(ctx, &view.parts[1], page.Practices); err != nil {
			return err
		}
	}
	d, err := s.listViewOf(r, f, page, top.html == nil)
	if err != nil {
		return err
	}
	view.Data = *d
	s.render(w, r, http.StatusOK, "practice_list", view)
	return nil
}

type myData struct {
	Mine     []*practices.Practice
	Followed []*practices.Practice
	Refs     *refs
	// ToAnswer are the open questions on the person's practices; Asked
	// the questions they asked.
	ToAnswer, Asked []*questions.Question
	// ToConfirm are their practices asked "is it still current?".
	ToConfirm []toConfirm
}

// toConfirm is a practice whose author is asked whether it is current.
type toConfirm struct {
	P       *practices.Practice
	AskedAt time.Time
}

func (s *Server) myPractices(w http.ResponseWriter, r *http.Request) error {
	v := s.viewer(r)
	mine, err := s.practices.Mine(r.Context(), v)
	if err != nil {
		return err
	}
	followed, err := s.practices.Followed(r.Context(), v)
	if err != nil {
		return err
	}
	rf, err := s.refs(r)
	if err != nil {
		return err
	}
	var ids []int64
	for _, p := range mine {
		if p.Status == practices.Published {
			ids = append(ids, p.ID)
		}
	}
	asked, err := s.practices.ReviewWaiting(r.Context(), ids)
	if err != nil {
		return err
	}
	var confirm []toConfirm
	for _, p := range mine {
		if at, ok := asked[p.ID]; ok {
			confirm = append(confirm, toConfirm{P: p, AskedAt: at})
		}
	}
	toAnswer, err := s.questions.ToAnswer(r.Context(), v.AccountID)
	if err != nil {
		return err
	}
	mineAsked, err := s.questions.Asked(r.Context(), v.AccountID)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "my_practices", &View{Title: "my.title", Data: myData{Mine: mine, Followed: followed, Refs: rf,
		ToAnswer: toAnswer, Asked: mineAsked, ToConfirm: confirm}})
	return nil
}

// chooseVersion shows the practice in the language asked for (?lang=),
// or else the reader's, when it has a live version in it, and lists the
// other languages it reads in and those the viewer may write it in.
// shownLang is the language a practice page shows p in: the one asked for
// (?lang=, else the reader's) when p has a live version in it, else p's
// own; with the languages of p's live versions.
func (s *Server) shownLang(r *http.Request, p *practices.Practice) ([]string, string, error) {
	live, err := s.practices.LiveLangs(r.Context(), p.ID)
	if err != nil {
		return nil, "", err
	}
	want := r.URL.Query().Get("lang")
	if want == "" {
		want = state(r).lang
	}
	if want != p.Lang && slices.Contains(live, want) {
		return live, want, nil
	}
	return live, p.Lang, nil
}

// chooseVersion puts in pv the version shownLang chose, and the links to
// the other languages. The page reads only the languages, and the one
// version it shows.
func (s *Server) chooseVersion(r *http.Request, v practices.Viewer, pv *practiceView, live []string, want string) error {
	p := pv.P
	if want != p.Lang {
		ver, err := s.practices.VersionOf(r.Context(), p.ID, want, practices.VersionLive)
		if err != nil {
			return err
		}
		pv.P, pv.Original = ver.Apply(p), p.Lang
	}
	var others []string
	for _, l := range append([]string{p.Lang}, live...) {
		if l != pv.P.Lang {
			others = append(others, l)
		}
	}
	pv.AlsoIn = versionLinks(p.ID, others)
	if a := currentAccount(r); a != nil && practices.CanTranslate(v, a.CountryCode, p) {
		for _, l := range i18n.Langs {
			if l != p.Lang {
				pv.Translate = append(pv.Translate, l)
			}
		}
	}
	return nil
}

// clip shortens s to at most n runes, at a word when it can, with an
// ellipsis when anything was cut.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
