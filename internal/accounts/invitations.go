package accounts

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/modlog"
	"puente/internal/notifications"
	"puente/internal/sanitize"
	"puente/internal/tokens"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation is a pending offer of an account.
type Invitation struct {
	ID          int64
	Email       string
	Role        Role
	CountryCode string
	Lang        string
	InvitedBy   int64
	InviterName string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	AcceptedAt  time.Time
	RevokedAt   time.Time
	// An observer's organisation, processes and right to comment.
	Observer ObserverAccess
}

// Pending reports whether the invitation can still be accepted at now.
func (i *Invitation) Pending(now time.Time) bool {
	return i.AcceptedAt.IsZero() && i.RevokedAt.IsZero() && now.Before(i.ExpiresAt)
}

// InviteForm is what an admin fills in to invite a person (or a focal
// point, an official of their country).
type InviteForm struct {
	Email   string
	Role    string
	Country string
	Lang    string
	// For an observer: organisation, processes, comments.
	Observer ObserverAccess
}

// Validate checks the form against the known countries and languages.
func (f *InviteForm) Validate(countryExists func(string) bool, langOK func(string) bool) apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	f.Email = NormalizeEmail(f.Email)
	f.Country = strings.ToUpper(strings.TrimSpace(f.Country))
	if key := CheckEmail(f.Email); key != "" {
		errs.Add("email", key)
	}
	role := Role(f.Role)
	if !role.Valid() {
		errs.Add("role", "invite.role_invalid")
	}
	switch {
	case role == Observer && f.Country != "":
		errs.Add("country", "observer.no_country")
	case f.Country == "" && role == Official:
		errs.Add("country", "invite.country_required")
	case f.Country != "" && !countryExists(f.Country):
		errs.Add("country", "invite.country_unknown")
	}
	if role == Observer {
		for k, v := range f.Observer.Validate() {
			errs[k] = v
		}
	} else {
		f.Observer = ObserverAccess{}
	}
	if f.Lang != "" && !langOK(f.Lang) {
		errs.Add("lang", "field.invalid_choice")
	}
	return errs
}

