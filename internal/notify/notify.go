// Package notify composes the emails that tell a person what happened to
// them or their work and queues them in the outbox, in the recipient's
// language: notices about their account (always sent), and the batched
// emails of their notification centre (as they chose, per kind).
package notify

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/clock"
	"puente/internal/i18n"
	"puente/internal/mail"
	"puente/internal/moderation"
	"puente/internal/notifications"
	"puente/internal/practices"
)

// Notices composes and queues notices, and the batched emails of the
// notification centre.
type Notices struct {
	DB        *db.DB
	Clock     clock.Clock
	Accounts  *accounts.Store
	Practices *practices.Store
	Taxonomy  practices.Countries
	Inbox     *notifications.Store
	Mail      *mail.Composer
	Outbox    *mail.Outbox
	BaseURL   *url.URL
	Log       *slog.Logger
}

func (n *Notices) abs(path string) string { return n.BaseURL.String() + path }

// langOf is the language a's emails are written in.
func langOf(a *accounts.Account) string {
	if i18n.Supported(a.Lang) {
		return a.Lang
	}
	return i18n.Default
}

// Moderation composes a moderation email in the recipient's language and
// queues it inside the action's transaction.
func (n *Notices) Moderation(ctx context.Context, tx *sql.Tx, m moderation.Notice) error {
	a, err := n.Accounts.ByID(ctx, m.To)
	if err != nil {
		return err
	}
	to := m.Email.To()
	to.Name, to.Link = a.DisplayName, n.abs(cmp.Or(m.Path, "/moderation"))
	if m.Practice != 0 {
		to.Link = n.abs(fmt.Sprintf("/practices/%d", m.Practice))
	}
	msg, err := n.Mail.Compose(langOf(a), a.Email, a.DisplayName, m.Email)
	if err != nil {
		return err
	}
	_, err = n.Outbox.Enqueue(ctx, tx, msg)
	return err
}

// SigninLocked tells the owner of a that sign-ins to their account are
// paused for minutes after repeated failures, and wakes the sender.
func (n *Notices) SigninLocked(ctx context.Context, a *accounts.Account, minutes int) error {
	return n.Account(ctx, a, "/account", &mail.SigninLocked{Minutes: minutes})
}

// Account composes an email to a about their own account, whose link
// opens path, and queues it; the sender is woken.
func (n *Notices) Account(ctx context.Context, a *accounts.Account, path string, e interface {
	mail.Email
	To() *mail.Recipient
}) error {
	return n.Send(ctx, a, a.Email, path, e)
}

// Send is Account to another address of a's (a new one being confirmed).
func (n *Notices) Send(ctx context.Context, a *accounts.Account, address, path string, e interface {
	mail.Email
	To() *mail.Recipient
}) error {
	to := e.To()
	to.Name, to.Link = a.DisplayName, n.abs(path)
	msg, err := n.Mail.Compose(langOf(a), address, a.DisplayName, e)
	if err != nil {
		return err
	}
	err = n.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := n.Outbox.Enqueue(ctx, tx, msg)
		return err
	})
	if err == nil {
		n.Outbox.Notify()
	}
	return err
}
