// Package moderation is how moderators keep Puente trustworthy: the
// review of submitted practices, featuring, hiding and restoring,
// members' flags and authors' appeals. Every action is written to the
// moderation log in the same transaction as the change it records.
package moderation

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/adoptions"
	"puente/internal/apperr"
	"puente/internal/clock"
	"puente/internal/comments"
	"puente/internal/mail"
	"puente/internal/modlog"
	"puente/internal/notifications"
	"puente/internal/practices"
	"puente/internal/questions"
	"puente/internal/sanitize"
)

// Notice is an email to one account about a moderation decision.
type Notice struct {
	To int64 // account id
	// Practice, when set, is what the email's link opens; otherwise Path
	// does, or else the moderation queues.
	Practice int64
	Path     string
	// Email is what it says; the recipient's name and the link are filled
	// in when it is sent.
	Email interface {
		mail.Email
		To() *mail.Recipient
	}
}

// Store carries out moderation actions.
type Store struct {
	DB        *db.DB
	Clock     clock.Clock
	Accounts  *accounts.Store
	Practices *practices.Store
	Comments  *comments.Store
	// Notify queues an email inside the action's transaction.
	Notify func(ctx context.Context, tx *sql.Tx, n Notice) error
}

// MaxReason bounds notes and reasons.
const MaxReason = 2000

var (
	errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")
	errHandled   = apperr.New(apperr.Conflict, "practice.already_handled")
)

func staff(a *accounts.Account) error {
	if a == nil || !a.Role.AtLeast(accounts.Moderator) {
		return errForbidden
	}
	return nil
}

// ErrOwnWork refuses a decision about something the actor wrote: no
// one publishes, sends back, rejects, features, hides, restores or
// dismisses flags on their own practice or comment, or resolves an
// appeal about it.
var ErrOwnWork = apperr.New(apperr.Forbidden, "moderation.own_work")

// ErrOwnDecision refuses to resolve an appeal against one's own decision.
var ErrOwnDecision = apperr.New(apperr.Forbidden, "appeal.own_action")

// notOwn refuses when actor wrote the item, whose author is authorID.
func notOwn(actor *accounts.Account, authorID int64) error {
	if actor.ID == authorID {
		return ErrOwnWork
	}
	return nil
}

// decidable loads practice id inside tx for a decision by actor, who
// must not have written it.
func decidable(ctx context.Context, tx *sql.Tx, actor *accounts.Account, id int64) (*practices.Practice, error) {
	p, err := practices.Load(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return p, notOwn(actor, p.AuthorID)
}

// Deciders returns the names of the active moderators and
// administrators other than except (the item's author, and for an
// appeal the moderator who decided): who may decide.
func (s *Store) Deciders(ctx context.Context, except ...int64) ([]string, error) {
	return s.Accounts.StaffNames(ctx, except)
}

// checkNotes checks a decision's note for the author (required or not)
// and its optional public reason. Each problem is a field error: "note"
// or "public".
func checkNotes(note, public string, noteRequired bool) error {
	errs := apperr.FieldErrors{}
	if key := checkReason(note); key != "" && (noteRequired || key != "moderation.reason_required") {
		errs["note"] = key
	}
	if utf8.RuneCountInString(public) > MaxReason {
		errs["public"] = "moderation.reason_too_long"
	}
	if len(errs) > 0 {
		return apperr.InvalidFields(errs)
	}
	return nil
}

// checkReason returns the catalogue key of the problem with a reason
// that must be given, or "".
func checkReason(s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "moderation.reason_required"
	case utf8.RuneCountInString(s) > MaxReason:
		return "moderation.reason_too_long"
	}
	return ""
}

func (s *Store) notify(ctx context.Context, tx *sql.Tx, n Notice) error {
	if s.Notify == nil {
		return nil
	}
	return s.Notify(ctx, tx, n)
}

func firstCountry(p *practices.Practice) string {
	if len(p.Countries) > 0 {
		return p.Countries[0]
	}
	return ""
}

// Decision is a review of a submitted practice.
type Decision string

// The three outcomes of a review.
const (
	DecidePublish  Decision = "publish"
	DecideSendBack Decision = "send_back"
	DecideReject   Decision = "reject"
)

