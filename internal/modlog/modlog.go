// Package modlog is the moderation log: an append-only record of every
// moderation and administration action (who, what, which item, why,
// when) that every member can read, for the items they may see.
package modlog

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"puente/db"
)

// Actions recorded in the log.
const (
	Publish          = "practice.publish"
	SendBack         = "practice.send_back"
	Reject           = "practice.reject"
	ApproveChange    = "practice.approve_change"
	ReturnChange     = "practice.return_change"
	ApproveVersion   = "practice.approve_version"
	ReturnVersion    = "practice.return_version"
	ApproveFile      = "practice.approve_file"
	ReturnFile       = "practice.return_file"
	Feature          = "practice.feature"
	Unfeature        = "practice.unfeature"
	Reorder          = "practice.reorder"
	HidePractice     = "practice.hide"
	RestorePractice  = "practice.restore"
	HideComment      = "comment.hide"
	RestoreComment   = "comment.restore"
	HideAdoption     = "adoption.hide"
	RestoreAdoption  = "adoption.restore"
	HideQuestion     = "question.hide"
	RestoreQuestion  = "question.restore"
	FlagsDismissed   = "flags.dismiss"
	AppealUpheld     = "appeal.uphold"
	AppealReversed   = "appeal.reverse"
	RoleChange       = "account.role"
	AccountEdit      = "account.edit"
	EmailChange      = "account.email"
	Transfer         = "account.transfer"
	AdminRestored    = "account.admin_restored"
	Suspend          = "account.suspend"
	Reactivate       = "account.reactivate"
	Invite           = "account.invite"
	FocalAppoint     = "account.focal_appoint"
	FocalEnd         = "account.focal_end"
	ObserverAccess   = "account.observer_access"
	RevokeInvite     = "account.revoke_invite"
	TaxonomyAdd      = "taxonomy.add"
	TaxonomyEdit     = "taxonomy.edit"
	TaxonomyRetire   = "taxonomy.retire"
	TwoFactorReset   = "account.2fa_reset"
	TwoFactorRequire = "settings.2fa_required"
	OpenDataLicence  = "settings.open_data_licence"
)

// Actions lists every action, for the log's filter.
var Actions = []string{Publish, SendBack, Reject, ApproveChange, ReturnChange, ApproveVersion, ReturnVersion, ApproveFile, ReturnFile, Feature, Unfeature, Reorder, HidePractice, RestorePractice,
	HideComment, RestoreComment, HideAdoption, RestoreAdoption, HideQuestion, RestoreQuestion,
	FlagsDismissed, AppealUpheld, AppealReversed, RoleChange, AccountEdit, EmailChange, Transfer, AdminRestored, Suspend, Reactivate,
	Invite, RevokeInvite, FocalAppoint, FocalEnd, ObserverAccess, TaxonomyAdd, TaxonomyEdit, TaxonomyRetire, TwoFactorReset, TwoFactorRequire, OpenDataLicence}

// Entry is one logged action.
type Entry struct {
	ID      int64
	At      time.Time
	ActorID int64
	// ActorName is filled by the reader from the accounts' owner.
	ActorName  string
	Action     string
	TargetType string // practice, comment, adoption, question, account, invitation, meeting, tag
	TargetID   int64
	// PracticeID is the practice the entry is about: its target, or the
	// practice of the comment it targets.
	PracticeID  int64
	CountryCode string // the item's country, for filtering
	// Title is the item's title when the action was taken.
	Title string
	// Reason is the public reason, which every reader of the entry sees.
	Reason string
	// Note is the note for the item's author: the author reads it on
	// their item and in the email, staff in the log; no one else.
	Note    string
	Details string
}

