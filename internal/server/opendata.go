package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"puente/internal/accounts"
	"puente/internal/adoptions"
	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/practices"
	"puente/internal/taxonomy"
)

// The open data: the public practices (and only those: what a visitor
// may read) as JSON and CSV at stable addresses, with their taxonomy,
// countries, adoptions and files, under the licence an admin sets.

type odLicence struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type odPractice struct {
	ID           int64             `json:"id"`
	Scope        string            `json:"scope"`
	URL          string            `json:"url"`
	Title        string            `json:"title"`
	Summary      string            `json:"summary"`
	Lang         string            `json:"lang"`
	Countries    []odCountry       `json:"countries"`
	PeriodStart  string            `json:"period_start"`
	PeriodEnd    *string           `json:"period_end"`
	Institutions string            `json:"institutions"`
	Partners     string            `json:"partners"`
	ContactName  string            `json:"contact_name"`
	ContactEmail string            `json:"contact_email"`
	PublishedAt  time.Time         `json:"published_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
	Tags         []odTag           `json:"tags"`
	Sections     map[string]string `json:"sections"`
	Adoptions    []odAdoption      `json:"adoptions"`
	Attachments  []odFile          `json:"attachments"`
}

type odCountry struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type odTag struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Number    int    `json:"number"`
	Label     string `json:"label"`
	MeetingID int64  `json:"meeting_id"`
	Meeting   string `json:"meeting"`
}

type odAdoption struct {
	Country     string    `json:"country"`
	Stage       string    `json:"stage"`
	Since       *string   `json:"since"`
	Institution string    `json:"institution"`
	UpdatedAt   time.Time `json:"updated_at"`
}

type odFile struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
	URL  string `json:"url"`
}

// openData serves the public practices in format (json or csv).
func (s *Server) openData(format string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		for k := range q {
			if k != "lang" {
				return apperr.New(apperr.Invalid, "data.unknown_parameter")
			}
		}
		lang := q.Get("lang")
		if lang == "" {
			lang = i18n.Default
		} else if !i18n.Supported(lang) {
			return apperr.New(apperr.Invalid, "data.unknown_parameter")
		}
		ctx := r.Context()
		licence, err := s.accounts.OpenDataLicence(ctx)
		if err != nil {
			return err
		}
		// Any change to what is stored moves the sequence: a client that
		// has the file asks again for nothing.
		seq, err := s.versions.Seq(ctx)
		if err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(fmt.Sprint(seq, "\x00", licence.Name, "\x00", licence.URL, "\x00", lang, "\x00", format)))
		etag := `"` + hex.EncodeToString(sum[:12]) + `"`
		h := w.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("Access-Control-Allow-Origin", "*")
		if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		if format == "csv" {
			h.Set("Content-Type", "text/csv; charset=utf-8")
			h.Set("Content-Disposition", `inline; filename="practices.csv"`)
			return s.openDataCSV(w, r, lang, licence)
		}
		h.Set("Content-Type", "application/json; charset=utf-8")
		return s.openDataJSON(w, r, lang, licence)
	}
}

// eachOpenPractice calls fn with every public practice as the open data
// shows it.
func (s *Server) eachOpenPractice(r *http.Request, lang string, fn func(*odPractice) error) error {
	return s.practices.OpenData(r.Context(), func(batch []*practices.Practice) error {
		docs, err := s.practiceDocs(r.Context(), lang, batch)
		if err != nil {
			return err
		}
		for _, o := range docs {
			if err := fn(o); err != nil {
				return err
			}
		}
		return nil
	})
}

// adoptionsAndFiles reads, for practices ps, the adoption records nobody
// hid and the files, two queries whatever their number.
func (s *Server) adoptionsAndFiles(ctx context.Context, ps []*practices.Practice) (map[int64][]*adoptions.Adoption, map[int64][]*practices.Attachment, error) {
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	ads, err := s.adoptions.Shown(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	files, err := s.practices.FilesOf(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	return ads, files, nil
}

// practiceDocs are the practices ps (read under the visibility rule) as
// the open data and the API show them, in lang, with the adoption records
// nobody hid and their files: three queries, whatever the number of
// practices.
func (s *Server) practiceDocs(ctx context.Context, lang string, ps []*practices.Practice) ([]*odPractice, error) {
	tags, err := s.taxonomy.Tags(ctx, lang)
	if err != nil {
		return nil, err
	}
	ads, files, err := s.adoptionsAndFiles(ctx, ps)
	if err != nil {
		return nil, err
	}
	countries := s.countryNamesIn(lang)
	out := make([]*odPractice, len(ps))
	for i, p := range ps {
		out[i] = s.practiceDoc(p, countries, tags, ads[p.ID], files[p.ID])
	}
	return out, nil
}

// practiceDoc is practice p as the open data and the API show it, with
// country names and tags in the reader's language, its adoption records
// and files (see practiceDocs).
func (s *Server) practiceDoc(p *practices.Practice, countries map[string]string, tags map[int64]*taxonomy.TagRef,
	ads []*adoptions.Adoption, files []*practices.Attachment) *odPractice {
	o := &odPractice{ID: p.ID, Scope: string(p.Scope), URL: s.absURL(fmt.Sprintf("/practices/%d", p.ID)), Title: p.Title, Summary: p.Summary, Lang: p.Lang,
		PeriodStart: p.PeriodStart, Institutions: p.Institutions, Partners: p.Partners, ContactName: p.ContactName,
		ContactEmail: p.ContactEmail, PublishedAt: p.PublishedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
		Countries: []odCountry{}, Tags: []odTag{}, Sections: map[string]string{}, Adoptions: []odAdoption{}, Attachments: []odFile{}}
	if p.PeriodEnd != "" {
		end := p.PeriodEnd
		o.PeriodEnd = &end
	}
	for _, c := range p.Countries {
		o.Countries = append(o.Countries, odCountry{Code: c, Name: countries[c]})
	}
	for _, id := range p.Tags {
		if t := tags[id]; t != nil {
			o.Tags = append(o.Tags, odTag{ID: t.ID, Kind: t.Kind, Number: t.Number, Label: t.Label, MeetingID: t.MeetingID, Meeting: t.MeetingTitle})
		}
	}
	for _, sec := range p.Sections {
		if strings.TrimSpace(sec.HTML) != "" {
			o.Sections[sec.Key] = sec.HTML
		}
	}
	for _, a := range ads {
		oa := odAdoption{Country: a.Country, Stage: string(a.Stage), Institution: a.Institution, UpdatedAt: a.UpdatedAt.UTC()}
		if a.Started != "" {
			since := a.Started
			oa.Since = &since
		}
		o.Adoptions = append(o.Adoptions, oa)
	}
	for _, f := range files {
		if f.State != practices.FileLive && f.State != practices.FileRemoved {
			continue
		}
		o.Attachments = append(o.Attachments, odFile{Name: f.Name, Type: f.Type, Size: f.Size, URL: s.absURL(fmt.Sprintf("/attachments/%d", f.ID))})
	}
	return o
}

// countryNames are the countries' names in lang, by code.
func (s *Server) countryNamesIn(lang string) map[string]string {
	out := map[string]string{}
	for _, c := range s.taxonomy.Countries(lang) {
		out[c.Code] = c.Name(lang)
	}
	return out
}

func (s *Server) openDataJSON(w http.ResponseWriter, r *http.Request, lang string, licence accounts.Licence) error {
	head := struct {
		Licence   *odLicence `json:"licence"`
		Source    string     `json:"source"`
		Lang      string     `json:"lang"`
		Generated time.Time  `json:"generated"`
	}{Source: s.cfg.BaseURL.String(), Lang: lang, Generated: s.clock.Now().UTC()}
	if licence.Name != "" {
		head.Licence = &odLicence{Name: licence.Name, URL: licence.URL}
	}
	b, err := json.Marshal(head)
	if err != nil {
		return err
	}
	// The head's fields, then the practices one by one: the file is
	// written as it is read, whatever its size.
	io.WriteString(w, string(b[:len(b)-1])+`,"practices":[`)
	first := true
	err = s.eachOpenPractice(r, lang, func(o *odPractice) error {
		b, err := json.Marshal(o)
		if err != nil {
			return err
		}
		if !first {
			io.WriteString(w, ",")
		}
		first = false
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		// Headers are gone: the truncated body is all that can tell.
		s.log.Error("open data", "format", "json", "err", err)
		return nil
	}
	io.WriteString(w, "]}\n")
	return nil
}

// csvColumns are the open data's CSV columns; lists within a cell are
// separated by "; ".
var csvColumns = []string{"id", "url", "title", "summary", "lang", "countries", "period_start", "period_end", "institutions", "partners",
	"contact_name", "contact_email", "published_at", "updated_at", "tags", "adoptions", "attachments", "licence"}

func (s *Server) openDataCSV(w http.ResponseWriter, r *http.Request, lang string, licence accounts.Licence) error {
	cw := newCSVStream(w, ',')
	cw.Write(csvColumns)
	lic := strings.TrimSpace(licence.Name + " " + licence.URL)
	err := s.eachOpenPractice(r, lang, func(o *odPractice) error {
		var cs, ts, as, fs []string
		for _, c := range o.Countries {
			cs = append(cs, c.Code)
		}
		for _, t := range o.Tags {
			ts = append(ts, fmt.Sprintf("%s %d: %s", t.Kind, t.Number, t.Label))
		}
		for _, a := range o.Adoptions {
			as = append(as, a.Country+": "+a.Stage)
		}
		for _, f := range o.Attachments {
			fs = append(fs, f.URL)
		}
		end := ""
		if o.PeriodEnd != nil {
			end = *o.PeriodEnd
		}
		return cw.Write([]string{strconv.FormatInt(o.ID, 10), o.URL, (o.Title), (o.Summary), o.Lang, strings.Join(cs, "; "),
			o.PeriodStart, end, (o.Institutions), (o.Partners), (o.ContactName), o.ContactEmail,
			o.PublishedAt.Format(time.RFC3339), o.UpdatedAt.Format(time.RFC3339), (strings.Join(ts, "; ")), strings.Join(as, "; "),
			strings.Join(fs, "; "), (lic)})
	})
	if ferr := cw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		s.log.Error("open data", "format", "csv", "err", err)
	}
	return nil
}

// adminData is where an admin sets the open data's licence.
func (s *Server) adminData(w http.ResponseWriter, r *http.Request) error {
	l, err := s.accounts.OpenDataLicence(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_data", &View{Title: "data.title", Form: l})
	return nil
}

func (s *Server) adminDataPost(w http.ResponseWriter, r *http.Request) error {
	l := accounts.Licence{Name: r.PostFormValue("licence_name"), URL: r.PostFormValue("licence_url")}
	err := s.accounts.SetOpenDataLicence(r.Context(), currentAccount(r), l)
	if errs := apperr.FieldsOf(err, "licence_name"); errs != nil && apperr.Is(err, apperr.Unprocessable) {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_data", &View{Title: "data.title", Form: l, Errors: errs})
		return nil
	}
	if apperr.Is(err, apperr.Conflict) {
		s.flash(w, r, apperr.KeyOf(err))
		redirect(w, r, "/admin/data")
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(w, r, "data.licence_saved")
	redirect(w, r, "/admin/data")
	return nil
}
