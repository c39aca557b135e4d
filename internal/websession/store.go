// Package websession keeps signed-in sessions on the server, in SQLite, as
// a gorilla/sessions Store. The cookie carries only a signed random id;
// the table keeps the id's hash, the account, and when the session began
// and was last used, so idle and absolute timeouts are decided here, not
// by the browser.
package websession

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/gob"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"puente/db"
	"puente/internal/clock"
	"puente/internal/tokens"
)

// Keys of session values with a meaning to the store.
const (
	AccountKey = "account_id" // int64
)

func init() {
	// Flash messages were once kept in sessions as a slice of interface
	// values; sessions stored then still decode.
	gob.Register([]any{})
}

// touchEvery bounds how often a read request writes last_seen_at: idle
// time is known to within this much, and most requests write nothing.
const touchEvery = time.Minute

// Store implements sessions.Store over the sessions table.
type Store struct {
	DB     *db.DB
	Clock  clock.Clock
	Idle   time.Duration
	Max    time.Duration
	Codecs []securecookie.Codec
	// Options are the cookie's attributes.
	Options sessions.Options
	// ClientIP names the client of a request, for the list of sessions.
	ClientIP func(*http.Request) string
}

// New makes a store. keys sign the cookie: the first signs, all verify, so
// a new key is added in front and an old one dropped later.
func New(d *db.DB, c clock.Clock, idle, maxAge time.Duration, secure bool, keys [][]byte) *Store {
	var pairs [][]byte
	for _, k := range keys {
		pairs = append(pairs, k, nil)
	}
	codecs := securecookie.CodecsFromPairs(pairs...)
	for _, c := range codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			sc.MaxAge(0) // the server decides expiry
			sc.SetSerializer(securecookie.NopEncoder{})
		}
	}
	return &Store{
		DB: d, Clock: c, Idle: idle, Max: maxAge, Codecs: codecs,
		Options:  sessions.Options{Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode},
		ClientIP: func(r *http.Request) string { return r.RemoteAddr },
	}
}

// CookieName is "__Host-puente" over https (the prefix pins the cookie to
// this host and path, Secure), and "puente" otherwise.
func CookieName(secure bool) string {
	if secure {
		return "__Host-puente"
	}
	return "puente"
}

// Info is what the store knows of a loaded session besides its values.
type Info struct {
	RowID      int64
	CreatedAt  time.Time
	LastSeenAt time.Time
}

type infoKey struct{}

// InfoOf returns the stored facts of a session loaded from the database,
// or nil for a session not saved yet.
func InfoOf(s *sessions.Session) *Info {
	i, _ := s.Values[infoKey{}].(*Info)
	return i
}

// AccountID returns the signed-in account of a session, or 0.
func AccountID(s *sessions.Session) int64 {
	id, _ := s.Values[AccountKey].(int64)
	return id
}

// Get returns the session for the request, cached for the request.
func (st *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(st, name)
}

// New loads the session named by the request's cookie, or returns a new
// empty one when there is none, or it is forged, ended or expired.
func (st *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	s := sessions.NewSession(st, name)
	opts := st.Options
	s.Options = &opts
	s.IsNew = true
	c, err := r.Cookie(name)
	if err != nil {
		return s, nil
	}
	var raw []byte
	if err := securecookie.DecodeMulti(name, c.Value, &raw, st.Codecs...); err != nil {
		return s, nil
	}
	token := string(raw)
	ok, err := st.load(r.Context(), token, s)
	if err != nil {
		return s, err
	}
	if !ok {
		reason, err := st.ending(r.Context(), token)
		if reason != "" {
			s.Values[endedKey{}] = reason
		}
		return s, err
	}
	s.ID = token
	s.IsNew = false
	return s, nil
}

func (st *Store) load(ctx context.Context, token string, s *sessions.Session) (bool, error) {
	var rowID int64
	var data []byte
	var created, seen string
	err := st.DB.R.QueryRowContext(ctx, `SELECT id, data, created_at, last_seen_at FROM sessions WHERE token_hash = ?`, tokens.Hash(token)).
		Scan(&rowID, &data, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	info := &Info{RowID: rowID}
	info.CreatedAt, _ = db.ParseTime(created)
	info.LastSeenAt, _ = db.ParseTime(seen)
	now := st.Clock.Now()
	if now.Sub(info.LastSeenAt) >= st.Idle || now.Sub(info.CreatedAt) >= st.Max {
		_, err := st.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, rowID)
		return false, err
	}
	values, ok := decodeValues(data)
	if !ok {
		return false, nil
	}
	for k, v := range values {
		if l, ok := v.([]any); ok {
			v = slices.Clone(l) // flashes are appended to
		}
		s.Values[k] = v
	}
	if now.Sub(info.LastSeenAt) >= touchEvery {
		if _, err := st.DB.W.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, db.FormatTime(now), rowID); err != nil {
			return false, err
		}
		info.LastSeenAt = now
	}
	s.Values[infoKey{}] = info
	return true, nil
}

