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

// DecideFile approves a file added to or removed from a published
// practice, or refuses it with a note. No one decides on a file they
// sent; logged; whoever sent it is told.
func (s *Store) DecideFile(ctx context.Context, actor *accounts.Account, id int64, approve bool, note string) error {
	if err := staff(actor); err != nil {
		return err
	}
	note = sanitize.Plain(note)
	// Refusing needs a note: the sender learns why from it.
	if err := checkNotes(note, "", !approve); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		a, err := practices.WaitingFileTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := notOwn(actor, a.UploaderID); err != nil {
			return err
		}
		p, err := practices.Load(ctx, tx, a.PracticeID)
		if err != nil {
			return err
		}
		if p.Status != practices.Published {
			return apperr.New(apperr.Conflict, "practice.already_handled")
		}
		if err := s.Practices.DecideFile(ctx, tx, a, approve); err != nil {
			return err
		}
		action, told := modlog.ApproveFile, notifications.ChangeApproved
		if !approve {
			action, told = modlog.ReturnFile, notifications.ChangeReturned
		}
		if _, err := modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: action, TargetType: "practice", TargetID: a.PracticeID,
			CountryCode: firstCountry(p), Title: p.Title, Note: note, Details: a.Name}); err != nil {
			return err
		}
		return notifications.Add(ctx, tx, now, notifications.Notification{Kind: told, PracticeID: a.PracticeID, ActorID: actor.ID, Note: note}, a.UploaderID)
	})
}
