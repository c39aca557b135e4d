package db

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"puente/internal/dbtest"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "puente.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// openMigrated is openTemp with the schema in place.
func openMigrated(t *testing.T) *DB {
	t.Helper()
	d := openTemp(t)
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMigrateAppliesOnceAndRecords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openTemp(t)
	applied, err := d.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != LatestVersion() {
		t.Fatalf("applied %v, want %d migrations", applied, LatestVersion())
	}
	again, err := d.Migrate(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second migrate: applied %v, err %v", again, err)
	}
	if err := d.CheckVersion(ctx); err != nil {
		t.Fatal(err)
	}
	countries := dbtest.Int(t, d.R, `SELECT count(*) FROM countries`)
	crm := dbtest.Int(t, d.R, `SELECT count(*) FROM process_members WHERE process_code='CRM'`)
	csm := dbtest.Int(t, d.R, `SELECT count(*) FROM process_members WHERE process_code='CSM'`)
	if countries != 23 || crm != 11 || csm != 12 {
		t.Fatalf("countries=%d crm=%d csm=%d", countries, crm, csm)
	}
}

func TestPragmasOnEveryConnection(t *testing.T) {
	t.Parallel()
	d := openTemp(t)
	check := func(label, q, want string) {
		t.Helper()
		var got string
		if err := d.R.QueryRow(q).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("reader %s = %q, want %q", label, got, want)
		}
		if err := d.W.QueryRow(q).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("writer %s = %q, want %q", label, got, want)
		}
	}
	check("journal_mode", "PRAGMA journal_mode", "wal")
	check("foreign_keys", "PRAGMA foreign_keys", "1")
	check("synchronous", "PRAGMA synchronous", "2")
	check("busy_timeout", "PRAGMA busy_timeout", "10000")
	if _, err := d.R.Exec(`CREATE TABLE t (x)`); err == nil {
		t.Error("reader pool could write")
	}
}

// Beside a replicator, Puente checkpoints only far past the replicator's
// own threshold, and on a writer connection opened again too.
func TestReplicatedLeavesCheckpointsToTheReplicator(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	plain := openTemp(t)
	if n, err := plain.WALAutocheckpoint(ctx); err != nil || n != 1000 {
		t.Errorf("plain: wal_autocheckpoint %d (%v), want SQLite's 1000", n, err)
	}
	d, err := OpenWith(filepath.Join(t.TempDir(), "puente.db"), Options{Replicated: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for round := range 2 {
		if n, err := d.WALAutocheckpoint(ctx); err != nil || n != ReplicatedCheckpointPages {
			t.Errorf("replicated, connection %d: wal_autocheckpoint %d (%v), want %d", round, n, err, ReplicatedCheckpointPages)
		}
		// The pool opens a new connection once the old one is gone.
		d.W.SetMaxIdleConns(0)
		d.W.SetMaxIdleConns(1)
	}
	var mode string
	if err := d.W.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("replicated: journal_mode %q (%v)", mode, err)
	}
}

// The Makefile builds SQLite with its query planner stability guarantee;
// without it every new LIMIT value costs a parse and a plan.
func TestStablePlans(t *testing.T) {
	t.Parallel()
	d := openTemp(t)
	ok, err := d.StablePlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatal("SQLite was built without SQLITE_ENABLE_QPSG; build and test with make (CGO_CFLAGS)")
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openMigrated(t)
	if _, err := d.W.Exec(`INSERT INTO schema_migrations VALUES (?, 'future.sql', '')`, LatestVersion()+1); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Migrate err = %v, want ErrSchemaTooNew", err)
	}
	if err := d.CheckVersion(ctx); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("CheckVersion err = %v, want ErrSchemaTooNew", err)
	}
}

