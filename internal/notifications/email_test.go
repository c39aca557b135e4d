package notifications_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/dbtest"
	"puente/internal/notifications"
	"puente/internal/servertest"
)

// A choice equal to the default is stored as no choice, so a better
// default later reaches everyone who never chose; what is not a choice is
// refused.
func TestPrefsStoreOnlyWhatDiffers(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	a := e.CreateAccount("pa@gob.pa", accounts.Official, "PA")
	s, ctx := e.App.Inbox, context.Background()
	if err := s.SetPrefs(ctx, a.ID, map[string]notifications.Delivery{notifications.Reply: notifications.Never, notifications.Comment: notifications.InDigest}); err != nil {
		t.Fatal(err)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notification_prefs`); n != 1 {
		t.Fatalf("%d rows stored, want 1 (the default is no row)", n)
	}
	prefs, err := s.Prefs(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if prefs[notifications.Reply] != notifications.Never || prefs[notifications.Comment] != notifications.InDigest || prefs[notifications.Published] != notifications.Now {
		t.Fatalf("prefs %v", prefs)
	}
	if err := s.SetPrefs(ctx, a.ID, map[string]notifications.Delivery{notifications.Reply: notifications.Now}); err != nil {
		t.Fatal(err)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notification_prefs`); n != 0 {
		t.Fatal("going back to the default left a row")
	}
	for _, bad := range []map[string]notifications.Delivery{{notifications.Reply: "hourly"}, {"no_such_kind": notifications.Now}} {
		if err := s.SetPrefs(ctx, a.ID, bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("SetPrefs(%v): %v, want invalid", bad, err)
		}
	}
}

// After a long outage of the mailer, old news goes to the centre only; a
// recent entry waits for its email.
func TestOldEntriesAreNotEmailedLate(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	a := e.CreateAccount("pa@gob.pa", accounts.Official, "PA")
	ctx, now := context.Background(), e.Clock.Now()
	for _, at := range []time.Time{now.Add(-notifications.MaxAge - time.Minute), now.Add(-time.Hour)} {
		if err := e.DB.Tx(ctx, func(tx *sql.Tx) error {
			return notifications.Add(ctx, tx, at, notifications.Notification{Kind: notifications.Published}, a.ID)
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.App.Inbox.Sort(ctx, now); err != nil {
		t.Fatal(err)
	}
	if s := dbtest.Value[string](t, e.DB.R, `SELECT group_concat(coalesce(mail_state, '-'), ',') FROM (SELECT mail_state FROM notifications ORDER BY id)`); s != "skipped,-" {
		t.Fatalf("states %q, want the old one skipped and the new one waiting", s)
	}
	due, err := e.App.Inbox.Due(ctx, now)
	if err != nil || len(due) != 1 || due[0] != a.ID {
		t.Fatalf("due %v, %v", due, err)
	}
}
