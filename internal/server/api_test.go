package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"puente/internal/servertest"
)

var tokenRE = regexp.MustCompile(`value="(pnt_[A-Za-z0-9_-]+)"`)

// makeToken makes a token on My account, as its owner would, and returns it.
func makeToken(t *testing.T, c *servertest.Client) string {
	t.Helper()
	res := c.PostForm("/account/tokens", url.Values{"token_name": {"Tablero del ministerio"}})
	m := tokenRE.FindStringSubmatch(res.Body)
	if res.Status != http.StatusOK || m == nil {
		t.Fatalf("token: %d\n%s", res.Status, res.Body)
	}
	return m[1]
}

type apiAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a apiAnswer) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("not JSON (%d): %v\n%s", a.status, err, a.body)
	}
	return v
}

func apiGet(t *testing.T, e *servertest.Env, token, path string) apiAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.HTTP.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return apiAnswer{res.StatusCode, res.Header, b}
}

// apiWorld is a site with practices in every state the API must tell
// apart: Panama's CRM and public practices, a members' one with a hidden
// comment and an adoption, a draft, a hidden practice.
type apiWorld struct {
	e                                *servertest.Env
	crm, public, members, draft, hid string
}

func newAPIWorld(t *testing.T) *apiWorld {
	e := modEnv(t)
	pa, mx, mod := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx"), e.SignIn("mod@puente.test")
	w := &apiWorld{e: e}
	w.crm = publish(t, e, pa, practiceForm("Acuerdo solo para la CRM", []string{"PA"}, "crm"))
	w.public = publish(t, e, pa, practiceForm("Registro público", []string{"PA"}, "public"))
	w.members = publish(t, e, pa, practiceForm("Ventanilla para miembros", []string{"PA"}, "members"))
	w.hid = publish(t, e, pa, practiceForm("Práctica oculta", []string{"PA"}, "members"))
	w.draft = create(t, pa, practiceForm("Borrador", []string{"PA"}, "members"))
	mod.PostForm("/moderation/practices/"+strings.TrimPrefix(w.hid, "/practices/")+"/hide", url.Values{"reason": {"Datos personales."}})
	mx.PostForm(w.crm+"/comments", url.Values{"body": {"<p>¿Cuánto costó?</p>"}})
	mx.PostForm(w.crm+"/comments", url.Values{"body": {"<p>Un comentario que se ocultará</p>"}})
	var hidden int64
	if err := e.DB.R.QueryRow(`SELECT max(id) FROM comments`).Scan(&hidden); err != nil {
		t.Fatal(err)
	}
	mod.PostForm(fmt.Sprintf("/moderation/comments/%d/hide", hidden), url.Values{"reason": {"Fuera de tema."}})
	if res := mx.PostForm(w.crm+"/adoption", url.Values{"stage": {"piloting"}, "institution": {"INM"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("adoption: %d", res.Status)
	}
	return w
}

func (w *apiWorld) id(path string) string { return strings.TrimPrefix(path, "/practices/") }

// TestAPIAccess: the API returns what the token's owner sees on the site
// and nothing else: a CSM official never sees the CRM's practice; no one
// gets a draft, a hidden practice or a hidden comment; pages follow their
// cursor to the end; a revoked token or a suspended account's is a 401 in
// JSON; an unknown parameter a 400.
func TestAPIAccess(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	e := w.e
	mxToken, brToken := makeToken(t, e.SignIn("mx@gob.mx")), makeToken(t, e.SignIn("br@gov.br"))

	titles := func(token string) []string {
		t.Helper()
		var out []string
		cursor := ""
		for range 10 {
			path := "/api/v1/practices?limit=1"
			if cursor != "" {
				path += "&cursor=" + url.QueryEscape(cursor)
			}
			a := apiGet(t, e, token, path)
			if a.status != http.StatusOK {
				t.Fatalf("%s: %d %s", path, a.status, a.body)
			}
			v := a.json(t)
			for _, it := range v["items"].([]any) {
				out = append(out, it.(map[string]any)["title"].(string))
			}
			next, _ := v["next_cursor"].(string)
			if next == "" {
				sort.Strings(out)
				return out
			}
			cursor = next
		}
		t.Fatal("the cursor never ended")
		return nil
	}
	if got, want := titles(mxToken), []string{"Acuerdo solo para la CRM", "Registro público", "Ventanilla para miembros"}; !slices.Equal(got, want) {
		t.Errorf("Mexico's practices: %q, want %q", got, want)
	}
	if got, want := titles(brToken), []string{"Registro público", "Ventanilla para miembros"}; !slices.Equal(got, want) {
		t.Errorf("Brazil's practices: %q, want %q", got, want)
	}
	for _, tc := range []struct {
		token, path string
		want        int
	}{
		{mxToken, "/api/v1/practices/" + w.id(w.crm), http.StatusOK},
		{brToken, "/api/v1/practices/" + w.id(w.crm), http.StatusNotFound},
		{brToken, "/api/v1/practices/" + w.id(w.crm) + "/comments", http.StatusNotFound},
		{brToken, "/api/v1/practices/" + w.id(w.crm) + "/adoptions", http.StatusNotFound},
		{mxToken, "/api/v1/practices/" + w.id(w.draft), http.StatusNotFound},
		{mxToken, "/api/v1/practices/" + w.id(w.hid), http.StatusNotFound},
		{mxToken, "/api/v1/practices/999999", http.StatusNotFound},
		{mxToken, "/api/v1/practices?page=2", http.StatusBadRequest},
		{mxToken, "/api/v1/practices?limit=0", http.StatusBadRequest},
		{mxToken, "/api/v1/practices?cursor=%21%21", http.StatusBadRequest},
		{mxToken, "/api/v1/practices?country=ZZ", http.StatusBadRequest},
		{mxToken, "/api/v1/tags?lang=en", http.StatusBadRequest},
		{"", "/api/v1/practices", http.StatusUnauthorized},
		{"pnt_made-up", "/api/v1/practices", http.StatusUnauthorized},
	} {
		a := apiGet(t, e, tc.token, tc.path)
		if a.status != tc.want || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s, want %d in JSON", tc.path, a.status, a.header.Get("Content-Type"), tc.want)
			continue
		}
		if tc.want >= 400 {
			if errv, ok := a.json(t)["error"].(map[string]any); !ok || errv["status"].(float64) != float64(tc.want) || errv["message"] == "" {
				t.Errorf("%s: error body %s", tc.path, a.body)
			}
		}
	}
	if a := apiGet(t, e, "", "/api/v1/practices"); a.header.Get("WWW-Authenticate") == "" {
		t.Error("a 401 without WWW-Authenticate")
	}
	comments := apiGet(t, e, mxToken, "/api/v1/practices/"+w.id(w.crm)+"/comments").json(t)["items"].([]any)
	if len(comments) != 1 || !strings.Contains(comments[0].(map[string]any)["html"].(string), "¿Cuánto costó?") {
		t.Errorf("comments: %v (the hidden one must not be there)", comments)
	}
	adoptions := apiGet(t, e, mxToken, "/api/v1/practices/"+w.id(w.crm)+"/adoptions").json(t)["items"].([]any)
	if len(adoptions) != 1 || adoptions[0].(map[string]any)["stage"] != "piloting" {
		t.Errorf("adoptions: %v", adoptions)
	}
	// Filters narrow; they never widen.
	if items := apiGet(t, e, brToken, "/api/v1/practices?country=PA&tag=1").json(t)["items"].([]any); len(items) != 2 {
		t.Errorf("Brazil's practices of Panama with objective 1: %d, want 2", len(items))
	}

	// Revoked: refused at once.
	mx := e.SignIn("mx@gob.mx")
	page := mx.Get("/account")
	m := regexp.MustCompile(`/account/tokens/(\d+)/revoke`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatal("no token listed on My account")
	}
	if res := e.SignIn("br@gov.br").PostForm("/account/tokens/"+m[1]+"/revoke", nil); res.Status != http.StatusNotFound {
		t.Errorf("another account revoked Mexico's token: %d", res.Status)
	}
	if res := mx.PostForm("/account/tokens/"+m[1]+"/revoke", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.Status)
	}
	if a := apiGet(t, e, mxToken, "/api/v1/tags"); a.status != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d", a.status)
	}
	// A suspended account's token.
	var br int64
	if err := e.DB.R.QueryRow(`SELECT id FROM accounts WHERE email = 'br@gov.br'`).Scan(&br); err != nil {
		t.Fatal(err)
	}
	if res := e.SignIn("admin@puente.test").PostForm(fmt.Sprintf("/admin/accounts/%d/suspend", br), url.Values{"reason": {"Dejó el cargo."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("suspend: %d", res.Status)
	}
	if a := apiGet(t, e, brToken, "/api/v1/tags"); a.status != http.StatusUnauthorized {
		t.Errorf("a suspended account's token: %d", a.status)
	}
	// A token needs a name, and what was typed comes back.
	if res := e.SignIn("pa@gob.pa").PostForm("/account/tokens", url.Values{"token_name": {"   "}}); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="token-name-error"`) {
		t.Errorf("a token without a name: %d", res.Status)
	}
}

// TestAPIMatchesItsOpenAPIDescription: every route under /api/v1 is in
// openapi.json and every path there is a route; each path's answer, and a
// refusal, match the schema the description gives for them.
func TestAPIMatchesItsOpenAPIDescription(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	e := w.e
	token := makeToken(t, e.SignIn("mx@gob.mx"))
	a := apiGet(t, e, "", "/api/v1/openapi.json")
	var spec map[string]any
	if err := json.Unmarshal(a.body, &spec); err != nil || a.status != http.StatusOK {
		t.Fatalf("openapi.json: %d %v", a.status, err)
	}
	if spec["openapi"] != "3.0.3" {
		t.Errorf("openapi %v", spec["openapi"])
	}
	paths := spec["paths"].(map[string]any)
	var routes []string
	chi.Walk(e.Server.Handler().(chi.Routes), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if p, ok := strings.CutPrefix(pattern, "/api/v1"); ok && p != "/openapi.json" {
			routes = append(routes, p)
			if _, ok := paths[p]; !ok {
				t.Errorf("route %s %s is not in openapi.json", method, pattern)
			}
		}
		return nil
	})
	for p := range paths {
		if !slices.Contains(routes, p) {
			t.Errorf("openapi.json describes %s, which the router does not have", p)
		}
	}
	resolve := func(v map[string]any) map[string]any {
		for {
			ref, ok := v["$ref"].(string)
			if !ok {
				return v
			}
			node := any(spec)
			for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
				node = node.(map[string]any)[part]
			}
			v = node.(map[string]any)
		}
	}
	schemaOf := func(path, status string) map[string]any {
		op := paths[path].(map[string]any)["get"].(map[string]any)
		resp := resolve(op["responses"].(map[string]any)[status].(map[string]any))
		return resolve(resp["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any))
	}
	var check func(where string, v any, s map[string]any)
	check = func(where string, v any, s map[string]any) {
		s = resolve(s)
		if v == nil {
			if s["nullable"] != true {
				t.Errorf("%s: null, not nullable in the description", where)
			}
			return
		}
		switch s["type"] {
		case "object":
			o, ok := v.(map[string]any)
			if !ok {
				t.Errorf("%s: %T, want an object", where, v)
				return
			}
			props, _ := s["properties"].(map[string]any)
			required, _ := s["required"].([]any)
			for _, r := range required {
				if _, ok := o[r.(string)]; !ok {
					t.Errorf("%s: required %q missing", where, r)
				}
			}
			for k, x := range o {
				if ps, ok := props[k]; ok {
					check(where+"."+k, x, ps.(map[string]any))
				} else if ap, ok := s["additionalProperties"].(map[string]any); ok {
					check(where+"."+k, x, ap)
				} else {
					t.Errorf("%s: %q is not in the description", where, k)
				}
			}
		case "array":
			arr, ok := v.([]any)
			if !ok {
				t.Errorf("%s: %T, want an array", where, v)
				return
			}
			for i, x := range arr {
				check(fmt.Sprintf("%s[%d]", where, i), x, s["items"].(map[string]any))
			}
		case "string":
			str, ok := v.(string)
			if !ok {
				t.Errorf("%s: %T, want a string", where, v)
			}
			if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, any(str)) {
				t.Errorf("%s: %q is not one of %v", where, str, enum)
			}
		case "integer":
			if f, ok := v.(float64); !ok || f != float64(int64(f)) {
				t.Errorf("%s: %v, want an integer", where, v)
			}
		default:
			t.Errorf("%s: the description's type %v is not checked here", where, s["type"])
		}
	}
	id := w.id(w.crm)
	checked := 0
	for p := range paths {
		real := strings.ReplaceAll(p, "{id}", id)
		a := apiGet(t, e, token, "/api/v1"+real)
		if a.status != http.StatusOK {
			t.Errorf("%s: %d %s", real, a.status, a.body)
			continue
		}
		var v any
		if err := json.Unmarshal(a.body, &v); err != nil {
			t.Fatal(err)
		}
		check(real, v, schemaOf(p, "200"))
		checked++
	}
	// A refusal, as described.
	nf := apiGet(t, e, token, "/api/v1/practices/999999")
	var v any
	json.Unmarshal(nf.body, &v)
	check("404", v, schemaOf("/practices/{id}", "404"))
	if checked < 7 {
		t.Errorf("only %d paths checked", checked)
	}
}
