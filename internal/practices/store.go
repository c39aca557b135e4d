package practices

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/cache"
	"puente/internal/clock"
	"puente/internal/notifications"
	"puente/internal/sanitize"
	"puente/internal/search"
)

// Store reads and writes practices.
type Store struct {
	DB    *db.DB
	Clock clock.Clock
	Index *search.Indexer
	// Versions stamp the counts over published practices kept in memory.
	Versions *cache.Versions

	countsOnce sync.Once
	counts     *cache.Cache[countKey, any]
	// rankings are the titles' and summaries' rankings of searches.
	rankingsOnce sync.Once
	rankings     *cache.Cache[rankKey, []int64]
}

// ErrNotFound answers both "no such practice" and "not yours to see", so
// that a practice outside a viewer's scope cannot be told from none.
var ErrNotFound = apperr.New(apperr.NotFound, "error.not_found")

const practiceColumns = `p.id, p.author_id, a.display_name, coalesce(a.country_code, ''), p.status, p.scope, p.lang, p.title, p.summary,
	p.context_raw, p.context_html, p.actions_raw, p.actions_html, p.results_raw, p.results_html,
	p.lessons_raw, p.lessons_html, p.adoption_raw, p.adoption_html, p.policy_version,
	p.period_start, coalesce(p.period_end, ''), p.institutions, p.partners, p.contact_name, p.contact_email,
	p.revision, p.comment_count, p.created_at, p.updated_at, coalesce(p.submitted_at, ''), coalesce(p.published_at, ''),
	p.review_note, p.reviewed_revision, coalesce(p.hidden_at, ''), p.hidden_reason, p.resubmitted_after, p.author_note,
	coalesce(p.period_end = '', 0),
	coalesce((SELECT coalesce(r.reviewed_at, p.published_at) FROM practice_reviews r WHERE r.practice_id = p.id AND r.stale_at IS NOT NULL), ''),
	EXISTS (SELECT 1 FROM focal_shares fs WHERE fs.practice_id = p.id), ` + relationColumns

// relationColumns end practiceColumns: a practice's countries and tags,
// each a list in its order (see relationsOf), looked up by the tables'
// primary keys. The same lists sit at the end of the practice's row
// (migration 0044), but reading them there means reading the whole row,
// sections and all, where a practice's head reads its first page.
const relationColumns = `coalesce((SELECT group_concat(pc.country_code, ',' ORDER BY pc.country_code) FROM practice_countries pc WHERE pc.practice_id = p.id), ''),
	coalesce((SELECT group_concat(pt.tag_id, ',' ORDER BY pt.tag_id) FROM practice_tags pt WHERE pt.practice_id = p.id), '')`

// indexedRelationColumns are the same lists as the triggers keep them on
// the row (migration 0044), for reads from the cards index, which holds
// them.
const indexedRelationColumns = `p.country_list, p.tag_list`

// listColumns are practiceColumns without the long sections, for lists.
var listColumns = strings.NewReplacer(
	"p.context_raw, p.context_html", "'', ''", "p.actions_raw, p.actions_html", "'', ''",
	"p.results_raw, p.results_html", "'', ''", "p.lessons_raw, p.lessons_html", "'', ''",
	"p.adoption_raw, p.adoption_html", "'', ''").Replace(practiceColumns)

// cardColumns are what a list, a search result or a feed shows of a
// practice: its card. A published practice's card columns are all in the
// practices_cards index (migration 0039), so a page of the list reads
// that index and no table row: a practice's row is some 12 KB, and its
// later columns sit on an overflow page of their own. A card does not
// name its author; WithAuthors adds the names where they are shown (a
// join here cost a list page as much as the rest of its query).
// cardColumns read a card's countries and tags as practiceColumns do;
// indexedCardColumns read them from the cards index, and are only for a
// query that names it.
const (
	cardHead = `p.id, p.author_id, p.status, p.scope, p.lang, p.title, p.summary,
	p.period_start, coalesce(p.period_end, ''), p.comment_count, p.created_at, p.updated_at, coalesce(p.published_at, ''),
	coalesce((SELECT coalesce(r.reviewed_at, p.published_at) FROM practice_reviews r WHERE r.practice_id = p.id AND r.stale_at IS NOT NULL), '')`
	cardColumns        = cardHead + ", " + relationColumns
	indexedCardColumns = cardHead + ", " + indexedRelationColumns
)

