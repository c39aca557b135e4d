package accounts

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/modlog"
	"puente/internal/tokens"
)

// Two-factor sign-in: a time-based one-time code (RFC 6238: SHA-1, six
// digits, 30-second steps, as every authenticator app expects) or, when
// the phone is lost, one of ten single-use recovery codes.
const (
	totpPeriod        = 30
	totpSkew          = 1 // steps accepted either side of now, for clock drift
	RecoveryCodeCount = 10
	recoveryAlphabet  = "abcdefghjkmnpqrstuvwxyz23456789" // no 0/o, 1/l/i
	recoveryLen       = 10
	// Issuer names the site in authenticator apps.
	Issuer = "Puente"
)

// Errors of code entry.
var (
	ErrBadCode  = apperr.New(apperr.Unprocessable, "twofactor.bad_code")
	ErrCodeUsed = apperr.New(apperr.Unprocessable, "twofactor.code_used")
	ErrNoTOTP   = apperr.New(apperr.Conflict, "twofactor.not_enabled")
	ErrHasTOTP  = apperr.New(apperr.Conflict, "twofactor.already_enabled")
)

// TwoFactor is an account's two-factor state.
type TwoFactor struct {
	Enabled        bool
	EnabledAt      time.Time
	RecoveryLeft   int
	RequiredByRole bool
}

// NewTOTPKey makes a fresh secret for a, to be confirmed with a code
// before it is switched on.
func NewTOTPKey(a *Account) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: a.Email, Period: totpPeriod})
}

// NormalizeCode drops the spaces and hyphens people type or paste, and
// lowers the case of recovery codes.
func NormalizeCode(code string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, code))
}

// isTOTPCode tells a six-digit code from a recovery code.
func isTOTPCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// matchStep returns the time step whose code is code, within the skew of
// now, or -1.
func matchStep(secret, code string, now time.Time) int64 {
	step := now.Unix() / totpPeriod
	found := int64(-1)
	for s := step - totpSkew; s <= step+totpSkew; s++ {
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return -1
		}
		// Every step is compared, in constant time, whatever matched.
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			found = s
		}
	}
	return found
}

// CheckSetupCode verifies code against a secret not yet stored.
func CheckSetupCode(secret, code string, now time.Time) bool {
	code = NormalizeCode(code)
	return isTOTPCode(code) && matchStep(secret, code, now) >= 0
}

// TwoFactorState reads an account's two-factor state.
func (s *Store) TwoFactorState(ctx context.Context, a *Account) (*TwoFactor, error) {
	t := &TwoFactor{}
	var at sql.NullString
	err := s.DB.R.QueryRowContext(ctx, `SELECT totp_enabled_at,
		(SELECT count(*) FROM recovery_codes WHERE account_id = accounts.id AND used_at IS NULL)
		FROM accounts WHERE id = ?`, a.ID).Scan(&at, &t.RecoveryLeft)
	if err != nil {
		return nil, err
	}
	if at.Valid {
		t.Enabled = true
		t.EnabledAt, _ = db.ParseTime(at.String)
	}
	if t.RequiredByRole, err = s.TwoFactorRequiredFor(ctx, a); err != nil {
		return nil, err
	}
	return t, nil
}

