// Package digest composes and sends the weekly email digest: for each
// person, the moderators' featured picks, the practices published in the
// tags and countries they follow, and new comments on the practices they
// wrote or follow, within their sharing scope and in their language. A
// delivery row per person and period makes each digest go out once.
package digest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"sync/atomic"
	"time"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/adoptions"
	"puente/internal/apperr"
	"puente/internal/clock"
	"puente/internal/comments"
	"puente/internal/i18n"
	"puente/internal/mail"
	"puente/internal/moderation"
	"puente/internal/notifications"
	"puente/internal/notify"
	"puente/internal/practices"
	"puente/internal/taxonomy"
	"puente/internal/tokens"
)

// Limits of one digest, so that a busy week stays readable.
const (
	MaxPractices = 15
	MaxComments  = 10
	MaxNotices   = 15
)

// Runner composes and queues digests.
type Runner struct {
	DB       *db.DB
	Clock    clock.Clock
	Composer *mail.Composer
	Outbox   *mail.Outbox
	Taxonomy *taxonomy.Store
	// The owners of what a digest reads.
	Accounts   *accounts.Store
	Practices  *practices.Store
	Comments   *comments.Store
	Adoptions  *adoptions.Store
	Moderation *moderation.Store
	Inbox      *notifications.Store
	Notices    *notify.Notices
	BaseURL    *url.URL
	// Location is the operator's time zone; weeks run Monday to Monday in it.
	Location *time.Location
	// MailTo is the address for mailto: unsubscribe requests.
	MailTo string
	Log    *slog.Logger

	runs, failed atomic.Uint64
}

// Runs counts the digest runs of this process, and those that failed.
func (r *Runner) Runs() (runs, failed uint64) { return r.runs.Load(), r.failed.Load() }

// LastRun is the most recent digest run completed by any process on this
// database (the server's schedule or the command from cron), whether or
// not it had anything to send: the week it covered and when it ended. ok
// is false when none ever was.
func (r *Runner) LastRun(ctx context.Context) (period string, at time.Time, ok bool, err error) {
	var created string
	err = r.DB.R.QueryRowContext(ctx, `SELECT period, finished_at FROM digest_runs ORDER BY id DESC LIMIT 1`).Scan(&period, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return "", time.Time{}, false, nil
	}
	if err != nil {
		return "", time.Time{}, false, err
	}
	at, err = db.ParseTime(created)
	return period, at, err == nil, err
}

// Item is a practice in a digest.
type Item struct {
	ID        int64
	Title     string
	Summary   string
	Lang      string
	Countries []string // names in the recipient's language
	Tags      []string // labels in the recipient's language
	URL       string
	Note      string // why moderators featured it
}

// CommentGroup is the week's new comments on one practice.
type CommentGroup struct {
	Title   string
	URL     string
	Count   int
	Authors []string // the first MaxAuthorsNamed, in the order they wrote
	// MoreAuthors counts the other people who commented.
	MoreAuthors int
}

// AdoptionLine is a country's new or updated record of taking up a
// practice, as a digest line.
type AdoptionLine struct {
	Country string // in the recipient's language
	Stage   string // adoptions.Stage
	Started string // the month, in the recipient's language; "" when not said
	Title   string
	Lang    string
	URL     string
}

// MaxAdoptions bounds the digest's "taken up" lines.
const MaxAdoptions = 10

// MaxAuthorsNamed is how many commenters a digest names per practice:
// however long a thread grows that week, its line stays one line.
const MaxAuthorsNamed = 5

// Content is what one person's digest says.
type Content struct {
	Period        string
	From, To      time.Time
	Featured      []Item
	Practices     []Item
	MorePractices int
	Comments      []CommentGroup
	// Adoptions are the week's new and updated records of states taking
	// up practices the person may see.
	Adoptions []AdoptionLine
	// Notices are what happened to the person that they chose to hear of
	// in the digest, and MoreNotices those beyond MaxNotices.
	Notices     []mail.NoticeLine
	MoreNotices int
	InboxURL    string
	FollowsSome bool
	ListURL     string
	SettingsURL string
	UnsubURL    string
}

