package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"puente/internal/accounts"
	"puente/internal/adoptions"
	"puente/internal/comments"
	"puente/internal/moderation"
	"puente/internal/modlog"
	"puente/internal/practices"
	"puente/internal/questions"
	"puente/internal/taxonomy"
)

// Stores are what SeedPractices writes through: the same stores, and the
// same validation, as the web forms.
type Stores struct {
	Accounts  *accounts.Store
	Practices *practices.Store
	Comments  *comments.Store
	Taxonomy  *taxonomy.Store
	// Moderation, when set, also fills each moderation queue with one item
	// and features Panama's practice, so the moderator's side is not empty.
	Moderation *moderation.Store
	// Adoptions, when set, records which states took up which practices,
	// so the practice pages, the country pages and the insights show it.
	Adoptions *adoptions.Store
	// Questions, when set, adds an exchange shown on Panama's biometric
	// registration and a question waiting for Panama's answer.
	Questions *questions.Store
}

var tagCodes = map[string]struct {
	kind   string
	number int
}{"O1": {"objective", 1}, "O2": {"objective", 2}, "R1": {"recommendation", 1}, "R2": {"recommendation", 2}, "R3": {"recommendation", 3}}

// SeedPractices writes the demo practices and their comments that do not
// exist yet, and returns how many practices it created.
func SeedPractices(ctx context.Context, s Stores) (int, error) {
	tags := map[string]string{}
	for code, t := range tagCodes {
		id, err := s.Taxonomy.TagID(ctx, 1, t.kind, t.number)
		if err != nil {
			return 0, fmt.Errorf("tag %s: %w", code, err)
		}
		tags[code] = strconv.FormatInt(id, 10)
	}
	created := 0
	for _, dp := range demoPractices {
		if id, err := s.Practices.IDByTitle(ctx, dp.Title); err != nil || id != 0 {
			if err != nil {
				return created, err
			}
			continue
		}
		author, err := s.Accounts.ByEmail(ctx, dp.Author)
		if err != nil {
			return created, fmt.Errorf("%s: %w", dp.Author, err)
		}
		f := practices.Form{Title: dp.Title, Summary: dp.Summary, Sections: map[string]string{}, Countries: dp.Countries,
			PeriodStart: dp.Start, PeriodEnd: dp.End, Ongoing: dp.End == "", Institutions: dp.Institutions, Partners: dp.Partners,
			ContactName: dp.Contact, ContactEmail: dp.Email, Lang: dp.Lang, Scope: dp.Scope}
		for i, key := range practices.Sections {
			f.Sections[key] = dp.Sections[i]
		}
		for _, t := range dp.Tags {
			f.Tags = append(f.Tags, tags[t])
		}
		errs := f.Validate(practices.Checks{
			CountryExists: s.Taxonomy.CountryExists,
			TagChoosable:  func(int64) bool { return true },
			Author:        author,
			Now:           time.Now(),
		})
		if !errs.OK() {
			return created, fmt.Errorf("demo practice %q does not validate: %v", dp.Title, errs)
		}
		p, err := s.Practices.Create(ctx, author, f)
		if err != nil {
			return created, err
		}
		created++
		if dp.Published == "" {
			if err := s.Practices.Submit(ctx, viewerOf(ctx, s, author), p.ID, ""); err != nil {
				return created, err
			}
			continue
		}
		if err := s.Practices.PublishDirect(ctx, p.ID); err != nil {
			return created, err
		}
		published, _ := time.Parse(time.DateOnly, dp.Published)
		at := published.Add(9 * time.Hour)
		if err := s.Practices.Backdate(ctx, p.ID, at); err != nil {
			return created, err
		}
		when := at
		for _, c := range dp.Comments {
			when = when.Add(26 * time.Hour)
			top, err := addComment(ctx, s, p.ID, 0, c, when)
			if err != nil {
				return created, err
			}
			for _, r := range c.Reply {
				when = when.Add(5 * time.Hour)
				if _, err := addComment(ctx, s, p.ID, top, r, when); err != nil {
					return created, err
				}
			}
		}
	}
	if s.Moderation != nil && created > 0 {
		if err := seedModeration(ctx, s); err != nil {
			return created, err
		}
	}
	if created > 0 {
		if err := seedReviews(ctx, s); err != nil {
			return created, err
		}
	}
	if s.Adoptions != nil && created > 0 {
		if err := seedAdoptions(ctx, s); err != nil {
			return created, err
		}
	}
	if s.Questions != nil && created > 0 {
		if err := seedQuestions(ctx, s); err != nil {
			return created, err
		}
	}
	return created, nil
}

