package accounts

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/modlog"
	"puente/internal/tokens"
	"puente/internal/websession"
)

// EmailChangeTTL is how long the new address has to confirm a change.
const EmailChangeTTL = 48 * time.Hour

// Correct sets an account's display name and country, as an
// administrator corrects them: an official keeps a country; staff may
// have none. It is logged with what changed. The person's sessions go on:
// what they may see follows their country at their next request.
func (s *Store) Correct(ctx context.Context, actor *Account, id int64, name, country string, countryExists func(string) bool) (*Account, error) {
	name = strings.TrimSpace(name)
	errs := apperr.FieldErrors{}
	if key := CheckDisplayName(name); key != "" {
		errs["display_name"] = key
	}
	if country != "" && !countryExists(country) {
		errs["country"] = "invite.country_unknown"
	}
	if len(errs) > 0 {
		return nil, apperr.InvalidFields(errs)
	}
	c, err := s.change(ctx, actor, id, modlog.AccountEdit, changeOpts{keepSessions: true}, func(tx *sql.Tx, target *Account) (string, error) {
		if target.Role == Official && country == "" {
			return "", apperr.InvalidFields(apperr.FieldErrors{"country": "admin.official_needs_country"})
		}
		if target.Role == Observer && country != "" {
			return "", apperr.InvalidFields(apperr.FieldErrors{"country": "observer.no_country"})
		}
		var parts []string // the fields changed, as the log names them
		if name != target.DisplayName {
			parts = append(parts, "display_name")
		}
		if country != target.CountryCode {
			parts = append(parts, "country")
		}
		if len(parts) == 0 {
			return "", apperr.New(apperr.Conflict, "admin.no_change")
		}
		var cc any
		if country != "" {
			cc = country
		}
		// A focal point vouches for one country: a new one ends the duty.
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET display_name = ?, country_code = ?, focal_point = focal_point AND country_code IS ?, updated_at = ? WHERE id = ?`,
			name, cc, cc, s.now(), id)
		return strings.Join(parts, ","), err
	})
	if err != nil {
		return nil, err
	}
	return c.Account, nil
}

// RequestEmailChange records an administrator's change of account id's
// address to email, which takes effect when the new address confirms it.
// It returns the token of the confirmation link and the account. A newer
// request replaces an older one.
func (s *Store) RequestEmailChange(ctx context.Context, actor *Account, id int64, email string) (string, *Account, error) {
	email = NormalizeEmail(email)
	if key := CheckEmail(email); key != "" {
		return "", nil, apperr.InvalidFields(apperr.FieldErrors{"email": key})
	}
	if _, err := s.ByEmail(ctx, email); err == nil {
		return "", nil, apperr.InvalidFields(apperr.FieldErrors{"email": "invite.email_taken"})
	} else if !apperr.Is(err, apperr.NotFound) {
		return "", nil, err
	}
	token := tokens.New()
	now := s.Clock.Now()
	c, err := s.change(ctx, actor, id, modlog.EmailChange, changeOpts{keepSessions: true}, func(tx *sql.Tx, target *Account) (string, error) {
		if target.Email == email {
			return "", apperr.New(apperr.Conflict, "admin.no_change")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM email_changes WHERE account_id = ?`, id); err != nil {
			return "", err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO email_changes (token_hash, account_id, new_email, requested_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, tokens.Hash(token), id, email, actor.ID, db.FormatTime(now), db.FormatTime(now.Add(EmailChangeTTL)))
		return "requested", err
	})
	if err != nil {
		return "", nil, err
	}
	return token, c.Account, nil
}

var errChangeLink = apperr.New(apperr.NotFound, "email_change.link_invalid")

// PendingEmail returns the address a change link would set, and the
// account, or a NotFound error for a used, replaced or expired link.
func (s *Store) PendingEmail(ctx context.Context, token string) (string, *Account, error) {
	var id int64
	var email string
	err := s.DB.R.QueryRowContext(ctx, `SELECT account_id, new_email FROM email_changes WHERE token_hash = ? AND expires_at > ?`,
		tokens.Hash(token), s.now()).Scan(&id, &email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, errChangeLink
	}
	if err != nil {
		return "", nil, err
	}
	a, err := s.ByID(ctx, id)
	return email, a, err
}

// ConfirmEmailChange applies the change a link names, once. It returns
// the account as it was (the old address is told) and as it is. The
// person's sessions end: the address is how they sign in.
func (s *Store) ConfirmEmailChange(ctx context.Context, token string) (before, after *Account, err error) {
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		var email string
		err := tx.QueryRowContext(ctx, `DELETE FROM email_changes WHERE token_hash = ? AND expires_at > ? RETURNING account_id, new_email`,
			tokens.Hash(token), s.now()).Scan(&id, &email)
		if errors.Is(err, sql.ErrNoRows) {
			return errChangeLink
		}
		if err != nil {
			return err
		}
		if before, err = scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET email = ?, updated_at = ? WHERE id = ?`, email, s.now(), id); err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return apperr.New(apperr.Conflict, "invite.email_taken")
			}
			return err
		}
		if _, err := websession.EndFor(ctx, tx, s.Clock.Now(), id, ""); err != nil {
			return err
		}
		if _, err := modlog.Record(ctx, tx, s.Clock.Now(), modlog.Entry{Action: modlog.EmailChange, TargetType: "account", TargetID: id,
			CountryCode: before.CountryCode, Details: "confirmed"}); err != nil {
			return err
		}
		after, err = scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
		return err
	})
	return before, after, err
}

// RestoreAdmin gives back administration to the existing account with
// email, for the operator at the command line when no admin can sign in:
// the account becomes an active admin, its sessions end, and a password
// link is made (its token is returned). It is logged.
func (s *Store) RestoreAdmin(ctx context.Context, email string) (*Account, string, error) {
	a, err := s.ByEmail(ctx, email)
	if err != nil {
		return nil, "", err
	}
	token := tokens.New()
	now := s.Clock.Now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET role = 'admin', status = 'active', suspended_until = NULL, suspend_reason = '',
			updated_at = ? WHERE id = ?`, db.FormatTime(now), a.ID); err != nil {
			return err
		}
		if _, err := websession.EndFor(ctx, tx, now, a.ID, ""); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE account_id = ? AND used_at IS NULL`, db.FormatTime(now), a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			tokens.Hash(token), a.ID, db.FormatTime(now), db.FormatTime(now.Add(ResetTTL))); err != nil {
			return err
		}
		_, err := modlog.Record(ctx, tx, now, modlog.Entry{Action: modlog.AdminRestored, TargetType: "account", TargetID: a.ID,
			CountryCode: a.CountryCode, Details: string(a.Role) + " → admin"})
		return err
	})
	if err != nil {
		return nil, "", err
	}
	a, err = s.ByID(ctx, a.ID)
	return a, token, err
}
