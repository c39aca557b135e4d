package accounts

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/modlog"
	"puente/internal/websession"
)

// Filter narrows the admin's list of accounts.
type Filter struct {
	Country string
	Role    string
	Status  string
	Query   string // part of a name or address
	AfterID int64  // keyset pagination: accounts with a larger id
	Limit   int
}

// List returns accounts matching f in id order, and whether more follow.
func (s *Store) List(ctx context.Context, f Filter) ([]*Account, bool, error) {
	var where []string
	var args []any
	if f.Country != "" {
		where = append(where, "country_code = ?")
		args = append(args, f.Country)
	}
	if f.Role != "" {
		where = append(where, "role = ?")
		args = append(args, f.Role)
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(instr(lower(display_name), lower(?)) > 0 OR instr(email, lower(?)) > 0)")
		args = append(args, q, q)
	}
	where = append(where, "id > ?")
	args = append(args, f.AfterID)
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	args = append(args, limit+1)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []*Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, false, err
		}
		out = append(out, a)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, rows.Err()
}

// Change is the outcome of an admin's action on an account.
type Change struct {
	Account       *Account
	Before        *Account
	SessionsEnded int64
}

// guardAdminChange refuses an admin's change to their own account.
func guardAdminChange(actor, target *Account) error {
	if actor.ID == target.ID {
		return apperr.New(apperr.Conflict, "admin.not_yourself")
	}
	return nil
}

// guardLastAdmin refuses changes that would lock the platform out of
// administration: removing the last active admin.
func guardLastAdmin(ctx context.Context, tx *sql.Tx, target *Account) error {
	if target.Role == Admin && target.Status == Active {
		var admins int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE role = 'admin' AND status = 'active'`).Scan(&admins); err != nil {
			return err
		}
		if admins <= 1 {
			return apperr.New(apperr.Conflict, "admin.last_admin")
		}
	}
	return nil
}

// changeOpts say what a change does beyond its own write: the sessions it
// ends (and why, told to the browsers), and the note for staff.
type changeOpts struct {
	ending       string // websession.Ended*, or "" to end without a word
	keepSessions bool
	note         string
}

// change applies one administrator's change to account id, ends its
// sessions unless told to keep them, and logs it with the note (for
// staff) and the details apply returns.
func (s *Store) change(ctx context.Context, actor *Account, id int64, action string, o changeOpts, apply func(tx *sql.Tx, target *Account) (details string, err error)) (*Change, error) {
	if actor == nil || actor.Role != Admin {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.changeBy(ctx, actor, id, action, guardAdminChange, o, apply)
}

// changeBy is change with may deciding, in the transaction, whether actor
// may act on target.
func (s *Store) changeBy(ctx context.Context, actor *Account, id int64, action string, may func(actor, target *Account) error, o changeOpts,
	apply func(tx *sql.Tx, target *Account) (details string, err error)) (*Change, error) {
	c := &Change{}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		target, err := scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if err != nil {
			return err
		}
		c.Before = target
		if err := may(actor, target); err != nil {
			return err
		}
		if err := guardLastAdmin(ctx, tx, target); err != nil {
			return err
		}
		details, err := apply(tx, target)
		if err != nil {
			return err
		}
		if !o.keepSessions {
			if c.SessionsEnded, err = websession.EndFor(ctx, tx, s.Clock.Now(), id, o.ending); err != nil {
				return err
			}
		}
		c.Account, err = scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
		if err != nil {
			return err
		}
		_, err = modlog.Record(ctx, tx, s.Clock.Now(), modlog.Entry{ActorID: actor.ID, Action: action, TargetType: "account",
			TargetID: id, CountryCode: c.Account.CountryCode, Note: o.note, Details: details})
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// SetRole changes an account's role and ends its sessions, so the new
// powers (or their loss) apply at once.
func (s *Store) SetRole(ctx context.Context, actor *Account, id int64, role Role) (*Change, error) {
	if !role.Valid() {
		return nil, apperr.New(apperr.Unprocessable, "invite.role_invalid")
	}
	return s.change(ctx, actor, id, modlog.RoleChange, changeOpts{ending: websession.EndedRoleChanged}, func(tx *sql.Tx, target *Account) (string, error) {
		if target.Role == role {
			return "", apperr.New(apperr.Conflict, "admin.no_change")
		}
		if role == Observer || target.Role == Observer {
			// An observer speaks for an organisation, an official for a
			// country: one is invited as such, never turned into the other.
			return "", apperr.New(apperr.Unprocessable, "observer.role_fixed")
		}
		if role == Official && target.CountryCode == "" {
			return "", apperr.New(apperr.Unprocessable, "admin.official_needs_country")
		}
		// A focal point is an official: the duty ends with the role.
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET role = ?, focal_point = focal_point AND ? = 'official', updated_at = ? WHERE id = ?`,
			role, role, s.now(), target.ID)
		return string(target.Role) + " → " + string(role), err
	})
}