// scanCard reads a row of cardColumns; what a card does not show stays
// zero.
func scanCard(r interface{ Scan(...any) error }) (*Practice, error) {
	var p Practice
	var created, updated, published, stale, countries, tags string
	err := r.Scan(&p.ID, &p.AuthorID, &p.Status, &p.Scope, &p.Lang, &p.Title, &p.Summary,
		&p.PeriodStart, &p.PeriodEnd, &p.CommentCount, &created, &updated, &published, &stale, &countries, &tags)
	if err != nil {
		return nil, err
	}
	if err := p.relationsOf(countries, tags); err != nil {
		return nil, err
	}
	p.CreatedAt, _ = db.ParseTime(created)
	p.UpdatedAt, _ = db.ParseTime(updated)
	p.PublishedAt, _ = db.ParseTime(published)
	p.NotReviewedSince, _ = db.ParseTime(stale)
	return &p, nil
}

// WithAuthors fills in the author's name and country of practices read
// as cards, in one query.
func (s *Store) WithAuthors(ctx context.Context, ps []*Practice) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.AuthorID
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, display_name, coalesce(country_code, '') FROM accounts
		WHERE id IN (SELECT value FROM json_each(?))`, db.IDList(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	type author struct{ name, country string }
	found := map[int64]author{}
	for rows.Next() {
		var id int64
		var a author
		if err := rows.Scan(&id, &a.name, &a.country); err != nil {
			return err
		}
		found[id] = a
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range ps {
		a := found[p.AuthorID]
		p.AuthorName, p.AuthorCountry = a.name, a.country
	}
	return nil
}

func scanPractice(r interface{ Scan(...any) error }) (*Practice, error) {
	var p Practice
	raw := make([]string, len(Sections))
	html := make([]string, len(Sections))
	var created, updated, submitted, published, hidden, stale, countries, tags string
	err := r.Scan(&p.ID, &p.AuthorID, &p.AuthorName, &p.AuthorCountry, &p.Status, &p.Scope, &p.Lang, &p.Title, &p.Summary,
		&raw[0], &html[0], &raw[1], &html[1], &raw[2], &html[2], &raw[3], &html[3], &raw[4], &html[4], &p.PolicyVersion,
		&p.PeriodStart, &p.PeriodEnd, &p.Institutions, &p.Partners, &p.ContactName, &p.ContactEmail,
		&p.Revision, &p.CommentCount, &created, &updated, &submitted, &published,
		&p.ReviewNote, &p.ReviewedRevision, &hidden, &p.HiddenReason, &p.ResubmittedAfter, &p.AuthorNote, &p.EndOpen, &stale, &p.SharedWithFocal, &countries, &tags)
	if err != nil {
		return nil, err
	}
	if err := p.relationsOf(countries, tags); err != nil {
		return nil, err
	}
	for i, key := range Sections {
		p.Sections = append(p.Sections, Section{Key: key, Raw: raw[i], HTML: html[i]})
	}
	p.CreatedAt, _ = db.ParseTime(created)
	p.UpdatedAt, _ = db.ParseTime(updated)
	p.SubmittedAt, _ = db.ParseTime(submitted)
	p.PublishedAt, _ = db.ParseTime(published)
	p.HiddenAt, _ = db.ParseTime(hidden)
	p.NotReviewedSince, _ = db.ParseTime(stale)
	return &p, nil
}

// relationsOf sets p's countries and tags from relationColumns.
func (p *Practice) relationsOf(countries, tags string) error {
	if countries != "" {
		p.Countries = strings.Split(countries, ",")
	}
	if tags == "" {
		return nil
	}
	p.Tags = make([]int64, 0, strings.Count(tags, ",")+1)
	for t := range strings.SplitSeq(tags, ",") {
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return err
		}
		p.Tags = append(p.Tags, n)
	}
	return nil
}

func (s *Store) get(ctx context.Context, q db.Querier, id int64) (*Practice, error) {
	p, err := scanPractice(q.QueryRowContext(ctx, `SELECT `+practiceColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return p, err
}

// Get returns practice id if v may see it, and ErrNotFound otherwise: one
// statement, its countries and tags gathered in it.
func (s *Store) Get(ctx context.Context, v Viewer, id int64) (*Practice, error) {
	return s.get1(ctx, v, id, practiceColumns)
}

// GetHead is Get without the five sections (their text is most of a
// practice's bytes): what a practice page needs when it keeps the
// practice rendered. LoadSections adds them.
func (s *Store) GetHead(ctx context.Context, v Viewer, id int64) (*Practice, error) {
	return s.get1(ctx, v, id, listColumns)
}

// LoadSections reads the sections of p, read by GetHead.
func (s *Store) LoadSections(ctx context.Context, p *Practice) error {
	raw := make([]string, len(Sections))
	html := make([]string, len(Sections))
	err := s.DB.R.QueryRowContext(ctx, `SELECT context_raw, context_html, actions_raw, actions_html, results_raw, results_html,
		lessons_raw, lessons_html, adoption_raw, adoption_html FROM practices WHERE id = ?`, p.ID).
		Scan(&raw[0], &html[0], &raw[1], &html[1], &raw[2], &html[2], &raw[3], &html[3], &raw[4], &html[4])
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	p.Sections = p.Sections[:0]
	for i, key := range Sections {
		p.Sections = append(p.Sections, Section{Key: key, Raw: raw[i], HTML: html[i]})
	}
	return nil
}

func (s *Store) get1(ctx context.Context, v Viewer, id int64, columns string) (*Practice, error) {
	where, args := visibleWhere(v)
	p, err := scanPractice(s.DB.R.QueryRowContext(ctx, `SELECT `+columns+`
		FROM practices p JOIN accounts a ON a.id = p.author_id
		WHERE p.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return p, err
}