// Email is the digest as the email templates receive it.
type Email struct {
	Name   string
	Digest *Content
}

// Kind names the templates.
func (*Email) Kind() string { return "digest" }

// SubjectArgs name the period in the subject.
func (e *Email) SubjectArgs() []any { return []any{"period", e.Digest.Period} }

// Footer says why the person receives it.
func (*Email) Footer() string { return "digest.footer" }

// Empty reports whether there is nothing to send.
func (c *Content) Empty() bool {
	return len(c.Featured) == 0 && len(c.Practices) == 0 && len(c.Comments) == 0 && len(c.Notices) == 0 && len(c.Adoptions) == 0
}

// week is what a period holds for everyone, read once per run: the
// published practices and the featured picks of its window.
type week struct {
	period    Period
	from, to  time.Time
	weeks     int
	practices []*practices.Practice
	featured  map[int64]string // practice id → note
	// adoptions changed in the window, and the practices they are about.
	adoptions []adoptions.Moved
	adopted   map[int64]*practices.Practice
}

func (r *Runner) loadWeek(ctx context.Context, p Period, weeks int) (*week, error) {
	w := &week{period: p, to: p.End(r.Location), weeks: weeks, featured: map[int64]string{}}
	w.from = w.to.AddDate(0, 0, -7*weeks)
	var err error
	if w.practices, err = r.Practices.PublishedBetween(ctx, w.from, w.to); err != nil {
		return nil, err
	}
	if w.adoptions, err = r.Adoptions.ChangedBetween(ctx, w.from, w.to); err != nil {
		return nil, err
	}
	if len(w.adoptions) > 0 {
		ids := make([]int64, len(w.adoptions))
		for i, m := range w.adoptions {
			ids[i] = m.PracticeID
		}
		ps, err := r.Practices.PublishedAmong(ctx, ids)
		if err != nil {
			return nil, err
		}
		w.adopted = make(map[int64]*practices.Practice, len(ps))
		for _, p := range ps {
			w.adopted[p.ID] = p
		}
	}
	// Featured picks of the window, whenever they were published.
	picks, err := r.Moderation.FeaturedBetween(ctx, w.from, w.to)
	if err != nil || len(picks) == 0 {
		return w, err
	}
	var older []int64
	for _, pk := range picks {
		w.featured[pk.PracticeID] = pk.Note
		if !slices.ContainsFunc(w.practices, func(p *practices.Practice) bool { return p.ID == pk.PracticeID }) {
			older = append(older, pk.PracticeID)
		}
	}
	if len(older) > 0 {
		more, err := r.Practices.PublishedAmong(ctx, older)
		if err != nil {
			return nil, err
		}
		w.practices = append(w.practices, more...)
	}
	return w, nil
}

// names caches taxonomy names per language for a run.
type names struct {
	countries map[string]map[string]string
	tags      map[string]map[int64]*taxonomy.TagRef
}

func (r *Runner) namesIn(ctx context.Context, n *names, lang string) (map[string]string, map[int64]*taxonomy.TagRef, error) {
	if c, ok := n.countries[lang]; ok {
		return c, n.tags[lang], nil
	}
	cs := r.Taxonomy.Countries(lang)
	cm := map[string]string{}
	for _, c := range cs {
		cm[c.Code] = c.Name(lang)
	}
	tags, err := r.Taxonomy.Tags(ctx, lang)
	if err != nil {
		return nil, nil, err
	}
	n.countries[lang], n.tags[lang] = cm, tags
	return cm, tags, nil
}

func (r *Runner) abs(path string) string { return r.BaseURL.String() + path }