// Review applies a moderator's decision on a submitted practice. Sending
// back and rejecting need a note for the author, which is emailed to them
// and kept from the log's readers; public is the optional reason the log
// shows everyone. Two moderators acting at once: one wins, the other is
// told.
func (s *Store) Review(ctx context.Context, actor *accounts.Account, id int64, d Decision, note, public string) error {
	if err := staff(actor); err != nil {
		return err
	}
	note, public = sanitize.Plain(note), sanitize.Plain(public)
	if err := checkNotes(note, public, d != DecidePublish); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := practices.Load(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Status != practices.Submitted {
			return errHandled
		}
		if err := notOwn(actor, p.AuthorID); err != nil {
			return err
		}
		var to practices.Status
		var action, stamp string
		switch d {
		case DecidePublish:
			to, action, stamp = practices.Published, modlog.Publish, "published_at"
		case DecideSendBack:
			to, action = practices.Returned, modlog.SendBack
		case DecideReject:
			to, action = practices.Rejected, modlog.Reject
		default:
			return apperr.New(apperr.Invalid, "error.bad_request")
		}
		if err := practices.Transition(ctx, tx, now, id, to, stamp, practices.Submitted); err != nil {
			return err
		}
		if err := practices.SetReviewNote(ctx, tx, id, note); err != nil {
			return err
		}
		if err := endClaim(ctx, tx, id); err != nil {
			return err
		}
		if _, err := modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: action, TargetType: "practice", TargetID: id,
			CountryCode: firstCountry(p), Title: p.Title, Note: note, Reason: public}); err != nil {
			return err
		}
		told := map[Decision]string{DecidePublish: notifications.Published, DecideSendBack: notifications.SentBack, DecideReject: notifications.Rejected}[d]
		return notifications.Add(ctx, tx, now, notifications.Notification{Kind: told, PracticeID: id, ActorID: actor.ID, Note: note}, p.AuthorID)
	})
}

// ReviewChange approves the change waiting on published practice id, or
// sends it back to its author with a note (emailed). Approving makes it
// what everyone reads, and restores the practice when moderators had
// hidden it: the change is the author's answer to the hiding.
func (s *Store) ReviewChange(ctx context.Context, actor *accounts.Account, id int64, approve bool, note, public string) error {
	if err := staff(actor); err != nil {
		return err
	}
	note, public = sanitize.Plain(note), sanitize.Plain(public)
	if err := checkNotes(note, public, !approve); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := decidable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := endClaim(ctx, tx, id); err != nil {
			return err
		}
		if !approve {
			if err := practices.ReturnChange(ctx, tx, now, id, note); err != nil {
				return err
			}
			if _, err := modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: modlog.ReturnChange, TargetType: "practice", TargetID: id,
				CountryCode: firstCountry(p), Title: p.Title, Note: note, Reason: public}); err != nil {
				return err
			}
			return notifications.Add(ctx, tx, now, notifications.Notification{Kind: notifications.ChangeReturned, PracticeID: id, ActorID: actor.ID, Note: note}, p.AuthorID)
		}
		np, err := s.Practices.ApproveChange(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: modlog.ApproveChange, TargetType: "practice", TargetID: id,
			CountryCode: firstCountry(np), Title: np.Title, Note: note, Reason: public}); err != nil {
			return err
		}
		if err := notifications.Add(ctx, tx, now, notifications.Notification{Kind: notifications.ChangeApproved, PracticeID: id, ActorID: actor.ID, Note: note}, p.AuthorID); err != nil {
			return err
		}
		if p.Hidden() {
			if _, err := s.hideTx(ctx, tx, actor, Target{Type: "practice", ID: id}, false, "", "", now); err != nil {
				return err
			}
		}
		return nil
	})
}

// Featured is a practice on the home page's featured list.
type Featured struct {
	Practice *practices.Practice
	Note     string
	Position int
}