// Record appends an entry inside tx, so the log holds exactly the actions
// that happened. It returns the entry's id.
func Record(ctx context.Context, tx *sql.Tx, at time.Time, e Entry) (int64, error) {
	var actor, practice any
	if e.ActorID != 0 {
		actor = e.ActorID
	}
	switch {
	case e.TargetType == "practice":
		practice = e.TargetID
	case e.PracticeID != 0:
		practice = e.PracticeID
	case e.TargetType == "comment" || e.TargetType == "adoption" || e.TargetType == "question":
		return 0, fmt.Errorf("modlog: an entry about %s %d must name its practice", e.TargetType, e.TargetID)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO moderation_log (at, actor_id, action, target_type, target_id, practice_id, country_code, title, reason, note, details)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, db.FormatTime(at), actor, e.Action, e.TargetType, e.TargetID, practice, e.CountryCode, e.Title, e.Reason, e.Note, e.Details)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// TargetPractice is the SQL for the practice a log row aliased l is about:
// its target, or the practice of the comment or adoption record it
// targets; NULL otherwise.
const TargetPractice = `l.practice_id`

// PracticeTargets are the target types (as an SQL list) whose entries
// belong to a practice, and are read under that practice's scope.
const PracticeTargets = `'practice', 'comment', 'adoption', 'question'`

// Filter narrows the log.
type Filter struct {
	Action  string
	ActorID int64
	Country string
	Target  string // "practice:12"
	Before  int64  // keyset: entries older than this id
	Limit   int
	// Scope, on rows aliased l, keeps the entries the reader may see
	// (practices.LogScope); empty keeps every entry.
	Scope     string
	ScopeArgs []any
}

// List returns entries matching f, newest first, and whether more follow.
func List(ctx context.Context, q db.Querier, f Filter) ([]*Entry, bool, error) {
	var where []string
	var args []any
	if f.Action != "" {
		where = append(where, "l.action = ?")
		args = append(args, f.Action)
	}
	if f.ActorID != 0 {
		where = append(where, "l.actor_id = ?")
		args = append(args, f.ActorID)
	}
	if f.Country != "" {
		// An entry about a practice, or a comment on one, belongs to every
		// country of that practice (a joint practice to each), whoever
		// wrote the comment; other entries to the country recorded.
		where = append(where, `(CASE WHEN l.target_type IN (`+PracticeTargets+`) THEN EXISTS (SELECT 1 FROM practice_countries pc
			WHERE pc.country_code = ? AND pc.practice_id = `+TargetPractice+`)
			ELSE l.country_code = ? END)`)
		args = append(args, f.Country, f.Country)
	}
	if typ, id, ok := strings.Cut(f.Target, ":"); ok {
		n, _ := strconv.ParseInt(id, 10, 64)
		where = append(where, "l.target_type = ? AND l.target_id = ?")
		args = append(args, typ, n)
	}
	if f.Scope != "" {
		where = append(where, f.Scope)
		args = append(args, f.ScopeArgs...)
	}
	if f.Before != 0 {
		where = append(where, "l.id < ?")
		args = append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	sqlWhere := ""
	if len(where) > 0 {
		sqlWhere = "WHERE " + strings.Join(where, " AND ")
	}
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.at, coalesce(l.actor_id, 0), l.action, l.target_type, l.target_id,
			l.country_code, coalesce(l.practice_id, 0), l.title, l.reason, l.note, l.details
		FROM moderation_log l `+sqlWhere+` ORDER BY l.id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []*Entry
	for rows.Next() {
		var e Entry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.Action, &e.TargetType, &e.TargetID, &e.CountryCode, &e.PracticeID, &e.Title, &e.Reason, &e.Note, &e.Details); err != nil {
			return nil, false, err
		}
		e.At, _ = db.ParseTime(at)
		out = append(out, &e)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, rows.Err()
}

// ActorIDs lists the actors of es, for their names.
func ActorIDs(es []*Entry) []int64 {
	ids := make([]int64, 0, len(es))
	for _, e := range es {
		if e.ActorID != 0 {
			ids = append(ids, e.ActorID)
		}
	}
	return ids
}

// Get returns one entry.
func Get(ctx context.Context, q db.Querier, id int64) (*Entry, error) {
	var e Entry
	var at string
	err := q.QueryRowContext(ctx, `SELECT l.id, l.at, coalesce(l.actor_id, 0), l.action, l.target_type, l.target_id,
			l.country_code, coalesce(l.practice_id, 0), l.title, l.reason, l.note, l.details
		FROM moderation_log l WHERE l.id = ?`, id).
		Scan(&e.ID, &at, &e.ActorID, &e.Action, &e.TargetType, &e.TargetID, &e.CountryCode, &e.PracticeID, &e.Title, &e.Reason, &e.Note, &e.Details)
	if err != nil {
		return nil, err
	}
	e.At, _ = db.ParseTime(at)
	return &e, nil
}
