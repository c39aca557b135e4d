// Package scale generates a database of realistic size for benchmarks:
// member-state officials, published practices with multilingual text in
// every scope, comments, follows and featured picks. It is deterministic
// for a given seed.
package scale

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/sanitize"
)

// Size is how much to generate.
type Size struct {
	Accounts  int
	Practices int
	Comments  int
	Seed      uint64
	// Years is how far back publication dates spread.
	Years int
}

// Full is the size the benchmarks are judged at.
var Full = Size{Accounts: 10000, Practices: 100000, Comments: 1000000, Seed: 1, Years: 5}

// Password is the password of every generated account.
const Password = "scale-password-2021"

var countries = []string{"BZ", "CA", "CR", "DO", "SV", "GT", "HN", "MX", "NI", "PA", "US",
	"AR", "BO", "BR", "CL", "CO", "EC", "GY", "PY", "PE", "SR", "UY", "VE"}

var words = map[string][]string{
	"es": strings.Fields(`migración registro biométrico frontera personas migrantes tránsito regularización protección internacional asilo
		refugio integración xenofobia trata tráfico ilícito cooperación regional gobernanza flujos irregulares extrarregional
		albergue salud vacunación documentación permiso trabajo educación niñez adolescentes familias retorno reintegración
		consulado visa estación recepción coordinación binacional interoperabilidad datos alerta capacitación funcionarios
		comunidad acogida derechos humanos pandemia digital trámites plataforma municipio empleo vía regular`),
	"en": strings.Fields(`migration registration biometric border people migrants transit regularization international protection asylum
		refugee integration xenophobia trafficking smuggling cooperation regional governance irregular flows extra-regional
		shelter health vaccination documents permit work education children adolescents families return reintegration
		consulate visa reception station coordination binational interoperability data alert training officials
		community sponsorship human rights pandemic digital services platform municipality employment regular pathway`),
	"pt": strings.Fields(`migração registro biométrico fronteira pessoas migrantes trânsito regularização proteção internacional asilo
		refúgio integração xenofobia tráfico contrabando cooperação regional governança fluxos irregulares extrarregional
		abrigo saúde vacinação documentação autorização trabalho educação crianças adolescentes famílias retorno reintegração
		consulado visto posto recepção coordenação binacional interoperabilidade dados alerta capacitação servidores
		comunidade acolhimento direitos humanos pandemia digital serviços plataforma município emprego via regular`),
}

var langs = []string{"es", "es", "es", "en", "pt"}

// RareWord is in the summary of one practice in 10,000, for benchmarks of
// a search that finds few results.
const RareWord = "Darién"

