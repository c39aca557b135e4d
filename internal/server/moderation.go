package server

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/comments"
	"puente/internal/moderation"
	"puente/internal/practices"
	"puente/internal/taxonomy"
)

type moderationData struct {
	Counts   moderation.Counts
	Review   []*practices.Practice
	Changes  []*practices.Practice
	Versions []practices.WaitingVersion
	Files    []practices.WaitingFile
	// The queue's filters: kind (new, resubmitted, change), country, and
	// waiting (week: more than seven days).
	Kind, Country, Waiting string
	Countries              []*taxonomy.Country
	// Overdue counts the items waiting more than seven days.
	Overdue int
	Claims  map[int64]*moderation.Claim
	Flags   []*moderation.FlagGroup
	Appeals []*moderation.Appeal
	Refs    *refs
	// Deciders are the other staff, who decide on what the viewer wrote.
	Deciders []string
	// Unreviewed are the practices whose authors left "is it still
	// current?" unanswered.
	Unreviewed []*practices.Practice
}

func (s *Server) moderationHome(w http.ResponseWriter, r *http.Request) error {
	var d moderationData
	var err error
	if d.Counts, err = s.moderation.QueueCounts(r.Context()); err != nil {
		return err
	}
	if d.Review, err = s.practices.Queue(r.Context()); err != nil {
		return err
	}
	if d.Changes, err = s.practices.ChangeQueue(r.Context()); err != nil {
		return err
	}
	if d.Claims, err = s.moderation.Claims(r.Context()); err != nil {
		return err
	}
	if d.Versions, err = s.practices.PendingVersions(r.Context()); err != nil {
		return err
	}
	if d.Files, err = s.practices.WaitingFiles(r.Context()); err != nil {
		return err
	}
	q := r.URL.Query()
	d.Kind, d.Country, d.Waiting = q.Get("kind"), q.Get("country"), q.Get("waiting")
	d.Countries = s.taxonomy.Countries(state(r).lang)
	weekAgo := s.clock.Now().AddDate(0, 0, -7)
	keep := func(p *practices.Practice, kind string) bool {
		if p.SubmittedAt.Before(weekAgo) {
			d.Overdue++
		}
		return (d.Kind == "" || d.Kind == kind) && (d.Country == "" || slices.Contains(p.Countries, d.Country)) &&
			(d.Waiting != "week" || p.SubmittedAt.Before(weekAgo))
	}
	d.Review = slices.DeleteFunc(d.Review, func(p *practices.Practice) bool {
		kind := "new"
		if p.ResubmittedAfter != "" || p.ReviewedRevision > 0 {
			kind = "resubmitted"
		}
		return !keep(p, kind)
	})
	d.Changes = slices.DeleteFunc(d.Changes, func(p *practices.Practice) bool { return !keep(p, "change") })
	if d.Flags, err = s.moderation.FlagQueue(r.Context()); err != nil {
		return err
	}
	if d.Appeals, err = s.moderation.AppealQueue(r.Context()); err != nil {
		return err
	}
	if d.Refs, err = s.refs(r); err != nil {
		return err
	}
	if d.Deciders, err = s.moderation.Deciders(r.Context(), currentAccount(r).ID); err != nil {
		return err
	}
	if d.Unreviewed, err = s.practices.Unreviewed(r.Context(), 200); err != nil {
		return err
	}
	if d.Country != "" {
		d.Unreviewed = slices.DeleteFunc(d.Unreviewed, func(p *practices.Practice) bool { return !slices.Contains(p.Countries, d.Country) })
	}
	s.render(w, r, http.StatusOK, "moderation", &View{Title: "moderation.title", Data: d})
	return nil
}

// deciding is what a decision's form shows, on a submission's review and
// on a change's: who took the item, whether the viewer wrote it (and
// then who may decide), and what was typed.
type deciding struct {
	Claim    *moderation.Claim
	Own      bool
	Deciders []string
	Note     string
	Public   string
}

