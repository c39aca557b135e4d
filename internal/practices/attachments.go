package practices

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/sanitize"
)

// Attachment is a file a practice carries: a protocol, an agreement, an
// evaluation, a photograph. The file itself lives in the database, so that
// a backup or a replica carries it with everything else.
type Attachment struct {
	ID         int64
	PracticeID int64
	Name       string
	Type       string // its media type, decided from its content
	Size       int64
	CreatedAt  time.Time
}

// Label names the attachment's kind for a reader ("PDF", "Word").
func (a *Attachment) Label() string { return fileTypes[a.Type].label }

// IsImage reports whether the attachment is a picture.
func (a *Attachment) IsImage() bool { return strings.HasPrefix(a.Type, "image/") }

// The kinds of file a practice may carry, by media type.
var fileTypes = map[string]struct{ label, ext string }{
	"application/pdf": {"PDF", ".pdf"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   {"Word", ".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {"Excel", ".xlsx"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {"PowerPoint", ".pptx"},
	"application/vnd.oasis.opendocument.text":                                   {"OpenDocument", ".odt"},
	"application/vnd.oasis.opendocument.spreadsheet":                            {"OpenDocument", ".ods"},
	"image/png":  {"PNG", ".png"},
	"image/jpeg": {"JPEG", ".jpg"},
}

// MaxImagePixels bounds a picture's size once decoded: a small file can
// claim an enormous image.
const MaxImagePixels = 40_000_000

// MaxAttachmentName bounds a file's name, in characters.
const MaxAttachmentName = 200

// Upload is one file as sent, checked and ready to store.
type Upload struct {
	Name string
	Type string
	Data []byte
}

// Sniff decides a file's media type from its content: the first bytes of
// a PDF, PNG or JPEG; inside a ZIP, the parts that make a Word, Excel or
// PowerPoint file, or an OpenDocument's declared type. "" is no kind a
// practice may carry.
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return sniffZip(data)
	}
	return ""
}

func sniffZip(data []byte) string {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	names := map[string]bool{}
	dirs := map[string]bool{}
	for _, f := range z.File {
		names[f.Name] = true
		if i := strings.IndexByte(f.Name, '/'); i > 0 {
			dirs[f.Name[:i]] = true
		}
	}
	if names["[Content_Types].xml"] {
		switch {
		case dirs["word"]:
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case dirs["xl"]:
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		case dirs["ppt"]:
			return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
		}
		return ""
	}
	// OpenDocument: a first, stored entry named mimetype holds the type.
	if len(z.File) > 0 && z.File[0].Name == "mimetype" && z.File[0].UncompressedSize64 < 100 {
		rc, err := z.File[0].Open()
		if err != nil {
			return ""
		}
		defer rc.Close()
		b, _ := io.ReadAll(io.LimitReader(rc, 100))
		if t := string(b); t == "application/vnd.oasis.opendocument.text" || t == "application/vnd.oasis.opendocument.spreadsheet" {
			return t
		}
	}
	return ""
}