// Feature puts a published practice on the featured list, last.
func (s *Store) Feature(ctx context.Context, actor *accounts.Account, id int64, note string) error {
	if err := staff(actor); err != nil {
		return err
	}
	note = sanitize.Plain(note)
	if utf8.RuneCountInString(note) > MaxReason {
		return apperr.New(apperr.Unprocessable, "moderation.reason_too_long")
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := decidable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if p.Status != practices.Published || p.Hidden() {
			return apperr.New(apperr.Conflict, "moderation.feature_published_only")
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO features (practice_id, note, position, featured_by, featured_at)
			VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM features), ?, ?) ON CONFLICT DO NOTHING`, id, note, actor.ID, db.FormatTime(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "moderation.already_featured")
		}
		_, err = modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: modlog.Feature, TargetType: "practice", TargetID: id,
			CountryCode: firstCountry(p), Title: p.Title, Reason: note})
		return err
	})
}

// Unfeature takes a practice off the featured list.
func (s *Store) Unfeature(ctx context.Context, actor *accounts.Account, id int64) error {
	if err := staff(actor); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := decidable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := unfeature(ctx, tx, id); err != nil {
			return err
		}
		_, err = modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: modlog.Unfeature, TargetType: "practice", TargetID: id,
			CountryCode: firstCountry(p), Title: p.Title})
		return err
	})
}

func unfeature(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM features WHERE practice_id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, "moderation.not_featured")
	}
	return nil
}

// Move moves a featured practice one place up (-1) or down (+1).
func (s *Store) Move(ctx context.Context, actor *accounts.Account, id int64, dir int) error {
	if err := staff(actor); err != nil {
		return err
	}
	if dir != -1 && dir != 1 {
		return apperr.New(apperr.Invalid, "error.bad_request")
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := decidable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		var pos int
		if err := tx.QueryRowContext(ctx, `SELECT position FROM features WHERE practice_id = ?`, id).Scan(&pos); errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.Conflict, "moderation.not_featured")
		} else if err != nil {
			return err
		}
		cmp, order := "<", "DESC"
		if dir > 0 {
			cmp, order = ">", "ASC"
		}
		var other int64
		var otherPos int
		err = tx.QueryRowContext(ctx, `SELECT practice_id, position FROM features WHERE position `+cmp+` ? ORDER BY position `+order+` LIMIT 1`, pos).Scan(&other, &otherPos)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // already first or last
		}
		if err != nil {
			return err
		}
		// Swapping with one's own practice would move it too.
		if q, err := practices.Load(ctx, tx, other); err != nil {
			return err
		} else if err := notOwn(actor, q.AuthorID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE features SET position = CASE practice_id WHEN ? THEN ? ELSE ? END WHERE practice_id IN (?, ?)`,
			id, otherPos, pos, id, other); err != nil {
			return err
		}
		details := "up"
		if dir > 0 {
			details = "down"
		}
		_, err = modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: modlog.Reorder, TargetType: "practice", TargetID: id,
			CountryCode: firstCountry(p), Title: p.Title, Details: details})
		return err
	})
}

// FeaturedFor returns the featured practices v may see, in order.
func (s *Store) FeaturedFor(ctx context.Context, v practices.Viewer) ([]Featured, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT practice_id, note, position FROM features ORDER BY position`)
	if err != nil {
		return nil, err
	}
	type row struct {
		id       int64
		note     string
		position int
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.note, &r.position); err != nil {
			rows.Close()
			return nil, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.id
	}
	// One read for all of them, the visibility rule in its WHERE: a
	// practice outside v's scope, hidden or unpublished is left out.
	ps, err := s.Practices.VisibleAmong(ctx, v, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*practices.Practice, len(ps))
	for _, p := range ps {
		byID[p.ID] = p
	}
	var out []Featured
	for _, r := range rs {
		if p, ok := byID[r.id]; ok {
			out = append(out, Featured{Practice: p, Note: r.note, Position: r.position})
		}
	}
	return out, nil
}

// IsFeatured reports whether practice id is featured.
func (s *Store) IsFeatured(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM features WHERE practice_id = ?`, id).Scan(&n)
	return n > 0, err
}

// Target names a practice or a comment.
type Target struct {
	Type string // practice or comment
	ID   int64
}

// Valid reports whether the target names a kind of item that can be
// flagged (adoption records are hidden and restored, not flagged).
func (t Target) Valid() bool { return (t.Type == "practice" || t.Type == "comment") && t.ID > 0 }

// item loads what a target points to: its author, its country and a
// short label, inside tx.
type item struct {
	authorID int64
	country  string
	label    string
	hidden   bool
	practice int64
	excerpt  string // a comment's HTML
	// answeredBy is, for a published question, the practice's author,
	// whose answer it shows: their work too.
	answeredBy int64
}

func loadItem(ctx context.Context, tx *sql.Tx, t Target) (*item, error) {
	switch t.Type {
	case "practice":
		p, err := practices.Load(ctx, tx, t.ID)
		if err != nil {
			return nil, err
		}
		return &item{authorID: p.AuthorID, country: firstCountry(p), label: p.Title, hidden: p.Hidden(), practice: p.ID}, nil
	case "comment":
		c, err := comments.Load(ctx, tx, t.ID)
		if err != nil {
			return nil, err
		}
		p, err := practices.Load(ctx, tx, c.PracticeID)
		if err != nil {
			return nil, err
		}
		return &item{authorID: c.AuthorID, country: c.AuthorCC, label: p.Title, hidden: c.Hidden(), practice: p.ID, excerpt: c.HTML}, nil
	case "adoption":
		a, err := adoptions.Load(ctx, tx, t.ID)
		if err != nil {
			return nil, err
		}
		p, err := practices.Load(ctx, tx, a.PracticeID)
		if err != nil {
			return nil, err
		}
		return &item{authorID: a.WriterID, country: a.Country, label: p.Title, hidden: a.Hidden, practice: p.ID}, nil
	case "question":
		q, err := questions.Load(ctx, tx, t.ID)
		if err != nil {
			return nil, err
		}
		p, err := practices.Load(ctx, tx, q.PracticeID)
		if err != nil {
			return nil, err
		}
		return &item{authorID: q.AskerID, country: q.Country, label: p.Title, hidden: q.Hidden, practice: p.ID, answeredBy: p.AuthorID}, nil
	}
	return nil, apperr.New(apperr.NotFound, "error.not_found")
}

