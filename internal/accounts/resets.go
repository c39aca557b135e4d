package accounts

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/tokens"
)

// ResetTTL is how long a password-reset link works.
const ResetTTL = 30 * time.Minute

// RequestReset creates a reset link for the active account with email and
// returns its token, or "" when there is no such account (the caller shows
// the same page either way). afterTx runs inside the transaction to queue
// the email.
func (s *Store) RequestReset(ctx context.Context, email string, afterTx func(*sql.Tx, *Account, string) error) (string, error) {
	a, err := s.ByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if a.Status != Active {
		return "", nil
	}
	token := tokens.New()
	now := s.Clock.Now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// Only the newest link works.
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE account_id = ? AND used_at IS NULL`, db.FormatTime(now), a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			tokens.Hash(token), a.ID, db.FormatTime(now), db.FormatTime(now.Add(ResetTTL))); err != nil {
			return err
		}
		return afterTx(tx, a, token)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

func (s *Store) resetAccount(ctx context.Context, q db.Querier, token string) (*Account, error) {
	var expires string
	var used sql.NullString
	var accountID int64
	err := q.QueryRowContext(ctx, `SELECT account_id, expires_at, used_at FROM password_resets WHERE token_hash = ?`, tokens.Hash(token)).
		Scan(&accountID, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrLinkInvalid
	}
	if err != nil {
		return nil, err
	}
	exp, _ := db.ParseTime(expires)
	if used.Valid || !s.Clock.Now().Before(exp) {
		return nil, ErrLinkInvalid
	}
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, accountID))
	if err != nil {
		return nil, err
	}
	if a.Status != Active {
		return nil, ErrLinkInvalid
	}
	return a, nil
}

// ResetByToken returns the account a working reset link belongs to.
func (s *Store) ResetByToken(ctx context.Context, token string) (*Account, error) {
	return s.resetAccount(ctx, s.DB.R, token)
}

// ResetForm is the new password chosen through a reset link.
type ResetForm struct {
	Password string
	Confirm  string
}

// Validate checks the new password for account a.
func (f *ResetForm) Validate(a *Account) apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	if key := CheckPassword(f.Password, a.Email, a.DisplayName); key != "" {
		errs.Add("password", key)
	} else if f.Password != f.Confirm {
		errs.Add("confirm", "password.mismatch")
	}
	return errs
}

// CompleteReset sets the new password, uses up the link and ends every
// session of the account. It returns the account and how many sessions
// ended.
func (s *Store) CompleteReset(ctx context.Context, token, password string) (*Account, int64, error) {
	var a *Account
	var ended int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		acc, err := s.resetAccount(ctx, tx, token)
		if err != nil {
			return err
		}
		a = acc
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE account_id = ? AND used_at IS NULL`, s.now(), a.ID); err != nil {
			return err
		}
		if err := s.setPassword(ctx, tx, a.ID, password); err != nil {
			return err
		}
		ended, err = endSessions(ctx, tx, a.ID)
		return err
	})
	return a, ended, err
}