// Status returns the status of practice id, and whether moderators hid it,
// if v may see it, else ErrNotFound: the visibility check alone, without
// loading the practice.
func (s *Store) Status(ctx context.Context, v Viewer, id int64) (st Status, hidden bool, err error) {
	where, args := visibleWhere(v)
	err = s.DB.R.QueryRowContext(ctx, `SELECT p.status, p.hidden_at IS NOT NULL FROM practices p WHERE p.id = ? AND `+where, append([]any{id}, args...)...).Scan(&st, &hidden)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, ErrNotFound
	}
	return st, hidden, err
}

// Snapshot is a practice's content at one revision, as stored.
type Snapshot struct {
	Title        string            `json:"title"`
	Summary      string            `json:"summary"`
	Sections     map[string]string `json:"sections"` // sanitised HTML
	Countries    []string          `json:"countries"`
	Tags         []int64           `json:"tags"`
	PeriodStart  string            `json:"period_start"`
	PeriodEnd    string            `json:"period_end"`
	Institutions string            `json:"institutions"`
	Partners     string            `json:"partners"`
	ContactName  string            `json:"contact_name"`
	ContactEmail string            `json:"contact_email"`
	Lang         string            `json:"lang"`
	Scope        string            `json:"scope"`
}

func snapshotOf(p *Practice) Snapshot {
	s := Snapshot{Title: p.Title, Summary: p.Summary, Sections: map[string]string{}, Countries: p.Countries, Tags: p.Tags,
		PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd, Institutions: p.Institutions, Partners: p.Partners,
		ContactName: p.ContactName, ContactEmail: p.ContactEmail, Lang: p.Lang, Scope: string(p.Scope)}
	for _, sec := range p.Sections {
		s.Sections[sec.Key] = sec.HTML
	}
	return s
}

