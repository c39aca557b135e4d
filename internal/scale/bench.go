package scale

// What the benchmarks read and reset in a generated database: like the
// generator, they work on the tables directly.

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"puente/db"
	"puente/internal/comments"
)

// Fixtures are what the load benchmark's rows ask for, picked from the data.
type Fixtures struct {
	Path                  string
	Email, Country, Rare  string
	Tag, Fifty, Commented int64
	DeepCursor            string
	Cursors               []string // of pages all over the list
	// Visible are the published practices the official may read, for the
	// row that opens any of them (none kept by the server).
	Visible                       []int64
	Practices, Comments, Accounts int
}

// LoadFixtures picks, from the data, what the rows ask for: an official of
// a CRM country, the practice closest to 50 comments, a cursor 10,000
// practices deep (page 500; less on a small database), a country and a
// tag, and a word that is rare.
func LoadFixtures(ctx context.Context, d *db.DB) (*Fixtures, error) {
	fx := &Fixtures{Path: d.Path}
	q := func(dst []any, query string, args ...any) error {
		if err := d.R.QueryRowContext(ctx, query, args...).Scan(dst...); err != nil {
			return fmt.Errorf("fixtures: %s: %w", strings.Fields(query)[1], err)
		}
		return nil
	}
	if err := q([]any{&fx.Email, &fx.Country}, `SELECT a.email, a.country_code FROM accounts a
		JOIN process_members m ON m.country_code = a.country_code AND m.process_code = 'CRM'
		WHERE a.role = 'official' AND a.status = 'active' ORDER BY a.id LIMIT 1`); err != nil {
		return nil, err
	}
	if err := q([]any{&fx.Fifty}, `SELECT id FROM practices WHERE status = 'published' AND scope IN ('public', 'members')
		AND hidden_at IS NULL ORDER BY abs(comment_count - 50), id LIMIT 1`); err != nil {
		return nil, err
	}
	// The practice that receives the comment POSTs gains thousands of
	// comments a run: it must be none that another row reads (the one with
	// 50 comments, a rare-word result, the first page of the list), or
	// that row measures the comments.
	if err := q([]any{&fx.Commented}, `SELECT id FROM practices WHERE status = 'published' AND scope IN ('public', 'members')
		AND hidden_at IS NULL AND id <> ? AND summary NOT LIKE '%' || ? || '%'
		AND id NOT IN (SELECT id FROM practices WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT 100)
		ORDER BY id DESC LIMIT 1`, fx.Fifty, RareWord); err != nil {
		return nil, err
	}
	var key string
	var id int64
	if err := q([]any{&key, &id}, `SELECT published_at, id FROM practices WHERE status = 'published'
		ORDER BY published_at DESC, id DESC LIMIT 1
		OFFSET min(?, (SELECT count(*) - 1 FROM practices WHERE status = 'published'))`, 499*20); err != nil {
		return nil, err
	}
	fx.DeepCursor = base64.RawURLEncoding.EncodeToString([]byte(key + "|" + strconv.FormatInt(id, 10)))
	rows, err := d.R.QueryContext(ctx, `SELECT published_at, id FROM practices WHERE status = 'published' ORDER BY (id * 7919) % 100003 LIMIT 20000`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		if err := rows.Scan(&key, &id); err != nil {
			rows.Close()
			return nil, err
		}
		fx.Cursors = append(fx.Cursors, base64.RawURLEncoding.EncodeToString([]byte(key+"|"+strconv.FormatInt(id, 10))))
	}
	rows.Close()
	if len(fx.Cursors) == 0 {
		return nil, fmt.Errorf("fixtures: no published practice")
	}
	// A CRM official reads what is for every member, for the CRM, and
	// public.
	if fx.Visible, err = db.Column[int64](ctx, d.R, `SELECT id FROM practices WHERE status = 'published' AND hidden_at IS NULL
		AND scope IN ('public', 'members', 'crm') ORDER BY (id * 7919) % 100003`); err != nil {
		return nil, err
	}
	if err := q([]any{&fx.Tag}, `SELECT tag_id FROM practice_tags GROUP BY tag_id ORDER BY count(*) DESC LIMIT 1`); err != nil {
		return nil, err
	}
	fx.Rare = RareWord
	if err := q([]any{&fx.Practices, &fx.Comments, &fx.Accounts},
		`SELECT (SELECT count(*) FROM practices), (SELECT count(*) FROM comments), (SELECT count(*) FROM accounts)`); err != nil {
		return nil, err
	}
	return fx, nil
}

// ConfirmAll marks every published practice as confirmed current at at.
// The server asks authors, in the background, whether their practices are
// still current; on a generated database every practice would be due,
// and those emails would run beside the load being measured.
func ConfirmAll(ctx context.Context, d *db.DB, at time.Time) error {
	_, err := d.W.ExecContext(ctx, `INSERT INTO practice_reviews (practice_id, reviewed_at) SELECT id, ? FROM practices WHERE status = 'published'
		ON CONFLICT (practice_id) DO UPDATE SET reviewed_at = excluded.reviewed_at, asked_at = NULL, token_hash = NULL, stale_at = NULL`, db.FormatTime(at))
	return err
}

// LoadComment begins every comment the POST row posts.
const LoadComment = "Comentario de carga"

// RemoveLoadComments deletes the comments the POST row posted, with their
// place in the counts and the search index.
func RemoveLoadComments(ctx context.Context, d *db.DB, cs *comments.Store) (int, error) {
	like := "<p>" + LoadComment + " %"
	ids, err := db.Column[int64](ctx, d.R, `SELECT DISTINCT practice_id FROM comments WHERE body_html LIKE ?`, like)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	var n int64
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_pending_comments WHERE comment_id IN (SELECT id FROM comments WHERE body_html LIKE ?)`, like); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM comments WHERE body_html LIKE ?`, like)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE practices SET comment_count =
				(SELECT count(*) FROM comments WHERE practice_id = ? AND deleted_at IS NULL AND hidden_at IS NULL) WHERE id = ?`, id, id); err != nil {
				return err
			}
			if err := cs.Practices.Reindex(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
	return int(n), err
}

// ResetDigests forgets every digest sent, so each run of the digest
// benchmark does the same work, and returns how many accounts there are.
func ResetDigests(ctx context.Context, d *db.DB) (int, error) {
	for _, q := range []string{`DELETE FROM digest_deliveries`, `DELETE FROM outbox WHERE kind = 'digest'`,
		`UPDATE accounts SET digest_enabled = 1, undeliverable_at = NULL`} {
		if _, err := d.W.ExecContext(ctx, q); err != nil {
			return 0, err
		}
	}
	var n int
	err := d.R.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n)
	return n, err
}
