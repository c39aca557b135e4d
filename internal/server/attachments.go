package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"puente/internal/apperr"
	"puente/internal/practices"
)

// fileProblem is one refused file, named, beside the file field.
type fileProblem struct {
	Name string
	Key  string
}

// parsePracticeForm reads the practice form, as a plain form or, when it
// carries files, as a multipart one; its text must be UTF-8 either way.
func (s *Server) parsePracticeForm(r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			return s.formError(err)
		}
		return nil
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return apperr.New(apperr.TooLarge, "attachment.request_too_large")
		}
		return s.formError(err)
	}
	if !validUTF8(r.MultipartForm.Value) {
		return apperr.New(apperr.Invalid, "error.bad_encoding")
	}
	return nil
}

// uploadsOf checks the files the practice form carries and the ones it
// asks to remove from practice p (nil for a new one): what to store, what
// to remove, and each file refused with why. Nothing is stored here.
func (s *Server) uploadsOf(r *http.Request, p *practices.Practice) ([]practices.Upload, []int64, []fileProblem, error) {
	var remove []int64
	for _, v := range r.PostForm["remove_attachment"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			remove = append(remove, id)
		}
	}
	frozen := p != nil && !practices.FilesChangeable(p.Status)
	if frozen && len(remove) > 0 {
		return nil, nil, []fileProblem{{"", "attachment.frozen"}}, nil
	}
	if r.MultipartForm == nil {
		return nil, remove, nil, nil
	}
	var (
		ups      []practices.Upload
		problems []fileProblem
		total    int64
	)
	if p != nil {
		have, err := s.practices.AllAttachments(r.Context(), p.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, a := range have {
			if !slices.Contains(remove, a.ID) {
				total += a.Size
			}
		}
	}
	max := s.cfg.AttachmentMax
	for _, fh := range r.MultipartForm.File["attachments"] {
		// The name as the browser sent it: Go's own reading drops any
		// folder in it, and such a name is refused, not quietly cut.
		name := fh.Filename
		if _, params, err := mime.ParseMediaType(fh.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
			name = params["filename"]
		}
		if name == "" && fh.Size == 0 {
			continue // the field left empty
		}
		if frozen {
			problems = append(problems, fileProblem{name, "attachment.frozen"})
			continue
		}
		if fh.Size > max {
			problems = append(problems, fileProblem{name, "attachment.too_large"})
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, nil, nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, max+1))
		f.Close()
		if err != nil {
			return nil, nil, nil, err
		}
		u, key := practices.CheckUpload(name, data, max)
		if key != "" {
			problems = append(problems, fileProblem{name, key})
			continue
		}
		if total+int64(len(u.Data)) > s.cfg.AttachmentsMax {
			problems = append(problems, fileProblem{name, "attachment.total_too_large"})
			continue
		}
		total += int64(len(u.Data))
		ups = append(ups, u)
	}
	return ups, remove, problems, nil
}

// attachmentGet hands one file to someone who may see its practice, as a
// download of its own type: never shown in the page, never sniffed.
func (s *Server) attachmentGet(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	a, data, err := s.practices.Attachment(r.Context(), s.viewer(r), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", a.Type)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	// What a reader may see can change: a file is never kept by a proxy.
	h.Set("Vary", "Cookie")
	if r.Method != http.MethodHead {
		w.Write(data)
	}
	return nil
}

// fileSize writes a size for people: "820 KB", "1.4 MB" (with the
// language's decimal mark).
func fileSize(lang string, n int64) string {
	var s string
	switch {
	case n < 1<<20:
		s = strconv.FormatInt((n+1023)/1024, 10) + " KB"
	default:
		s = strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// fileDecision is a moderator's decision on a file added to or removed
// from a published practice.
func (s *Server) fileDecision(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	d := r.PostFormValue("decision")
	if d != "approve" && d != "send_back" {
		return errBadRequest
	}
	err = s.moderation.DecideFile(r.Context(), currentAccount(r), id, d == "approve", r.PostFormValue("note"))
	if errs := apperr.FieldsOf(err, "note"); errs != nil {
		s.flash(w, r, errs["note"])
		redirect(w, r, "/moderation#files")
		return nil
	}
	if apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.Forbidden) {
		if apperr.Is(err, apperr.Forbidden) {
			return err
		}
		s.flash(w, r, apperr.KeyOf(err))
		redirect(w, r, "/moderation#files")
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(w, r, "change.done."+d)
	redirect(w, r, "/moderation#files")
	return nil
}
