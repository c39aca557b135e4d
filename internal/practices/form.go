package practices

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/sanitize"
)

// Limits on what an author types, said in the form and in its messages.
const (
	MaxTitle        = 200
	MaxSummary      = 600
	MaxSection      = 50000 // characters of the raw rich text of one section
	MaxInstitutions = 500
	MaxContactName  = 120
)

// RequiredSections must have content; the others may stay empty.
var RequiredSections = []string{"context", "actions"}

// Form is what the author fills in. Rich-text sections hold the raw HTML
// the editor sent, so a form that fails validation comes back as typed.
type Form struct {
	Title        string
	Summary      string
	Sections     map[string]string
	Countries    []string
	Tags         []string
	PeriodStart  string
	PeriodEnd    string
	Ongoing      bool
	Institutions string
	Partners     string
	ContactName  string
	ContactEmail string
	Lang         string
	Scope        string
	// Note is the author's word to moderators when the practice goes
	// (back) to review; it is not part of the practice.
	Note string
}

// Section returns a section for the form's editor, sanitised: even when a
// refused form comes back with what was typed, hostile markup is not
// re-parsed in the author's browser.
func (f *Form) Section(key string) string { return sanitize.Rich(f.Sections[key]) }

// HasCountry and HasTag tell the form which boxes are ticked.
func (f *Form) HasCountry(code string) bool { return slices.Contains(f.Countries, code) }

// HasTag reports whether tag id is chosen.
func (f *Form) HasTag(id int64) bool { return slices.Contains(f.Tags, strconv.FormatInt(id, 10)) }

// FormFrom fills a form from a stored practice, for editing.
func FormFrom(p *Practice) Form {
	f := Form{Title: p.Title, Summary: p.Summary, Sections: map[string]string{}, Countries: p.Countries,
		PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd, Ongoing: p.Ongoing(),
		Institutions: p.Institutions, Partners: p.Partners, ContactName: p.ContactName, ContactEmail: p.ContactEmail,
		Lang: p.Lang, Scope: string(p.Scope)}
	for _, s := range p.Sections {
		// The editor is loaded with what pages show, never with raw input.
		f.Sections[s.Key] = s.HTML
	}
	for _, t := range p.Tags {
		f.Tags = append(f.Tags, strconv.FormatInt(t, 10))
	}
	return f
}

// Checks are the facts validation needs from elsewhere.
type Checks struct {
	CountryExists func(code string) bool
	// TagChoosable reports whether a tag exists and may be chosen; a
	// retired tag stays valid on a practice that already carries it.
	TagChoosable func(id int64) bool
	Author       *accounts.Account
	Now          time.Time
	// Draft checks a draft being saved: only the title is required, so
	// that partial work can be kept; what is given must still be valid.
	// Everything is required when it is submitted for review.
	Draft bool
}

var month = regexp.MustCompile(`^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$`)

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return sanitize.Plain(s)
}

// checkWords tidies and checks what a practice, or a version of it, says
// in words: its title (always required), its summary and its sections
// (required unless it is a draft). It returns the tidied title and
// summary.
func checkWords(errs apperr.FieldErrors, title, summary string, sections map[string]string, draft bool) (string, string) {
	title = strings.Join(strings.Fields(clean(title)), " ")
	summary = clean(summary)
	switch {
	case title == "":
		errs.Add("title", "field.required")
	case tooLong(title, MaxTitle):
		errs.Add("title", "practice.title_too_long")
	}
	switch {
	case summary == "" && !draft:
		errs.Add("summary", "field.required")
	case tooLong(summary, MaxSummary):
		errs.Add("summary", "practice.summary_too_long")
	}
	for _, key := range Sections {
		raw := sections[key]
		switch {
		case tooLong(raw, MaxSection):
			errs.Add(key, "practice.section_too_long")
		case slices.Contains(RequiredSections, key) && strings.TrimSpace(stripTags(raw)) == "" && !draft:
			errs.Add(key, "field.required")
		}
	}
	return title, summary
}

// Unsubmitted reports whether a practice in status st has not been sent
// for review yet (or came back): saving it keeps a draft.
func Unsubmitted(st Status) bool { return st == Draft || st == Returned || st == Rejected }