// compose builds one person's digest for week w.
func (r *Runner) compose(ctx context.Context, a *accounts.Account, w *week, n *names) (*Content, error) {
	lang := a.Lang
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	countryNames, tagNames, err := r.namesIn(ctx, n, lang)
	if err != nil {
		return nil, err
	}
	v := practices.ViewerOf(a, r.Taxonomy)
	c := &Content{Period: w.period.String(), From: w.from, To: w.to.Add(-time.Second),
		ListURL: r.abs("/practices"), SettingsURL: r.abs("/settings/digest"), InboxURL: r.abs("/notifications")}
	var followTags []int64
	var followCountries []string
	rows, err := r.DB.R.QueryContext(ctx, `SELECT 't', tag_id, '' FROM follow_tags WHERE account_id = ?
		UNION ALL SELECT 'c', 0, country_code FROM follow_countries WHERE account_id = ?`, a.ID, a.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var kind, cc string
		var tag int64
		if err := rows.Scan(&kind, &tag, &cc); err != nil {
			rows.Close()
			return nil, err
		}
		if kind == "t" {
			followTags = append(followTags, tag)
		} else {
			followCountries = append(followCountries, cc)
		}
	}
	rows.Close()
	c.FollowsSome = len(followTags)+len(followCountries) > 0
	// Titles and summaries in the recipient's language, where a version
	// has them.
	localized, err := r.Practices.Localize(ctx, lang, w.practices)
	if err != nil {
		return nil, err
	}
	inLang := map[int64]*practices.Practice{}
	for _, p := range localized {
		inLang[p.ID] = p
	}
	item := func(p *practices.Practice) Item {
		if l, ok := inLang[p.ID]; ok {
			p = l
		}
		it := Item{ID: p.ID, Title: p.Title, Summary: p.Summary, Lang: p.Lang, URL: r.abs(fmt.Sprintf("/practices/%d", p.ID))}
		for _, cc := range p.Countries {
			it.Countries = append(it.Countries, countryNames[cc])
		}
		slices.Sort(it.Countries)
		for _, t := range p.Tags {
			if tr, ok := tagNames[t]; ok {
				it.Tags = append(it.Tags, tr.Label)
			}
		}
		return it
	}
	for _, p := range w.practices {
		if !v.CanSee(p) {
			continue
		}
		if note, ok := w.featured[p.ID]; ok {
			it := item(p)
			it.Note = note
			c.Featured = append(c.Featured, it)
			continue
		}
		if p.PublishedAt.Before(w.from) {
			continue // an older practice featured this week
		}
		if c.FollowsSome && !slices.ContainsFunc(p.Tags, func(t int64) bool { return slices.Contains(followTags, t) }) &&
			!slices.ContainsFunc(p.Countries, func(cc string) bool { return slices.Contains(followCountries, cc) }) {
			continue
		}
		if len(c.Practices) < MaxPractices {
			c.Practices = append(c.Practices, item(p))
		} else {
			c.MorePractices++
		}
	}
	groups, err := r.comments(ctx, a, v, w)
	if err != nil {
		return nil, err
	}
	c.Comments = groups
	if err := r.adoptionLines(ctx, lang, v, w, countryNames, c); err != nil {
		return nil, err
	}
	return c, r.notices(ctx, a, w, c)
}

// adoptionLines adds the week's records of states taking up practices v
// may see, titles in the recipient's language where a version has them.
func (r *Runner) adoptionLines(ctx context.Context, lang string, v practices.Viewer, w *week, countryNames map[string]string, c *Content) error {
	var seen []*practices.Practice
	var moved []adoptions.Moved
	for _, m := range w.adoptions {
		p := w.adopted[m.PracticeID]
		if p == nil || !v.CanSee(p) {
			continue
		}
		moved = append(moved, m)
		seen = append(seen, p)
		if len(moved) == MaxAdoptions {
			break
		}
	}
	if len(moved) == 0 {
		return nil
	}
	localized, err := r.Practices.Localize(ctx, lang, seen)
	if err != nil {
		return err
	}
	for i, m := range moved {
		p := localized[i]
		started := ""
		if t, err := time.Parse("2006-01", m.Started); err == nil {
			started = i18n.For(lang).MonthYear(t)
		}
		c.Adoptions = append(c.Adoptions, AdoptionLine{Country: countryNames[m.Country], Stage: string(m.Stage), Started: started,
			Title: p.Title, Lang: p.Lang, URL: r.abs(fmt.Sprintf("/practices/%d#adoption-%d", p.ID, m.ID))})
	}
	return nil
}