// A file an older version filled, log entries included, migrates: the
// backfills of the append-only log step around its trigger, which is
// back in force afterwards.
func TestMigratesAFileWithALog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openTemp(t)
	if _, err := d.migrateTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO accounts (id, email, display_name, password_hash, role, country_code, created_at, updated_at, password_changed_at)
			VALUES (1, 'pa@gob.pa', 'Samira', 'x', 'official', 'PA', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`,
		`INSERT INTO practices (id, author_id, status, lang, title, summary, policy_version, period_start, created_at, updated_at)
			VALUES (7, 1, 'published', 'es', 'Registro biométrico', 'Resumen', 1, '2021-09', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`,
		`INSERT INTO comments (id, practice_id, author_id, body_raw, body_html, policy_version, created_at)
			VALUES (9, 7, 1, 'x', '<p>x</p>', 1, '2025-01-02T00:00:00Z')`,
		`INSERT INTO moderation_log (at, action, target_type, target_id, country_code, reason, reason_private)
			VALUES ('2025-01-03T00:00:00Z', 'practice.send_back', 'practice', 7, 'PA', 'Añada cifras.', 0),
			       ('2025-01-04T00:00:00Z', 'comment.hide', 'comment', 9, 'PA', 'Fuera de tema.', 1),
			       ('2025-01-05T00:00:00Z', 'account.suspend', 'account', 1, 'PA', '', 0)`,
	} {
		if _, err := d.W.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if got := dbtest.Int(t, d.R, `SELECT count(*) FROM moderation_log WHERE practice_id = 7 AND title = 'Registro biométrico'`); got != 2 {
		t.Errorf("%d entries name practice 7 and its title, want 2", got)
	}
	// Notes of past decisions were written for the author: none stays public.
	if got := dbtest.Value[string](t, d.R, `SELECT group_concat(note, '|') FROM moderation_log WHERE reason = '' AND note <> ''`); got != "Añada cifras.|Fuera de tema." {
		t.Errorf("notes after migrating: %q", got)
	}
	if _, err := d.W.ExecContext(ctx, `UPDATE moderation_log SET reason = 'cambiado'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("the log can be rewritten after migrating: %v", err)
	}
}

