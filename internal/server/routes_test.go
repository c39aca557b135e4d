package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/servertest"
)

// access is who may use a route at all.
type access int

const (
	anyone        access = iota // visitors too
	signedIn                    // any active account
	official                    // officials, moderators and admins: not observers
	moderator                   // moderators and admins
	admin                       // admins only
	byToken                     // the token in the URL is the credential
	afterPassword               // only for a session that has just given a password
	focalOnly                   // a focal point of a member state, and no one else
	apiToken                    // the read-only API: a bearer token, never a session (TestAPIAccess checks each role)
)

// object is what a route's {id} names, for the object-level checks.
type object int

const (
	none           object = iota
	practice              // a practice shared with the CRM only, by its author
	ownPractice           // the same, on a route only its author may use
	translatable          // the same, on a route for its author and the officials of its countries (versions in other languages)
	reviewable            // the same, on a route for its author and its countries' focal points (is it still current?)
	comment               // a comment by the author on that practice
	ownComment            // the same, on a route only its author may use
	attachment            // a file of that practice
	adoptable             // that practice, on a route only officials of another member state may use
	adoption              // another member state's adoption record of that practice
	askable               // that practice, on a route its author may not use (asking its implementers)
	question              // a CRM official's question on that practice: its asker, the author and staff see it
	questionParty         // the same, on a route only its asker and the author may use
	questionAuthor        // the same, on a route only the practice's author may use
	other                 // an object of an admin or moderator page
)

