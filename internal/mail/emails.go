package mail

import (
	"cmp"

	"puente/internal/i18n"
	"puente/internal/notifications"
)

// One typed struct per kind of email: a template that names a field the
// struct lacks fails to render (and a test renders every kind), where a
// map's missing key would have rendered as nothing.

// Email is the data of one kind of email.
type Email interface {
	// Kind names the templates KIND.txt and KIND.html and the catalogue's
	// email.KIND.subject.
	Kind() string
	// SubjectArgs are the subject's placeholders, as name, value pairs.
	SubjectArgs() []any
	// Footer is the catalogue key of the footer line.
	Footer() string
}

// Recipient is who an email greets and the one link it leads to; the
// sender fills it in when it knows the account.
type Recipient struct {
	Name string
	Link string
}

// To gives access to the recipient part, for the code that fills it in.
func (r *Recipient) To() *Recipient { return r }

type plain struct{}

func (plain) SubjectArgs() []any { return nil }
func (plain) Footer() string     { return "email.footer" }

// Invitation invites a person to create an account.
type Invitation struct {
	plain
	Recipient
	Inviter string
	Role    string
	Expires string // a date in the recipient's language
}

// Kind names the templates.
func (*Invitation) Kind() string { return "invitation" }

// PasswordReset carries a link to choose a new password.
type PasswordReset struct {
	plain
	Recipient
}

// Kind names the templates.
func (*PasswordReset) Kind() string { return "password_reset" }

// SigninLocked says that sign-ins from unknown browsers are paused.
type SigninLocked struct {
	plain
	Recipient
	Minutes int
}

// Kind names the templates.
func (*SigninLocked) Kind() string { return "signin_locked" }

// FlagNotice tells a moderator that something was flagged.
type FlagNotice struct {
	plain
	Recipient
	Title  string
	Reason string // the flag's reason code
	Type   string // practice or comment
}

// Kind names the templates.
func (*FlagNotice) Kind() string { return "flag_notice" }

// AccountSuspended tells a person their account was suspended, why, and
// until when (Until is a date in their language, "" when an
// administrator must reactivate it).
type AccountSuspended struct {
	plain
	Recipient
	Reason string
	Until  string
}

// Kind names the templates.
func (*AccountSuspended) Kind() string { return "account_suspended" }

// PracticesTransferred tells a person that an administrator handed Count
// practices from one official to another: to them (Received) or from them.
type PracticesTransferred struct {
	plain
	Recipient
	Count    int
	Other    string // the other official's name
	Received bool
}

// Kind names the templates.
func (*PracticesTransferred) Kind() string { return "practices_transferred" }

// EmailChange asks the new address to confirm an administrator's change
// of the account's address (Confirm), or tells the old one it was asked.
type EmailChange struct {
	plain
	Recipient
	Confirm  bool
	NewEmail string
}

// Kind names the templates.
func (e *EmailChange) Kind() string {
	if e.Confirm {
		return "email_change_confirm"
	}
	return "email_change_notice"
}

// SecurityNotice tells a person that something changed about how they sign
// in or what they may do. It always goes out: nobody can turn it off.
type SecurityNotice struct {
	plain
	Recipient
	Event string // password_changed, twofactor_on, twofactor_off, twofactor_reset, recovery_codes, role_changed
	Role  string // the new role, for role_changed
}

// Kind names the templates.
func (*SecurityNotice) Kind() string { return "security_notice" }

// Footer says why this email cannot be turned off.
func (*SecurityNotice) Footer() string { return "email.security.footer" }

// NoticeLine is one notification in an email: the sentence the
// catalogue's notification.KIND makes of Actor, Title and Count, with a note or
// outcome when it has one, and where it leads.
type NoticeLine struct {
	Kind      string
	Count     int    // the events the line stands for: comments gathered into one entry (0 or 1: one)
	DetailKey string // a second sentence's catalogue key (an appeal's outcome), or ""
	Actor     string
	Title     string // "" when the reader may no longer see the item
	Note      string
	URL       string
	// StopURL turns off email of this kind, one click from the message.
	StopURL string
}

// Key is the catalogue key of the line's sentence.
func (l NoticeLine) Key() string { return notifications.SentenceKey(l.Kind, l.Count) }

// Notifications gathers what happened to a person since their last such
// email: at most one per person per ten minutes.
type Notifications struct {
	Recipient
	Lines []NoticeLine
	// More counts what happened beyond Lines, seen in the centre.
	More        int
	InboxURL    string
	SettingsURL string
	UnsubURL    string // turns off email of every kind the message tells of
}

// Kind names the templates.
func (*Notifications) Kind() string { return "notifications" }

// SubjectArgs are unused: Subject writes the subject.
func (*Notifications) SubjectArgs() []any { return nil }

// Footer says why the person receives it.
func (*Notifications) Footer() string { return "email.notifications.footer" }

// Subject is the first line's sentence, and how many more follow.
func (e *Notifications) Subject(l i18n.Locale) string {
	if len(e.Lines) == 0 {
		return l.T("notifications.title")
	}
	first := e.Lines[0]
	s := l.T(first.Key(), "name", first.Actor, "title", cmp.Or(first.Title, l.T("notifications.unseen")))
	if n := len(e.Lines) - 1 + e.More; n > 0 {
		s = l.T("email.notifications.subject_more", "first", s, "count", n)
	}
	return s
}

// QuestionToContact carries a member's question to a practice's contact
// point, who may have no account: who asked, from which country, and
// that the practice's author answers on Puente.
type QuestionToContact struct {
	Recipient
	Asker   string
	Country string // in the recipient's language
	Title   string
	Body    string
}

// Kind names the templates.
func (*QuestionToContact) Kind() string { return "question_contact" }

// SubjectArgs name the practice in the subject.
func (q *QuestionToContact) SubjectArgs() []any { return []any{"title", q.Title} }

// Footer says why the contact point receives it.
func (*QuestionToContact) Footer() string { return "email.question_contact.footer" }

// ReviewRequest asks a practice's author whether it is still current,
// with one link per answer.
type ReviewRequest struct {
	plain
	Recipient
	Title                  string
	Since                  string // a date in the recipient's language
	Current, Update, Ended string
}

// Kind names the templates.
func (*ReviewRequest) Kind() string { return "review_request" }
