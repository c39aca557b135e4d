package mail

import (
	"bytes"
	htmltemplate "html/template"
	"io/fs"
	"net/url"
	"path"
	"strings"
	texttemplate "text/template"

	"puente/internal/i18n"
	"puente/web"
)

// Composer writes messages from the email templates, in the recipient's
// language, with a text part and an inline-styled HTML part.
type Composer struct {
	BaseURL *url.URL
	text    map[string]*texttemplate.Template
	html    map[string]*htmltemplate.Template
}

// EmailView is what an email template receives.
type EmailView struct {
	i18n.Locale
	BaseURL string
	Data    Email
}

// subjecter is an email whose subject is more than one catalogue entry
// with placeholders.
type subjecter interface {
	Subject(l i18n.Locale) string
}

// NewComposer parses the email templates: for each kind, KIND.txt and
// KIND.html (the latter inside layout.html).
func NewComposer(base *url.URL) (*Composer, error) {
	c := &Composer{BaseURL: base, text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	files, err := fs.Glob(web.Templates, "templates/email/*.txt")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		kind := strings.TrimSuffix(path.Base(f), ".txt")
		t, err := texttemplate.ParseFS(web.Templates, f)
		if err != nil {
			return nil, err
		}
		c.text[kind] = t
		h, err := htmltemplate.ParseFS(web.Templates, "templates/email/layout.html", "templates/email/"+kind+".html")
		if err != nil {
			return nil, err
		}
		c.html[kind] = h
	}
	return c, nil
}

// Compose renders email data for one recipient, in lang. The subject is
// the catalogue entry email.KIND.subject with data's placeholders.
func (c *Composer) Compose(lang, to, toName string, data Email) (Message, error) {
	kind := data.Kind()
	v := EmailView{Locale: i18n.For(lang), BaseURL: c.BaseURL.String(), Data: data}
	args := data.SubjectArgs()
	var text, html bytes.Buffer
	t, ok := c.text[kind]
	if !ok {
		return Message{}, fs.ErrNotExist
	}
	if err := t.Execute(&text, v); err != nil {
		return Message{}, err
	}
	if err := c.html[kind].ExecuteTemplate(&html, "layout.html", v); err != nil {
		return Message{}, err
	}
	subject := v.T("email."+kind+".subject", args...)
	if sub, ok := data.(subjecter); ok {
		subject = sub.Subject(v.Locale)
	}
	return Message{
		Kind: kind, To: to, ToName: toName,
		Subject: subject,
		Text:    text.String(),
		HTML:    html.String(),
	}, nil
}