// routeTable lists every route the router knows. A route missing from it
// fails TestEveryRouteIsAuthorised, so a new route cannot ship without
// someone deciding who may use it.
var routeTable = map[string]struct {
	access access
	object object
}{
	"GET /api/v1/openapi.json": {anyone, none},
	"GET /api/v1/practices":    {apiToken, none}, "GET /api/v1/practices/{id}": {apiToken, practice},
	"GET /api/v1/practices/{id}/comments": {apiToken, practice}, "GET /api/v1/practices/{id}/adoptions": {apiToken, practice},
	"GET /api/v1/tags": {apiToken, none}, "GET /api/v1/countries": {apiToken, none}, "GET /api/v1/meetings": {apiToken, none},
	"POST /account/tokens": {signedIn, none}, "POST /account/tokens/{id}/revoke": {signedIn, other},
	"GET /healthz": {anyone, none}, "GET /readyz": {anyone, none}, "GET /static/*": {anyone, none}, "GET /favicon.ico": {anyone, none},
	"GET /signin": {anyone, none}, "POST /signin": {anyone, none}, "POST /signout": {anyone, none},
	"GET /password/forgot": {anyone, none}, "POST /password/forgot": {anyone, none},
	"GET /password/reset/{token}": {byToken, none}, "POST /password/reset/{token}": {byToken, none},
	"GET /email/confirm/{token}": {byToken, none}, "POST /email/confirm/{token}": {byToken, none},
	"GET /invitations/{token}": {byToken, none}, "POST /invitations/{token}": {byToken, none},
	"POST /language": {anyone, none},
	// The code step of sign-in: it acts only on the account whose password
	// this same session has just given.
	"GET /signin/code": {afterPassword, none}, "POST /signin/code": {afterPassword, none},
	"GET /unsubscribe/{token}": {byToken, none}, "POST /unsubscribe/{token}": {byToken, none},
	"GET /review/{token}": {byToken, none}, "POST /review/{token}": {byToken, none},
	"GET /unsubscribe/notices/{token}": {byToken, none}, "POST /unsubscribe/notices/{token}": {byToken, none},
	"GET /practices": {anyone, none}, "GET /search": {anyone, none},
	"GET /feeds/practices.atom": {anyone, none}, "GET /feeds/tags/{tag}": {anyone, none},
	"GET /feeds/countries/{country}": {anyone, none}, "GET /feeds/private/{token}": {byToken, none},
	"GET /practices/{id}": {anyone, practice}, "GET /attachments/{id}": {anyone, attachment},
	"GET /practices/{id}/versions/{lang}": {official, translatable}, "POST /practices/{id}/versions/{lang}": {official, translatable},
	"GET /moderation/versions/{id}/{lang}": {moderator, practice}, "POST /moderation/files/{id}": {moderator, other}, "POST /moderation/versions/{id}/{lang}": {moderator, practice}, "GET /practices/{id}/history": {anyone, practice}, "GET /comments/{id}": {anyone, comment},
	"GET /countries/{code}": {anyone, none}, "GET /meetings/{id}": {anyone, other}, "GET /meetings/{id}/compendium": {anyone, other}, "GET /data/practices.json": {anyone, none}, "GET /data/practices.csv": {anyone, none}, "GET /meetings": {anyone, none}, "GET /tags/{id}": {anyone, other},

	"GET /": {anyone, none}, "GET /account": {signedIn, none},
	"POST /account/profile": {signedIn, none}, "POST /account/password": {signedIn, none},
	"POST /account/sessions/{id}/end": {signedIn, other}, "POST /account/sessions/end-all": {signedIn, none},
	"GET /practices/new": {official, none}, "POST /practices": {official, none},
	"GET /practices/{id}/edit": {official, ownPractice}, "POST /practices/{id}": {official, ownPractice},
	"POST /practices/{id}/submit": {official, ownPractice}, "POST /practices/{id}/change/withdraw": {official, ownPractice},
	"POST /practices/{id}/follow": {signedIn, practice},
	// Following an objective or a country changes only the caller's own
	// digest choices; the objective or country is public.
	"POST /tags/{id}/follow": {signedIn, none}, "POST /tags/{id}/unfollow": {signedIn, none},
	"POST /countries/{code}/follow": {signedIn, none}, "POST /countries/{code}/unfollow": {signedIn, none},
	// Unfollowing only deletes the caller's own follow, with the same answer
	// whether the practice exists or not, so a practice that left the
	// caller's scope can still be dropped from "my practices".
	"POST /practices/{id}/unfollow": {signedIn, other},
	"POST /practices/{id}/comments": {signedIn, practice},
	// Recording what one's country did with a practice: never on one's own
	// country's practice, and only with a country.
	"GET /practices/{id}/adoption": {official, adoptable}, "POST /practices/{id}/adoption": {official, adoptable},
	// Asking the implementers: anyone who may read it but its author.
	"POST /practices/{id}/review":       {official, reviewable},
	"GET /practices/{id}/questions/new": {signedIn, askable}, "POST /practices/{id}/questions": {signedIn, askable},
	"GET /questions/{id}": {signedIn, question}, "POST /questions/{id}/answer": {signedIn, questionAuthor},
	"POST /questions/{id}/close": {signedIn, questionParty}, "POST /questions/{id}/publish": {signedIn, questionParty},
	"GET /comments/{id}/edit": {signedIn, ownComment}, "POST /comments/{id}/edit": {signedIn, ownComment},
	"POST /comments/{id}/delete": {signedIn, ownComment},
	"GET /my/practices":          {signedIn, none}, "POST /flags": {official, other},
	"GET /practices/{id}/flag": {official, practice}, "GET /comments/{id}/flag": {official, comment}, "POST /appeals": {signedIn, other},
	"POST /account/notifications": {moderator, none}, // flag notifications are for moderators
	"POST /account/feed":          {signedIn, none},
	// A person's own notifications: marking another's is a no-op.
	"GET /notifications": {signedIn, none}, "POST /notifications/{id}/read": {signedIn, other}, "POST /notifications/read": {signedIn, none},
	"GET /insights": {signedIn, none}, "GET /insights/{chart}.csv": {signedIn, other}, "GET /log": {signedIn, none},
	"GET /settings/digest": {signedIn, none}, "POST /settings/digest": {signedIn, none},
	"GET /settings/notifications": {signedIn, none}, "POST /settings/notifications": {signedIn, none},
	"GET /account/2fa": {signedIn, none}, "POST /account/2fa/setup": {signedIn, none},
	// A draft shown to the author's country's focal points: the author's call.
	"POST /practices/{id}/share": {official, ownPractice},
	// A focal point's page: their country's accounts, invitations and work.
	"GET /focal": {focalOnly, none}, "POST /focal/invitations": {focalOnly, none}, "POST /focal/accounts/{id}/suspend": {focalOnly, other},
	"POST /account/2fa/enable": {signedIn, none}, "POST /account/2fa/recovery": {signedIn, none},
	"POST /account/2fa/disable": {signedIn, none},

	"GET /moderation": {moderator, none}, "GET /moderation/review/{id}": {moderator, practice},
	"POST /moderation/review/{id}": {moderator, practice}, "GET /moderation/featured": {moderator, none},
	"POST /moderation/practices/{id}/feature": {moderator, practice}, "POST /moderation/practices/{id}/unfeature": {moderator, practice},
	"POST /moderation/practices/{id}/move": {moderator, practice},
	"POST /moderation/practices/{id}/hide": {moderator, practice}, "POST /moderation/practices/{id}/restore": {moderator, practice},
	"POST /moderation/comments/{id}/hide": {moderator, comment}, "POST /moderation/comments/{id}/restore": {moderator, comment},
	"POST /moderation/adoptions/{id}/hide": {moderator, adoption}, "POST /moderation/adoptions/{id}/restore": {moderator, adoption},
	"POST /moderation/questions/{id}/hide": {moderator, question}, "POST /moderation/questions/{id}/restore": {moderator, question},
	"POST /moderation/flags/dismiss": {moderator, other}, "POST /moderation/appeals/{id}/resolve": {moderator, other},
	"POST /practices/{id}/publish":       {moderator, practice},
	"POST /moderation/review/{id}/claim": {moderator, practice}, "GET /moderation/changes/{id}": {moderator, practice}, "POST /moderation/changes/{id}": {moderator, practice},
	"GET /moderation/hidden": {moderator, none},

	"GET /admin/accounts": {admin, none}, "GET /admin/accounts/{id}": {admin, other},
	"POST /admin/accounts/{id}/role": {admin, other}, "POST /admin/accounts/{id}/correct": {admin, other},
	"POST /admin/accounts/{id}/email": {admin, other}, "POST /admin/accounts/{id}/transfer": {admin, other}, "POST /admin/accounts/{id}/suspend": {admin, other},
	"POST /admin/accounts/{id}/reactivate": {admin, other}, "POST /admin/accounts/{id}/2fa/reset": {admin, other},
	"POST /admin/accounts/{id}/focal": {admin, other}, "POST /admin/accounts/{id}/observer": {admin, other},
	"GET /admin/data": {admin, none}, "POST /admin/data": {admin, none},
	"GET /admin/security": {admin, none}, "POST /admin/security": {admin, none},
	"GET /admin/invitations": {admin, none}, "POST /admin/invitations": {admin, none},
	"POST /admin/invitations/{id}/revoke": {admin, other}, "GET /admin/digest/preview": {admin, none},
	"GET /admin/taxonomy": {admin, none}, "POST /admin/meetings": {admin, none},
	"GET /admin/meetings/{id}": {admin, other}, "POST /admin/meetings/{id}": {admin, other},
	"POST /admin/meetings/{id}/tags": {admin, other}, "GET /admin/tags/{id}": {admin, other},
	"POST /admin/tags/{id}": {admin, other}, "POST /admin/tags/{id}/retire": {admin, other},
	"POST /admin/tags/{id}/unretire": {admin, other},
}

