package practices_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/app"
	"puente/internal/apperr"
	"puente/internal/clock"
	"puente/internal/config"
	"puente/internal/dbtest"
	"puente/internal/practices"
	"puente/internal/taxonomy"
)

type env struct {
	db    *db.DB
	clock *clock.Fake
	acc   *accounts.Store
	store *practices.Store
	tax   *taxonomy.Store
}

func newEnv(t *testing.T) *env {
	t.Helper()
	d, err := db.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := clock.NewFake(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	cfg := config.Register(fs, func(string) string { return "" })
	if err := fs.Parse([]string{"--data", t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)),
		app.Options{Clock: c, HashParams: &accounts.HashParams{MemoryKiB: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return &env{db: d, clock: c, acc: a.Accounts, store: a.Practices, tax: a.Taxonomy}
}

func (e *env) account(t *testing.T, email string, role accounts.Role, cc string) (*accounts.Account, practices.Viewer) {
	t.Helper()
	a, err := e.acc.CreateDirect(context.Background(), email, email, role, cc, "es", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	return a, practices.ViewerOf(a, e.tax)
}

func form(title string, countries []string, scope string, tags ...string) practices.Form {
	if len(tags) == 0 {
		tags = []string{"1"}
	}
	return practices.Form{Title: title, Summary: "Resumen de " + title,
		Sections:  map[string]string{"context": "<p>Contexto</p>", "actions": "<p>Acciones <b>clave</b></p>"},
		Countries: countries, Tags: tags, PeriodStart: "2021-09", Ongoing: true, Institutions: "Migración",
		ContactName: "Punto focal", ContactEmail: "focal@gob.example", Lang: "es", Scope: scope}
}

func (e *env) publish(t *testing.T, author *accounts.Account, f practices.Form) *practices.Practice {
	t.Helper()
	p, err := e.store.Create(context.Background(), author, f)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.PublishDirect(context.Background(), p.ID); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	return p
}

// TestVisibilityRuleInGoAndSQL holds the two forms of the rule together:
// for every viewer and every practice, Get (SQL) answers exactly when
// CanSee (Go) says yes.
func TestVisibilityRuleInGoAndSQL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	pa, vPA := e.account(t, "pa@gob.pa", accounts.Official, "PA") // CRM
	br, vBR := e.account(t, "br@gov.br", accounts.Official, "BR") // CSM
	_, vMod := e.account(t, "mod@x.org", accounts.Moderator, "")
	adm, vAdmin := e.account(t, "admin@x.org", accounts.Admin, "")
	// Panama's focal point, and two observers: the CRM's technical
	// secretariat and an organisation reading both processes.
	focal, _ := e.account(t, "focal@gob.pa", accounts.Official, "PA")
	if _, err := e.acc.SetFocalPoint(ctx, adm, focal.ID, true); err != nil {
		t.Fatal(err)
	}
	focal, err := e.acc.ByID(ctx, focal.ID)
	if err != nil {
		t.Fatal(err)
	}
	observer := func(email, scope string) practices.Viewer {
		o, err := e.acc.CreateObserverDirect(ctx, email, email, accounts.ObserverAccess{Organisation: "Secretaría " + scope, Scope: scope}, "es", "a long enough password")
		if err != nil {
			t.Fatal(err)
		}
		return practices.ViewerOf(o, e.tax)
	}
	viewers := map[string]practices.Viewer{"anonymous": {}, "PA official": vPA, "BR official": vBR, "moderator": vMod, "admin": vAdmin,
		"PA focal point": practices.ViewerOf(focal, e.tax), "CRM observer": observer("crm@secretaria.org", accounts.ObserverCRM),
		"observer of both": observer("oim@oim.int", accounts.ObserverBoth)}
	_, viewers["PA colleague"] = e.account(t, "colega@gob.pa", accounts.Official, "PA")

	var all []*practices.Practice
	for _, author := range []*accounts.Account{pa, br} {
		for _, scope := range practices.Scopes {
			for _, status := range []string{"draft", "submitted", "published", "archived"} {
				f := form(fmt.Sprintf("%s %s %s", author.CountryCode, scope, status), []string{author.CountryCode}, string(scope))
				p, err := e.store.Create(ctx, author, f)
				if err != nil {
					t.Fatal(err)
				}
				if status != "draft" {
					dbtest.Exec(t, e.db.W, `UPDATE practices SET status = ?, published_at = ? WHERE id = ?`, status, db.FormatTime(e.clock.Now()), p.ID)
				}
				p.Status = practices.Status(status)
				all = append(all, p)
			}
		}
	}
	// A draft its author shares with Panama's focal points, and one hidden
	// by moderators.
	shared, err := e.store.Create(ctx, pa, form("PA shared draft", []string{"PA"}, "crm"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.ShareWithFocal(ctx, vPA, shared.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := e.store.ShareWithFocal(ctx, vBR, shared.ID, false); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another country's official unshared a draft: %v", err)
	}
	shared.SharedWithFocal = true
	hidden, err := e.store.Create(ctx, br, form("BR and PA hidden", []string{"BR", "PA"}, "members"))
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, e.db.W, `UPDATE practices SET status = 'published', published_at = ?, hidden_at = ? WHERE id = ?`,
		db.FormatTime(e.clock.Now()), db.FormatTime(e.clock.Now()), hidden.ID)
	hidden.Status, hidden.HiddenAt, hidden.Countries = practices.Published, e.clock.Now(), []string{"BR", "PA"}
	all = append(all, shared, hidden)
	for name, v := range viewers {
		for _, p := range all {
			_, err := e.store.Get(ctx, v, p.ID)
			sqlSees := err == nil
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				t.Fatal(err)
			}
			if _, err := e.store.GetHead(ctx, v, p.ID); (err == nil) != sqlSees {
				t.Errorf("%s on %q: GetHead and Get disagree (%v)", name, p.Title, err)
			}
			if goSees := v.CanSee(p); goSees != sqlSees {
				t.Errorf("%s on %q: CanSee=%v, SQL=%v", name, p.Title, goSees, sqlSees)
			}
		}
	}
	// And the expectations themselves, spelled out for the key cases.
	for _, tc := range []struct {
		viewer, title string
		want          bool
	}{
		{"BR official", "PA crm published", false},
		{"BR official", "PA csm published", true}, // the scope names the audience, not the author's process
		{"BR official", "BR csm published", true},
		{"PA official", "BR csm published", false},
		{"PA official", "BR crm published", true},
		{"PA official", "BR members published", true},
		{"anonymous", "BR members published", false},
		{"anonymous", "BR public published", true},
		{"anonymous", "BR public draft", false},
		{"BR official", "BR crm draft", true}, // the author
		{"PA official", "BR public submitted", false},
		{"moderator", "BR crm submitted", true},
		{"moderator", "BR public draft", false},
		{"admin", "PA csm archived", true},
		{"PA focal point", "PA public draft", false}, // not shared with them
		{"PA focal point", "PA shared draft", true},
		{"PA focal point", "PA csm submitted", true}, // their country's, in every state
		{"PA focal point", "BR and PA hidden", true},
		{"PA focal point", "BR crm submitted", false},
		{"PA focal point", "BR csm published", false}, // a CRM country's focal point, outside its scope
		{"PA colleague", "PA shared draft", false},    // shared with focal points only
		{"PA colleague", "PA csm submitted", false},
		{"CRM observer", "PA crm published", true},
		{"CRM observer", "BR csm published", false},
		{"CRM observer", "BR members published", true},
		{"CRM observer", "PA crm submitted", false},
		{"observer of both", "BR csm published", true},
		{"observer of both", "PA shared draft", false},
	} {
		var p *practices.Practice
		for _, x := range all {
			if x.Title == tc.title {
				p = x
			}
		}
		if got := viewers[tc.viewer].CanSee(p); got != tc.want {
			t.Errorf("%s sees %q = %v, want %v", tc.viewer, tc.title, got, tc.want)
		}
	}
}

func TestListFiltersAndKeysetPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	pa, _ := e.account(t, "pa@gob.pa", accounts.Official, "PA")
	br, _ := e.account(t, "br@gov.br", accounts.Official, "BR")
	_, vAdmin := e.account(t, "admin@x.org", accounts.Admin, "")
	for i := range 25 {
		f := form(fmt.Sprintf("PA %02d", i), []string{"PA"}, "members", "1")
		if i%5 == 0 {
			f.Tags = []string{"1", "5"}
			f.Lang = "en"
		}
		if i%2 == 0 {
			f.PeriodStart, f.Ongoing, f.PeriodEnd = "2018-01", false, "2019-06"
		}
		e.publish(t, pa, f)
	}
	for i := range 7 {
		e.publish(t, br, form(fmt.Sprintf("BR %02d", i), []string{"BR", "PY"}, "members", "4"))
	}
	for _, tc := range []struct {
		name string
		f    practices.Filter
		want int
	}{
		{"all", practices.Filter{}, 32},
		{"tag 5", practices.Filter{Tag: 5}, 5},
		{"country BR", practices.Filter{Country: "BR"}, 7},
		{"country PY (joint)", practices.Filter{Country: "PY"}, 7},
		{"process CSM", practices.Filter{Process: "CSM"}, 7},
		{"process CRM", practices.Filter{Process: "CRM"}, 25},
		{"lang en", practices.Filter{Lang: "en"}, 5},
		{"tag 5 and lang en and CRM", practices.Filter{Tag: 5, Lang: "en", Process: "CRM"}, 5},
		{"under way in 2019", practices.Filter{Year: 2019}, 13},
		{"under way in 2025", practices.Filter{Year: 2025}, 19},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := e.store.List(ctx, vAdmin, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != tc.want {
				t.Fatalf("total %d, want %d", page.Total, tc.want)
			}
		})
	}

	// Walk forward ten at a time, then back, newest first.
	var seen []string
	f := practices.Filter{Limit: 10}
	var pages []*practices.Page
	for {
		page, err := e.store.List(ctx, vAdmin, f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, page)
		for _, p := range page.Practices {
			seen = append(seen, p.Title)
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	if len(seen) != 32 || len(pages) != 4 || seen[0] != "BR 06" || seen[31] != "PA 00" {
		t.Fatalf("forward walk: %d pages, %d items, first %q last %q", len(pages), len(seen), seen[0], seen[len(seen)-1])
	}
	if pages[0].Prev != "" {
		t.Error("first page has a previous page")
	}
	back, err := e.store.List(ctx, vAdmin, practices.Filter{Limit: 10, Before: pages[2].Prev})
	if err != nil {
		t.Fatal(err)
	}
	if back.Practices[0].Title != pages[1].Practices[0].Title || back.Next == "" {
		t.Fatalf("back from page 3 gave %q, want %q", back.Practices[0].Title, pages[1].Practices[0].Title)
	}

	// Most discussed first.
	dbtest.Exec(t, e.db.W, `UPDATE practices SET comment_count = 9 WHERE title = 'PA 03'`)
	page, _ := e.store.List(ctx, vAdmin, practices.Filter{Sort: practices.SortDiscussed, Limit: 3})
	if page.Practices[0].Title != "PA 03" {
		t.Fatalf("most discussed first: %q", page.Practices[0].Title)
	}
	// A forged cursor is ignored, not an error.
	if _, err := e.store.List(ctx, vAdmin, practices.Filter{After: "!!not-a-cursor"}); err != nil {
		t.Fatal(err)
	}
}

func TestRevisionsAndDiff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	pa, vPA := e.account(t, "pa@gob.pa", accounts.Official, "PA")
	p := e.publish(t, pa, form("Registro biométrico", []string{"PA"}, "members"))
	f := practices.FormFrom(p)
	f.Title = "Registro biométrico en Darién"
	f.Sections["results"] = "<p>Nuevos <strong>resultados</strong></p>"
	f.Countries = []string{"PA", "CR"}
	if _, err := e.store.Update(ctx, vPA, p.ID, f); err != nil {
		t.Fatal(err)
	}
	// Published: the edit waits as a change, and the practice reads as
	// before until the change is approved.
	if got, err := e.store.Get(ctx, vPA, p.ID); err != nil || got.Title != "Registro biométrico" || got.Revision != 1 {
		t.Fatalf("after an edit waiting for review: %v, %v", got, err)
	}
	if c, err := practices.ChangeOf(ctx, e.db.R, p.ID); err != nil || c == nil || c.Form.Title != "Registro biométrico en Darién" || c.Returned {
		t.Fatalf("change waiting: %+v, %v", c, err)
	}
	if err := e.db.Tx(ctx, func(tx *sql.Tx) error { _, err := e.store.ApproveChange(ctx, tx, p.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if c, err := practices.ChangeOf(ctx, e.db.R, p.ID); c != nil || err != nil {
		t.Fatalf("change still waiting after approval: %+v, %v", c, err)
	}
	revs, err := e.store.Revisions(ctx, vPA, p.ID)
	if err != nil || len(revs) != 2 || revs[0].Number != 2 {
		t.Fatalf("revisions %v, %v", revs, err)
	}
	diff := practices.Diff(revs[1].Snapshot, revs[0].Snapshot, func(c string) string { return c }, func(id int64) string { return fmt.Sprint(id) })
	fields := map[string]practices.FieldDiff{}
	for _, d := range diff {
		fields[d.Field] = d
	}
	if len(fields) != 3 {
		t.Fatalf("changed fields %v, want title, results, countries", diff)
	}
	title := fields["practice.field.title"]
	if !slices.Contains(title.Chunks, practices.Chunk{Op: "add", Text: " en Darién"}) {
		t.Errorf("title diff %v", title.Chunks)
	}
	if res := fields["practice.section.results"]; len(res.Chunks) != 1 || res.Chunks[0] != (practices.Chunk{Op: "add", Text: "Nuevos resultados"}) {
		t.Errorf("results diff %v", res.Chunks)
	}
	// Someone else cannot edit; someone who cannot see gets not found.
	_, vMX := e.account(t, "mx@gob.mx", accounts.Official, "MX")
	if _, err := e.store.Update(ctx, vMX, p.ID, f); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("other official's update: %v", err)
	}
	if _, err := e.store.Revisions(ctx, practices.Viewer{}, p.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("anonymous history of a members-only practice: %v", err)
	}
}

func TestFormValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, _ := e.account(t, "pa@gob.pa", accounts.Official, "PA")
	checks := practices.Checks{CountryExists: e.tax.CountryExists, TagChoosable: func(id int64) bool { return id >= 1 && id <= 5 },
		Author: pa, Now: e.clock.Now()}
	for _, tc := range []struct {
		name, field, want string
		edit              func(*practices.Form)
	}{
		{"no title", "title", "field.required", func(f *practices.Form) { f.Title = "  " }},
		{"long title", "title", "practice.title_too_long", func(f *practices.Form) { f.Title = strings.Repeat("t", 201) }},
		{"long summary", "summary", "practice.summary_too_long", func(f *practices.Form) { f.Summary = strings.Repeat("s", 601) }},
		{"empty context", "context", "field.required", func(f *practices.Form) { f.Sections["context"] = "<p>&nbsp;</p>" }},
		{"huge section", "results", "practice.section_too_long", func(f *practices.Form) { f.Sections["results"] = strings.Repeat("x", 50001) }},
		{"no country", "countries", "practice.countries_required", func(f *practices.Form) { f.Countries = nil }},
		{"unknown country", "countries", "invite.country_unknown", func(f *practices.Form) { f.Countries = []string{"PA", "ZZ"} }},
		{"not own country", "countries", "practice.own_country", func(f *practices.Form) { f.Countries = []string{"MX"} }},
		{"no tag", "tags", "practice.tags_required", func(f *practices.Form) { f.Tags = nil }},
		{"unknown tag", "tags", "practice.tag_unknown", func(f *practices.Form) { f.Tags = []string{"99"} }},
		{"bad month", "period_start", "practice.month_invalid", func(f *practices.Form) { f.PeriodStart = "2021-13" }},
		{"end before start", "period_end", "practice.end_before_start", func(f *practices.Form) { f.Ongoing, f.PeriodEnd = false, "2020-01" }},
		{"no end, not ongoing", "period_end", "practice.end_or_ongoing", func(f *practices.Form) { f.Ongoing, f.PeriodEnd = false, "" }},
		{"future start", "period_start", "practice.start_future", func(f *practices.Form) { f.PeriodStart = "2031-01" }},
		{"bad contact", "contact_email", "email.invalid", func(f *practices.Form) { f.ContactEmail = "nope" }},
		{"bad scope", "scope", "field.invalid_choice", func(f *practices.Form) { f.Scope = "everyone" }},
		{"bad lang", "lang", "field.invalid_choice", func(f *practices.Form) { f.Lang = "de" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := form("Título", []string{"PA"}, "members")
			tc.edit(&f)
			errs := f.Validate(checks)
			if errs[tc.field] != tc.want {
				t.Fatalf("errors %v, want %s=%s", errs, tc.field, tc.want)
			}
		})
	}
	f := form("  Título   con   espacios ", []string{"pa", "PA", "cr"}, "crm")
	if errs := f.Validate(checks); !errs.OK() {
		t.Fatalf("valid form refused: %v", errs)
	}
	if f.Title != "Título con espacios" || !slices.Equal(f.Countries, []string{"PA", "CR"}) {
		t.Fatalf("not normalised: %q %v", f.Title, f.Countries)
	}
}

// TestQueriesUseIndexes checks the plans of the list and practice-page
// queries: no full scan of practices, comments or the join tables.
func TestQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, vBR := e.account(t, "br@gov.br", accounts.Official, "BR")
	dbtest.Exec(t, e.db.W, `ANALYZE`)
	where, args := practices.ListWhereForTest(vBR)
	for name, q := range map[string]string{
		"list newest":     `SELECT p.id FROM practices p WHERE ` + where + ` ORDER BY p.published_at DESC, p.id DESC LIMIT 20`,
		"list by tag":     `SELECT p.id FROM practices p WHERE ` + where + ` AND p.id IN (SELECT practice_id FROM practice_tags WHERE tag_id = 3) ORDER BY p.published_at DESC, p.id DESC LIMIT 20`,
		"list by country": `SELECT p.id FROM practices p WHERE ` + where + ` AND p.id IN (SELECT practice_id FROM practice_countries WHERE country_code = 'PA') ORDER BY p.published_at DESC, p.id DESC LIMIT 20`,
		"practice page":   `SELECT p.id FROM practices p JOIN accounts a ON a.id = p.author_id WHERE p.id = 1`,
		"comments":        `SELECT c.id FROM comments c JOIN accounts a ON a.id = c.author_id WHERE c.practice_id = 1 ORDER BY c.created_at, c.id`,
	} {
		plan := dbtest.Plan(t, e.db.R, q, args...)
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "USING") && !strings.Contains(step, "CONSTANT ROW") {
				t.Errorf("%s: full scan %q in plan %q", name, step, plan)
			}
		}
	}
	// A page of the list, cards and all (their countries and tags too), is
	// read from the cards index alone (List names it): no table row.
	plan := dbtest.Plan(t, e.db.R, `SELECT `+practices.CardColumnsForTest+`, p.published_at FROM practices p INDEXED BY practices_cards WHERE `+where+
		` AND (p.published_at, p.id) < (?, ?) ORDER BY p.published_at DESC, p.id DESC LIMIT 21`, append(args, "2026-01-01T00:00:00Z", 100)...)
	if len(plan) == 0 || !strings.Contains(plan[0], "COVERING INDEX practices_cards") {
		t.Errorf("a list page's plan is %q, want the practices_cards index alone", plan)
	}
	for _, step := range plan {
		if strings.Contains(step, "practice_countries") || strings.Contains(step, "practice_tags") {
			t.Errorf("a list page reads %q for its cards, in plan %q", step, plan)
		}
	}
}

