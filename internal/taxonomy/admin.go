package taxonomy

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/modlog"
	"puente/internal/sanitize"
)

// Limits of taxonomy texts.
const (
	MaxLabel = 120
	MaxBody  = 2000
	MaxTitle = 300
)

// Texts are one text in every interface language.
type Texts map[string]string

// MeetingForm adds or edits a meeting.
type MeetingForm struct {
	StartsOn string
	EndsOn   string
	Process  string // CRM, CSM or joint
	Kind     string // one of MeetingKinds
	Place    string // "" for a virtual meeting
	Titles   Texts
}

// MeetingProcesses are who holds a meeting.
var MeetingProcesses = []string{"CRM", "CSM", "joint"}

// MeetingKinds are the kinds of meeting.
var MeetingKinds = []string{"plenary", "vice_ministerial", "technical", "virtual"}

// MaxPlace bounds a meeting's place.
const MaxPlace = 120

var dateRE = regexp.MustCompile(`^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`)

// Validate checks the dates and a title in every language.
func (f *MeetingForm) Validate() apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	f.StartsOn, f.EndsOn = strings.TrimSpace(f.StartsOn), strings.TrimSpace(f.EndsOn)
	if _, err := time.Parse(time.DateOnly, f.StartsOn); err != nil || !dateRE.MatchString(f.StartsOn) {
		errs.Add("starts_on", "taxonomy.date_invalid")
	}
	if f.EndsOn == "" {
		f.EndsOn = f.StartsOn
	} else if _, err := time.Parse(time.DateOnly, f.EndsOn); err != nil || !dateRE.MatchString(f.EndsOn) {
		errs.Add("ends_on", "taxonomy.date_invalid")
	} else if f.EndsOn < f.StartsOn {
		errs.Add("ends_on", "practice.end_before_start")
	}
	if !slices.Contains(MeetingProcesses, f.Process) {
		errs.Add("process", "field.invalid_choice")
	}
	if !slices.Contains(MeetingKinds, f.Kind) {
		errs.Add("kind", "field.invalid_choice")
	}
	f.Place = sanitize.Plain(f.Place)
	if utf8.RuneCountInString(f.Place) > MaxPlace {
		errs.Add("place", "taxonomy.text_too_long")
	} else if f.Place == "" && f.Kind != "virtual" && f.Kind != "" {
		errs.Add("place", "meeting.place_required")
	}
	checkTexts(errs, "title_", f.Titles, MaxTitle)
	return errs
}

func checkTexts(errs apperr.FieldErrors, prefix string, t Texts, limit int) {
	for _, l := range i18n.Langs {
		t[l] = sanitize.Plain(t[l])
		switch {
		case t[l] == "":
			errs.Add(prefix+l, "field.required")
		case utf8.RuneCountInString(t[l]) > limit:
			errs.Add(prefix+l, "taxonomy.text_too_long")
		}
	}
}

// TagForm adds or edits an objective or a recommendation.
type TagForm struct {
	Kind   string
	Labels Texts
	Bodies Texts
}

// Validate checks the kind and a label and full text in every language.
func (f *TagForm) Validate(kindNeeded bool) apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	if kindNeeded && f.Kind != "objective" && f.Kind != "recommendation" {
		errs.Add("kind", "field.invalid_choice")
	}
	checkTexts(errs, "label_", f.Labels, MaxLabel)
	checkTexts(errs, "body_", f.Bodies, MaxBody)
	return errs
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

func slugOf(title, date string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(title), "-"), "-")
	if len(s) > 50 {
		s = strings.Trim(s[:50], "-")
	}
	return date + "-" + s
}

