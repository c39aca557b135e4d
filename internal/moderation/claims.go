package moderation

import (
	"context"
	"database/sql"
	"time"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/practices"
)

// ClaimTTL is how long a moderator's claim on an item in the review
// queue stands without a decision.
const ClaimTTL = 30 * time.Minute

// Claim says who is reviewing an item, and since when.
type Claim struct {
	AccountID int64
	Name      string
	At        time.Time
}

// ClaimReview records that actor is reviewing practice id (a submission
// or a change waiting on it), so that others see it and pick another.
// Taking an item another moderator claimed is allowed: the claim is soft.
func (s *Store) ClaimReview(ctx context.Context, actor *accounts.Account, id int64) error {
	if err := staff(actor); err != nil {
		return err
	}
	p, err := practices.Load(ctx, s.DB.R, id)
	if err != nil {
		return err
	}
	if err := notOwn(actor, p.AuthorID); err != nil {
		return err
	}
	_, err = s.DB.W.ExecContext(ctx, `INSERT INTO review_claims (practice_id, account_id, claimed_at) VALUES (?, ?, ?)
		ON CONFLICT (practice_id) DO UPDATE SET account_id = excluded.account_id, claimed_at = excluded.claimed_at`,
		id, actor.ID, db.FormatTime(s.Clock.Now()))
	return err
}

// Claims returns the standing claims on items in the review queue, by
// practice id.
func (s *Store) Claims(ctx context.Context) (map[int64]*Claim, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT practice_id, account_id, claimed_at FROM review_claims WHERE claimed_at > ?`,
		db.FormatTime(s.Clock.Now().Add(-ClaimTTL)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*Claim{}
	var ids []int64
	for rows.Next() {
		var id int64
		c := &Claim{}
		var at string
		if err := rows.Scan(&id, &c.AccountID, &at); err != nil {
			return nil, err
		}
		c.At, _ = db.ParseTime(at)
		out[id] = c
		ids = append(ids, c.AccountID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names, err := s.Accounts.DisplayNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		c.Name = names[c.AccountID]
	}
	return out, nil
}

// endClaim drops the claim on practice id when it is decided, inside tx.
func endClaim(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM review_claims WHERE practice_id = ?`, id)
	return err
}