// seedReviews gives the practices' currency a state a newcomer can see:
// every ongoing practice confirmed two months ago, but Panama's biometric
// registration, whose author was asked ten days ago whether it is still
// current (it waits on her My practices), and Mexico's regional visitor
// card, asked five months ago and left unanswered, so marked as not
// reviewed. The ended ones say so by their period.
func seedReviews(ctx context.Context, s Stores) error {
	now := time.Now()
	waiting := "Registro biométrico de personas migrantes en tránsito por Darién"
	stale := "Tarjeta de Visitante Regional para personas de Guatemala y Belice"
	for _, dp := range demoPractices {
		if dp.Published == "" || dp.End != "" {
			continue
		}
		id, err := s.Practices.IDByTitle(ctx, dp.Title)
		if err != nil {
			return err
		}
		switch dp.Title {
		case waiting:
			err = s.Practices.SeedReview(ctx, id, now.AddDate(-1, 0, -10), now.AddDate(0, 0, -10), time.Time{})
		case stale:
			err = s.Practices.SeedReview(ctx, id, time.Time{}, now.AddDate(0, -5, 0), now.AddDate(0, -3, 0))
		default:
			err = s.Practices.SeedReview(ctx, id, now.AddDate(0, -2, 0), time.Time{}, time.Time{})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// demoAdoptions are what states did with others' practices, each update
// in order: Costa Rica piloted and then adopted Panama's biometric
// registration; Ecuador adapted Colombia's protection statute, which
// Mexico is exploring; Chile decided against Canada's private
// sponsorship.
var demoAdoptions = []struct {
	who, practice string
	form          adoptions.Form
}{
	{"costarica@demo.puente.test", "Registro biométrico de personas migrantes en tránsito por Darién", adoptions.Form{Stage: "piloting",
		Institution: "Dirección General de Migración y Extranjería", Started: "2024-05",
		Changes: "<p>Registro en Paso Canoas con lectores portátiles, enlazado a la base de datos de Panamá por el acuerdo binacional.</p>",
		Note:    "<p>Piloto de seis meses en Paso Canoas.</p>"}},
	{"costarica@demo.puente.test", "Registro biométrico de personas migrantes en tránsito por Darién", adoptions.Form{Stage: "adopted",
		Institution: "Dirección General de Migración y Extranjería", Started: "2024-05",
		Changes: "<p>Registro en Paso Canoas con lectores portátiles, enlazado a la base de datos de Panamá por el acuerdo binacional.</p>",
		Outcome: "<p>Las personas registradas en Darién ya no se registran otra vez en Costa Rica: la espera en la frontera bajó de un día a dos horas.</p>",
		Figures: "48 000 registros compartidos en 2025", Note: "<p>Extendido a todas las estaciones del sur.</p>"}},
	{"ecuador@demo.puente.test", "Estatuto Temporal de Protección para Migrantes Venezolanos", adoptions.Form{Stage: "adapted",
		Institution: "Subsecretaría de Migración", Started: "2022-09",
		Changes: "<p>Un registro previo en línea y una visa de excepción de dos años en lugar de un estatuto de diez.</p>",
		Outcome: "<p>Más de 200 000 personas registradas el primer año.</p>", Note: "<p>Proceso de regularización en marcha.</p>"}},
	{"mexico@demo.puente.test", "Estatuto Temporal de Protección para Migrantes Venezolanos", adoptions.Form{Stage: "exploring",
		Institution: "Instituto Nacional de Migración", Note: "<p>Estudiamos el registro previo en línea para nuestras tarjetas regionales.</p>"}},
	{"chile@demo.puente.test", "Private sponsorship of refugees by community groups", adoptions.Form{Stage: "declined",
		Institution: "Servicio Nacional de Migraciones", Reason: "Sin una red de organizaciones comunitarias que asuma el patrocinio, el costo recae en el Estado; lo retomaremos con el reasentamiento regional."}},
}

// seedQuestions: Mexico asked Panama how the biometric registration
// shares its data, Panama answered, and both agreed to show it; Colombia
// asked about the stations' health coordination, which waits for Panama.
func seedQuestions(ctx context.Context, s Stores) error {
	for _, q := range []struct{ who, practice, body, answer string }{
		{"mexico@demo.puente.test", "Registro biométrico de personas migrantes en tránsito por Darién",
			"¿Cómo comparten los datos biométricos con los países vecinos: consulta en línea o envío periódico?",
			"Por consulta en línea, caso por caso, bajo el acuerdo bilateral; no enviamos bases completas. Con gusto compartimos el texto del acuerdo."},
		{"colombia@demo.puente.test", "Coordinación sanitaria en las estaciones de recepción migratoria durante la pandemia",
			"¿Qué protocolo siguieron para las pruebas en las estaciones y quién cubrió su costo?", ""},
	} {
		a, err := s.Accounts.ByEmail(ctx, q.who)
		if err != nil {
			return fmt.Errorf("%s: %w", q.who, err)
		}
		id, err := s.Practices.IDByTitle(ctx, q.practice)
		if err != nil {
			return err
		}
		qid, err := s.Questions.Ask(ctx, viewerOf(ctx, s, a), id, q.body, nil)
		if err != nil || q.answer == "" {
			return err
		}
		author, err := s.Accounts.ByEmail(ctx, "panama@demo.puente.test")
		if err != nil {
			return err
		}
		if err := s.Questions.Answer(ctx, viewerOf(ctx, s, author), qid, q.answer); err != nil {
			return err
		}
		for _, who := range []*accounts.Account{a, author} {
			if err := s.Questions.Agree(ctx, viewerOf(ctx, s, who), qid, true); err != nil {
				return err
			}
		}
	}
	return nil
}

func seedAdoptions(ctx context.Context, s Stores) error {
	for _, d := range demoAdoptions {
		a, err := s.Accounts.ByEmail(ctx, d.who)
		if err != nil {
			return fmt.Errorf("%s: %w", d.who, err)
		}
		id, err := s.Practices.IDByTitle(ctx, d.practice)
		if err != nil {
			return err
		}
		if err := s.Adoptions.Record(ctx, viewerOf(ctx, s, a), a, id, d.form); err != nil {
			return fmt.Errorf("adoption by %s: %w", d.who, err)
		}
	}
	return nil
}

// seedModeration features the biometric registration, puts a flagged
// comment in the flag queue and an appeal in the appeal queue.
func seedModeration(ctx context.Context, s Stores) error {
	mod, err := s.Accounts.ByEmail(ctx, "moderator@demo.puente.test")
	if err != nil {
		return err
	}
	admin, err := s.Accounts.ByEmail(ctx, "admin@demo.puente.test")
	if err != nil {
		return err
	}
	featured, err := s.Practices.IDByTitle(ctx, demoPractices[0].Title)
	if err != nil {
		return err
	}
	if err := s.Moderation.Feature(ctx, mod, featured, "Reconocida como ejemplar en la plenaria conjunta CRM–CSM."); err != nil {
		return err
	}
	// The Canadian comment on Panama's practice gets a flag from Mexico.
	ca, err := s.Accounts.ByEmail(ctx, "canada@demo.puente.test")
	if err != nil {
		return err
	}
	flagged, err := s.Comments.FirstBy(ctx, ca.ID)
	if err != nil {
		return err
	}
	mx, err := s.Accounts.ByEmail(ctx, "mexico@demo.puente.test")
	if err != nil {
		return err
	}
	if err := s.Moderation.Flag(ctx, viewerOf(ctx, s, mx), moderation.Target{Type: "comment", ID: flagged}, "off_topic",
		"Habla de otro tema; quizá mejor por mensaje directo."); err != nil {
		return err
	}
	// The admin hid Ecuador's question on Brazil's practice; Ecuador appeals.
	ec, err := s.Accounts.ByEmail(ctx, "ecuador@demo.puente.test")
	if err != nil {
		return err
	}
	hidden, err := s.Comments.FirstBy(ctx, ec.ID)
	if err != nil {
		return err
	}
	if err := s.Moderation.Hide(ctx, admin, moderation.Target{Type: "comment", ID: hidden}, "Pregunta sobre empresas privadas: fuera del alcance del intercambio entre gobiernos.", ""); err != nil {
		return err
	}
	logged, _, err := s.Moderation.Log(ctx, modlog.Filter{Action: modlog.HideComment, Target: fmt.Sprintf("comment:%d", hidden), Limit: 1})
	if err != nil {
		return err
	}
	if len(logged) == 0 {
		return fmt.Errorf("demo: the hiding of comment %d is not in the log", hidden)
	}
	_, err = s.Moderation.FileAppeal(ctx, ec, logged[0].ID, "La pregunta es sobre la coordinación con el sector privado, que también es parte de la práctica.")
	return err
}

func viewerOf(_ context.Context, s Stores, a *accounts.Account) practices.Viewer {
	return practices.ViewerOf(a, s.Taxonomy)
}

func addComment(ctx context.Context, s Stores, practiceID, parent int64, c demoComment, at time.Time) (int64, error) {
	a, err := s.Accounts.ByEmail(ctx, c.Author)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", c.Author, err)
	}
	id, err := s.Comments.Add(ctx, viewerOf(ctx, s, a), practiceID, parent, c.Body)
	if err != nil {
		return 0, fmt.Errorf("comment by %s: %w", c.Author, err)
	}
	return id, s.Comments.Backdate(ctx, id, at)
}