// Invite records an invitation and returns its one-time token. Any pending
// invitation for the same address is revoked, so only the newest link
// works. afterTx runs inside the same transaction (to queue the email), so
// that an invitation never exists without its message.
func (s *Store) Invite(ctx context.Context, f InviteForm, invitedBy int64, afterTx func(*sql.Tx, *Invitation, string) error) (*Invitation, string, error) {
	token := tokens.New()
	now := s.Clock.Now()
	inv := &Invitation{Email: f.Email, Role: Role(f.Role), CountryCode: f.Country, Lang: f.Lang,
		InvitedBy: invitedBy, CreatedAt: now, ExpiresAt: now.Add(InvitationTTL), Observer: f.Observer}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE email = ?`, f.Email).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			return apperr.New(apperr.Conflict, "invite.email_taken")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET revoked_at = ? WHERE email = ? AND accepted_at IS NULL AND revoked_at IS NULL`,
			db.FormatTime(now), f.Email); err != nil {
			return err
		}
		var by, cc any
		if invitedBy != 0 {
			by = invitedBy
		}
		if f.Country != "" {
			cc = f.Country
		}
		var scope any
		if f.Observer.Scope != "" {
			scope = f.Observer.Scope
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO invitations (token_hash, email, role, country_code, lang, invited_by, created_at, expires_at,
			organisation, observer_scope, observer_comments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tokens.Hash(token), f.Email, f.Role, cc, f.Lang, by,
			db.FormatTime(now), db.FormatTime(inv.ExpiresAt), sanitize.Plain(f.Observer.Organisation), scope, f.Observer.Comments)
		if err != nil {
			return err
		}
		inv.ID, _ = res.LastInsertId()
		if _, err := modlog.Record(ctx, tx, now, modlog.Entry{ActorID: invitedBy, Action: modlog.Invite, TargetType: "invitation",
			TargetID: inv.ID, CountryCode: f.Country, Details: f.Role}); err != nil {
			return err
		}
		if afterTx != nil {
			return afterTx(tx, inv, token)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return inv, token, nil
}

const invitationColumns = `i.id, i.email, i.role, coalesce(i.country_code, ''), i.lang, coalesce(i.invited_by, 0), coalesce(a.display_name, ''),
	i.created_at, i.expires_at, coalesce(i.accepted_at, ''), coalesce(i.revoked_at, ''),
	i.organisation, coalesce(i.observer_scope, ''), i.observer_comments`

func scanInvitation(r rowScanner) (*Invitation, error) {
	var i Invitation
	var created, expires, accepted, revoked string
	if err := r.Scan(&i.ID, &i.Email, &i.Role, &i.CountryCode, &i.Lang, &i.InvitedBy, &i.InviterName, &created, &expires, &accepted, &revoked,
		&i.Observer.Organisation, &i.Observer.Scope, &i.Observer.Comments); err != nil {
		return nil, err
	}
	i.CreatedAt, _ = db.ParseTime(created)
	i.ExpiresAt, _ = db.ParseTime(expires)
	i.AcceptedAt, _ = db.ParseTime(accepted)
	i.RevokedAt, _ = db.ParseTime(revoked)
	return &i, nil
}

// ErrLinkInvalid is the answer to an unknown, used, revoked or expired link.
// It does not say which, so links cannot be probed.
var ErrLinkInvalid = apperr.New(apperr.Gone, "link.invalid")

// InvitationByToken returns the pending invitation behind token.
func (s *Store) InvitationByToken(ctx context.Context, token string) (*Invitation, error) {
	inv, err := scanInvitation(s.DB.R.QueryRowContext(ctx, `SELECT `+invitationColumns+`
		FROM invitations i LEFT JOIN accounts a ON a.id = i.invited_by WHERE i.token_hash = ?`, tokens.Hash(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrLinkInvalid
	}
	if err != nil {
		return nil, err
	}
	if !inv.Pending(s.Clock.Now()) {
		return nil, ErrLinkInvalid
	}
	return inv, nil
}

// PendingInvitations lists invitations not yet accepted, revoked or
// expired, newest first.
func (s *Store) PendingInvitations(ctx context.Context) ([]*Invitation, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+invitationColumns+`
		FROM invitations i LEFT JOIN accounts a ON a.id = i.invited_by
		WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?
		ORDER BY i.created_at DESC LIMIT 200`, s.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// RevokeInvitation makes a pending invitation's link stop working.
func (s *Store) RevokeInvitation(ctx context.Context, actorID, id int64) (*Invitation, error) {
	var inv *Invitation
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE invitations SET revoked_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL`, s.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "invite.not_pending")
		}
		inv, err = scanInvitation(tx.QueryRowContext(ctx, `SELECT `+invitationColumns+`
			FROM invitations i LEFT JOIN accounts a ON a.id = i.invited_by WHERE i.id = ?`, id))
		if err != nil {
			return err
		}
		_, err = modlog.Record(ctx, tx, s.Clock.Now(), modlog.Entry{ActorID: actorID, Action: modlog.RevokeInvite, TargetType: "invitation",
			TargetID: id, CountryCode: inv.CountryCode})
		return err
	})
	return inv, err
}

// AcceptForm is what the invited person fills in.
type AcceptForm struct {
	DisplayName string
	Password    string
	Confirm     string
}

// Validate checks the form for the invitation's address.
func (f *AcceptForm) Validate(email string) apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	f.DisplayName = sanitize.Plain(f.DisplayName)
	if key := CheckDisplayName(f.DisplayName); key != "" {
		errs.Add("display_name", key)
	}
	if key := CheckPassword(f.Password, email, f.DisplayName); key != "" {
		errs.Add("password", key)
	} else if f.Password != f.Confirm {
		errs.Add("confirm", "password.mismatch")
	}
	return errs
}

// Accept turns the invitation behind token into an active account. The
// token works once: a second use, even at the same moment, is refused.
func (s *Store) Accept(ctx context.Context, token string, f AcceptForm, lang string) (*Account, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		inv, err := scanInvitation(tx.QueryRowContext(ctx, `SELECT `+invitationColumns+`
			FROM invitations i LEFT JOIN accounts a ON a.id = i.invited_by WHERE i.token_hash = ?`, tokens.Hash(token)))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrLinkInvalid
		}
		if err != nil {
			return err
		}
		if !inv.Pending(s.Clock.Now()) {
			return ErrLinkInvalid
		}
		if lang == "" {
			lang = inv.Lang
		}
		now := s.now()
		var cc any
		if inv.CountryCode != "" {
			cc = inv.CountryCode
		}
		var scope any
		if inv.Observer.Scope != "" {
			scope = inv.Observer.Scope
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, country_code, lang, created_at, updated_at, password_changed_at,
			organisation, observer_scope, observer_comments)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, inv.Email, f.DisplayName, HashPassword(f.Password, s.Params), inv.Role, cc, lang, now, now, now,
			inv.Observer.Organisation, scope, inv.Observer.Comments)
		if db.IsUniqueViolation(err) {
			return apperr.Wrap(apperr.Conflict, "invite.email_taken", err)
		}
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		if _, err = tx.ExecContext(ctx, `UPDATE invitations SET accepted_at = ?, account_id = ? WHERE id = ?`, now, id, inv.ID); err != nil {
			return err
		}
		// The admin who invited is told the person joined.
		return notifications.Add(ctx, tx, s.Clock.Now(), notifications.Notification{Kind: notifications.InviteAccepted, ActorID: id}, inv.InvitedBy)
	})
	if err != nil {
		return nil, err
	}
	return s.ByID(ctx, id)
}