// writeContent stores the form's content on practice id (sanitising every
// section), replaces its countries and tags, and records a revision.
func (s *Store) writeContent(ctx context.Context, tx *sql.Tx, id int64, editor int64, f Form) error {
	now := db.FormatTime(s.Clock.Now())
	args := []any{f.Lang, f.Title, f.Summary}
	var sets []string
	for _, key := range Sections {
		raw := f.Sections[key]
		sets = append(sets, key+"_raw = ?", key+"_html = ?")
		args = append(args, raw, sanitize.Rich(raw))
	}
	// NULL: ongoing; '': a draft that says neither (see EndOpen).
	var end any = f.PeriodEnd
	if f.Ongoing {
		end = nil
	}
	args = append(args, sanitize.PolicyVersion, f.PeriodStart, end, f.Institutions, f.Partners, f.ContactName, f.ContactEmail, f.Scope, now, id)
	if _, err := tx.ExecContext(ctx, `UPDATE practices SET lang = ?, title = ?, summary = ?, `+strings.Join(sets, ", ")+`,
		policy_version = ?, period_start = ?, period_end = ?, institutions = ?, partners = ?, contact_name = ?, contact_email = ?,
		scope = ?, updated_at = ?, revision = revision + 1 WHERE id = ?`, args...); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_countries WHERE practice_id = ?`, id); err != nil {
		return err
	}
	for _, cc := range f.Countries {
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_countries (practice_id, country_code) VALUES (?, ?)`, id, cc); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_tags WHERE practice_id = ?`, id); err != nil {
		return err
	}
	for _, t := range f.Tags {
		tid, _ := strconv.ParseInt(t, 10, 64)
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_tags (practice_id, tag_id) VALUES (?, ?)`, id, tid); err != nil {
			return err
		}
	}
	p, err := s.get(ctx, tx, id)
	if err != nil {
		return err
	}
	snap, err := json.Marshal(snapshotOf(p))
	if err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO practice_revisions (practice_id, number, editor_id, created_at, status, snapshot) VALUES (?, ?, ?, ?, ?, ?)`,
		id, p.Revision, editor, now, p.Status, string(snap)); err != nil {
		return err
	}
	return s.Index.Index(ctx, tx, id)
}

// Create saves a new draft by author from a validated form.
func (s *Store) Create(ctx context.Context, author *accounts.Account, f Form) (*Practice, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := db.FormatTime(s.Clock.Now())
		res, err := tx.ExecContext(ctx, `INSERT INTO practices (author_id, lang, title, summary, policy_version, period_start, revision, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`, author.ID, f.Lang, f.Title, f.Summary, sanitize.PolicyVersion, f.PeriodStart, now, now)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		return s.writeContent(ctx, tx, id, author.ID, f)
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, s.DB.R, id)
}

// Update saves a new revision of practice id. Only its author may. On a
// published practice the edit becomes a change waiting for review (see
// Change), unless it only corrects the contact point or the end of the
// period and none is waiting; on a submitted one it is refused: it is
// being reviewed.
func (s *Store) Update(ctx context.Context, v Viewer, id int64, f Form) (*Practice, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.get(ctx, tx, id)
		if err != nil {
			return err
		}
		if !v.CanSee(p) {
			return ErrNotFound
		}
		if !v.CanEdit(p) {
			return apperr.New(apperr.Forbidden, "practice.not_yours")
		}
		if p.Status == Published {
			pending, err := ChangeOf(ctx, tx, id)
			if err != nil {
				return err
			}
			if pending != nil || p.Hidden() || reviewed(p, f) {
				if err := saveChange(ctx, tx, s.Clock.Now(), id, v.AccountID, f); err != nil {
					return err
				}
				return tellStaff(ctx, tx, s.Clock.Now(), v.AccountID)
			}
		}
		return s.writeContent(ctx, tx, id, v.AccountID, f)
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, s.DB.R, id)
}

// transition moves practice id from one of the from statuses to to, in
// one conditional UPDATE: of two people acting at once, one wins and the
// other is told it was already handled.
func (s *Store) transition(ctx context.Context, id int64, to Status, stamp string, from ...Status) error {
	return Transition(ctx, s.DB.W, s.Clock.Now(), id, to, stamp, from...)
}

// Transition is transition for a caller's own transaction (or pool).
func Transition(ctx context.Context, q db.Querier, at time.Time, id int64, to Status, stamp string, from ...Status) error {
	now := db.FormatTime(at)
	in := strings.TrimSuffix(strings.Repeat("?,", len(from)), ",")
	args := []any{to, now}
	query := `UPDATE practices SET status = ?, updated_at = ?`
	if stamp != "" {
		query += `, ` + stamp + ` = ?`
		args = append(args, now)
	}
	query += ` WHERE id = ? AND status IN (` + in + `)`
	args = append(args, id)
	for _, f := range from {
		args = append(args, f)
	}
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, "practice.already_handled")
	}
	return nil
}

// Submit sends the author's draft, returned or rejected practice for
// review, with their note to moderators. A rejected one goes back to the
// queue marked as such.
func (s *Store) Submit(ctx context.Context, v Viewer, id int64, note string) error {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return err
	}
	if !v.CanEdit(p) {
		return apperr.New(apperr.Forbidden, "practice.not_yours")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := Transition(ctx, tx, s.Clock.Now(), id, Submitted, "submitted_at", Draft, Returned, Rejected); err != nil {
			return err
		}
		after := ""
		if p.Status == Rejected {
			after = "rejected"
		}
		if err := SetResubmission(ctx, tx, id, after, sanitize.Plain(note)); err != nil {
			return err
		}
		return tellStaff(ctx, tx, s.Clock.Now(), v.AccountID)
	})
}

// SetResubmission records why practice id is in the review queue again
// (after is "", "rejected" or "appeal") and the author's note, inside the
// caller's transaction.
func SetResubmission(ctx context.Context, tx db.Querier, id int64, after, note string) error {
	_, err := tx.ExecContext(ctx, `UPDATE practices SET resubmitted_after = ?, author_note = ? WHERE id = ?`, after, note, id)
	return err
}

// PublishDirect publishes a practice without review, for the demo seed.
func (s *Store) PublishDirect(ctx context.Context, id int64) error {
	return s.transition(ctx, id, Published, "published_at", Draft, Submitted)
}

func (s *Store) now() string { return db.FormatTime(s.Clock.Now()) }

// Resanitize renders every practice's sections again from their raw input
// with the current policy: those made under an older policy, or all of
// them. It works in batches, one transaction each, and reports progress.
func (s *Store) Resanitize(ctx context.Context, all bool, progress func(done int)) (int, error) {
	done := 0
	var after int64
	for {
		var ids []int64
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT id, context_raw, actions_raw, results_raw, lessons_raw, adoption_raw FROM practices
				WHERE id > ? AND (? OR policy_version < ?) ORDER BY id LIMIT 200`, after, all, sanitize.PolicyVersion)
			if err != nil {
				return err
			}
			type row struct {
				id  int64
				raw [5]string
			}
			var batch []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.raw[0], &r.raw[1], &r.raw[2], &r.raw[3], &r.raw[4]); err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, r)
			}
			rows.Close()
			for _, r := range batch {
				if _, err := tx.ExecContext(ctx, `UPDATE practices SET context_html = ?, actions_html = ?, results_html = ?, lessons_html = ?,
					adoption_html = ?, policy_version = ? WHERE id = ?`, sanitize.Rich(r.raw[0]), sanitize.Rich(r.raw[1]), sanitize.Rich(r.raw[2]),
					sanitize.Rich(r.raw[3]), sanitize.Rich(r.raw[4]), sanitize.PolicyVersion, r.id); err != nil {
					return err
				}
				ids = append(ids, r.id)
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		if len(ids) == 0 {
			return done, nil
		}
		after = ids[len(ids)-1]
		done += len(ids)
		if progress != nil {
			progress(done)
		}
	}
}