func (s *Server) deciding(r *http.Request, p *practices.Practice, note, public string) (deciding, error) {
	d := deciding{Note: note, Public: public}
	var err error
	if d.Claim, err = s.claimOn(r, p.ID); err != nil {
		return d, err
	}
	if me := currentAccount(r).ID; p.AuthorID == me {
		d.Own = true
		d.Deciders, err = s.moderation.Deciders(r.Context(), me)
	}
	return d, err
}

type reviewData struct {
	deciding
	PV       *practiceView
	Diff     []practices.FieldDiff
	SinceRev int
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) error {
	return s.showReview(w, r, http.StatusOK, "", "", nil)
}

func (s *Server) showReview(w http.ResponseWriter, r *http.Request, status int, note, public string, errs apperr.FieldErrors) error {
	_, p, rf, err := s.viewedPractice(r)
	if err != nil {
		return err
	}
	id := p.ID
	d := reviewData{PV: &practiceView{P: p, Refs: rf}}
	if d.deciding, err = s.deciding(r, p, note, public); err != nil {
		return err
	}
	// What changed since a moderator last looked (sent back, then resubmitted).
	if p.ReviewedRevision > 0 && p.ReviewedRevision < p.Revision {
		old, err := s.practices.RevisionSnapshot(r.Context(), id, p.ReviewedRevision)
		if err != nil {
			return err
		}
		d.SinceRev = p.ReviewedRevision
		d.Diff = practices.Diff(*old, practices.SnapshotOf(p), rf.CountryName, rf.TagLabel)
	}
	s.render(w, r, status, "review", &View{Title: "review.title", TitleText: p.Title, Data: d, Errors: errs})
	return nil
}

func (s *Server) reviewPost(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	note, public := r.PostFormValue("note"), r.PostFormValue("public")
	d := moderation.Decision(r.PostFormValue("decision"))
	err = s.moderation.Review(r.Context(), currentAccount(r), id, d, note, public)
	if errs := apperr.FieldsOf(err, "note"); errs != nil {
		return s.showReview(w, r, http.StatusUnprocessableEntity, note, public, errs)
	}
	if err != nil {
		return s.flashConflict(w, r, err, id)
	}
	s.outbox.Notify()
	s.flash(w, r, "review.done."+string(d))
	redirect(w, r, s.afterDecision(r, id))
	return nil
}

// afterDecision is where a moderator goes after deciding on practice id:
// the next item in the queue that nobody else has taken and they did not
// write, when they asked for it, else the queue.
func (s *Server) afterDecision(r *http.Request, id int64) string {
	if r.PostFormValue("then") != "next" {
		return "/moderation"
	}
	me := currentAccount(r).ID
	claims, err := s.moderation.Claims(r.Context())
	if err != nil {
		return "/moderation"
	}
	free := func(p *practices.Practice) bool {
		c, taken := claims[p.ID]
		return p.ID != id && p.AuthorID != me && (!taken || c.AccountID == me)
	}
	if review, err := s.practices.Queue(r.Context()); err == nil {
		for _, p := range review {
			if free(p) {
				return fmt.Sprintf("/moderation/review/%d", p.ID)
			}
		}
	}
	if changes, err := s.practices.ChangeQueue(r.Context()); err == nil {
		for _, p := range changes {
			if free(p) {
				return fmt.Sprintf("/moderation/changes/%d", p.ID)
			}
		}
	}
	return "/moderation"
}

// claimOn returns the standing claim on practice id, or nil.
func (s *Server) claimOn(r *http.Request, id int64) (*moderation.Claim, error) {
	claims, err := s.moderation.Claims(r.Context())
	return claims[id], err
}

// claimPost takes an item of the review queue: the others see who
// reviews it.
func (s *Server) claimPost(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	if err := s.moderation.ClaimReview(r.Context(), currentAccount(r), id); err != nil {
		return err
	}
	redirect(w, r, localOr(r, fmt.Sprintf("/moderation/review/%d", id)))
	return nil
}

// changeData is the review of a change to a published practice: each
// field's words as published and as changed.
type changeData struct {
	deciding
	PV     *practiceView
	Change *practices.Change
	Diff   []practices.FieldDiff
}

func (s *Server) changePage(w http.ResponseWriter, r *http.Request) error {
	return s.showChange(w, r, http.StatusOK, "", "", nil)
}

