package notify

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/mail"
	"puente/internal/notifications"
	"puente/internal/practices"
	"puente/internal/tokens"
)

// Entry is a notification as its reader sees it: what happened, to what,
// and where to go. An item the reader may no longer see is named by
// neither title nor link.
type Entry struct {
	*notifications.Notification
	Actor string
	Title string
	Path  string
}

// DetailKey is the catalogue key of the entry's second sentence (an
// appeal's outcome, an adoption's stage), or "".
func (e *Entry) DetailKey() string {
	if e.Kind == notifications.AppealAnswered && e.Detail != "" {
		return "appeal.outcome." + e.Detail
	}
	if e.Kind == notifications.Adoption && e.Detail != "" {
		return "adoption.stage_is." + e.Detail
	}
	return ""
}

// Entries resolves list for its reader a: the actors' names, and the
// title and place of each item a may still see.
func (n *Notices) Entries(ctx context.Context, a *accounts.Account, list []*notifications.Notification) ([]Entry, error) {
	var actors []int64
	for _, x := range list {
		actors = append(actors, x.ActorID)
	}
	names, err := n.Accounts.DisplayNames(ctx, actors)
	if err != nil {
		return nil, err
	}
	v := practices.ViewerOf(a, n.Taxonomy)
	seen := map[int64]*practices.Practice{}
	out := make([]Entry, 0, len(list))
	for _, x := range list {
		e := Entry{Notification: x, Actor: names[x.ActorID]}
		if x.PracticeID != 0 {
			p, ok := seen[x.PracticeID]
			if !ok {
				p, err = n.Practices.Get(ctx, v, x.PracticeID)
				if err != nil && !apperr.Is(err, apperr.NotFound) {
					return nil, err
				}
				seen[x.PracticeID] = p
			}
			if p != nil {
				e.Title, e.Path = p.Title, fmt.Sprintf("/practices/%d", p.ID)
				switch {
				case x.CommentID != 0 && x.Grouped > 1:
					// Comments gathered: the discussion's newest page,
					// which holds them, at the first of them (a
					// comment's own address shows its thread alone).
					e.Path = fmt.Sprintf("/practices/%d#comment-%d", p.ID, x.CommentID)
				case x.CommentID != 0:
					e.Path = fmt.Sprintf("/comments/%d", x.CommentID)
				}
			}
		}
		switch {
		case x.Kind == notifications.InviteAccepted && a.Role == accounts.Admin:
			e.Path = fmt.Sprintf("/admin/accounts/%d", x.ActorID)
		case x.Kind == notifications.QueueWaiting && a.Role.AtLeast(accounts.Moderator):
			e.Path = "/moderation"
		case e.Path != "" && x.Detail != "" && (x.Kind == notifications.Question || x.Kind == notifications.QuestionAnswered || x.Kind == notifications.QuestionReminder ||
			x.Kind == notifications.QuestionUnanswered):
			// The exchange itself, for the two sides who may read it.
			e.Path = "/questions/" + x.Detail
		}
		out = append(out, e)
	}
	return out, nil
}

// MailKind is the outbox kind of the batched notification emails.
const MailKind = "notifications"

// MaxLines bounds one email; the rest are counted and wait in the centre.
const MaxLines = 20

// SendDue emails what waits for an immediate email, to everyone whose
// last such email is at least notifications.Gap old: one message each,
// gathering everything that waits. It returns how many it queued. The
// entries were written with their events; an email is composed only from
// what committed, and an entry is marked sent in the transaction that
// queues its email, so none is sent twice or lost.
func (n *Notices) SendDue(ctx context.Context) (int, error) {
	now := n.Clock.Now()
	if err := n.Inbox.Sort(ctx, now); err != nil {
		return 0, err
	}
	due, err := n.Inbox.Due(ctx, now)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range due {
		ok, err := n.sendTo(ctx, id, now)
		if err != nil {
			if ctx.Err() != nil {
				return sent, err
			}
			n.logger().Error("notification email", "account_id", id, "err", err)
			continue
		}
		if ok {
			sent++
		}
	}
	if sent > 0 {
		n.Outbox.Notify()
	}
	return sent, nil
}

func (n *Notices) logger() *slog.Logger {
	if n.Log == nil {
		return slog.Default()
	}
	return n.Log
}

// sendTo composes and queues account id's email; false when no email can
// go to them (the entries are then marked skipped).
func (n *Notices) sendTo(ctx context.Context, id int64, now time.Time) (bool, error) {
	a, err := n.Accounts.ByID(ctx, id)
	if err != nil {
		return false, err
	}
	pending, err := n.Inbox.Pending(ctx, id)
	if err != nil || len(pending) == 0 {
		return false, err
	}
	ids := make([]int64, len(pending))
	for i, p := range pending {
		ids[i] = p.ID
	}
	choice, err := n.Accounts.DigestChoiceOf(ctx, id)
	if err != nil {
		return false, err
	}
	if a.Status != accounts.Active || choice.Undeliverable {
		return false, n.DB.Tx(ctx, func(tx *sql.Tx) error { return notifications.Skip(ctx, tx, ids) })
	}
	entries, err := n.Entries(ctx, a, pending)
	if err != nil {
		return false, err
	}
	token := tokens.New()
	stop := n.abs("/unsubscribe/notices/" + token)
	e := &mail.Notifications{InboxURL: n.abs("/notifications"), SettingsURL: n.abs("/settings/notifications"), UnsubURL: stop}
	e.Name = a.DisplayName
	var kinds []string
	for i := range entries {
		x := &entries[i]
		if !slices.Contains(kinds, x.Kind) {
			kinds = append(kinds, x.Kind)
		}
		if len(e.Lines) == MaxLines {
			e.More++
			continue
		}
		line := mail.NoticeLine{Kind: x.Kind, Count: x.Grouped, DetailKey: x.DetailKey(), Actor: x.Actor, Title: x.Title, Note: x.Note,
			StopURL: stop + "?kind=" + x.Kind}
		if x.Path != "" {
			line.URL = n.abs(x.Path)
		}
		e.Lines = append(e.Lines, line)
	}
	msg, err := n.Mail.Compose(langOf(a), a.Email, a.DisplayName, e)
	if err != nil {
		return false, err
	}
	msg.Headers = map[string]string{
		"List-Unsubscribe":      "<" + stop + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"List-Id":               "Puente notifications <notifications." + n.BaseURL.Hostname() + ">",
		"Auto-Submitted":        "auto-generated",
	}
	err = n.DB.Tx(ctx, func(tx *sql.Tx) error {
		outboxID, err := n.Outbox.Enqueue(ctx, tx, msg)
		if err != nil {
			return err
		}
		return notifications.Sent(ctx, tx, now, id, kinds, ids, token, outboxID)
	})
	return err == nil, err
}
