package moderation

import (
	"context"
	"database/sql"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/modlog"
	"puente/internal/notifications"
	"puente/internal/practices"
	"puente/internal/sanitize"
)

// DecideVersion approves the version of published practice id in lang
// that waits for review, or sends it back to whoever wrote it with a note.
// No one decides on a version they wrote; logged; its writer is told.
func (s *Store) DecideVersion(ctx context.Context, actor *accounts.Account, id int64, lang string, approve bool, note, public string) error {
	if err := staff(actor); err != nil {
		return err
	}
	note, public = sanitize.Plain(note), sanitize.Plain(public)
	if err := checkNotes(note, public, !approve); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := practices.Load(ctx, tx, id)
		if err != nil {
			return err
		}
		v, err := practices.PendingVersion(ctx, tx, id, lang)
		if err != nil {
			return err
		}
		if err := notOwn(actor, v.AuthorID); err != nil {
			return err
		}
		if p.Status != practices.Published {
			return apperr.New(apperr.Conflict, "practice.already_handled")
		}
		action, told := modlog.ApproveVersion, notifications.ChangeApproved
		if approve {
			err = s.Practices.ApproveVersion(ctx, tx, id, lang)
		} else {
			action, told = modlog.ReturnVersion, notifications.ChangeReturned
			err = practices.ReturnVersion(ctx, tx, id, lang, note)
		}
		if err != nil {
			return err
		}
		if _, err := modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: action, TargetType: "practice", TargetID: id,
			CountryCode: firstCountry(p), Title: v.Title, Note: note, Reason: public, Details: lang}); err != nil {
			return err
		}
		return notifications.Add(ctx, tx, now, notifications.Notification{Kind: told, PracticeID: id, ActorID: actor.ID, Note: note}, v.AuthorID)
	})
}