// Load returns practice id whatever its state, inside q (a transaction),
// for moderation, which checks its own rules.
func Load(ctx context.Context, q db.Querier, id int64) (*Practice, error) {
	return (&Store{}).get(ctx, q, id)
}

// Queue returns the practices waiting for review, oldest submission first.
func (s *Store) Queue(ctx context.Context) ([]*Practice, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id
		WHERE p.status = 'submitted' ORDER BY p.submitted_at, p.id LIMIT 500`)
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// RevisionSnapshot returns one revision's content of practice id.
func (s *Store) RevisionSnapshot(ctx context.Context, id int64, number int) (*Snapshot, error) {
	var raw string
	err := s.DB.R.QueryRowContext(ctx, `SELECT snapshot FROM practice_revisions WHERE practice_id = ? AND number = ?`, id, number).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var snap Snapshot
	return &snap, json.Unmarshal([]byte(raw), &snap)
}

// SnapshotOf is the content of p as a revision would store it.
func SnapshotOf(p *Practice) Snapshot { return snapshotOf(p) }

// AdjustCommentCount adds delta to practice id's count of visible
// comments inside the caller's transaction (a comment posted, deleted,
// hidden or restored).
func (s *Store) AdjustCommentCount(ctx context.Context, tx db.Querier, id int64, delta int) error {
	if delta != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE practices SET comment_count = comment_count + ? WHERE id = ?`, delta, id); err != nil {
			return err
		}
	}
	return nil
}

// Reindex rewrites practice id's search row inside the caller's
// transaction.
func (s *Store) Reindex(ctx context.Context, tx db.Querier, id int64) error {
	return s.Index.Index(ctx, tx, id)
}