func (s *Server) showChange(w http.ResponseWriter, r *http.Request, status int, note, public string, errs apperr.FieldErrors) error {
	v, p, rf, err := s.viewedPractice(r)
	if err != nil {
		return err
	}
	c, err := s.practices.ChangeFor(r.Context(), v, p)
	if err != nil {
		return err
	}
	if c == nil {
		s.flash(w, r, "practice.already_handled")
		redirect(w, r, "/moderation")
		return nil
	}
	d := changeData{PV: &practiceView{P: p, Refs: rf}, Change: c,
		Diff: practices.Diff(practices.SnapshotOf(p), practices.SnapshotOfForm(c.Form), rf.CountryName, rf.TagLabel)}
	if d.deciding, err = s.deciding(r, p, note, public); err != nil {
		return err
	}
	s.render(w, r, status, "change_review", &View{Title: "change.review_title", TitleText: p.Title, Data: d, Errors: errs})
	return nil
}

func (s *Server) changePost(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	note, public := r.PostFormValue("note"), r.PostFormValue("public")
	d := r.PostFormValue("decision")
	if d != "approve" && d != "send_back" {
		return errBadRequest
	}
	err = s.moderation.ReviewChange(r.Context(), currentAccount(r), id, d == "approve", note, public)
	if errs := apperr.FieldsOf(err, "note"); errs != nil {
		return s.showChange(w, r, http.StatusUnprocessableEntity, note, public, errs)
	}
	if err != nil {
		return s.flashConflict(w, r, err, id)
	}
	s.outbox.Notify()
	s.flash(w, r, "change.done."+d)
	redirect(w, r, s.afterDecision(r, id))
	return nil
}

// practicePublish is the quick publish button on a submitted practice.
func (s *Server) practicePublish(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	if err := s.moderation.Review(r.Context(), currentAccount(r), id, moderation.DecidePublish, "", ""); err != nil {
		return s.flashConflict(w, r, err, id)
	}
	s.flash(w, r, "practice.published")
	redirect(w, r, "/practices/"+strconv.FormatInt(id, 10))
	return nil
}

// moderate runs one action on a practice and goes back to it with a
// flash; a refused action comes back as a message.
func (s *Server) moderate(w http.ResponseWriter, r *http.Request, back string, do func(a *accounts.Account) error, done string) error {
	return s.decided(w, r, back, do(currentAccount(r)), done)
}

// decided goes back after a moderation action with a flash: done, or
// what refused it when it was a conflict or a problem with the form.
func (s *Server) decided(w http.ResponseWriter, r *http.Request, back string, err error, done string) error {
	if code := apperr.CodeOf(err); err != nil && (code == apperr.Conflict || code == apperr.Unprocessable) {
		s.flash(w, r, apperr.KeyOf(err))
		redirect(w, r, back)
		return nil
	}
	if err != nil {
		return err
	}
	s.outbox.Notify()
	s.flash(w, r, done)
	redirect(w, r, back)
	return nil
}

func (s *Server) featurePost(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	return s.moderate(w, r, fmt.Sprintf("/practices/%d", id), func(a *accounts.Account) error {
		return s.moderation.Feature(r.Context(), a, id, r.PostFormValue("note"))
	}, "feature.done")
}

func (s *Server) unfeaturePost(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	return s.moderate(w, r, localOr(r, fmt.Sprintf("/practices/%d", id)), func(a *accounts.Account) error {
		return s.moderation.Unfeature(r.Context(), a, id)
	}, "feature.removed")
}

func (s *Server) movePost(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	dir := 1
	if r.PostFormValue("dir") == "up" {
		dir = -1
	}
	return s.moderate(w, r, "/moderation/featured", func(a *accounts.Account) error {
		return s.moderation.Move(r.Context(), a, id, dir)
	}, "feature.moved")
}

// localOr is the form's "next" path, or def.
func localOr(r *http.Request, def string) string {
	if n := localPath(r.PostFormValue("next")); n != "/" {
		return n
	}
	return def
}

type featuredData struct {
	Featured []moderation.Featured
	Refs     *refs
	Deciders []string // who moves the viewer's own practices
}