// Hide hides a practice or a comment with a note for its author, who
// still sees it, marked hidden with the note; others do not (public is
// the log's optional reason). Open flags on it are resolved as acted upon.
func (s *Store) Hide(ctx context.Context, actor *accounts.Account, t Target, note, public string) error {
	if err := staff(actor); err != nil {
		return err
	}
	note, public = sanitize.Plain(note), sanitize.Plain(public)
	if err := checkNotes(note, public, true); err != nil {
		return err
	}
	return s.setHidden(ctx, actor, t, true, note, public)
}

// Restore makes a hidden practice or comment visible again.
func (s *Store) Restore(ctx context.Context, actor *accounts.Account, t Target) error {
	if err := staff(actor); err != nil {
		return err
	}
	return s.setHidden(ctx, actor, t, false, "", "")
}

func (s *Store) setHidden(ctx context.Context, actor *accounts.Account, t Target, hide bool, note, public string) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := s.hideTx(ctx, tx, actor, t, hide, note, public, now)
		return err
	})
}

// hideTx hides or restores inside tx and logs it; it returns the log id.
func (s *Store) hideTx(ctx context.Context, tx *sql.Tx, actor *accounts.Account, t Target, hide bool, note, public string, now time.Time) (int64, error) {
	it, err := loadItem(ctx, tx, t)
	if err != nil {
		return 0, err
	}
	if err := notOwn(actor, it.authorID); err != nil {
		return 0, err
	}
	if it.answeredBy != 0 {
		if err := notOwn(actor, it.answeredBy); err != nil {
			return 0, err
		}
	}
	if it.hidden == hide {
		return 0, apperr.New(apperr.Conflict, "moderation.already_done")
	}
	var hiddenAt time.Time
	if hide {
		hiddenAt = now
	}
	var action string
	switch t.Type {
	case "practice":
		action = modlog.RestorePractice
		if hide {
			action = modlog.HidePractice
			if err := unfeature(ctx, tx, t.ID); err != nil && !apperr.Is(err, apperr.Conflict) {
				return 0, err
			}
		}
		err = practices.SetHidden(ctx, tx, t.ID, hiddenAt, note)
	case "comment":
		action = modlog.RestoreComment
		if hide {
			action = modlog.HideComment
		}
		err = s.Comments.SetHidden(ctx, tx, t.ID, hiddenAt, note)
	case "adoption":
		action = modlog.RestoreAdoption
		if hide {
			action = modlog.HideAdoption
		}
		err = adoptions.SetHidden(ctx, tx, t.ID, hiddenAt, note)
	case "question":
		action = modlog.RestoreQuestion
		if hide {
			action = modlog.HideQuestion
		}
		err = questions.SetHidden(ctx, tx, t.ID, hiddenAt, note)
	}
	if err != nil {
		return 0, err
	}
	if hide {
		if err := s.tellFlaggers(ctx, tx, t, it, notifications.FlagActioned, actor, now); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE flags SET resolved_at = ?, resolved_by = ?, resolution = 'actioned'
			WHERE target_type = ? AND target_id = ? AND resolved_at IS NULL`, db.FormatTime(now), actor.ID, t.Type, t.ID); err != nil {
			return 0, err
		}
	}
	told := notifications.Notification{PracticeID: it.practice, ActorID: actor.ID, Note: note}
	switch {
	case t.Type == "practice" && hide:
		told.Kind = notifications.PracticeHidden
	case t.Type == "practice":
		told.Kind = notifications.PracticeRestored
	case t.Type == "adoption" && hide:
		told.Kind = notifications.AdoptionHidden
	case t.Type == "adoption":
		told.Kind = notifications.AdoptionRestored
	case t.Type == "question" && hide:
		told.Kind = notifications.QuestionHidden
	case t.Type == "question":
		told.Kind = notifications.QuestionRestored
	case hide:
		told.Kind, told.CommentID = notifications.CommentHidden, t.ID
	default:
		told.Kind, told.CommentID = notifications.CommentRestored, t.ID
	}
	if err := notifications.Add(ctx, tx, now, told, it.authorID); err != nil {
		return 0, err
	}
	return modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: action, TargetType: t.Type, TargetID: t.ID,
		PracticeID: it.practice, CountryCode: it.country, Title: it.label, Note: note, Reason: public})
}

// Pick is a practice featured in a period, with the moderators' note.
type Pick struct {
	PracticeID int64
	Note       string
}

// FeaturedBetween returns the practices featured in [from, to), in the
// featured list's order.
func (s *Store) FeaturedBetween(ctx context.Context, from, to time.Time) ([]Pick, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT practice_id, note FROM features WHERE featured_at >= ? AND featured_at < ? ORDER BY position`,
		db.FormatTime(from), db.FormatTime(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Pick
	for rows.Next() {
		var p Pick
		if err := rows.Scan(&p.PracticeID, &p.Note); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Log returns the log entries f selects, newest first, with their actors'
// names, and whether more follow.
func (s *Store) Log(ctx context.Context, f modlog.Filter) ([]*modlog.Entry, bool, error) {
	entries, more, err := modlog.List(ctx, s.DB.R, f)
	if err != nil {
		return nil, false, err
	}
	names, err := s.Accounts.DisplayNames(ctx, modlog.ActorIDs(entries))
	if err != nil {
		return nil, false, err
	}
	for _, e := range entries {
		e.ActorName = names[e.ActorID]
	}
	return entries, more, nil
}

// LogEntry returns one log entry with its actor's name.
func (s *Store) LogEntry(ctx context.Context, id int64) (*modlog.Entry, error) {
	e, err := modlog.Get(ctx, s.DB.R, id)
	if err != nil {
		return nil, err
	}
	names, err := s.Accounts.DisplayNames(ctx, []int64{e.ActorID})
	e.ActorName = names[e.ActorID]
	return e, err
}

// TransferPractices hands every practice of official from to official to
// of the same country, when an official leaves their post: an
// administrator's decision, logged; both are told.
func (s *Store) TransferPractices(ctx context.Context, actor *accounts.Account, from, to int64) (int, error) {
	if actor == nil || actor.Role != accounts.Admin {
		return 0, errForbidden
	}
	a, err := s.Accounts.ByID(ctx, from)
	if err != nil {
		return 0, err
	}
	b, err := s.Accounts.ByID(ctx, to)
	if apperr.Is(err, apperr.NotFound) {
		return 0, apperr.InvalidFields(apperr.FieldErrors{"to": "transfer.to_unknown"})
	}
	if err != nil {
		return 0, err
	}
	switch {
	case a.ID == b.ID:
		return 0, apperr.InvalidFields(apperr.FieldErrors{"to": "transfer.same_account"})
	case a.CountryCode == "" || a.CountryCode != b.CountryCode:
		return 0, apperr.InvalidFields(apperr.FieldErrors{"to": "transfer.other_country"})
	case b.Status != accounts.Active:
		return 0, apperr.InvalidFields(apperr.FieldErrors{"to": "transfer.inactive"})
	case b.Role != accounts.Official:
		return 0, apperr.InvalidFields(apperr.FieldErrors{"to": "transfer.not_official"})
	}
	now := s.Clock.Now()
	var n int
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if n, err = practices.Transfer(ctx, tx, from, to); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.Conflict, "transfer.nothing")
		}
		if _, err := modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: modlog.Transfer, TargetType: "account", TargetID: from,
			CountryCode: a.CountryCode, Details: strconv.Itoa(n)}); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, Notice{To: from, Path: "/my/practices", Email: &mail.PracticesTransferred{Count: n, Other: b.DisplayName}}); err != nil {
			return err
		}
		return s.notify(ctx, tx, Notice{To: to, Path: "/my/practices", Email: &mail.PracticesTransferred{Count: n, Other: a.DisplayName, Received: true}})
	})
	return n, err
}

// tellFlaggers tells the members whose flags on t are open what became of
// them (kind), inside tx.
func (s *Store) tellFlaggers(ctx context.Context, tx *sql.Tx, t Target, it *item, kind string, actor *accounts.Account, now time.Time) error {
	flaggers, err := db.Column[int64](ctx, tx, `SELECT account_id FROM flags WHERE target_type = ? AND target_id = ? AND resolved_at IS NULL`, t.Type, t.ID)
	if err != nil {
		return err
	}
	n := notifications.Notification{Kind: kind, PracticeID: it.practice, ActorID: actor.ID}
	if t.Type == "comment" {
		n.CommentID = t.ID
	}
	return notifications.Add(ctx, tx, now, n, flaggers...)
}
