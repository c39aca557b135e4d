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
	"puente/internal/sanitize"
	"puente/internal/tokens"
)

// APIToken is a personal token for the read-only API, as its owner sees
// it (the token itself is shown once, when made).
type APIToken struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// Limits on tokens.
const (
	MaxTokenName     = 80
	MaxTokens        = 10 // live tokens per account
	apiTokenPrefix   = "pnt_"
	tokenUseInterval = 5 * time.Minute // how stale last_used_at may grow
)

// ErrTokenInvalid is the answer to an unknown or revoked token, or one
// whose account is suspended: the API says 401 and no more.
var ErrTokenInvalid = apperr.New(apperr.Unauthorized, "api.token_invalid")

// CreateToken makes a token named name for account a and returns it, the
// only time it is shown.
func (s *Store) CreateToken(ctx context.Context, a *Account, name string) (*APIToken, string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return nil, "", apperr.InvalidFields(apperr.FieldErrors{"token_name": "api.token_name_required"})
	case utf8.RuneCountInString(name) > MaxTokenName:
		return nil, "", apperr.InvalidFields(apperr.FieldErrors{"token_name": "api.token_name_too_long"})
	}
	token := apiTokenPrefix + tokens.New()
	t := &APIToken{Name: sanitize.Plain(name), CreatedAt: s.Clock.Now()}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM api_tokens WHERE account_id = ? AND revoked_at IS NULL`, a.ID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxTokens {
			return apperr.InvalidFields(apperr.FieldErrors{"token_name": "api.too_many_tokens"})
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (account_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`,
			a.ID, t.Name, tokens.Hash(token), db.FormatTime(t.CreatedAt))
		if err != nil {
			return err
		}
		t.ID, _ = res.LastInsertId()
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return t, token, nil
}

// Tokens lists account id's live tokens, newest first.
func (s *Store) Tokens(ctx context.Context, id int64) ([]*APIToken, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name, created_at, coalesce(last_used_at, '') FROM api_tokens
		WHERE account_id = ? AND revoked_at IS NULL ORDER BY id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*APIToken
	for rows.Next() {
		t := &APIToken{}
		var created, used string
		if err := rows.Scan(&t.ID, &t.Name, &created, &used); err != nil {
			return nil, err
		}
		t.CreatedAt, _ = db.ParseTime(created)
		t.LastUsedAt, _ = db.ParseTime(used)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes account's token id; another account's token is not
// found.
func (s *Store) RevokeToken(ctx context.Context, account, id int64) error {
	res, err := s.DB.W.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL`, s.now(), id, account)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	return nil
}

// ByToken returns the active account a live token belongs to, and the
// token's id; it notes when the token was last used (to the nearest few
// minutes: a program reading in a loop writes nothing each time).
func (s *Store) ByToken(ctx context.Context, token string) (*Account, int64, error) {
	if !strings.HasPrefix(token, apiTokenPrefix) {
		return nil, 0, ErrTokenInvalid
	}
	var id, account int64
	var used string
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, account_id, coalesce(last_used_at, '') FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`,
		tokens.Hash(token)).Scan(&id, &account, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, ErrTokenInvalid
	}
	if err != nil {
		return nil, 0, err
	}
	a, err := s.ByID(ctx, account)
	if err != nil {
		return nil, 0, err
	}
	if a.Status != Active {
		return nil, 0, ErrTokenInvalid
	}
	now := s.Clock.Now()
	if last, err := db.ParseTime(used); used == "" || err != nil || now.Sub(last) > tokenUseInterval {
		if _, err := s.DB.W.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, db.FormatTime(now), id); err != nil {
			return nil, 0, err
		}
	}
	return a, id, nil
}