// CreateMeeting adds a meeting and logs it.
func (s *Store) CreateMeeting(ctx context.Context, actorID int64, at time.Time, f MeetingForm) (int64, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO meetings (slug, starts_on, ends_on, process, kind, place, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			slugOf(f.Titles["en"], f.StartsOn), f.StartsOn, f.EndsOn, f.Process, f.Kind, f.Place, db.FormatTime(at))
		if db.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "taxonomy.meeting_exists")
		}
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		for _, l := range i18n.Langs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_i18n (meeting_id, lang, title) VALUES (?, ?, ?)`, id, l, f.Titles[l]); err != nil {
				return err
			}
		}
		_, err = modlog.Record(ctx, tx, at, modlog.Entry{ActorID: actorID, Action: modlog.TaxonomyAdd, TargetType: "meeting", TargetID: id, Details: f.Titles["en"]})
		return err
	})
	return id, err
}

// UpdateMeeting changes a meeting's dates and titles and logs it.
func (s *Store) UpdateMeeting(ctx context.Context, actorID int64, at time.Time, id int64, f MeetingForm) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE meetings SET starts_on = ?, ends_on = ?, process = ?, kind = ?, place = ? WHERE id = ?`,
			f.StartsOn, f.EndsOn, f.Process, f.Kind, f.Place, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		for _, l := range i18n.Langs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_i18n (meeting_id, lang, title) VALUES (?, ?, ?)
				ON CONFLICT (meeting_id, lang) DO UPDATE SET title = excluded.title`, id, l, f.Titles[l]); err != nil {
				return err
			}
		}
		_, err = modlog.Record(ctx, tx, at, modlog.Entry{ActorID: actorID, Action: modlog.TaxonomyEdit, TargetType: "meeting", TargetID: id, Details: f.Titles["en"]})
		return err
	})
}

// AddTag adds an objective or recommendation to a meeting, numbered after
// the last of its kind, and logs it.
func (s *Store) AddTag(ctx context.Context, actorID int64, at time.Time, meetingID int64, f TagForm) (int64, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM meetings WHERE id = ?`, meetingID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO tags (meeting_id, kind, number)
			VALUES (?, ?, (SELECT coalesce(max(number), 0) + 1 FROM tags WHERE meeting_id = ? AND kind = ?))`, meetingID, f.Kind, meetingID, f.Kind)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		if err := writeTagTexts(ctx, tx, id, f); err != nil {
			return err
		}
		_, err = modlog.Record(ctx, tx, at, modlog.Entry{ActorID: actorID, Action: modlog.TaxonomyAdd, TargetType: "tag", TargetID: id, Details: f.Labels["en"]})
		return err
	})
	return id, err
}

func writeTagTexts(ctx context.Context, tx *sql.Tx, id int64, f TagForm) error {
	for _, l := range i18n.Langs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO tag_i18n (tag_id, lang, label, body) VALUES (?, ?, ?, ?)
			ON CONFLICT (tag_id, lang) DO UPDATE SET label = excluded.label, body = excluded.body`, id, l, f.Labels[l], f.Bodies[l]); err != nil {
			return err
		}
	}
	return nil
}

// UpdateTag changes the wording of a tag and logs it. Practices keep the
// tag; they show the new wording.
func (s *Store) UpdateTag(ctx context.Context, actorID int64, at time.Time, id int64, f TagForm) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tagExists(ctx, tx, id); err != nil {
			return err
		}
		if err := writeTagTexts(ctx, tx, id, f); err != nil {
			return err
		}
		_, err := modlog.Record(ctx, tx, at, modlog.Entry{ActorID: actorID, Action: modlog.TaxonomyEdit, TargetType: "tag", TargetID: id, Details: f.Labels["en"]})
		return err
	})
}

func tagExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM tags WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	return err
}

// SetRetired retires a tag (it stays on the practices that carry it but
// can no longer be chosen) or brings it back, and logs it.
func (s *Store) SetRetired(ctx context.Context, actorID int64, at time.Time, id int64, retired bool) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tagExists(ctx, tx, id); err != nil {
			return err
		}
		var value any
		details := "active"
		if retired {
			value, details = db.FormatTime(at), "retired"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tags SET retired_at = ? WHERE id = ?`, value, id); err != nil {
			return err
		}
		_, err := modlog.Record(ctx, tx, at, modlog.Entry{ActorID: actorID, Action: modlog.TaxonomyRetire, TargetType: "tag", TargetID: id, Details: details})
		return err
	})
}

// TagTexts returns a tag's kind and its texts in every language, for the
// edit form.
func (s *Store) TagTexts(ctx context.Context, id int64) (*TagForm, int64, error) {
	f := &TagForm{Labels: Texts{}, Bodies: Texts{}}
	var meeting int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT kind, meeting_id FROM tags WHERE id = ?`, id).Scan(&f.Kind, &meeting)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT lang, label, body FROM tag_i18n WHERE tag_id = ?`, id)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var l, label, body string
		if err := rows.Scan(&l, &label, &body); err != nil {
			return nil, 0, err
		}
		f.Labels[l], f.Bodies[l] = label, body
	}
	return f, meeting, rows.Err()
}

// MeetingTexts returns a meeting's dates and titles in every language.
func (s *Store) MeetingTexts(ctx context.Context, id int64) (*MeetingForm, error) {
	f := &MeetingForm{Titles: Texts{}}
	err := s.DB.R.QueryRowContext(ctx, `SELECT starts_on, ends_on, process, kind, place FROM meetings WHERE id = ?`, id).
		Scan(&f.StartsOn, &f.EndsOn, &f.Process, &f.Kind, &f.Place)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT lang, title FROM meeting_i18n WHERE meeting_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l, t string
		if err := rows.Scan(&l, &t); err != nil {
			return nil, err
		}
		f.Titles[l] = t
	}
	return f, rows.Err()
}