// The practices table rebuilt with its sections last keeps every row,
// every reference to it (comments stay, and still go with their practice),
// its indexes and triggers; foreign keys are back on afterwards.
func TestPracticeColumnsRebuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openTemp(t)
	if _, err := d.migrateTo(ctx, 28); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO accounts (id, email, display_name, password_hash, role, country_code, created_at, updated_at, password_changed_at)
			VALUES (1, 'pa@gob.pa', 'Samira', 'x', 'official', 'PA', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`,
		`INSERT INTO practices (id, author_id, status, lang, title, summary, context_raw, context_html, policy_version, period_start,
			comment_count, hidden_reason, author_note, created_at, updated_at)
			VALUES (7, 1, 'published', 'es', 'Registro biométrico', 'Resumen', 'Contexto', '<p>Contexto</p>', 1, '2021-09',
			1, 'motivo', 'nota', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
			(8, 1, 'draft', 'en', 'Second', 'Summary', '', '', 1, '2022-01', 0, '', '', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`,
		`INSERT INTO practice_countries (practice_id, country_code) VALUES (7, 'PA'), (8, 'PA')`,
		`INSERT INTO comments (id, practice_id, author_id, body_raw, body_html, policy_version, created_at)
			VALUES (9, 7, 1, 'x', '<p>x</p>', 1, '2025-01-02T00:00:00Z')`,
	} {
		if _, err := d.W.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	before := dbtest.Value[string](t, d.R, `SELECT group_concat(id || title || summary || context_html || comment_count || hidden_reason || author_note || period_start, '|') FROM practices`)
	// The rebuild alone: later migrations add indexes of their own.
	if _, err := d.migrateTo(ctx, 29); err != nil {
		t.Fatal(err)
	}
	if after := dbtest.Value[string](t, d.R, `SELECT group_concat(id || title || summary || context_html || comment_count || hidden_reason || author_note || period_start, '|') FROM practices`); after != before {
		t.Errorf("rows after the rebuild: %q, before: %q", after, before)
	}
	if got := dbtest.Int(t, d.R, `SELECT count(*) FROM comments`) + dbtest.Int(t, d.R, `SELECT count(*) FROM practice_countries`); got != 3 {
		t.Errorf("%d comments and countries after the rebuild, want 3", got)
	}
	if got := dbtest.Value[string](t, d.R, `SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('practices') ORDER BY cid DESC LIMIT 3)`); got != "adoption_html,adoption_raw,lessons_html" {
		t.Errorf("the last columns are %s, want the sections", got)
	}
	if got := dbtest.Int(t, d.R, `SELECT count(*) FROM sqlite_master WHERE tbl_name = 'practices' AND type = 'index' AND sql IS NOT NULL`); got != 7 {
		t.Errorf("%d indexes on practices, want 7", got)
	}
	if got := dbtest.Int(t, d.R, `SELECT count(*) FROM sqlite_master WHERE tbl_name = 'practices' AND type = 'trigger'`); got != 5 {
		t.Errorf("%d triggers on practices, want 5", got)
	}
	if got := dbtest.Value[string](t, d.W, `PRAGMA foreign_keys`); got != "1" {
		t.Errorf("foreign keys after the rebuild: %s", got)
	}
	// The triggers work: a new comment count is a change of the practice.
	v := dbtest.Int(t, d.R, `SELECT n FROM versions WHERE topic = 'practice:7'`)
	if _, err := d.W.ExecContext(ctx, `UPDATE practices SET comment_count = 2 WHERE id = 7`); err != nil {
		t.Fatal(err)
	}
	if got := dbtest.Int(t, d.R, `SELECT n FROM versions WHERE topic = 'practice:7'`); got != v+1 {
		t.Errorf("practice 7's version went from %d to %d", v, got)
	}
	// References hold and cascade as before.
	if _, err := d.W.ExecContext(ctx, `INSERT INTO comments (practice_id, author_id, body_raw, body_html, policy_version, created_at)
		VALUES (99, 1, 'x', '<p>x</p>', 1, '2025-01-02T00:00:00Z')`); err == nil {
		t.Error("a comment on no practice was stored")
	}
	if _, err := d.W.ExecContext(ctx, `DELETE FROM practices WHERE id = 7`); err != nil {
		t.Fatal(err)
	}
	if got := dbtest.Int(t, d.R, `SELECT count(*) FROM comments`) + dbtest.Int(t, d.R, `SELECT count(*) FROM practice_countries WHERE practice_id = 7`); got != 0 {
		t.Errorf("%d rows of a deleted practice remain", got)
	}
}

// A practice's topic counts a change to any of its columns but the comment
// count and the lists of its countries and tags, which change only with a
// comment or a row of practice_countries or practice_tags, whose own
// triggers count it: a column added to practices must join the trigger's
// list.
func TestPracticeTopicCoversEveryColumn(t *testing.T) {
	t.Parallel()
	d := openMigrated(t)
	trigger := dbtest.Value[string](t, d.R, `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'versions_practices_update'`)
	m := regexp.MustCompile(`(?s)AFTER UPDATE OF(.*?)\sON practices`).FindStringSubmatch(trigger)
	if m == nil {
		t.Fatalf("trigger: %s", trigger)
	}
	counted := map[string]bool{"comment_count": true, "country_list": true, "tag_list": true}
	listed := map[string]bool{}
	for _, c := range strings.Split(m[1], ",") {
		listed[strings.TrimSpace(c)] = true
	}
	for _, c := range dbtest.Column[string](t, d.R, `SELECT name FROM pragma_table_info('practices')`) {
		if c == "id" || counted[c] {
			continue
		}
		if !listed[c] {
			t.Errorf("practices.%s is not in versions_practices_update's columns", c)
		}
	}
	for c := range counted {
		if listed[c] {
			t.Errorf("practices.%s is counted twice again", c)
		}
	}
}

// Deleting a comment or a practice finds the notifications about it by
// index (its foreign keys cascade), not by reading every notification.
func TestNotificationsFoundByWhatTheyAreAbout(t *testing.T) {
	t.Parallel()
	d := openMigrated(t)
	for _, col := range []string{"comment_id", "practice_id"} {
		plan := strings.Join(dbtest.Plan(t, d.R, `DELETE FROM notifications WHERE `+col+` = 1`), "; ")
		if strings.Contains(plan, "SCAN notifications") || !strings.Contains(plan, " INDEX ") {
			t.Errorf("notifications by %s: %s", col, plan)
		}
	}
}

// A new comment finds the reader's unread entry of comments on the
// practice, which it gathers into, by index, newest first without a sort;
// the same index counts a person's unread entries without reading them.
func TestUnreadNotificationsByIndex(t *testing.T) {
	t.Parallel()
	d := openMigrated(t)
	for q, want := range map[string]string{
		`SELECT id FROM notifications WHERE account_id = 1 AND kind = 'comment' AND practice_id = 2 AND read_at IS NULL ORDER BY id DESC LIMIT 1`: "SEARCH notifications USING COVERING INDEX notifications_unread (account_id=? AND kind=? AND practice_id=? AND read_at=?)",
		`SELECT count(*) FROM notifications WHERE account_id = 1 AND read_at IS NULL`:                                                             "SEARCH notifications USING COVERING INDEX notifications_unread (account_id=?)",
	} {
		if plan := strings.Join(dbtest.Plan(t, d.R, q), "; "); plan != want {
			t.Errorf("%s\nplan %s\nwant %s", q, plan, want)
		}
	}
}

// A practice's row carries the lists of its countries and tags, in their
// order, for its card: filled for the practices already there when the
// column came, then kept by triggers through every insert, deletion and
// update of practice_countries and practice_tags.
func TestCardListsFollowTheirTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openTemp(t)
	if _, err := d.migrateTo(ctx, 43); err != nil {
		t.Fatal(err)
	}
	tags := dbtest.Column[int64](t, d.R, `SELECT id FROM tags ORDER BY id LIMIT 3`)
	if len(tags) < 3 {
		t.Fatalf("tags %v", tags)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.W.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO accounts (id, email, display_name, password_hash, role, country_code, created_at, updated_at, password_changed_at)
		VALUES (1, 'pa@gob.pa', 'Samira', 'x', 'official', 'PA', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`)
	exec(`INSERT INTO practices (id, author_id, status, lang, title, summary, policy_version, period_start, created_at, updated_at)
		VALUES (7, 1, 'published', 'es', 'Registro', 'Resumen', 1, '2021-09', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
		(8, 1, 'draft', 'es', 'Otra', 'Resumen', 1, '2021-09', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
		(9, 1, 'draft', 'es', 'Sin nada', 'Resumen', 1, '2021-09', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`)
	exec(`INSERT INTO practice_countries (practice_id, country_code) VALUES (7, 'PA'), (7, 'CR'), (8, 'MX')`)
	exec(`INSERT INTO practice_tags (practice_id, tag_id) VALUES (7, ?), (7, ?), (8, ?)`, tags[2], tags[0], tags[1])
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	want := func(step string, id int64, countries, tagList string) {
		t.Helper()
		var c, tg string
		if err := d.R.QueryRowContext(ctx, `SELECT country_list, tag_list FROM practices WHERE id = ?`, id).Scan(&c, &tg); err != nil {
			t.Fatal(err)
		}
		if c != countries || tg != tagList {
			t.Errorf("%s: practice %d lists %q and %q, want %q and %q", step, id, c, tg, countries, tagList)
		}
	}
	list := func(ids ...int64) string {
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = strconv.FormatInt(id, 10)
		}
		return strings.Join(s, ",")
	}
	want("migrated", 7, "CR,PA", list(tags[0], tags[2]))
	want("migrated", 8, "MX", list(tags[1]))
	want("migrated", 9, "", "")

	exec(`INSERT INTO practice_countries (practice_id, country_code) VALUES (7, 'GT')`)
	exec(`INSERT INTO practice_tags (practice_id, tag_id) VALUES (9, ?)`, tags[1])
	want("inserted", 7, "CR,GT,PA", list(tags[0], tags[2]))
	want("inserted", 9, "", list(tags[1]))

	exec(`DELETE FROM practice_countries WHERE practice_id = 7 AND country_code = 'CR'`)
	exec(`DELETE FROM practice_tags WHERE practice_id = 8`)
	want("deleted", 7, "GT,PA", list(tags[0], tags[2]))
	want("deleted", 8, "MX", "")

	// A row moved from one practice to another changes both lists.
	exec(`UPDATE practice_countries SET practice_id = 9 WHERE practice_id = 8`)
	exec(`UPDATE practice_tags SET practice_id = 8 WHERE practice_id = 7 AND tag_id = ?`, tags[2])
	want("moved", 7, "GT,PA", list(tags[0]))
	want("moved", 8, "", list(tags[2]))
	want("moved", 9, "MX", list(tags[1]))
}
