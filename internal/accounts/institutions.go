package accounts

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/modlog"
	"puente/internal/sanitize"
	"puente/internal/websession"
)

// MaxOrganisation bounds an observer's organisation name.
const MaxOrganisation = 120

// ObserverAccess is what an admin decides of an observer: its
// organisation, the processes it reads and whether it may comment.
type ObserverAccess struct {
	Organisation string
	Scope        string
	Comments     bool
}

// Validate checks the access, trimming the organisation.
func (o *ObserverAccess) Validate() apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	o.Organisation = strings.TrimSpace(o.Organisation)
	switch {
	case o.Organisation == "":
		errs.Add("organisation", "observer.organisation_required")
	case utf8.RuneCountInString(o.Organisation) > MaxOrganisation:
		errs.Add("organisation", "observer.organisation_too_long")
	}
	if !slices.Contains(ObserverScopes, o.Scope) {
		errs.Add("scope", "observer.scope_required")
	}
	return errs
}

// CreateObserverDirect makes an active observer account with password,
// for the demonstration data and tests; people are invited.
func (s *Store) CreateObserverDirect(ctx context.Context, email, name string, o ObserverAccess, lang, password string) (*Account, error) {
	if errs := o.Validate(); !errs.OK() {
		return nil, apperr.InvalidFields(errs)
	}
	now := s.now()
	return s.insert(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, lang, created_at, updated_at, password_changed_at,
		organisation, observer_scope, observer_comments) VALUES (?, ?, ?, 'observer', ?, ?, ?, ?, ?, ?, ?)`,
		NormalizeEmail(email), sanitize.Plain(name), HashPassword(password, s.Params), lang, now, now, now, sanitize.Plain(o.Organisation), o.Scope, o.Comments)
}

// SetObserverAccess changes what an observer reads and may do; an admin's
// decision, logged. Its sessions go on: the next request reads the new
// access.
func (s *Store) SetObserverAccess(ctx context.Context, actor *Account, id int64, o ObserverAccess) (*Change, error) {
	if errs := o.Validate(); !errs.OK() {
		return nil, apperr.InvalidFields(errs)
	}
	// What it now reads is for staff (the log's note), not the public log.
	note := o.Scope
	if o.Comments {
		note += ", comments"
	}
	return s.change(ctx, actor, id, modlog.ObserverAccess, changeOpts{keepSessions: true, note: note}, func(tx *sql.Tx, target *Account) (string, error) {
		if target.Role != Observer {
			return "", apperr.New(apperr.Conflict, "observer.not_observer")
		}
		if target.Organisation == o.Organisation && target.ObserverScope == o.Scope && target.ObserverComments == o.Comments {
			return "", apperr.New(apperr.Conflict, "admin.no_change")
		}
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET organisation = ?, observer_scope = ?, observer_comments = ?, updated_at = ? WHERE id = ?`,
			sanitize.Plain(o.Organisation), o.Scope, o.Comments, s.now(), id)
		return "", err
	})
}

// SetFocalPoint names an official focal point of their country, or ends
// it; an admin's decision, logged. Only an active official can be one.
func (s *Store) SetFocalPoint(ctx context.Context, actor *Account, id int64, on bool) (*Change, error) {
	action := modlog.FocalAppoint
	if !on {
		action = modlog.FocalEnd
	}
	return s.change(ctx, actor, id, action, changeOpts{keepSessions: true}, func(tx *sql.Tx, target *Account) (string, error) {
		if on && (target.Role != Official || target.Status != Active) {
			return "", apperr.New(apperr.Conflict, "focal.official_only")
		}
		if target.FocalPoint == on {
			return "", apperr.New(apperr.Conflict, "admin.no_change")
		}
		// The log names the account's country; nothing more to say.
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET focal_point = ?, updated_at = ? WHERE id = ?`, on, s.now(), id)
		return "", err
	})
}

// FocalPointsOf lists the active focal points of the countries ccs, by
// id, inside the caller's transaction or on a pool.
func FocalPointsOf(ctx context.Context, q db.Querier, ccs []string) ([]int64, error) {
	if len(ccs) == 0 {
		return nil, nil
	}
	return db.Column[int64](ctx, q, `SELECT id FROM accounts WHERE focal_point = 1 AND role = 'official' AND status = 'active'
		AND country_code IN (SELECT value FROM json_each(?)) ORDER BY id`, jsonList(ccs))
}

func jsonList(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

// FocalSuspend is a focal point suspending one of their country's
// officials (for reason, required; logged). Only an admin reverses it.
// A focal point acts on no one else: not on themself, not on another
// focal point, not on staff or another country's accounts.
func (s *Store) FocalSuspend(ctx context.Context, actor *Account, id int64, reason string) (*Change, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, apperr.InvalidFields(apperr.FieldErrors{"reason": "admin.suspend_reason_required"})
	case utf8.RuneCountInString(reason) > MaxSuspendReason:
		return nil, apperr.InvalidFields(apperr.FieldErrors{"reason": "moderation.reason_too_long"})
	}
	may := func(actor, target *Account) error {
		if actor == nil || !actor.FocalFor(actor.CountryCode) {
			return apperr.New(apperr.Forbidden, "error.forbidden")
		}
		if target.CountryCode != actor.CountryCode || target.Role != Official {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if target.ID == actor.ID || target.FocalPoint {
			return apperr.New(apperr.Forbidden, "focal.not_a_focal_point")
		}
		return nil
	}
	return s.changeBy(ctx, actor, id, modlog.Suspend, may, changeOpts{ending: websession.EndedSuspended, note: reason}, func(tx *sql.Tx, target *Account) (string, error) {
		if target.Status == Suspended {
			return "", apperr.New(apperr.Conflict, "admin.no_change")
		}
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET status = 'suspended', suspended_until = NULL, suspend_reason = ?, updated_at = ? WHERE id = ?`,
			reason, s.now(), target.ID)
		return "", err
	})
}