// notices adds what happened to a in the window that they chose to hear
// of in the digest.
func (r *Runner) notices(ctx context.Context, a *accounts.Account, w *week, c *Content) error {
	list, err := r.Inbox.ForDigest(ctx, a.ID, w.from, w.to, MaxNotices+1)
	if err != nil || len(list) == 0 {
		return err
	}
	if len(list) > MaxNotices {
		if c.MoreNotices, err = r.Inbox.CountForDigest(ctx, a.ID, w.from, w.to); err != nil {
			return err
		}
		c.MoreNotices -= MaxNotices
		list = list[:MaxNotices]
	}
	entries, err := r.Notices.Entries(ctx, a, list)
	if err != nil {
		return err
	}
	for _, e := range entries {
		line := mail.NoticeLine{Kind: e.Kind, Count: e.Grouped, DetailKey: e.DetailKey(), Actor: e.Actor, Title: e.Title, Note: e.Note}
		if e.Path != "" {
			line.URL = r.abs(e.Path)
		}
		c.Notices = append(c.Notices, line)
	}
	return nil
}

// comments groups the window's new comments, by other people, on the
// practices a wrote or follows and may still see.
func (r *Runner) comments(ctx context.Context, a *accounts.Account, v practices.Viewer, w *week) ([]CommentGroup, error) {
	titles, err := r.Practices.Watched(ctx, v)
	if err != nil || len(titles) == 0 {
		return nil, err
	}
	ids := slices.Collect(maps.Keys(titles))
	acts, err := r.Comments.NewOn(ctx, ids, w.from, w.to, a.ID, MaxComments, MaxAuthorsNamed)
	if err != nil {
		return nil, err
	}
	var people []int64
	for _, act := range acts {
		people = append(people, act.AuthorIDs...)
	}
	names, err := r.Accounts.DisplayNames(ctx, people)
	if err != nil {
		return nil, err
	}
	out := make([]CommentGroup, 0, len(acts))
	for _, act := range acts {
		g := CommentGroup{Title: titles[act.PracticeID], URL: r.abs(fmt.Sprintf("/practices/%d#comments", act.PracticeID)), Count: act.Count}
		for _, id := range act.AuthorIDs {
			g.Authors = append(g.Authors, names[id])
		}
		g.MoreAuthors = act.People - len(g.Authors)
		out = append(out, g)
	}
	return out, nil
}

// message renders a composed digest as an email with its unsubscribe
// headers (RFC 8058 one-click).
func (r *Runner) message(a *accounts.Account, c *Content, token string) (mail.Message, error) {
	c.UnsubURL = r.abs("/unsubscribe/" + token)
	lang := a.Lang
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	m, err := r.Composer.Compose(lang, a.Email, a.DisplayName, &Email{Name: a.DisplayName, Digest: c})
	if err != nil {
		return m, err
	}
	mailto := "mailto:" + r.MailTo + "?subject=" + url.QueryEscape("unsubscribe "+token)
	m.Headers = map[string]string{
		"List-Unsubscribe":      "<" + c.UnsubURL + ">, <" + mailto + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"List-Id":               "Puente digest <digest." + r.BaseURL.Hostname() + ">",
		"Auto-Submitted":        "auto-generated",
		"Precedence":            "bulk",
	}
	return m, nil
}

// Summary counts what a run did.
type Summary struct {
	Period     string
	Recipients int // accounts considered
	Queued     int // digests handed to the outbox
	Empty      int // nothing for them this period
	Done       int // already handled by an earlier run
	NotDue     int // asked for a digest less often
	Failed     int
}

func (s Summary) String() string {
	return fmt.Sprintf("period %s: %d recipients, %d queued, %d empty, %d already done, %d not due, %d failed",
		s.Period, s.Recipients, s.Queued, s.Empty, s.Done, s.NotDue, s.Failed)
}

