package accounts

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strings"
	"unicode/utf8"

	"puente/internal/apperr"
	"puente/internal/modlog"
	"puente/internal/sanitize"
)

// Licence is the licence the site publishes its open data under: its
// name (CC BY 4.0, say) and where its text is.
type Licence struct {
	Name string
	URL  string
}

const (
	settingLicenceName = "open_data_licence_name"
	settingLicenceURL  = "open_data_licence_url"
	// MaxLicenceName bounds the licence's name.
	MaxLicenceName = 120
)

// Validate checks the licence, trimming it: a name is required; the
// address, when given, is http(s).
func (l *Licence) Validate() apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	l.Name, l.URL = strings.TrimSpace(l.Name), strings.TrimSpace(l.URL)
	switch {
	case l.Name == "":
		errs.Add("licence_name", "data.licence_required")
	case utf8.RuneCountInString(l.Name) > MaxLicenceName:
		errs.Add("licence_name", "data.licence_too_long")
	}
	if l.URL != "" {
		if u, err := url.Parse(l.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(l.URL) > 500 {
			errs.Add("licence_url", "data.licence_url_invalid")
		}
	}
	return errs
}

// OpenDataLicence reads the open data's licence; its Name is "" until an
// admin sets one.
func (s *Store) OpenDataLicence(ctx context.Context) (Licence, error) {
	var l Licence
	rows, err := s.DB.R.QueryContext(ctx, `SELECT key, value FROM site_settings WHERE key IN (?, ?)`, settingLicenceName, settingLicenceURL)
	if err != nil {
		return l, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return l, err
		}
		if k == settingLicenceName {
			l.Name = v
		} else {
			l.URL = v
		}
	}
	return l, rows.Err()
}

// SetOpenDataLicence sets the open data's licence; an admin's decision,
// logged.
func (s *Store) SetOpenDataLicence(ctx context.Context, actor *Account, l Licence) error {
	if actor == nil || actor.Role != Admin {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if errs := l.Validate(); !errs.OK() {
		return apperr.InvalidFields(errs)
	}
	l.Name = sanitize.Plain(l.Name)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var old Licence
		for key, dst := range map[string]*string{settingLicenceName: &old.Name, settingLicenceURL: &old.URL} {
			err := tx.QueryRowContext(ctx, `SELECT value FROM site_settings WHERE key = ?`, key).Scan(dst)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if old == l {
			return apperr.New(apperr.Conflict, "admin.no_change")
		}
		for key, v := range map[string]string{settingLicenceName: l.Name, settingLicenceURL: l.URL} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO site_settings (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, v); err != nil {
				return err
			}
		}
		_, err := modlog.Record(ctx, tx, s.Clock.Now(), modlog.Entry{ActorID: actor.ID, Action: modlog.OpenDataLicence,
			TargetType: "setting", Details: l.Name})
		return err
	})
}