// EnableTOTP switches two-factor sign-in on with secret once code proves
// the authenticator holds it, and returns fresh recovery codes, shown once.
func (s *Store) EnableTOTP(ctx context.Context, id int64, secret, code string) ([]string, error) {
	code = NormalizeCode(code)
	if !isTOTPCode(code) {
		return nil, ErrBadCode
	}
	step := matchStep(secret, code, s.Clock.Now())
	if step < 0 {
		return nil, ErrBadCode
	}
	var codes []string
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = ?, totp_enabled_at = ?, totp_last_step = ?, updated_at = ?
			WHERE id = ? AND totp_enabled_at IS NULL`, secret, s.now(), step, s.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrHasTOTP
		}
		codes, err = s.replaceRecoveryCodes(ctx, tx, id)
		return err
	})
	return codes, err
}

// replaceRecoveryCodes drops an account's recovery codes and makes new ones.
func (s *Store) replaceRecoveryCodes(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = ?`, id); err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)`,
			id, tokens.Hash(NormalizeCode(codes[i]))); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

func newRecoveryCode() string {
	b := make([]byte, recoveryLen)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	out := make([]byte, 0, recoveryLen+1)
	for i, c := range b {
		if i == recoveryLen/2 {
			out = append(out, '-')
		}
		// 256 is not a multiple of the alphabet's 31 letters; the bias
		// (at most one part in eight per letter) costs under a bit of the
		// code's 49.
		out = append(out, recoveryAlphabet[int(c)%len(recoveryAlphabet)])
	}
	return string(out)
}

// NewRecoveryCodes replaces an account's recovery codes; the old ones stop
// working.
func (s *Store) NewRecoveryCodes(ctx context.Context, id int64) ([]string, error) {
	var codes []string
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var on bool
		if err := tx.QueryRowContext(ctx, `SELECT totp_enabled_at IS NOT NULL FROM accounts WHERE id = ?`, id).Scan(&on); err != nil {
			return err
		}
		if !on {
			return ErrNoTOTP
		}
		var err error
		codes, err = s.replaceRecoveryCodes(ctx, tx, id)
		return err
	})
	return codes, err
}

// VerifySecondFactor checks a code typed at sign-in (or to confirm a
// change): a current one-time code not used before, or an unused recovery
// code, which is then spent. usedRecovery tells which it was.
func (s *Store) VerifySecondFactor(ctx context.Context, id int64, code string) (usedRecovery bool, err error) {
	code = NormalizeCode(code)
	if code == "" {
		return false, ErrBadCode
	}
	var secret sql.NullString
	var last int64
	if err := s.DB.R.QueryRowContext(ctx, `SELECT totp_secret, totp_last_step FROM accounts WHERE id = ? AND totp_enabled_at IS NOT NULL`, id).
		Scan(&secret, &last); errors.Is(err, sql.ErrNoRows) {
		return false, ErrNoTOTP
	} else if err != nil {
		return false, err
	}
	if isTOTPCode(code) {
		step := matchStep(secret.String, code, s.Clock.Now())
		if step < 0 {
			return false, ErrBadCode
		}
		// The step only moves forward: a code seen once, or an older one,
		// is refused even if two requests race with it.
		res, err := s.DB.W.ExecContext(ctx, `UPDATE accounts SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, id, step)
		if err != nil {
			return false, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return false, ErrCodeUsed
		}
		return false, nil
	}
	res, err := s.DB.W.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL`,
		s.now(), id, tokens.Hash(code))
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, ErrBadCode
	}
	return true, nil
}

// DisableTOTP switches two-factor sign-in off and drops the recovery codes.
func (s *Store) DisableTOTP(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return clearTOTP(ctx, tx, id, s.now())
	})
}

func clearTOTP(ctx context.Context, tx *sql.Tx, id int64, now string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0, updated_at = ?
		WHERE id = ?`, now, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = ?`, id)
	return err
}

// ResetTwoFactor is an admin switching two-factor off for someone who lost
// their phone and their recovery codes. Their sessions end; the action is
// logged.
func (s *Store) ResetTwoFactor(ctx context.Context, actor *Account, id int64) (*Change, error) {
	return s.change(ctx, actor, id, modlog.TwoFactorReset, changeOpts{}, func(tx *sql.Tx, target *Account) (string, error) {
		if !target.TwoFactor {
			return "", ErrNoTOTP
		}
		return "", clearTOTP(ctx, tx, target.ID, s.now())
	})
}

// settingRequire2FA names the site setting that makes moderators and
// admins use two-factor sign-in.
const settingRequire2FA = "require_2fa_staff"

// TwoFactorRequired reports whether moderators and admins must use
// two-factor sign-in.
func (s *Store) TwoFactorRequired(ctx context.Context) (bool, error) {
	var v string
	err := s.DB.R.QueryRowContext(ctx, `SELECT value FROM site_settings WHERE key = ?`, settingRequire2FA).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return v == "1", err
}

// TwoFactorRequiredFor reports whether a must use two-factor sign-in.
func (s *Store) TwoFactorRequiredFor(ctx context.Context, a *Account) (bool, error) {
	if !a.Role.AtLeast(Moderator) {
		return false, nil
	}
	return s.TwoFactorRequired(ctx)
}

// SetTwoFactorRequired is an admin requiring (or no longer requiring)
// two-factor sign-in of moderators and admins; the change is logged.
func (s *Store) SetTwoFactorRequired(ctx context.Context, actor *Account, on bool) error {
	if actor == nil || actor.Role != Admin {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	v, details := "0", "off"
	if on {
		v, details = "1", "on"
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var old string
		err := tx.QueryRowContext(ctx, `SELECT value FROM site_settings WHERE key = ?`, settingRequire2FA).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if old == v || (old == "" && v == "0") {
			return apperr.New(apperr.Conflict, "admin.no_change")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO site_settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingRequire2FA, v); err != nil {
			return err
		}
		_, err = modlog.Record(ctx, tx, s.Clock.Now(), modlog.Entry{ActorID: actor.ID, Action: modlog.TwoFactorRequire,
			TargetType: "setting", Details: details})
		return err
	})
}

// StaffWithoutTwoFactor lists the active moderators and admins who have
// not switched two-factor sign-in on.
func (s *Store) StaffWithoutTwoFactor(ctx context.Context) ([]*Account, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE role IN ('moderator', 'admin') AND status = 'active' AND totp_enabled_at IS NULL ORDER BY display_name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