// Options tune a run.
type Options struct {
	DryRun   bool
	Progress func(done, total int)
	// FailAfter, for tests, stops the run with an error after that many
	// digests were queued, as a crash would.
	FailAfter int
}

// ErrInjected is the failure FailAfter injects.
var ErrInjected = errors.New("digest: injected failure")

// Run queues the digests of period p for every active account that wants
// one. It reads accounts in batches, so memory does not grow with their
// number. Each digest is queued in one transaction with its delivery row;
// a digest already recorded for (account, period) is skipped, so a rerun
// after a crash, or two runs at once, send each digest once.
func (r *Runner) Run(ctx context.Context, p Period, opt Options) (sum Summary, err error) {
	if !opt.DryRun {
		r.runs.Add(1)
		defer func() {
			if err != nil {
				r.failed.Add(1)
			}
		}()
	}
	sum = Summary{Period: p.String()}
	// A week still under way (or to come) would be marked done before what
	// is published in its last days: refused, with nothing recorded. A
	// dry run records nothing and may look ahead.
	if end := p.End(r.Location); end.After(r.Clock.Now()) && !opt.DryRun {
		return sum, fmt.Errorf("%w: %s ends %s", ErrWeekNotOver, p, end.Format("Monday 2 January 2006 15:04 MST"))
	}
	total, err := r.Accounts.CountDigestRecipients(ctx)
	if err != nil {
		return sum, err
	}
	weeks := map[int]*week{}
	n := &names{countries: map[string]map[string]string{}, tags: map[string]map[int64]*taxonomy.TagRef{}}
	var after int64
	for {
		batch, err := r.Accounts.DigestRecipients(ctx, after, 500)
		if err != nil {
			return sum, err
		}
		if len(batch) == 0 {
			break
		}
		after = batch[len(batch)-1].ID
		for _, rc := range batch {
			if ctx.Err() != nil {
				return sum, ctx.Err()
			}
			sum.Recipients++
			if opt.Progress != nil && sum.Recipients%100 == 0 {
				opt.Progress(sum.Recipients, total)
			}
			if !p.Due(rc.Every) {
				sum.NotDue++
				continue
			}
			w, ok := weeks[rc.Every]
			if !ok {
				if w, err = r.loadWeek(ctx, p, rc.Every); err != nil {
					return sum, err
				}
				weeks[rc.Every] = w
			}
			outcome, err := r.one(ctx, rc.Account, w, n, opt.DryRun)
			if err != nil {
				sum.Failed++
				r.Log.Error("digest", "account_id", rc.ID, "period", sum.Period, "err", err)
				continue
			}
			switch outcome {
			case "queued":
				sum.Queued++
			case "empty":
				sum.Empty++
			case "done":
				sum.Done++
			}
			if opt.FailAfter > 0 && sum.Queued >= opt.FailAfter {
				return sum, ErrInjected
			}
		}
	}
	if opt.Progress != nil {
		opt.Progress(sum.Recipients, total)
	}
	if !opt.DryRun {
		if _, err := r.DB.W.ExecContext(ctx, `INSERT INTO digest_runs (period, finished_at, recipients, queued, empty, failed) VALUES (?, ?, ?, ?, ?, ?)`,
			sum.Period, db.FormatTime(r.Clock.Now()), sum.Recipients, sum.Queued, sum.Empty, sum.Failed); err != nil {
			return sum, err
		}
		if sum.Queued > 0 {
			r.Outbox.Notify()
		}
	}
	r.Log.Info("digest run", "period", sum.Period, "recipients", sum.Recipients, "queued", sum.Queued, "empty", sum.Empty,
		"already_done", sum.Done, "not_due", sum.NotDue, "failed", sum.Failed, "dry_run", opt.DryRun)
	return sum, nil
}