// Validate normalises the form and returns its problems by field.
func (f *Form) Validate(c Checks) apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	f.Title, f.Summary = checkWords(errs, f.Title, f.Summary, f.Sections, c.Draft)
	f.Institutions = clean(f.Institutions)
	f.Partners = clean(f.Partners)
	f.ContactName = clean(f.ContactName)
	f.ContactEmail = accounts.NormalizeEmail(f.ContactEmail)
	f.Countries = dedupe(f.Countries, strings.ToUpper)
	switch {
	case len(f.Countries) == 0:
		if !c.Draft {
			errs.Add("countries", "practice.countries_required")
		}
	default:
		for _, cc := range f.Countries {
			if !c.CountryExists(cc) {
				errs.Add("countries", "invite.country_unknown")
			}
		}
		if a := c.Author; a != nil && a.Role == accounts.Official && !slices.Contains(f.Countries, a.CountryCode) {
			errs.Add("countries", "practice.own_country")
		}
	}
	f.Tags = dedupe(f.Tags, strings.TrimSpace)
	if len(f.Tags) == 0 && !c.Draft {
		errs.Add("tags", "practice.tags_required")
	}
	for _, t := range f.Tags {
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil || !c.TagChoosable(id) {
			errs.Add("tags", "practice.tag_unknown")
		}
	}
	f.PeriodStart = strings.TrimSpace(f.PeriodStart)
	f.PeriodEnd = strings.TrimSpace(f.PeriodEnd)
	latest := c.Now.AddDate(1, 0, 0).Format("2006-01")
	switch {
	case f.PeriodStart == "":
		if !c.Draft {
			errs.Add("period_start", "field.required")
		}
	case !month.MatchString(f.PeriodStart):
		errs.Add("period_start", "practice.month_invalid")
	case f.PeriodStart > latest:
		errs.Add("period_start", "practice.start_future")
	}
	if f.Ongoing {
		f.PeriodEnd = ""
	} else {
		switch {
		case f.PeriodEnd == "":
			if !c.Draft {
				errs.Add("period_end", "practice.end_or_ongoing")
			}
		case !month.MatchString(f.PeriodEnd):
			errs.Add("period_end", "practice.month_invalid")
		case month.MatchString(f.PeriodStart) && f.PeriodEnd < f.PeriodStart:
			errs.Add("period_end", "practice.end_before_start")
		}
	}
	if tooLong(f.Institutions, MaxInstitutions) {
		errs.Add("institutions", "practice.text_too_long")
	} else if f.Institutions == "" && !c.Draft {
		errs.Add("institutions", "field.required")
	}
	if tooLong(f.Partners, MaxInstitutions) {
		errs.Add("partners", "practice.text_too_long")
	}
	switch {
	case f.ContactName == "":
		if !c.Draft {
			errs.Add("contact_name", "field.required")
		}
	case tooLong(f.ContactName, MaxContactName):
		errs.Add("contact_name", "practice.text_too_long")
	}
	if key := accounts.CheckEmail(f.ContactEmail); key != "" && (f.ContactEmail != "" || !c.Draft) {
		errs.Add("contact_email", key)
	}
	if !i18n.Supported(f.Lang) {
		errs.Add("lang", "field.invalid_choice")
	}
	if !Scope(f.Scope).Valid() {
		errs.Add("scope", "field.invalid_choice")
	}
	return errs
}

func dedupe(in []string, norm func(string) string) []string {
	var out []string
	for _, s := range in {
		s = norm(strings.TrimSpace(s))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

var tag = regexp.MustCompile(`<[^>]*>|&nbsp;`)

// stripTags is a rough check for visible text in raw rich text; the
// sanitiser decides what is stored.
func stripTags(s string) string { return tag.ReplaceAllString(s, "") }

// Preview is the practice a validated form would make, sanitised exactly
// as saving would, without saving it.
func Preview(f Form, authorID int64, authorName, authorCountry string) *Practice {
	p := &Practice{AuthorID: authorID, AuthorName: authorName, AuthorCountry: authorCountry, Status: Draft,
		Scope: Scope(f.Scope), Lang: f.Lang, Title: f.Title, Summary: f.Summary, PeriodStart: f.PeriodStart,
		PeriodEnd: f.PeriodEnd, EndOpen: !f.Ongoing && f.PeriodEnd == "", Institutions: f.Institutions, Partners: f.Partners,
		ContactName: f.ContactName, ContactEmail: f.ContactEmail, Countries: f.Countries, PolicyVersion: sanitize.PolicyVersion}
	for _, key := range Sections {
		p.Sections = append(p.Sections, Section{Key: key, Raw: f.Sections[key], HTML: sanitize.Rich(f.Sections[key])})
	}
	for _, t := range f.Tags {
		if id, err := strconv.ParseInt(t, 10, 64); err == nil {
			p.Tags = append(p.Tags, id)
		}
	}
	return p
}