// TestCountsFollowEveryChange checks that cached counts (a list's total,
// per country, per tag) change with every write that can change them,
// and that a comment does not throw them away.
func TestCountsFollowEveryChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	author, _ := e.account(t, "pa@gob.pa", accounts.Official, "PA")
	_, mx := e.account(t, "mx@gob.mx", accounts.Official, "MX") // CRM
	check := func(step string, want int) {
		t.Helper()
		page, err := e.store.List(ctx, mx, practices.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		byCountry, _ := e.store.CountByCountry(ctx, mx)
		byTag, _ := e.store.CountByTag(ctx, mx)
		if page.Total != want || byCountry["PA"] != want || byTag[1] != want {
			t.Fatalf("%s: total %d, PA %d, tag 1 %d; want %d", step, page.Total, byCountry["PA"], byTag[1], want)
		}
	}
	check("empty", 0)
	a := e.publish(t, author, form("Uno", []string{"PA"}, "crm"))
	e.publish(t, author, form("Dos", []string{"PA"}, "members"))
	check("two published", 2)
	e.publish(t, author, form("Tres", []string{"PA"}, "public"))
	check("three published", 3)

	version := func() int64 {
		return dbtest.Int(t, e.db.R, `SELECT n FROM versions WHERE topic = 'lists'`)
	}
	before := version()
	if n := dbtest.Exec(t, e.db.W, `UPDATE practices SET comment_count = comment_count + 1 WHERE id = ?`, a.ID); n != 1 {
		t.Fatalf("the comment count update changed %d rows, want 1", n)
	}
	if version() != before {
		t.Error("a comment invalidated the counts")
	}
	for _, step := range []struct {
		name, sql string
		want      int
	}{
		{"hidden", `UPDATE practices SET hidden_at = '2026-11-02T00:00:00Z' WHERE id = ?`, 2},
		{"restored", `UPDATE practices SET hidden_at = NULL WHERE id = ?`, 3},
		{"moved to the CSM", `UPDATE practices SET scope = 'csm' WHERE id = ?`, 2},
		{"back to the CRM", `UPDATE practices SET scope = 'crm' WHERE id = ?`, 3},
		{"archived", `UPDATE practices SET status = 'archived' WHERE id = ?`, 2},
		{"republished", `UPDATE practices SET status = 'published' WHERE id = ?`, 3},
		{"country removed", `DELETE FROM practice_countries WHERE practice_id = ?`, 3}, // total stays, PA drops: checked below
	} {
		if _, err := e.db.W.Exec(step.sql, a.ID); err != nil {
			t.Fatal(err)
		}
		if step.name == "country removed" {
			if c, _ := e.store.CountByCountry(ctx, mx); c["PA"] != 2 {
				t.Fatalf("country removed: PA %d, want 2", c["PA"])
			}
			continue
		}
		check(step.name, step.want)
	}
	if _, err := e.db.W.Exec(`DELETE FROM practice_tags WHERE practice_id = ?`, a.ID); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.store.CountByTag(ctx, mx); c[1] != 2 {
		t.Fatalf("tag removed: tag 1 %d, want 2", c[1])
	}
}