// TestEveryRouteIsAuthorised walks the router and sends each route's
// request as a visitor, an official of a CRM country, an official of a CSM
// country, the author of the objects, a moderator, an admin and a
// suspended account, and checks the answer against routeTable: a visitor
// is sent to sign in, a role below the route's gets 403, an object outside
// the viewer's sharing scope answers 404 (its existence is not revealed),
// and another official may not use the author's own routes.
func TestEveryRouteIsAuthorised(t *testing.T) {
	t.Parallel()
	type route struct{ method, pattern string }
	var routes []route
	e0 := servertest.New(t)
	err := chi.Walk(e0.Server.Handler().(chi.Routes), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, route{method, pattern})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range routes {
		key := r.method + " " + r.pattern
		seen[key] = true
		if _, ok := routeTable[key]; !ok {
			t.Errorf("route %s is not in routeTable: decide who may use it", key)
		}
	}
	for key := range routeTable {
		if !seen[key] {
			t.Errorf("routeTable lists %s, which the router does not have", key)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	// State-changing routes that end the caller's session go last.
	last := func(r route) bool {
		return strings.Contains(r.pattern, "signout") || strings.Contains(r.pattern, "end-all")
	}
	slices.SortStableFunc(routes, func(a, b route) int {
		ka, kb := 0, 0
		if a.method != http.MethodGet {
			ka = 1
		}
		if b.method != http.MethodGet {
			kb = 1
		}
		if last(a) {
			ka = 2
		}
		if last(b) {
			kb = 2
		}
		return ka - kb
	})

	roles := []string{"anonymous", "crm", "csm", "author", "moderator", "admin", "suspended", "observer", "focal"}
	for _, role := range roles {
		t.Run(role, func(t *testing.T) {
			t.Parallel()
			// Each role gets its own site, so what one role changes cannot
			// decide what another is allowed.
			e := practiceEnv(t)
			e.CreateAccount("admin@puente.test", accounts.Admin, "")
			e.CreateAccount("gone@gob.pa", accounts.Official, "PA")
			e.CreateAccount("spare@gob.gt", accounts.Official, "GT")
			pa := e.SignIn("pa@gob.pa")
			path := publish(t, e, pa, practiceForm("Ventanilla única", []string{"PA"}, "crm"))
			pid := strings.TrimPrefix(path, "/practices/")
			if res := pa.PostForm(path+"/comments", url.Values{"body": {"<p>Un comentario.</p>"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("comment: %d", res.Status)
			}
			cid := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
			if res := e.SignIn("mx@gob.mx").PostForm(path+"/adoption", url.Values{"stage": {"piloting"}, "institution": {"INM"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("adoption: %d", res.Status)
			}
			adid := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM adoptions`)
			if res := e.SignIn("mx@gob.mx").PostForm(path+"/questions", url.Values{"body": {"¿Cuánto costó?"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("question: %d", res.Status)
			}
			qid := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM questions`)
			dbtest.Exec(t, e.DB.W, `INSERT INTO practice_attachments (practice_id, name, type, size, data, created_at) VALUES (?, 'a.pdf', 'application/pdf', 5, X'255044462D', '2026-11-26T12:00:00Z')`, pid)
			aid := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM practice_attachments`)
			spare := dbtest.Int(t, e.DB.R, `SELECT id FROM accounts WHERE email = 'spare@gob.gt'`)
			gone := dbtest.Int(t, e.DB.R, `SELECT id FROM accounts WHERE email = 'gone@gob.pa'`)

			var c *servertest.Client
			var token string // the role's API token ("" for a visitor)
			switch role {
			case "anonymous":
				c = e.Client()
			case "crm":
				c = e.SignIn("mx@gob.mx")
			case "csm":
				c = e.SignIn("br@gov.br")
			case "author":
				c = pa
			case "moderator":
				c = e.SignIn("mod@puente.test")
			case "admin":
				c = e.SignIn("admin@puente.test")
			case "observer":
				// The CRM's technical secretariat, which may not comment.
				if _, err := e.Accounts.CreateObserverDirect(t.Context(), "crm@secretaria.org", "Secretaría", accounts.ObserverAccess{Organisation: "Secretaría Técnica de la CRM", Scope: accounts.ObserverCRM}, "es", servertest.Password); err != nil {
					t.Fatal(err)
				}
				c = e.SignIn("crm@secretaria.org")
			case "focal":
				// Panama's focal point: the practice is their country's.
				fp := e.CreateAccount("focal@gob.pa", accounts.Official, "PA")
				if res := e.SignIn("admin@puente.test").PostForm(fmt.Sprintf("/admin/accounts/%d/focal", fp.ID), url.Values{"focal": {"1"}}); res.Status != http.StatusSeeOther {
					t.Fatalf("focal point: %d", res.Status)
				}
				c = e.SignIn("focal@gob.pa")
			case "suspended":
				c = e.SignIn("gone@gob.pa")
				token = makeToken(t, c) // made before the suspension
				if res := e.SignIn("admin@puente.test").PostForm(fmt.Sprintf("/admin/accounts/%d/suspend", gone), url.Values{"reason": {"Dejó el cargo."}}); res.Status != http.StatusSeeOther {
					t.Fatalf("suspend: %d", res.Status)
				}
			}
			if role != "anonymous" && role != "suspended" {
				token = makeToken(t, c)
			}
			level := map[string]access{"anonymous": anyone, "suspended": anyone, "crm": official, "csm": official,
				"author": official, "moderator": moderator, "admin": admin, "observer": signedIn, "focal": official}[role]

			for _, r := range routes {
				spec := routeTable[r.method+" "+r.pattern]
				p := r.pattern
				p = strings.ReplaceAll(p, "{token}", "not-a-real-token")
				p = strings.ReplaceAll(p, "{tag}", "1.atom")
				p = strings.ReplaceAll(p, "{country}", "PA.atom")
				p = strings.ReplaceAll(p, "{code}", "PA")
				p = strings.ReplaceAll(p, "{lang}", "en")
				p = strings.ReplaceAll(p, "{chart}", "countries")
				p = strings.ReplaceAll(p, "/*", "/css/app.css")
				switch spec.object {
				case practice, ownPractice, translatable, reviewable, adoptable, askable:
					p = strings.ReplaceAll(p, "{id}", pid)
				case question, questionParty, questionAuthor:
					p = strings.ReplaceAll(p, "{id}", fmt.Sprint(qid))
				case adoption:
					p = strings.ReplaceAll(p, "{id}", fmt.Sprint(adid))
				case comment, ownComment:
					p = strings.ReplaceAll(p, "{id}", fmt.Sprint(cid))
				case attachment:
					p = strings.ReplaceAll(p, "{id}", fmt.Sprint(aid))
				default:
					if strings.HasPrefix(p, "/admin/accounts/") {
						p = strings.ReplaceAll(p, "{id}", fmt.Sprint(spare))
					}
					if strings.HasPrefix(p, "/account/sessions/") {
						p = strings.ReplaceAll(p, "{id}", "999999")
					}
					p = strings.ReplaceAll(p, "{id}", "1")
				}
				var res *servertest.Response
				if r.method == http.MethodGet {
					res = c.Get(p)
				} else {
					req, _ := http.NewRequest(r.method, c.Base+p, strings.NewReader(""))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("Origin", c.Base)
					req.Header.Set("Sec-Fetch-Site", "same-origin")
					res = c.Do(req)
				}
				got := res.Status
				toSignIn := got == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/signin")
				name := r.method + " " + p
				if got >= 500 {
					t.Errorf("%s: %d", name, got)
					continue
				}
				switch {
				case spec.access == byToken:
					if got != http.StatusGone && got != http.StatusNotFound {
						t.Errorf("%s with a made-up token: %d, want 404 or 410", name, got)
					}
				case spec.access == apiToken:
					// A session is no credential for the API.
					if got != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
						t.Errorf("%s with a session and no token: %d %s, want a 401 in JSON", name, got, res.Header.Get("Content-Type"))
					}
					if token == "" {
						break
					}
					// The role's token: what the role reads on the site.
					want := http.StatusOK
					switch {
					case role == "suspended":
						want = http.StatusUnauthorized
					case spec.object == practice && role == "csm":
						want = http.StatusNotFound // shared with the CRM only
					}
					if a := apiGet(t, e, token, p); a.status != want {
						t.Errorf("%s with %s's token: %d, want %d", name, role, a.status, want)
					}
				case spec.access == focalOnly && level == anyone:
					if !toSignIn {
						t.Errorf("%s: %d, want a redirect to sign in", name, got)
					}
				case spec.access == focalOnly:
					if role != "focal" && got != http.StatusForbidden {
						t.Errorf("%s by %s: %d, want 403", name, role, got)
					}
					if role == "focal" && (got == http.StatusForbidden || toSignIn) {
						t.Errorf("%s by the focal point: %d, want it allowed", name, got)
					}
				case r.method == http.MethodPost && r.pattern == "/practices/{id}/comments" && role == "observer":
					// An observer the admin did not allow to comment.
					if got != http.StatusForbidden {
						t.Errorf("%s by an observer without comments: %d, want 403", name, got)
					}
				case spec.object == question && role == "focal" && spec.access <= level:
					// The focal point of the practice's country follows it up.
					if got != http.StatusOK {
						t.Errorf("%s by the focal point: %d, want 200", name, got)
					}
				case (spec.object == question || spec.object == questionParty || spec.object == questionAuthor) && (role == "observer" || role == "focal") && spec.access <= level:
					// A question is its asker's, the author's and staff's.
					if got != http.StatusNotFound && got != http.StatusForbidden {
						t.Errorf("%s by %s: %d, want 404 or 403", name, role, got)
					}
				case spec.access == afterPassword:
					// No session here is between password and code.
					if !toSignIn {
						t.Errorf("%s without a password step: %d, want a redirect to sign in", name, got)
					}
				case spec.access > anyone && level == anyone:
					if !toSignIn {
						t.Errorf("%s: %d, want a redirect to sign in", name, got)
					}
				case spec.access > level:
					if got != http.StatusForbidden {
						t.Errorf("%s: %d, want 403", name, got)
					}
				case (spec.object == practice || spec.object == ownPractice || spec.object == translatable || spec.object == reviewable || spec.object == comment || spec.object == ownComment ||
					spec.object == attachment || spec.object == adoptable || spec.object == askable || spec.object == question ||
					spec.object == questionParty || spec.object == questionAuthor) &&
					(role == "csm" || role == "anonymous" || role == "suspended"):
					// Shared with the CRM only: not there for the others.
					if got != http.StatusNotFound {
						t.Errorf("%s outside the sharing scope: %d, want 404", name, got)
					}
				case (spec.object == translatable || spec.object == reviewable) && role != "author" && role != "focal":
					// Another country's official, or staff: not theirs to
					// translate (the focal point is an official of its country).
					if got != http.StatusForbidden {
						t.Errorf("%s by %s: %d, want 403", name, role, got)
					}
				case (spec.object == ownPractice || spec.object == ownComment) && role != "author":
					// Moderators curate through their own routes; nobody
					// edits another person's words.
					if got != http.StatusForbidden {
						t.Errorf("%s on another account's object: %d, want 403", name, got)
					}
				case spec.object == askable && role == "author",
					spec.object == questionParty && role != "crm" && role != "author",
					spec.object == questionAuthor && role != "author":
					// No one asks about their own practice; only the two
					// sides decide on a question, and only the author answers.
					if got != http.StatusForbidden {
						t.Errorf("%s by %s: %d, want 403", name, role, got)
					}
				case spec.object == adoptable && role != "crm":
					// The practice's own country, and staff without one.
					if got != http.StatusForbidden {
						t.Errorf("%s by %s: %d, want 403", name, role, got)
					}
				case last(r):
					if !toSignIn {
						t.Errorf("%s: %d, want the session ended", name, got)
					}
				default:
					if got == http.StatusForbidden || got == http.StatusUnauthorized || toSignIn ||
						(got == http.StatusNotFound && spec.object != other) {
						t.Errorf("%s: %d (%s), want it allowed", name, got, res.Header.Get("Location"))
					}
				}
			}
		})
	}
}
