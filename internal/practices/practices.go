// Package practices holds the good practices officials share: their
// structured content, the sharing scope that decides who sees them, their
// life from draft to publication, every revision, and who follows them.
package practices

import (
	"slices"
	"time"

	"puente/internal/accounts"
)

// Status is where a practice is in its life.
type Status string

// Statuses: draft → submitted → published, or returned to the author with
// a note, or rejected; published practices can be archived.
const (
	Draft     Status = "draft"
	Submitted Status = "submitted"
	Published Status = "published"
	Returned  Status = "returned"
	Rejected  Status = "rejected"
	Archived  Status = "archived"
)

// Scope is who may see a published practice.
type Scope string

// Scopes, from the default.
const (
	ScopeMembers Scope = "members" // every member state
	ScopeCRM     Scope = "crm"     // member states of the CRM
	ScopeCSM     Scope = "csm"     // member states of the CSM
	ScopePublic  Scope = "public"  // everyone, anonymous visitors included
)

// Scopes lists every scope in the order forms offer them.
var Scopes = []Scope{ScopeMembers, ScopeCRM, ScopeCSM, ScopePublic}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return slices.Contains(Scopes, s) }

// Sections are the rich-text parts of a practice, in reading order.
var Sections = []string{"context", "actions", "results", "lessons", "adoption"}

// Section is one rich-text part: what the author sent and what is shown.
type Section struct {
	Key  string
	Raw  string
	HTML string // sanitised; the only form pages render
}

// Practice is one good practice.
type Practice struct {
	ID            int64
	AuthorID      int64
	AuthorName    string
	AuthorCountry string
	Status        Status
	Scope         Scope
	Lang          string
	Title         string
	Summary       string
	Sections      []Section // in the order of Sections
	PolicyVersion int
	PeriodStart   string // YYYY-MM
	PeriodEnd     string // YYYY-MM, "" while ongoing
	// EndOpen is a draft that gives neither an end nor "ongoing" yet.
	EndOpen      bool
	Institutions string
	Partners     string
	ContactName  string
	ContactEmail string
	Countries    []string // ISO codes
	Tags         []int64
	Revision     int
	CommentCount int
	// ReviewNote is the moderator's note when the practice was sent back,
	// or the reason it was rejected.
	ReviewNote       string
	ReviewedRevision int
	HiddenAt         time.Time
	HiddenReason     string
	// ResubmittedAfter says why a submitted practice is in the queue
	// again: "rejected", "appeal", or "" the first time; AuthorNote is the
	// author's word to moderators with it.
	ResubmittedAfter string
	AuthorNote       string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	SubmittedAt      time.Time
	PublishedAt      time.Time
	// NotReviewedSince is set when its author left the question "is it
	// still current?" unanswered past its grace period: the date it was
	// last confirmed (or published).
	NotReviewedSince time.Time
	// SharedWithFocal: its author shows the draft to their country's
	// focal points.
	SharedWithFocal bool
}

// Stale reports whether the practice is marked as not reviewed.
func (p *Practice) Stale() bool { return !p.NotReviewedSince.IsZero() }

// Section returns the section with key.
func (p *Practice) Section(key string) Section {
	for _, s := range p.Sections {
		if s.Key == key {
			return s
		}
	}
	return Section{Key: key}
}

// Hidden reports whether moderators hid the practice.
func (p *Practice) Hidden() bool { return !p.HiddenAt.IsZero() }

// Ongoing reports whether the practice has no end date.
func (p *Practice) Ongoing() bool { return p.PeriodEnd == "" && !p.EndOpen }

// PeriodStartTime and PeriodEndTime turn the period into dates for display.
func (p *Practice) PeriodStartTime() time.Time { return monthTime(p.PeriodStart) }

// PeriodEndTime is the first day of the end month, or zero while ongoing.
func (p *Practice) PeriodEndTime() time.Time { return monthTime(p.PeriodEnd) }

func monthTime(s string) time.Time {
	t, _ := time.Parse("2006-01", s)
	return t
}

// HasTag reports whether the practice carries tag id.
func (p *Practice) HasTag(id int64) bool { return slices.Contains(p.Tags, id) }

// HasCountry reports whether the practice is of country code.
func (p *Practice) HasCountry(code string) bool { return slices.Contains(p.Countries, code) }

// Viewer is who is looking: the one input of the visibility rule. The zero
// Viewer is an anonymous visitor.
type Viewer struct {
	AccountID int64
	Role      accounts.Role
	// Processes are the processes of the viewer's country (CRM, CSM), or
	// those an observer reads.
	Processes []string
	// FocalCountry is the country a focal point vouches for: they see its
	// practices in every state, and the drafts shared with them.
	FocalCountry string
}

// Countries tells which processes a member state belongs to (the
// taxonomy, read at start-up).
type Countries interface {
	ProcessesOf(code string) []string
}

// ViewerOf is account a as the visibility rule sees them; nil is a
// visitor. It is the one way a Viewer is made from an account.
func ViewerOf(a *accounts.Account, countries Countries) Viewer {
	if a == nil {
		return Viewer{}
	}
	if a.Role == accounts.Observer {
		return Viewer{AccountID: a.ID, Role: a.Role, Processes: accounts.ObserverProcesses(a.ObserverScope)}
	}
	v := Viewer{AccountID: a.ID, Role: a.Role, Processes: countries.ProcessesOf(a.CountryCode)}
	if a.FocalFor(a.CountryCode) {
		v.FocalCountry = a.CountryCode
	}
	return v
}

// Staff reports whether the viewer moderates: staff see every practice
// past the draft stage, in every scope.
func (v Viewer) Staff() bool { return v.Role.AtLeast(accounts.Moderator) }

// Member reports whether the viewer is signed in.
func (v Viewer) Member() bool { return v.AccountID != 0 }

// PublishedScopes are the scopes whose published practices v may read.
func (v Viewer) PublishedScopes() []Scope {
	switch {
	case v.Staff():
		return Scopes
	case !v.Member():
		return []Scope{ScopePublic}
	}
	s := []Scope{ScopeMembers, ScopePublic}
	if slices.Contains(v.Processes, "CRM") {
		s = append(s, ScopeCRM)
	}
	if slices.Contains(v.Processes, "CSM") {
		s = append(s, ScopeCSM)
	}
	return s
}

// CanSee is the visibility rule: the author always sees their practice;
// a focal point sees their country's practices in every state but a draft
// its author has not shared with them; staff see everything but other
// people's drafts; everyone else sees published (or archived) practices
// in a scope open to them, unless moderators hid them. The SQL in
// visibleWhere says the same, and a test holds them together.
func (v Viewer) CanSee(p *Practice) bool {
	switch {
	case v.Member() && p.AuthorID == v.AccountID:
		return true
	case v.FocalCountry != "" && slices.Contains(p.Countries, v.FocalCountry) && (p.Status != Draft || p.SharedWithFocal):
		return true
	case v.Staff():
		return p.Status != Draft
	case p.Hidden():
		return false
	case p.Status == Published || p.Status == Archived:
		return slices.Contains(v.PublishedScopes(), p.Scope)
	}
	return false
}

// CanEdit reports whether v may change p: only its author.
func (v Viewer) CanEdit(p *Practice) bool { return v.Member() && p.AuthorID == v.AccountID }
