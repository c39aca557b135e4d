package practices

import (
	"context"
	"database/sql"
	"time"

	"puente/db"
	"puente/internal/apperr"
)

// ShareWithFocal shows a draft to its author's country's focal points, or
// stops showing it. Only the author decides, and only while it is a draft:
// once submitted, focal points see it anyway.
func (s *Store) ShareWithFocal(ctx context.Context, v Viewer, id int64, on bool) error {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return err
	}
	if !v.CanEdit(p) {
		return apperr.New(apperr.Forbidden, "practice.not_yours")
	}
	if p.Status != Draft {
		return apperr.New(apperr.Conflict, "focal.share_drafts_only")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if !on {
			_, err := tx.ExecContext(ctx, `DELETE FROM focal_shares WHERE practice_id = ?`, id)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO focal_shares (practice_id, shared_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			id, db.FormatTime(s.Clock.Now()))
		return err
	})
}

// CountryWork returns the practices of a focal point's country that are
// not published (drafts shared with them, submissions, those sent back,
// rejected or hidden), most recently changed first: what the focal point
// follows up. It is empty for anyone who is not a focal point.
func (s *Store) CountryWork(ctx context.Context, v Viewer) ([]*Practice, error) {
	if v.FocalCountry == "" {
		return nil, nil
	}
	where, args := visibleWhere(v)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id
		WHERE EXISTS (SELECT 1 FROM practice_countries c WHERE c.practice_id = p.id AND c.country_code = ?)
		AND (p.status <> 'published' OR p.hidden_at IS NOT NULL) AND `+where+`
		ORDER BY p.updated_at DESC LIMIT 500`, append([]any{v.FocalCountry}, args...)...)
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// CountryReviews returns a focal point's country's published practices
// whose author has not answered whether they are still current, with
// when they were asked, oldest first: the focal point may answer.
func (s *Store) CountryReviews(ctx context.Context, v Viewer) ([]*Practice, map[int64]time.Time, error) {
	if v.FocalCountry == "" {
		return nil, nil, nil
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+` FROM practice_reviews r JOIN practices p ON p.id = r.practice_id
		JOIN accounts a ON a.id = p.author_id
		WHERE r.asked_at IS NOT NULL AND (r.reviewed_at IS NULL OR r.reviewed_at < r.asked_at) AND p.status = 'published'
		AND EXISTS (SELECT 1 FROM practice_countries c WHERE c.practice_id = p.id AND c.country_code = ?)
		ORDER BY r.asked_at, p.id LIMIT 200`, v.FocalCountry)
	if err != nil {
		return nil, nil, err
	}
	list, err := collect(rows)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	asked, err := s.ReviewWaiting(ctx, ids)
	return list, asked, err
}
