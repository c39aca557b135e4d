// Package notify composes the emails that tell a person what happened to
// them or their work (a moderation decision, a locked sign-in) and queues
// them in the outbox, in the recipient's language.
package notify

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/i18n"
	"puente/internal/mail"
	"puente/internal/moderation"
)

// Notices composes and queues notices.
type Notices struct {
	DB       *db.DB
	Accounts *accounts.Store
	Mail     *mail.Composer
	Outbox   *mail.Outbox
	BaseURL  *url.URL
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
	data := map[string]any{"name": a.DisplayName}
	for k, v := range m.Data {
		data[k] = v
	}
	if id, ok := m.Data["practice"].(int64); ok {
		data["link"] = n.abs(fmt.Sprintf("/practices/%d", id))
	}
	if m.Kind == "flag_notice" {
		data["link"] = n.abs("/moderation")
	}
	msg, err := n.Mail.Compose(m.Kind, langOf(a), a.Email, a.DisplayName, data)
	if err != nil {
		return err
	}
	_, err = n.Outbox.Enqueue(ctx, tx, msg)
	return err
}

// SigninLocked tells the owner of a that sign-ins to their account are
// paused for minutes after repeated failures, and wakes the sender.
func (n *Notices) SigninLocked(ctx context.Context, a *accounts.Account, minutes int) error {
	msg, err := n.Mail.Compose("signin_locked", langOf(a), a.Email, a.DisplayName, map[string]any{
		"name":    a.DisplayName,
		"minutes": minutes,
		"link":    n.abs("/account"),
	})
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
