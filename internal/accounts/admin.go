package accounts

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"puente/internal/apperr"
	"puente/internal/modlog"
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

// guardAdminChange refuses changes that would lock the platform out of
// administration: acting on yourself, or removing the last active admin.
func guardAdminChange(ctx context.Context, tx *sql.Tx, actor, target *Account) error {
	if actor.ID == target.ID {
		return apperr.New(apperr.Conflict, "admin.not_yourself")
	}
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

func (s *Store) change(ctx context.Context, actor *Account, id int64, action string, apply func(tx *sql.Tx, target *Account) error) (*Change, error) {
	if actor == nil || actor.Role != Admin {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
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
		if err := guardAdminChange(ctx, tx, actor, target); err != nil {
			return err
		}
		if err := apply(tx, target); err != nil {
			return err
		}
		if c.SessionsEnded, err = endSessions(ctx, tx, id); err != nil {
			return err
		}
		c.Account, err = scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
		if err != nil {
			return err
		}
		details := ""
		if c.Before.Role != c.Account.Role {
			details = string(c.Before.Role) + " → " + string(c.Account.Role)
		}
		_, err = modlog.Record(ctx, tx, s.Clock.Now(), modlog.Entry{ActorID: actor.ID, Action: action, TargetType: "account",
			TargetID: id, CountryCode: c.Account.CountryCode, Details: details})
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
	return s.change(ctx, actor, id, modlog.RoleChange, func(tx *sql.Tx, target *Account) error {
		if target.Role == role {
			return apperr.New(apperr.Conflict, "admin.no_change")
		}
		if role == Official && target.CountryCode == "" {
			return apperr.New(apperr.Unprocessable, "admin.official_needs_country")
		}
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET role = ?, updated_at = ? WHERE id = ?`, role, s.now(), target.ID)
		return err
	})
}

// SetStatus suspends or reactivates an account. Suspending ends its
// sessions at once.
func (s *Store) SetStatus(ctx context.Context, actor *Account, id int64, status Status) (*Change, error) {
	if status != Active && status != Suspended {
		return nil, apperr.New(apperr.Invalid, "error.bad_request")
	}
	action := modlog.Suspend
	if status == Active {
		action = modlog.Reactivate
	}
	return s.change(ctx, actor, id, action, func(tx *sql.Tx, target *Account) error {
		if target.Status == status {
			return apperr.New(apperr.Conflict, "admin.no_change")
		}
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?`, status, s.now(), target.ID)
		return err
	})
}