// CheckUpload checks one file as sent and returns it ready to store, or
// the catalogue key of its problem: an empty file, one over max bytes, a
// name with path separators or control characters, content of no kind a
// practice may carry. A picture is decoded and encoded again, so that
// its metadata (a camera's location) and anything hidden after it go.
func CheckUpload(name string, data []byte, max int64) (Upload, string) {
	// Hidden direction and zero-width characters go first: "Informe
	// <RLO>txt.exe" must not read as an innocent name.
	name = sanitize.Plain(name)
	switch {
	case name == "" || utf8.RuneCountInString(name) > MaxAttachmentName || !utf8.ValidString(name) ||
		strings.ContainsAny(name, `/\`) || strings.ContainsFunc(name, unicode.IsControl) || name == "." || name == "..":
		return Upload{}, "attachment.bad_name"
	case len(data) == 0:
		return Upload{}, "attachment.empty"
	case int64(len(data)) > max:
		return Upload{}, "attachment.too_large"
	}
	typ := Sniff(data)
	if typ == "" {
		return Upload{}, "attachment.bad_type"
	}
	if strings.HasPrefix(typ, "image/") {
		clean, key := reencode(data, typ)
		if key != "" {
			return Upload{}, key
		}
		data = clean
	}
	// The name says what the file is.
	ext := strings.ToLower(path.Ext(name))
	if want := fileTypes[typ].ext; ext != want && !(want == ".jpg" && ext == ".jpeg") {
		name += want
	}
	return Upload{Name: name, Type: typ, Data: data}, ""
}

func reencode(data []byte, typ string) ([]byte, string) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "attachment.bad_type"
	}
	if cfg.Width*cfg.Height > MaxImagePixels {
		return nil, "attachment.image_too_big"
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, "attachment.bad_type"
	}
	var out bytes.Buffer
	if typ == "image/png" {
		err = png.Encode(&out, img)
	} else {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		return nil, "attachment.bad_type"
	}
	return out.Bytes(), ""
}

const attachmentColumns = `id, practice_id, name, type, size, created_at`

func scanAttachments(rows *sql.Rows, err error) ([]*Attachment, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Attachment
	for rows.Next() {
		a := &Attachment{}
		var created string
		if err := rows.Scan(&a.ID, &a.PracticeID, &a.Name, &a.Type, &a.Size, &created); err != nil {
			return nil, err
		}
		a.CreatedAt, _ = db.ParseTime(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachments lists practice id's files in the order they were added.
// The caller has checked that the reader may see the practice.
func (s *Store) Attachments(ctx context.Context, id int64) ([]*Attachment, error) {
	return scanAttachments(s.DB.R.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM practice_attachments WHERE practice_id = ? ORDER BY id`, id))
}

// AttachmentsSize is the total size of practice id's files.
func (s *Store) AttachmentsSize(ctx context.Context, id int64) (int64, error) {
	var n int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT coalesce(sum(size), 0) FROM practice_attachments WHERE practice_id = ?`, id).Scan(&n)
	return n, err
}

// ErrAttachmentsFrozen refuses a change of files on a practice sent for
// review or published: reviewers approved what they saw.
var ErrAttachmentsFrozen = apperr.New(apperr.Conflict, "attachment.frozen")

// ChangeAttachments removes the files remove names and adds uploads to
// practice id, written by its author before it goes for review, in one
// transaction with the search row (attachment names are searched).
func (s *Store) ChangeAttachments(ctx context.Context, v Viewer, id int64, uploads []Upload, remove []int64) error {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return err
	}
	if !v.CanEdit(p) {
		return apperr.New(apperr.Forbidden, "practice.not_yours")
	}
	if !Unsubmitted(p.Status) {
		return ErrAttachmentsFrozen
	}
	now := db.FormatTime(s.Clock.Now())
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, a := range remove {
			if _, err := tx.ExecContext(ctx, `DELETE FROM practice_attachments WHERE id = ? AND practice_id = ?`, a, id); err != nil {
				return err
			}
		}
		for _, u := range uploads {
			if _, err := tx.ExecContext(ctx, `INSERT INTO practice_attachments (practice_id, name, type, size, data, uploader_id, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, id, u.Name, u.Type, len(u.Data), u.Data, v.AccountID, now); err != nil {
				return err
			}
		}
		return s.Reindex(ctx, tx, id)
	})
}

// Attachment returns one file and its content for reader v: a file of a
// practice v may not see does not exist (404).
func (s *Store) Attachment(ctx context.Context, v Viewer, id int64) (*Attachment, []byte, error) {
	a := &Attachment{}
	var created string
	var data []byte
	err := s.DB.R.QueryRowContext(ctx, `SELECT `+attachmentColumns+`, data FROM practice_attachments WHERE id = ?`, id).
		Scan(&a.ID, &a.PracticeID, &a.Name, &a.Type, &a.Size, &created, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.Get(ctx, v, a.PracticeID); err != nil {
		return nil, nil, err
	}
	a.CreatedAt, _ = db.ParseTime(created)
	return a, data, nil
}

// attachmentNames are practice id's file names, for its search row.
func attachmentNames(ctx context.Context, q db.Querier, id int64) ([]string, error) {
	return db.Column[string](ctx, q, `SELECT name FROM practice_attachments WHERE practice_id = ? ORDER BY id`, id)
}
