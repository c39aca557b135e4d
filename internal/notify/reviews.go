package notify

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"puente/internal/accounts"
	"puente/internal/i18n"
	"puente/internal/mail"
	"puente/internal/notifications"
	"puente/internal/practices"
)

// AskPerRun bounds the practices asked about in one run (the server runs
// it every 15 minutes): a site that starts with years of practices asks
// about them over days, not in one flood of email.
const AskPerRun = 100

// AskReviews puts "is this practice still current?" to the authors of the
// practices published or confirmed at least months ago, by email with the
// three answers as links; an author who has left is replaced by the
// active officials of the practice's countries. It then marks the
// practices whose question went unanswered past the grace period. It
// returns how many were asked and how many marked.
func (n *Notices) AskReviews(ctx context.Context, months int) (asked, marked int, err error) {
	{
		due, err := n.Practices.DueForReview(ctx, months, AskPerRun)
		if err != nil {
			return asked, marked, err
		}
		for _, d := range due {
			to, err := n.reviewers(ctx, d.Practice)
			if err != nil {
				return asked, marked, err
			}
			var msgs []mail.Message
			for _, a := range to {
				e := n.reviewEmail(a, d)
				e.Name, e.Link = a.DisplayName, n.abs("/my/practices")
				m, err := n.Mail.Compose(langOf(a), a.Email, a.DisplayName, e)
				if err != nil {
					return asked, marked, err
				}
				msgs = append(msgs, m)
			}
			// Asked and emailed together: a question recorded is a
			// question sent.
			err = n.DB.Tx(ctx, func(tx *sql.Tx) error {
				if err := n.Practices.MarkAsked(ctx, tx, d); err != nil {
					return err
				}
				for _, m := range msgs {
					if _, err := n.Outbox.Enqueue(ctx, tx, m); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return asked, marked, err
			}
			asked++
		}
		if asked > 0 {
			n.Outbox.Notify()
		}
	}
	// What no author answered goes to the focal points of the practice's
	// countries, in the transaction that marks it.
	err = n.DB.Tx(ctx, func(tx *sql.Tx) error {
		ids, err := n.Practices.MarkUnreviewed(ctx, tx)
		if err != nil {
			return err
		}
		marked = len(ids)
		for _, id := range ids {
			author, countries, err := practices.Owners(ctx, tx, id)
			if err != nil {
				return err
			}
			focal, err := accounts.FocalPointsOf(ctx, tx, countries)
			if err != nil {
				return err
			}
			focal = slices.DeleteFunc(focal, func(a int64) bool { return a == author })
			if err := notifications.Add(ctx, tx, n.Clock.Now(), notifications.Notification{Kind: notifications.ReviewUnanswered, PracticeID: id, ActorID: author}, focal...); err != nil {
				return err
			}
		}
		return nil
	})
	return asked, marked, err
}

// reviewers are who answers for p: its author while active, else the
// focal points of its countries, else their active officials.
func (n *Notices) reviewers(ctx context.Context, p *practices.Practice) ([]*accounts.Account, error) {
	author, err := n.Accounts.ByID(ctx, p.AuthorID)
	if err != nil {
		return nil, err
	}
	if author.Status == accounts.Active {
		return []*accounts.Account{author}, nil
	}
	focal, err := accounts.FocalPointsOf(ctx, n.DB.R, p.Countries)
	if err != nil {
		return nil, err
	}
	var out []*accounts.Account
	for _, id := range focal {
		a, err := n.Accounts.ByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if len(out) > 0 {
		return out, nil
	}
	for _, cc := range p.Countries {
		list, _, err := n.Accounts.List(ctx, accounts.Filter{Country: cc, Role: string(accounts.Official), Status: string(accounts.Active), Limit: 50})
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

func (n *Notices) reviewEmail(a *accounts.Account, d practices.ReviewDue) *mail.ReviewRequest {
	link := func(answer string) string {
		return n.abs(fmt.Sprintf("/review/%s?answer=%s", d.Token, answer))
	}
	return &mail.ReviewRequest{Title: d.Practice.Title, Since: i18n.For(langOf(a)).Date(d.Since),
		Current: link(practices.StillCurrent), Update: link(practices.WillUpdate), Ended: link(practices.HasEnded)}
}

// CanReview reports whether a may answer for p: its author, a focal
// point of one of its countries, or, when the author has left, an
// official of one of them.
func (n *Notices) CanReview(ctx context.Context, a *accounts.Account, p *practices.Practice) (bool, error) {
	if a == nil {
		return false, nil
	}
	if p.AuthorID == a.ID || slices.ContainsFunc(p.Countries, a.FocalFor) {
		return true, nil
	}
	author, err := n.Accounts.ByID(ctx, p.AuthorID)
	if err != nil {
		return false, err
	}
	if author.Status == accounts.Active || a.Role != accounts.Official {
		return false, nil
	}
	for _, cc := range p.Countries {
		if cc == a.CountryCode {
			return true, nil
		}
	}
	return false, nil
}