// one handles one account: "queued", "empty" or "done".
func (r *Runner) one(ctx context.Context, a *accounts.Account, w *week, n *names, dry bool) (string, error) {
	var exists int
	if err := r.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM digest_deliveries WHERE account_id = ? AND period = ?`, a.ID, w.period.String()).Scan(&exists); err != nil {
		return "", err
	}
	if exists > 0 {
		return "done", nil
	}
	c, err := r.compose(ctx, a, w, n)
	if err != nil {
		return "", err
	}
	if dry {
		if c.Empty() {
			return "empty", nil
		}
		return "queued", nil
	}
	now := db.FormatTime(r.Clock.Now())
	status := "queued"
	err = r.DB.Tx(ctx, func(tx *sql.Tx) error {
		if c.Empty() {
			status = "empty"
			res, err := tx.ExecContext(ctx, `INSERT INTO digest_deliveries (account_id, period, status, created_at) VALUES (?, ?, 'empty', ?)
				ON CONFLICT DO NOTHING`, a.ID, w.period.String(), now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				status = "done"
			}
			return nil
		}
		token := tokens.New()
		res, err := tx.ExecContext(ctx, `INSERT INTO digest_deliveries (account_id, period, status, unsub_token_hash, created_at) VALUES (?, ?, 'queued', ?, ?)
			ON CONFLICT (account_id, period) DO NOTHING`, a.ID, w.period.String(), tokens.Hash(token), now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			status = "done" // another run got here first
			return nil
		}
		id, _ := res.LastInsertId()
		m, err := r.message(a, c, token)
		if err != nil {
			return err
		}
		outboxID, err := r.Outbox.Enqueue(ctx, tx, m)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE digest_deliveries SET outbox_id = ? WHERE id = ?`, outboxID, id)
		return err
	})
	return status, err
}

// Preview composes the exact message account a would receive for p,
// without recording or sending anything. The unsubscribe link in it is
// not a working one.
func (r *Runner) Preview(ctx context.Context, a *accounts.Account, p Period) (mail.Message, *Content, error) {
	m, c, _, err := r.PreviewWhy(ctx, a, p)
	return m, c, err
}

// PreviewWhy is Preview, and why no digest would be sent to a for p ("" when
// one would): "suspended", "unsubscribed", "undeliverable", "not_due" (a
// digest every few weeks, not this one) or "empty".
func (r *Runner) PreviewWhy(ctx context.Context, a *accounts.Account, p Period) (mail.Message, *Content, string, error) {
	m, c, choice, err := r.preview(ctx, a, p)
	if err != nil {
		return m, c, "", err
	}
	why := ""
	switch {
	case a.Status != accounts.Active:
		why = "suspended"
	case !choice.Enabled:
		why = "unsubscribed"
	case choice.Undeliverable:
		why = "undeliverable"
	case !p.Due(choice.Every):
		why = "not_due"
	case c.Empty():
		why = "empty"
	}
	return m, c, why, nil
}

func (r *Runner) preview(ctx context.Context, a *accounts.Account, p Period) (mail.Message, *Content, accounts.DigestChoice, error) {
	choice, err := r.Accounts.DigestChoiceOf(ctx, a.ID)
	if err != nil {
		return mail.Message{}, nil, choice, err
	}
	w, err := r.loadWeek(ctx, p, choice.Every)
	if err != nil {
		return mail.Message{}, nil, choice, err
	}
	n := &names{countries: map[string]map[string]string{}, tags: map[string]map[int64]*taxonomy.TagRef{}}
	c, err := r.compose(ctx, a, w, n)
	if err != nil {
		return mail.Message{}, nil, choice, err
	}
	m, err := r.message(a, c, "preview")
	return m, c, choice, err
}

// ErrWeekNotOver refuses a digest for a week that has not ended.
var ErrWeekNotOver = errors.New("that week has not ended yet; nothing was sent or recorded")

// ErrTokenInvalid answers an unknown unsubscribe link.
var ErrTokenInvalid = apperr.New(apperr.Gone, "unsubscribe.invalid")