// SearchDoc reads what the search index holds of practice id, with the
// codes of its countries, for the indexer.
func SearchDoc(ctx context.Context, q db.Querier, id int64) (search.Doc, []string, bool, error) {
	var d search.Doc
	var institutions, partners string
	d.Sections = make([]string, 5)
	err := q.QueryRowContext(ctx, `SELECT title, summary, institutions, partners,
		context_html, actions_html, results_html, lessons_html, adoption_html FROM practices WHERE id = ?`, id).
		Scan(&d.Title, &d.Summary, &institutions, &partners, &d.Sections[0], &d.Sections[1], &d.Sections[2], &d.Sections[3], &d.Sections[4])
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil, false, nil
	}
	if err != nil {
		return d, nil, false, err
	}
	d.Places = institutions + " " + partners
	// Its versions in other languages are found in their own words.
	titles, summaries, sections, err := versionTexts(ctx, q, id)
	if err != nil {
		return d, nil, false, err
	}
	if titles != "" {
		d.Title += " " + titles
		d.Summary += " " + summaries
		for i := range d.Sections {
			d.Sections[i] += sections[i]
		}
	}
	// The names of its files are found like its institutions.
	names, err := attachmentNames(ctx, q, id)
	if err != nil {
		return d, nil, false, err
	}
	if len(names) > 0 {
		d.Places += " " + strings.Join(names, " ")
	}
	codes, err := countryCodes(ctx, q, id)
	return d, codes, true, err
}

func countryCodes(ctx context.Context, q db.Querier, id int64) ([]string, error) {
	return db.Column[string](ctx, q, `SELECT country_code FROM practice_countries WHERE practice_id = ? ORDER BY country_code`, id)
}

// IDsAfter returns up to n practice ids above after, in order.
func IDsAfter(ctx context.Context, q db.Querier, after int64, n int) ([]int64, error) {
	return db.Column[int64](ctx, q, `SELECT id FROM practices WHERE id > ? ORDER BY id LIMIT ?`, after, n)
}

// SetReviewNote records a moderator's note on the revision just decided,
// inside the caller's transaction.
func SetReviewNote(ctx context.Context, tx db.Querier, id int64, note string) error {
	_, err := tx.ExecContext(ctx, `UPDATE practices SET review_note = ?, reviewed_revision = revision WHERE id = ?`, note, id)
	return err
}

// SetHidden hides practice id with a reason (at is when) or, with a zero
// at, makes it visible again, inside the caller's transaction.
func SetHidden(ctx context.Context, tx db.Querier, id int64, at time.Time, reason string) error {
	_, err := tx.ExecContext(ctx, `UPDATE practices SET hidden_at = ?, hidden_reason = ? WHERE id = ?`, db.TimeOrNull(at), reason, id)
	return err
}

// CountSubmitted counts the practices waiting for review.
func CountSubmitted(ctx context.Context, q db.Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM practices WHERE status = 'submitted'`).Scan(&n)
	return n, err
}

// IDByTitle returns the id of the first practice titled title, or 0.
func (s *Store) IDByTitle(ctx context.Context, title string) (int64, error) {
	var id int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT id FROM practices WHERE title = ? ORDER BY id LIMIT 1`, title).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// Backdate moves a just-published practice's history to have been
// published at at (written a week before, submitted two days before), for
// seeded demonstration data.
func (s *Store) Backdate(ctx context.Context, id int64, at time.Time) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE practices SET created_at = ?, updated_at = ?, submitted_at = ?, published_at = ? WHERE id = ?`,
			db.FormatTime(at.AddDate(0, 0, -7)), db.FormatTime(at), db.FormatTime(at.AddDate(0, 0, -2)), db.FormatTime(at), id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE practice_revisions SET created_at = ? WHERE practice_id = ?`, db.FormatTime(at.AddDate(0, 0, -7)), id)
		return err
	})
}

// tellStaff tells moderators and admins, but the author, that something
// waits in the review queue: one notification until they read it.
func tellStaff(ctx context.Context, tx db.Querier, at time.Time, author int64) error {
	staff, err := accounts.StaffIDs(ctx, tx)
	if err != nil {
		return err
	}
	return notifications.AddOnce(ctx, tx, at, notifications.Notification{Kind: notifications.QueueWaiting, ActorID: author}, staff...)
}