func (s *Server) featuredPage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.moderation.FeaturedFor(r.Context(), s.viewer(r))
	if err != nil {
		return err
	}
	rf, err := s.refs(r)
	if err != nil {
		return err
	}
	deciders, err := s.moderation.Deciders(r.Context(), currentAccount(r).ID)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "featured", &View{Title: "feature.title", Data: featuredData{Featured: f, Refs: rf, Deciders: deciders}})
	return nil
}

func target(typ string, r *http.Request) (moderation.Target, error) {
	id, err := urlID(r)
	if err != nil {
		return moderation.Target{}, err
	}
	return moderation.Target{Type: typ, ID: id}, nil
}

func (s *Server) backTo(t moderation.Target, practiceID int64) string {
	switch t.Type {
	case "comment":
		return fmt.Sprintf("/comments/%d", t.ID)
	case "adoption":
		return fmt.Sprintf("/practices/%d#adoption-%d", practiceID, t.ID)
	case "question":
		return fmt.Sprintf("/practices/%d#question-%d", practiceID, t.ID)
	}
	return fmt.Sprintf("/practices/%d", t.ID)
}

func (s *Server) practiceOf(r *http.Request, t moderation.Target) (int64, error) {
	switch t.Type {
	case "practice":
		return t.ID, nil
	case "adoption":
		return s.adoptions.PracticeOf(r.Context(), s.viewer(r), t.ID)
	case "question":
		return s.questions.PracticeOf(r.Context(), s.viewer(r), t.ID)
	}
	c, err := s.comments.Get(r.Context(), s.viewer(r), t.ID)
	if err != nil {
		return 0, err
	}
	return c.PracticeID, nil
}

func (s *Server) hideHandler(typ string, hide bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := target(typ, r)
		if err != nil {
			return err
		}
		pid, err := s.practiceOf(r, t)
		if err != nil {
			return err
		}
		done := "hide.restored"
		if hide {
			done = "hide.done"
		}
		back := localOr(r, s.backTo(t, pid))
		if hide {
			note, public := r.PostFormValue("reason"), r.PostFormValue("public")
			err := s.moderation.Hide(r.Context(), currentAccount(r), t, note, public)
			if errs := apperr.FieldsOf(err, "note"); errs != nil {
				return s.renderDecide(w, r, errs, &decideData{Action: r.URL.Path, Heading: "hide.title." + t.Type, Back: back,
					NoteField: "reason", NoteLabel: "hide.reason", Note: note, Public: public,
					Buttons: []decideButton{{Label: "hide.submit", Class: "danger"}}})
			}
			return s.decided(w, r, back, err, done)
		}
		return s.decided(w, r, back, s.moderation.Restore(r.Context(), currentAccount(r), t), done)
	}
}

func (s *Server) dismissFlags(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PostFormValue("target_id"), 10, 64)
	t := moderation.Target{Type: r.PostFormValue("target_type"), ID: id}
	if !t.Valid() {
		return errNotFound
	}
	return s.moderate(w, r, "/moderation", func(a *accounts.Account) error {
		return s.moderation.DismissFlags(r.Context(), a, t, r.PostFormValue("reason"))
	}, "flag.dismissed")
}

func (s *Server) resolveAppeal(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	reverse := r.PostFormValue("outcome") == "reverse"
	if r.PostFormValue("outcome") != "reverse" && r.PostFormValue("outcome") != "uphold" {
		return errBadRequest
	}
	note, public := r.PostFormValue("response"), r.PostFormValue("public")
	err = s.moderation.ResolveAppeal(r.Context(), currentAccount(r), id, reverse, note, public)
	if errs := apperr.FieldsOf(err, "note"); errs != nil {
		return s.renderDecide(w, r, errs, &decideData{Action: r.URL.Path, Heading: "appeal.resolve_title", Back: "/moderation#appeals",
			NoteField: "response", NoteLabel: "appeal.response", Note: note, Public: public,
			Buttons: []decideButton{{Name: "outcome", Value: "reverse", Label: "appeal.reverse", Class: "primary"},
				{Name: "outcome", Value: "uphold", Label: "appeal.uphold"}}})
	}
	return s.decided(w, r, "/moderation", err, "appeal.resolved")
}