// Unsubscribe turns the digest off for the account a delivery's link
// Unsubscribe stops the digest of the account an unsubscribe link names,
// and returns that account. A link already used answers the same (a mail
// client may send its one-click POST twice); an unknown one is refused.
func (r *Runner) Unsubscribe(ctx context.Context, token string) (int64, error) {
	var account int64
	err := r.DB.Tx(ctx, func(tx *sql.Tx) error {
		var used sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT account_id, unsubscribed_at FROM digest_deliveries WHERE unsub_token_hash = ?`, tokens.Hash(token)).Scan(&account, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrTokenInvalid
		}
		if err != nil || used.Valid {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE digest_deliveries SET unsubscribed_at = ? WHERE unsub_token_hash = ?`, db.FormatTime(r.Clock.Now()), tokens.Hash(token)); err != nil {
			return err
		}
		return accounts.StopDigest(ctx, tx, account)
	})
	return account, err
}

// TokenAccount returns the account an unsubscribe link names, and whether
// the link was used already.
func (r *Runner) TokenAccount(ctx context.Context, token string) (int64, bool, error) {
	var account int64
	var used sql.NullString
	err := r.DB.R.QueryRowContext(ctx, `SELECT account_id, unsubscribed_at FROM digest_deliveries WHERE unsub_token_hash = ?`, tokens.Hash(token)).Scan(&account, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, ErrTokenInvalid
	}
	return account, used.Valid, err
}

// MarkUndeliverable stops the digest and notification emails to an
// address the mail server refused for good (5xx). It is the outbox's
// OnFailed hook; other kinds (an invitation, a reset) are answers to a
// request and say nothing about the next week.
func (r *Runner) MarkUndeliverable(ctx context.Context, q *mail.Queued, cause error) {
	if q.Kind != "digest" && q.Kind != notify.MailKind {
		return
	}
	if err := r.Accounts.MarkUndeliverable(ctx, q.To, truncate(cause.Error(), 500)); err != nil {
		r.Log.Error("mark undeliverable", "err", err)
		return
	}
	r.Log.Warn("address undeliverable; digests and notification emails stop for it", "outbox_id", q.ID, "kind", q.Kind)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// WeekStatus is what became of one week's digests.
type WeekStatus struct {
	Period string
	// Recipients are the accounts that receive digests now.
	Recipients int
	// Of the week's deliveries: with a message (and where the message
	// is: waiting or being sent, sent, failed), or nothing to say.
	Queued, Pending, Sent, Failed, Empty int
	// Unsubscribed counts the deliveries whose link was used.
	Unsubscribed int
}

func (s WeekStatus) String() string {
	return fmt.Sprintf("%s: %d recipients now; %d digests queued (%d waiting, %d sent, %d failed), %d empty; %d unsubscribed from their link",
		s.Period, s.Recipients, s.Queued, s.Pending, s.Sent, s.Failed, s.Empty, s.Unsubscribed)
}

// Status reports a week's deliveries and their messages.
func (r *Runner) Status(ctx context.Context, p Period) (WeekStatus, error) {
	st := WeekStatus{Period: p.String()}
	var err error
	if st.Recipients, err = r.Accounts.CountDigestRecipients(ctx); err != nil {
		return st, err
	}
	rows, err := r.DB.R.QueryContext(ctx, `SELECT d.status, coalesce(o.status, ''), count(*), sum(d.unsubscribed_at IS NOT NULL)
		FROM digest_deliveries d LEFT JOIN outbox o ON o.id = d.outbox_id WHERE d.period = ? GROUP BY 1, 2`, p.String())
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var delivery, message string
		var n, unsub int
		if err := rows.Scan(&delivery, &message, &n, &unsub); err != nil {
			return st, err
		}
		st.Unsubscribed += unsub
		if delivery == "empty" {
			st.Empty += n
			continue
		}
		st.Queued += n
		switch message {
		case "sent":
			st.Sent += n
		case "failed":
			st.Failed += n
		default:
			st.Pending += n
		}
	}
	return st, rows.Err()
}