// TestFilteredListsBothWays lists with filters that match many practices
// (walked in order) and few (found from the lists of ids): both give the
// right practices, newest first, page after page.
func TestFilteredListsBothWays(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	pa, _ := e.account(t, "pa@gob.pa", accounts.Official, "PA")
	_, mx := e.account(t, "mx@gob.mx", accounts.Official, "MX")
	for i := range 60 {
		cc := "PA"
		if i == 7 {
			cc = "CR"
		}
		e.publish(t, pa, form(fmt.Sprintf("Práctica %02d", i), []string{cc}, "members", "1"))
	}
	defer func(r int) { *practices.WalkRatio = r }(*practices.WalkRatio)
	*practices.WalkRatio = 50 // 1 match in 60 is "few"
	few, err := e.store.List(ctx, mx, practices.Filter{Country: "CR", Tag: 1})
	if err != nil || few.Total != 1 || len(few.Practices) != 1 || few.Practices[0].Title != "Práctica 07" {
		t.Fatalf("few matches: %v %+v", err, few)
	}
	var titles []string
	f := practices.Filter{Country: "PA", Tag: 1, Limit: 25}
	for {
		page, err := e.store.List(ctx, mx, f)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 59 {
			t.Fatalf("many matches: total %d", page.Total)
		}
		for _, p := range page.Practices {
			titles = append(titles, p.Title)
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	if len(titles) != 59 || titles[0] != "Práctica 59" || titles[58] != "Práctica 00" || slices.Contains(titles, "Práctica 07") {
		t.Fatalf("many matches: %d titles, first %q, last %q", len(titles), titles[0], titles[len(titles)-1])
	}
}

// A reviewer reads whole words changed: the diff never cuts a word, and
// each side rebuilds its text exactly.
func TestWordDiff(t *testing.T) {
	got := practices.WordDiff("Se registran personas en Darién.", "Se registran familias en Darién.")
	want := []practices.Chunk{{Op: "same", Text: "Se registran "}, {Op: "del", Text: "personas"}, {Op: "add", Text: "familias"}, {Op: "same", Text: " en Darién."}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("one word changed: %+v", got)
	}
	letter := func(s string, i int, before bool) bool {
		var r rune
		if before {
			r, _ = utf8.DecodeLastRuneInString(s[:i])
		} else {
			r, _ = utf8.DecodeRuneInString(s[i:])
		}
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	for _, c := range []struct{ a, b string }{
		{"", "Nuevo texto."},
		{"Texto que se borra.", ""},
		{"El registro biométrico funciona en 3 puestos fronterizos.", "El registro digital funciona bien en 12 puestos; véase el anexo."},
		{"línea uno\nlínea dos\n", "línea uno\nlínea tres\nlínea dos\n"},
		{"Migración ordenada", "Migraciones ordenadas"},
	} {
		var a, b strings.Builder
		for _, ch := range practices.WordDiff(c.a, c.b) {
			// A chunk's edges fall between a word and what is not one.
			for side, text := range map[*strings.Builder]string{&a: c.a, &b: c.b} {
				if (side == &a && ch.Op == "add") || (side == &b && ch.Op == "del") {
					continue
				}
				at := side.Len()
				if at > 0 && at < len(text) && letter(text, at, true) && letter(text, at, false) {
					t.Errorf("%q → %q: a chunk edge cuts a word at %d of %q", c.a, c.b, at, text)
				}
				side.WriteString(ch.Text)
			}
		}
		if a.String() != c.a || b.String() != c.b {
			t.Errorf("%q → %q rebuilt as %q → %q", c.a, c.b, a.String(), b.String())
		}
	}
}

// Deciding whether an edit needs review leaves what the author sent as
// sent: the raw text is kept for a later sanitising policy.
func TestLiveCorrectionKeepsTheRawText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	pa, vPA := e.account(t, "pa@gob.pa", accounts.Official, "PA")
	p := e.publish(t, pa, form("Registro biométrico", []string{"PA"}, "members"))
	f := practices.FormFrom(p)
	raw := `<p onclick="x()">Contexto <b>nuevo</b></p>`
	f.Sections["context"] = raw
	if _, err := e.store.Update(ctx, vPA, p.ID, f); err != nil {
		t.Fatal(err)
	}
	if f.Sections["context"] != raw {
		t.Fatalf("the caller's form was changed: %q", f.Sections["context"])
	}
	c, err := practices.ChangeOf(ctx, e.db.R, p.ID)
	if err != nil || c == nil || c.Form.Sections["context"] != raw {
		t.Fatalf("the change does not keep the raw text: %+v, %v", c, err)
	}
}

// A card's countries and tags are read from the cards index on the list's
// usual walk and from their tables everywhere else: after an edit, every
// road gives the same lists, in their order.
func TestCountriesAndTagsAlikeOnEveryRoad(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	pa, vPA := e.account(t, "pa@gob.pa", accounts.Official, "PA")
	p := e.publish(t, pa, form("Registro biométrico", []string{"PA"}, "members", "2", "1"))
	f := practices.FormFrom(p)
	f.Countries, f.Tags = []string{"PA", "CR", "BZ"}, []string{"5", "3"}
	if _, err := e.store.Update(ctx, vPA, p.ID, f); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Tx(ctx, func(tx *sql.Tx) error { _, err := e.store.ApproveChange(ctx, tx, p.ID); return err }); err != nil {
		t.Fatal(err)
	}
	wantCountries, wantTags := []string{"BZ", "CR", "PA"}, []int64{3, 5}
	check := func(road string, got *practices.Practice) {
		t.Helper()
		if got == nil {
			t.Fatalf("%s: practice not found", road)
		}
		if !slices.Equal(got.Countries, wantCountries) || !slices.Equal(got.Tags, wantTags) {
			t.Errorf("%s: countries %v and tags %v, want %v and %v", road, got.Countries, got.Tags, wantCountries, wantTags)
		}
	}
	for road, fl := range map[string]practices.Filter{"the list": {}, "most discussed": {Sort: practices.SortDiscussed},
		"filtered by country": {Country: "BZ"}, "filtered by tag": {Tag: 5}} {
		page, err := e.store.List(ctx, vPA, fl)
		if err != nil {
			t.Fatal(err)
		}
		var found *practices.Practice
		for _, c := range page.Practices {
			if c.ID == p.ID {
				found = c
			}
		}
		check(road, found)
	}
	got, err := e.store.Get(ctx, vPA, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("the practice", got)
	head, err := e.store.GetHead(ctx, vPA, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("the practice's head", head)
	res, err := e.store.Search(ctx, vPA, "biométrico", practices.Filter{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("search found %d", len(res.Hits))
	}
	check("a search", res.Hits[0].Practice)
}