// MaxSuspendReason bounds the reason for a suspension.
const MaxSuspendReason = 2000

// Suspend suspends an account for reason (required; staff and the person
// read it, the public log does not), until the given time or, when it is
// zero, until an administrator reactivates it. Its sessions end at once,
// and its browsers are told why on their next visit.
func (s *Store) Suspend(ctx context.Context, actor *Account, id int64, reason string, until time.Time) (*Change, error) {
	reason = strings.TrimSpace(reason)
	errs := apperr.FieldErrors{}
	switch {
	case reason == "":
		errs["reason"] = "admin.suspend_reason_required"
	case utf8.RuneCountInString(reason) > MaxSuspendReason:
		errs["reason"] = "moderation.reason_too_long"
	}
	if !until.IsZero() && !until.After(s.Clock.Now()) {
		errs["until"] = "admin.suspend_until_past"
	}
	if len(errs) > 0 {
		return nil, apperr.InvalidFields(errs)
	}
	var end any
	details := ""
	if !until.IsZero() {
		end, details = db.FormatTime(until), until.UTC().Format("2006-01-02")
	}
	return s.change(ctx, actor, id, modlog.Suspend, changeOpts{ending: websession.EndedSuspended, note: reason}, func(tx *sql.Tx, target *Account) (string, error) {
		if target.Status == Suspended {
			return "", apperr.New(apperr.Conflict, "admin.no_change")
		}
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET status = 'suspended', suspended_until = ?, suspend_reason = ?, updated_at = ? WHERE id = ?`,
			end, reason, s.now(), target.ID)
		return details, err
	})
}

// Reactivate ends an account's suspension.
func (s *Store) Reactivate(ctx context.Context, actor *Account, id int64) (*Change, error) {
	return s.change(ctx, actor, id, modlog.Reactivate, changeOpts{}, func(tx *sql.Tx, target *Account) (string, error) {
		if target.Status == Active {
			return "", apperr.New(apperr.Conflict, "admin.no_change")
		}
		return "", reactivate(ctx, tx, s.now(), target.ID)
	})
}

func reactivate(ctx context.Context, tx *sql.Tx, now string, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE accounts SET status = 'active', suspended_until = NULL, suspend_reason = '', updated_at = ? WHERE id = ?`, now, id)
	return err
}

// EndSuspensions reactivates the accounts whose suspension has reached
// its end, and logs each; it returns how many. The server runs it now and
// then, and sign-in checks the one account it concerns.
func (s *Store) EndSuspensions(ctx context.Context) (int, error) {
	ids, err := db.Column[int64](ctx, s.DB.R, `SELECT id FROM accounts WHERE status = 'suspended' AND suspended_until <= ?`, s.now())
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		a, err := s.ByID(ctx, id)
		if err != nil {
			return 0, err
		}
		if _, err := s.endSuspensionOf(ctx, a); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// endSuspensionOf reactivates a, when its suspension has reached its end,
// and returns it as it now is.
func (s *Store) endSuspensionOf(ctx context.Context, a *Account) (*Account, error) {
	if a.Status != Suspended || a.SuspendedUntil.IsZero() || a.SuspendedUntil.After(s.Clock.Now()) {
		return a, nil
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET status = 'active', suspended_until = NULL, suspend_reason = '', updated_at = ?
			WHERE id = ? AND status = 'suspended' AND suspended_until <= ?`, s.now(), a.ID, s.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // reactivated meanwhile
		}
		_, err = modlog.Record(ctx, tx, s.Clock.Now(), modlog.Entry{Action: modlog.Reactivate, TargetType: "account", TargetID: a.ID,
			CountryCode: a.CountryCode, Details: "suspension_ended"})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.ByID(ctx, a.ID)
}