type gen struct {
	r *rand.Rand
}

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *gen) sentence(lang string, n int) string {
	w := words[lang]
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.pick(w)
	}
	s := strings.Join(parts, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// section is 400 to 1,000 bytes of rich text: paragraphs, sometimes a list.
func (g *gen) section(lang string) string {
	var b strings.Builder
	for range 2 + g.r.IntN(3) {
		b.WriteString("<p>")
		for range 3 + g.r.IntN(3) {
			b.WriteString(g.sentence(lang, 6+g.r.IntN(8)))
			b.WriteString(" ")
		}
		b.WriteString("</p>")
	}
	if g.r.IntN(3) == 0 {
		b.WriteString("<ul>")
		for range 3 {
			b.WriteString("<li>" + g.sentence(lang, 4) + "</li>")
		}
		b.WriteString("</ul>")
	}
	return b.String()
}

// Generate fills a migrated, empty database. It prints progress to
// progress (may be nil).
func Generate(ctx context.Context, d *db.DB, size Size, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	g := &gen{r: rand.New(rand.NewPCG(size.Seed, size.Seed*7919))}
	now := time.Now().UTC()
	start := now.AddDate(-size.Years, 0, 0)
	span := now.Sub(start)
	hash := accounts.HashPassword(Password, accounts.DefaultHashParams)
	ts := db.FormatTime(now)

	// Accounts: officials of every country, some moderators, one admin.
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, country_code, lang, created_at, updated_at, password_changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range size.Accounts {
			role, cc := "official", countries[i%len(countries)]
			switch {
			case i == 0:
				role = "admin"
			case i%500 == 1:
				role = "moderator"
			}
			lang := map[string]string{"BR": "pt", "CA": "en", "US": "en", "BZ": "en", "GY": "en", "SR": "nl"}[cc]
			if lang == "" {
				lang = "es"
			}
			if _, err := stmt.ExecContext(ctx, fmt.Sprintf("user%05d@%s.scale.test", i, strings.ToLower(cc)), fmt.Sprintf("Usuario %05d", i),
				hash, role, cc, lang, ts, ts, ts); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	progress(fmt.Sprintf("%d accounts", size.Accounts))

	// Practices, in batches of 2,000 per transaction.
	const batch = 2000
	scopes := []string{"members", "members", "members", "members", "members", "members", "members", "crm", "csm", "public"}
	for done := 0; done < size.Practices; {
		n := min(batch, size.Practices-done)
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			ins, err := tx.PrepareContext(ctx, `INSERT INTO practices (author_id, status, scope, lang, title, summary,
				context_raw, context_html, actions_raw, actions_html, results_raw, results_html, lessons_raw, lessons_html, adoption_raw, adoption_html,
				policy_version, period_start, period_end, institutions, partners, contact_name, contact_email, revision, created_at, updated_at, submitted_at, published_at)
				VALUES (?, 'published', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer ins.Close()
			pc, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO practice_countries (practice_id, country_code) VALUES (?, ?)`)
			if err != nil {
				return err
			}
			defer pc.Close()
			pt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO practice_tags (practice_id, tag_id) VALUES (?, ?)`)
			if err != nil {
				return err
			}
			defer pt.Close()
			for i := range n {
				author := 2 + g.r.IntN(size.Accounts-1)
				cc := countries[(author-1)%len(countries)]
				lang := g.pick(langs)
				pub := start.Add(time.Duration(float64(span) * float64(done+i) / float64(size.Practices)))
				at := db.FormatTime(pub)
				secs := make([]any, 0, 10)
				for range 5 {
					raw := g.section(lang)
					secs = append(secs, raw, sanitize.Rich(raw))
				}
				periodStart := pub.AddDate(0, -g.r.IntN(36), 0).Format("2006-01")
				var end any
				if g.r.IntN(2) == 0 {
					end = pub.Format("2006-01")
				}
				summary := g.sentence(lang, 20+g.r.IntN(20))
				if (done+i)%10000 == 0 {
					summary += " " + RareWord + "."
				}
				args := []any{author, g.pick(scopes), lang, g.sentence(lang, 5+g.r.IntN(5)), summary}
				args = append(args, secs...)
				args = append(args, sanitize.PolicyVersion, periodStart, end, g.sentence(lang, 4), g.sentence(lang, 3),
					"Punto focal", "focal@scale.test", at, at, at, at)
				res, err := ins.ExecContext(ctx, args...)
				if err != nil {
					return err
				}
				id, _ := res.LastInsertId()
				if _, err := pc.ExecContext(ctx, id, cc); err != nil {
					return err
				}
				if g.r.IntN(5) == 0 {
					if _, err := pc.ExecContext(ctx, id, g.pick(countries)); err != nil {
						return err
					}
				}
				for range 1 + g.r.IntN(3) {
					if _, err := pt.ExecContext(ctx, id, 1+g.r.IntN(5)); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		done += n
		progress(fmt.Sprintf("%d/%d practices", done, size.Practices))
	}

	// Comments: spread over practices, weighted to recent ones, after
	// their publication; counts kept on the practice.
	const cbatch = 20000
	for done := 0; done < size.Comments; {
		n := min(cbatch, size.Comments-done)
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			ins, err := tx.PrepareContext(ctx, `INSERT INTO comments (practice_id, author_id, body_raw, body_html, policy_version, created_at) VALUES (?, ?, ?, ?, 1, ?)`)
			if err != nil {
				return err
			}
			defer ins.Close()
			counts := map[int64]int{}
			for range n {
				// sqrt skews towards later (more recent) ids.
				p := int64(float64(size.Practices)*math.Sqrt(g.r.Float64())) + 1
				frac := float64(p-1) / float64(size.Practices)
				pub := start.Add(time.Duration(float64(span) * frac))
				at := pub.Add(time.Duration(g.r.Int64N(int64(max(now.Sub(pub), time.Hour)))))
				lang := g.pick(langs)
				body := "<p>" + g.sentence(lang, 10+g.r.IntN(20)) + "</p>"
				if _, err := ins.ExecContext(ctx, p, 2+g.r.IntN(size.Accounts-1), body, body, db.FormatTime(at)); err != nil {
					return err
				}
				counts[p]++
			}
			up, err := tx.PrepareContext(ctx, `UPDATE practices SET comment_count = comment_count + ? WHERE id = ?`)
			if err != nil {
				return err
			}
			defer up.Close()
			for id, c := range counts {
				if _, err := up.ExecContext(ctx, c, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		done += n
		progress(fmt.Sprintf("%d/%d comments", done, size.Comments))
	}

	// Follows and featured picks.
	return d.Tx(ctx, func(tx *sql.Tx) error {
		for a := 2; a <= size.Accounts; a++ {
			for range 3 {
				p := size.Practices - g.r.IntN(min(size.Practices, 5000))
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO practice_follows (account_id, practice_id, created_at) VALUES (?, ?, ?)`, a, p, ts); err != nil {
					return err
				}
			}
			if a%3 == 0 {
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO follow_tags (account_id, tag_id) VALUES (?, ?)`, a, 1+g.r.IntN(5)); err != nil {
					return err
				}
			}
			if a%4 == 0 {
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO follow_countries (account_id, country_code) VALUES (?, ?)`, a, g.pick(countries)); err != nil {
					return err
				}
			}
		}
		// Featured during the last complete week, so the digest has picks.
		monday := now.AddDate(0, 0, -((int(now.Weekday()) + 6) % 7))
		featuredAt := db.FormatTime(time.Date(monday.Year(), monday.Month(), monday.Day(), 12, 0, 0, 0, time.UTC).AddDate(0, 0, -3))
		for i := range 5 {
			p := size.Practices - i*7
			if _, err := tx.ExecContext(ctx, `INSERT INTO features (practice_id, note, position, featured_by, featured_at) VALUES (?, 'Destacada', ?, 1, ?)`,
				p, i+1, featuredAt); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `ANALYZE`)
		return err
	})
}