// decideData is a decision's form on a page of its own, when the one
// sent from a queue or a practice page came back with a problem: what was
// typed, and the message beside its field.
type decideData struct {
	Action    string
	Heading   string
	Back      string
	NoteField string // the form's name of the note for the author
	NoteLabel string
	Note      string
	Public    string
	Buttons   []decideButton
}

type decideButton struct{ Name, Value, Label, Class string }

func (s *Server) renderDecide(w http.ResponseWriter, r *http.Request, errs apperr.FieldErrors, d *decideData) error {
	s.render(w, r, http.StatusUnprocessableEntity, "decide", &View{Title: d.Heading, Data: d, Errors: errs})
	return nil
}

// flagData is the page where a member tells moderators what is wrong
// with a practice or a comment: the item itself, so they see what they
// flag, and the form, or why it is not offered.
type flagData struct {
	Target   moderation.Target
	Back     string
	Practice *practices.Practice // the practice, or the one the comment is on
	Comment  *comments.Comment   // nil when a practice is flagged
	Reasons  []string
	Reason   string
	Details  string
	// Notice replaces the form: the item is the viewer's own, or flagged
	// by them already.
	Notice string
}

// flagTarget loads what t names as v may see it: a published practice, or
// a comment shown on one. Anything else is not there to be flagged.
func (s *Server) flagTarget(r *http.Request, t moderation.Target) (*flagData, error) {
	ctx := r.Context()
	v := s.viewer(r)
	d := &flagData{Target: t, Reasons: moderation.FlagReasons}
	pid, author := t.ID, int64(0)
	if t.Type == "comment" {
		c, err := s.comments.Get(ctx, v, t.ID)
		if err != nil {
			return nil, err
		}
		if c.Deleted() || c.Hidden() {
			return nil, errNotFound
		}
		d.Comment, pid, author = c, c.PracticeID, c.AuthorID
	}
	p, err := s.practices.Get(ctx, v, pid)
	if err != nil {
		return nil, err
	}
	if p.Status != practices.Published || p.Hidden() {
		return nil, errNotFound
	}
	if t.Type == "practice" {
		author = p.AuthorID
	}
	d.Practice, d.Back = p, s.backTo(t, p.ID)
	switch state, err := s.moderation.FlagState(ctx, v.AccountID, t); {
	case err != nil:
		return nil, err
	case author == v.AccountID:
		d.Notice = "flag.own_item"
	case state == "open":
		d.Notice = "flag.already"
	case state != "":
		d.Notice = "flag.already_" + state
	}
	return d, nil
}

func (s *Server) renderFlag(w http.ResponseWriter, r *http.Request, status int, d *flagData, errs apperr.FieldErrors) {
	s.render(w, r, status, "flag", &View{Title: "flag.title", Data: d, Errors: errs})
}

// flagPage shows the flag form for the practice or comment in the URL.
func (s *Server) flagPage(typ string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := target(typ, r)
		if err != nil {
			return err
		}
		d, err := s.flagTarget(r, t)
		if err != nil {
			return err
		}
		s.renderFlag(w, r, http.StatusOK, d, nil)
		return nil
	}
}

// flagPost is a member's flag on a practice or a comment. A refused flag
// comes back on its page with the message beside the field and the
// words typed still there.
func (s *Server) flagPost(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PostFormValue("target_id"), 10, 64)
	t := moderation.Target{Type: r.PostFormValue("target_type"), ID: id}
	if !t.Valid() {
		return errNotFound
	}
	d, err := s.flagTarget(r, t)
	if err != nil {
		return err
	}
	d.Reason, d.Details = r.PostFormValue("reason"), r.PostFormValue("details")
	if !s.postAllowed(w, r) {
		s.renderFlag(w, r, http.StatusTooManyRequests, d, apperr.FieldErrors{"details": errPostingTooFast})
		return nil
	}
	err = s.moderation.Flag(r.Context(), s.viewer(r), t, d.Reason, d.Details)
	switch code := apperr.CodeOf(err); {
	case err != nil && code == apperr.Unprocessable:
		field := "details"
		if apperr.KeyOf(err) == "flag.reason_required" {
			field = "reason"
		}
		s.renderFlag(w, r, http.StatusUnprocessableEntity, d, apperr.FieldErrors{field: apperr.KeyOf(err)})
		return nil
	case err != nil && code == apperr.Conflict:
		d.Notice = apperr.KeyOf(err)
		s.renderFlag(w, r, http.StatusConflict, d, nil)
		return nil
	case err != nil:
		return err
	}
	s.outbox.Notify()
	s.log.Info("flag", "target_type", t.Type, "target_id", t.ID, "account_id", currentAccount(r).ID)
	s.flash(w, r, "flag.thanks")
	redirect(w, r, d.Back)
	return nil
}