// decoded keeps the values of recently read session data: a gob decoder
// is made for each decoding and costs more than reading the row. The
// values are small and set anew by handlers, never changed in place, so
// a copy of the map is handed out (and of the flashes' list, which
// gorilla/sessions appends to).
var decoded struct {
	sync.Mutex
	m map[string]map[any]any
}

// maxDecoded bounds decoded; when full it starts over.
const maxDecoded = 4096

func decodeValues(data []byte) (map[any]any, bool) {
	decoded.Lock()
	v, ok := decoded.m[string(data)]
	decoded.Unlock()
	if ok {
		return v, true
	}
	v = map[any]any{}
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&v); err != nil {
		return nil, false
	}
	decoded.Lock()
	if decoded.m == nil || len(decoded.m) >= maxDecoded {
		decoded.m = make(map[string]map[any]any)
	}
	decoded.m[string(data)] = v
	decoded.Unlock()
	return v, true
}

func encodeValues(values map[any]any) ([]byte, int64, error) {
	plain := make(map[any]any, len(values))
	var account int64
	for k, v := range values {
		if _, ok := k.(infoKey); ok {
			continue
		}
		if k == AccountKey {
			account, _ = v.(int64)
		}
		plain[k] = v
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(plain)
	return buf.Bytes(), account, err
}

// Save stores the session and sets its cookie; a session with MaxAge < 0 is
// deleted and its cookie cleared. Saves share commits with the other writes
// of the moment (group commit): a flash message costs no fsync of its own.
func (st *Store) Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	ctx := r.Context()
	if s.Options.MaxAge < 0 {
		if s.ID != "" {
			if _, err := st.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokens.Hash(s.ID)); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(s.Name(), "", s.Options))
		return nil
	}
	data, account, err := encodeValues(s.Values)
	if err != nil {
		return err
	}
	var acct any
	if account != 0 {
		acct = account
	}
	now := db.FormatTime(st.Clock.Now())
	if s.ID == "" {
		s.ID = tokens.New()
		ua := r.UserAgent()
		if len(ua) > 300 {
			ua = ua[:300]
		}
		var rowID int64
		err := st.DB.Batch(ctx, func(ctx context.Context, tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, account_id, data, created_at, last_seen_at, user_agent, client_ip)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, tokens.Hash(s.ID), acct, data, now, now, ua, st.ClientIP(r))
			if err == nil {
				rowID, err = res.LastInsertId()
			}
			return err
		})
		if err != nil {
			return err
		}
		t, _ := db.ParseTime(now)
		s.Values[infoKey{}] = &Info{RowID: rowID, CreatedAt: t, LastSeenAt: t}
	} else {
		var n int64
		err := st.DB.Batch(ctx, func(ctx context.Context, tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE sessions SET data = ?, account_id = ?, last_seen_at = ? WHERE token_hash = ?`,
				data, acct, now, tokens.Hash(s.ID))
			if err == nil {
				n, err = res.RowsAffected()
			}
			return err
		})
		if err != nil {
			return err
		}
		if n == 0 {
			// Ended meanwhile (signed out elsewhere, suspended): do not
			// bring it back.
			http.SetCookie(w, sessions.NewCookie(s.Name(), "", &sessions.Options{Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.Options.Secure, SameSite: s.Options.SameSite}))
			return nil
		}
	}
	encoded, err := securecookie.EncodeMulti(s.Name(), []byte(s.ID), st.Codecs...)
	if err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(s.Name(), encoded, s.Options))
	return nil
}

// Renew gives the session a new id and ends the old one; call it at
// sign-in, so an id known before signing in (session fixation) is dead.
func (st *Store) Renew(r *http.Request, s *sessions.Session) error {
	if s.ID != "" {
		if _, err := st.DB.W.ExecContext(r.Context(), `DELETE FROM sessions WHERE token_hash = ?`, tokens.Hash(s.ID)); err != nil {
			return err
		}
	}
	s.ID = ""
	delete(s.Values, infoKey{})
	return nil
}

// Summary describes one session for its owner.
type Summary struct {
	ID         int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	UserAgent  string
	ClientIP   string
	Current    bool
}

// ListForAccount lists the live sessions of an account, newest first.
func (st *Store) ListForAccount(ctx context.Context, accountID, currentRowID int64) ([]Summary, error) {
	now := st.Clock.Now()
	rows, err := st.DB.R.QueryContext(ctx, `SELECT id, created_at, last_seen_at, user_agent, client_ip FROM sessions
		WHERE account_id = ? AND last_seen_at > ? AND created_at > ? ORDER BY last_seen_at DESC`,
		accountID, db.FormatTime(now.Add(-st.Idle)), db.FormatTime(now.Add(-st.Max)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var s Summary
		var created, seen string
		if err := rows.Scan(&s.ID, &created, &seen, &s.UserAgent, &s.ClientIP); err != nil {
			return nil, err
		}
		s.CreatedAt, _ = db.ParseTime(created)
		s.LastSeenAt, _ = db.ParseTime(seen)
		s.Current = s.ID == currentRowID
		out = append(out, s)
	}
	return out, rows.Err()
}

// End ends one session of an account; it reports whether there was one.
func (st *Store) End(ctx context.Context, accountID, rowID int64) (bool, error) {
	res, err := st.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE id = ? AND account_id = ?`, rowID, accountID)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Why someone else ended a person's sessions, told to their browser on
// its next visit.
const (
	EndedRoleChanged = "role_changed"
	EndedSuspended   = "suspended"
)

// endingsKept is how long a browser is told why its session ended.
const endingsKept = 30 * 24 * time.Hour

type endedKey struct{}

// EndedBecause returns why someone else ended the session the request's
// cookie named (EndedRoleChanged, EndedSuspended), or "".
func EndedBecause(s *sessions.Session) string {
	r, _ := s.Values[endedKey{}].(string)
	return r
}

// EndFor ends every session of an account inside the caller's
// transaction and returns how many; with a reason, each browser is told
// why on its next visit.
func EndFor(ctx context.Context, tx db.Querier, at time.Time, accountID int64, reason string) (int64, error) {
	if reason != "" {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO session_endings (token_hash, reason, ended_at)
			SELECT token_hash, ?, ? FROM sessions WHERE account_id = ?`, reason, db.FormatTime(at), accountID); err != nil {
			return 0, err
		}
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ?`, accountID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ending returns, once, why someone else ended the session token named.
func (st *Store) ending(ctx context.Context, token string) (string, error) {
	var reason string
	err := st.DB.W.QueryRowContext(ctx, `DELETE FROM session_endings WHERE token_hash = ? AND ended_at > ? RETURNING reason`,
		tokens.Hash(token), db.FormatTime(st.Clock.Now().Add(-endingsKept))).Scan(&reason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return reason, err
}

// EndAll ends every session of an account and returns how many.
func (st *Store) EndAll(ctx context.Context, accountID int64) (int64, error) {
	res, err := st.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ?`, accountID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Sweep deletes expired sessions; the server runs it now and then.
func (st *Store) Sweep(ctx context.Context) (int64, error) {
	now := st.Clock.Now()
	res, err := st.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?`,
		db.FormatTime(now.Add(-st.Idle)), db.FormatTime(now.Add(-st.Max)))
	if err != nil {
		return 0, err
	}
	if _, err := st.DB.W.ExecContext(ctx, `DELETE FROM session_endings WHERE ended_at <= ?`, db.FormatTime(now.Add(-endingsKept))); err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Counts reports how many sessions are open (signed in or not, not yet
// expired) and how many of them made a request within the last window.
func (st *Store) Counts(ctx context.Context, window time.Duration) (open, active int, err error) {
	now := st.Clock.Now()
	err = st.DB.R.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM sessions WHERE last_seen_at > ? AND created_at > ?),
		(SELECT count(*) FROM sessions WHERE last_seen_at > ? AND created_at > ?)`,
		db.FormatTime(now.Add(-st.Idle)), db.FormatTime(now.Add(-st.Max)),
		db.FormatTime(now.Add(-window)), db.FormatTime(now.Add(-st.Max))).Scan(&open, &active)
	return open, active, err
}
