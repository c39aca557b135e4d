package server

import (
	"bytes"
	"html/template"
	"testing"

	"puente/internal/i18n"
	"puente/static"
)

// docHeadTemplate is the template the start of every page was before it
// was written in Go (writeDocHead): the reference its markup and escaping
// are held to.
const docHeadTemplate = `{{define "doc-head"}}<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .TitleText}}{{.TitleText}}{{else}}{{.T .Title}}{{end}} · Puente</title>
{{if .Editor}}{{if hasAsset "vendor/editor/editor.js"}}<script src="{{asset "vendor/editor/editor.js"}}" defer></script>{{end}}{{end}}
{{if or .Editor .DraftSaved}}<script src="{{asset "js/drafts.js"}}" defer></script>{{end}}
<link rel="stylesheet" href="{{asset "css/app.css"}}">
<link rel="icon" href="{{asset "img/favicon.svg"}}" type="image/svg+xml">
{{with .Description}}<meta name="description" content="{{.}}">{{end}}
{{with .Share}}<meta property="og:site_name" content="Puente">
<meta property="og:type" content="{{.Type}}">
<meta property="og:title" content="{{.Title}}">
<meta property="og:description" content="{{.Description}}">
<meta property="og:url" content="{{.URL}}">
<meta property="og:locale" content="{{$.Lang}}">
<meta name="twitter:card" content="summary">{{end}}
{{range .Feeds}}<link rel="alternate" type="application/atom+xml" title="{{.Title}}" href="{{.URL}}">
{{end}}</head>
<body{{if .DraftSaved}} data-draft-saved{{end}}>
<a class="skip" href="#main">{{.T "nav.skip"}}</a>
{{end}}`

// writeDocHead writes what the template did, byte for byte, for every
// shape of page: plain, a practice's own title, the editor, a saved
// draft, a description and sharing preview, feeds, in two languages, with
// values that need escaping (quotes, ampersands, angle brackets, a plus,
// spaces and accents in an address, a script address).
func TestDocHeadMatchesTheTemplate(t *testing.T) {
	ref := template.Must(template.New("").Funcs(template.FuncMap{
		"asset":    static.URL,
		"hasAsset": func(p string) bool { _, ok := static.Hashes[p]; return ok },
	}).Parse(docHeadTemplate))
	variants := map[string]func(v *View){
		"plain":       func(*View) {},
		"title text":  func(v *View) { v.TitleText = `Registro "biométrico" <Darién> & más + 1` },
		"editor":      func(v *View) { v.Editor = true },
		"draft saved": func(v *View) { v.DraftSaved = true },
		"shared": func(v *View) {
			v.Description = "Resumen 'con' <signos> & +"
			v.Share = &share{Title: "Título & <b>", Description: v.Description, URL: "https://puente.example/practices/7?x=1&y=2", Type: "article"}
		},
		"feeds": func(v *View) {
			v.Feeds = []feedLink{{Title: "Prácticas «Panamá»", URL: "/feeds/practices.atom?country=PA&tag=3"},
				{Title: "Odd", URL: "/feeds/a b/ñ.atom?q=100%&r=%41"}, {Title: "Script", URL: "javascript:alert(1)"}}
		},
	}
	for _, lang := range []string{"es", "en"} {
		for name, change := range variants {
			v := &View{Locale: i18n.For(lang), Title: "list.title"}
			change(v)
			var want, got bytes.Buffer
			if err := ref.ExecuteTemplate(&want, "doc-head", v); err != nil {
				t.Fatal(err)
			}
			writeDocHead(&got, v)
			if got.String() != want.String() {
				t.Errorf("%s, %s:\ngot  %s\nwant %s", lang, name, got.String(), want.String())
			}
		}
	}
}
