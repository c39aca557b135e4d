package digest

import (
	"context"
	"database/sql"
	"slices"
	"strconv"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/apperr"
)

// Settings are a person's digest choices.
type Settings struct {
	Enabled   bool
	Every     int // weeks
	Tags      []int64
	Countries []string
}

// HasTag and HasCountry tell the settings form which boxes are ticked.
func (s *Settings) HasTag(id int64) bool { return slices.Contains(s.Tags, id) }

// HasCountry reports whether country code is followed.
func (s *Settings) HasCountry(code string) bool { return slices.Contains(s.Countries, code) }

// Load reads an account's settings.
func (r *Runner) Load(ctx context.Context, accountID int64) (*Settings, error) {
	c, err := r.Accounts.DigestChoiceOf(ctx, accountID)
	if err != nil {
		return nil, err
	}
	s := &Settings{Enabled: c.Enabled, Every: c.Every}
	if s.Tags, err = db.Column[int64](ctx, r.DB.R, `SELECT tag_id FROM follow_tags WHERE account_id = ? ORDER BY tag_id`, accountID); err != nil {
		return nil, err
	}
	s.Countries, err = db.Column[string](ctx, r.DB.R, `SELECT country_code FROM follow_countries WHERE account_id = ? ORDER BY country_code`, accountID)
	return s, err
}

// Form is the settings form as sent.
type Form struct {
	Enabled   bool
	Every     string
	Tags      []string
	Countries []string
}

// Save validates and stores an account's settings.
func (r *Runner) Save(ctx context.Context, accountID int64, f Form, countryExists func(string) bool, tagExists func(int64) bool) (*Settings, apperr.FieldErrors, error) {
	errs := apperr.FieldErrors{}
	s := &Settings{Enabled: f.Enabled}
	switch f.Every {
	case "1", "2", "4":
		s.Every, _ = strconv.Atoi(f.Every)
	default:
		errs.Add("every", "field.invalid_choice")
	}
	for _, t := range f.Tags {
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil || !tagExists(id) {
			errs.Add("tags", "practice.tag_unknown")
			continue
		}
		if !slices.Contains(s.Tags, id) {
			s.Tags = append(s.Tags, id)
		}
	}
	for _, c := range f.Countries {
		if !countryExists(c) {
			errs.Add("countries", "invite.country_unknown")
			continue
		}
		if !slices.Contains(s.Countries, c) {
			s.Countries = append(s.Countries, c)
		}
	}
	if !errs.OK() {
		return s, errs, nil
	}
	err := r.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := accounts.SetDigestChoice(ctx, tx, accountID, accounts.DigestChoice{Enabled: s.Enabled, Every: s.Every}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM follow_tags WHERE account_id = ?`, accountID); err != nil {
			return err
		}
		for _, t := range s.Tags {
			if _, err := tx.ExecContext(ctx, `INSERT INTO follow_tags (account_id, tag_id) VALUES (?, ?)`, accountID, t); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM follow_countries WHERE account_id = ?`, accountID); err != nil {
			return err
		}
		for _, c := range s.Countries {
			if _, err := tx.ExecContext(ctx, `INSERT INTO follow_countries (account_id, country_code) VALUES (?, ?)`, accountID, c); err != nil {
				return err
			}
		}
		return nil
	})
	return s, errs, err
}

// Following tells whether an account follows a tag or a country (give
// one of them): the Follow button of their pages.
func (r *Runner) Following(ctx context.Context, accountID, tagID int64, country string) (bool, error) {
	var n int
	var err error
	if country != "" {
		err = r.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM follow_countries WHERE account_id = ? AND country_code = ?`, accountID, country).Scan(&n)
	} else {
		err = r.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM follow_tags WHERE account_id = ? AND tag_id = ?`, accountID, tagID).Scan(&n)
	}
	return n > 0, err
}

// Follow adds a tag or a country (give one of them) to what an account's
// digest follows, or removes it: the same choice as the settings form's
// box, made from the tag's or the country's page. Either way is
// idempotent.
func (r *Runner) Follow(ctx context.Context, accountID, tagID int64, country string, on bool) error {
	var q string
	var arg any
	switch {
	case country != "" && on:
		q, arg = `INSERT OR IGNORE INTO follow_countries (account_id, country_code) VALUES (?, ?)`, country
	case country != "":
		q, arg = `DELETE FROM follow_countries WHERE account_id = ? AND country_code = ?`, country
	case on:
		q, arg = `INSERT OR IGNORE INTO follow_tags (account_id, tag_id) VALUES (?, ?)`, tagID
	default:
		q, arg = `DELETE FROM follow_tags WHERE account_id = ? AND tag_id = ?`, tagID
	}
	_, err := r.DB.W.ExecContext(ctx, q, accountID, arg)
	return err
}