// appealPost is an author's appeal of a rejection or a hiding.
func (s *Server) appealPost(w http.ResponseWriter, r *http.Request) error {
	logID, err := strconv.ParseInt(r.PostFormValue("log_id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	e, err := s.moderation.LogEntry(r.Context(), logID)
	if err != nil {
		return errNotFound
	}
	t := moderation.Target{Type: e.TargetType, ID: e.TargetID}
	var pid int64 = t.ID
	if t.Type == "comment" {
		c, err := s.comments.Get(r.Context(), s.viewer(r), t.ID)
		if err != nil {
			return err
		}
		pid = c.PracticeID
	}
	_, err = s.moderation.FileAppeal(r.Context(), currentAccount(r), logID, r.PostFormValue("message"))
	if code := apperr.CodeOf(err); err != nil && (code == apperr.Conflict || code == apperr.Unprocessable) {
		s.flash(w, r, apperr.KeyOf(err))
		redirect(w, r, s.backTo(t, pid))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(w, r, "appeal.filed")
	redirect(w, r, s.backTo(t, pid))
	return nil
}

func (s *Server) notificationsPost(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	if !a.Role.AtLeast(accounts.Moderator) {
		return errForbidden
	}
	if err := s.accounts.SetNotifyFlags(r.Context(), a.ID, r.PostFormValue("notify_flags") != ""); err != nil {
		return err
	}
	s.flash(w, r, "account.saved")
	redirect(w, r, "/account")
	return nil
}

// hiddenData is the moderators' list of what is hidden, with the notes
// the authors were given.
type hiddenData struct {
	Kind      string // "", practice or comment
	Country   string
	Countries []*taxonomy.Country
	Practices []*practices.Practice
	Comments  []*comments.Comment
	Titles    map[int64]string // the practices of the comments
	Refs      *refs
}

// hiddenPage lists hidden practices and comments, filtered by kind and
// country, newest first.
func (s *Server) hiddenPage(w http.ResponseWriter, r *http.Request) error {
	const limit = 200
	q := r.URL.Query()
	d := hiddenData{Kind: q.Get("kind"), Country: q.Get("country"), Titles: map[int64]string{}}
	if d.Kind != "practice" && d.Kind != "comment" {
		d.Kind = ""
	}
	if d.Country != "" && s.taxonomy.Country(d.Country) == nil {
		d.Country = ""
	}
	var err error
	if d.Refs, err = s.refs(r); err != nil {
		return err
	}
	d.Countries = s.taxonomy.Countries(state(r).lang)
	if d.Kind != "comment" {
		if d.Practices, err = s.practices.Hidden(r.Context(), d.Country, limit); err != nil {
			return err
		}
	}
	if d.Kind != "practice" {
		if d.Comments, err = s.comments.Hidden(r.Context(), d.Country, limit); err != nil {
			return err
		}
		v := s.viewer(r)
		for _, c := range d.Comments {
			if _, ok := d.Titles[c.PracticeID]; ok {
				continue
			}
			p, err := s.practices.Get(r.Context(), v, c.PracticeID)
			if err != nil {
				return err
			}
			d.Titles[c.PracticeID] = p.Title
		}
	}
	s.render(w, r, http.StatusOK, "hidden", &View{Title: "hidden.title", Data: d})
	return nil
}
