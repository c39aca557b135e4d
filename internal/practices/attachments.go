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
	// State is "live", or, on a published practice, "added" or "removed"
	// while a moderator has not decided.
	State      string
	UploaderID int64
}

// The states of a file.
const (
	FileLive    = "live"
	FileAdded   = "added"
	FileRemoved = "removed"
)

// Waiting reports whether a moderator has yet to decide on the file.
func (a *Attachment) Waiting() bool { return a.State != FileLive }

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

const attachmentColumns = `id, practice_id, name, type, size, created_at, state, coalesce(uploader_id, 0)`

func scanAttachments(rows *sql.Rows, err error) ([]*Attachment, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Attachment
	for rows.Next() {
		a := &Attachment{}
		var created string
		if err := rows.Scan(&a.ID, &a.PracticeID, &a.Name, &a.Type, &a.Size, &created, &a.State, &a.UploaderID); err != nil {
			return nil, err
		}
		a.CreatedAt, _ = db.ParseTime(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachments lists practice id's files as readers see them: the live
// ones and those waiting to be removed. The caller has checked that the
// reader may see the practice.
func (s *Store) Attachments(ctx context.Context, id int64) ([]*Attachment, error) {
	return scanAttachments(s.DB.R.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM practice_attachments WHERE practice_id = ? AND state <> 'added' ORDER BY id`, id))
}

// AllAttachments lists every file of practice id, those waiting for a
// moderator included, for its author and staff.
func (s *Store) AllAttachments(ctx context.Context, id int64) ([]*Attachment, error) {
	return scanAttachments(s.DB.R.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM practice_attachments WHERE practice_id = ? ORDER BY id`, id))
}

// AttachmentsSize is the total size of practice id's files, waiting ones
// included.
func (s *Store) AttachmentsSize(ctx context.Context, id int64) (int64, error) {
	var n int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT coalesce(sum(size), 0) FROM practice_attachments WHERE practice_id = ?`, id).Scan(&n)
	return n, err
}

// ErrAttachmentsFrozen refuses a change of files on a practice sent for
// review: reviewers are deciding on what they see.
var ErrAttachmentsFrozen = apperr.New(apperr.Conflict, "attachment.frozen")

// FilesChangeable reports whether the files of a practice in status st
// may change: at once before review, through review once published.
func FilesChangeable(st Status) bool { return Unsubmitted(st) || st == Published }

// ChangeAttachments removes the files remove names and adds uploads to
// practice id, by its author, in one transaction with the search row
// (attachment names are searched). Before review the change is made; on
// a published practice it waits for a moderator: an added file is not
// shown yet, a removed one still is.
func (s *Store) ChangeAttachments(ctx context.Context, v Viewer, id int64, uploads []Upload, remove []int64) error {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return err
	}
	if !v.CanEdit(p) {
		return apperr.New(apperr.Forbidden, "practice.not_yours")
	}
	if !FilesChangeable(p.Status) {
		return ErrAttachmentsFrozen
	}
	review := p.Status == Published
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, a := range remove {
			var err error
			if review {
				// A file not yet approved simply goes; a live one waits.
				if _, err = tx.ExecContext(ctx, `DELETE FROM practice_attachments WHERE id = ? AND practice_id = ? AND state = 'added'`, a, id); err == nil {
					_, err = tx.ExecContext(ctx, `UPDATE practice_attachments SET state = 'removed' WHERE id = ? AND practice_id = ? AND state = 'live'`, a, id)
				}
			} else {
				_, err = tx.ExecContext(ctx, `DELETE FROM practice_attachments WHERE id = ? AND practice_id = ?`, a, id)
			}
			if err != nil {
				return err
			}
		}
		state := FileLive
		if review {
			state = FileAdded
		}
		for _, u := range uploads {
			if _, err := tx.ExecContext(ctx, `INSERT INTO practice_attachments (practice_id, name, type, size, data, uploader_id, created_at, state)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, u.Name, u.Type, len(u.Data), u.Data, v.AccountID, db.FormatTime(now), state); err != nil {
				return err
			}
		}
		if review && (len(uploads) > 0 || len(remove) > 0) {
			return tellStaff(ctx, tx, now, v.AccountID)
		}
		return s.Reindex(ctx, tx, id)
	})
}

// WaitingFile is a file a moderator has to decide on, with its practice.
type WaitingFile struct {
	*Attachment
	PracticeTitle string
}

// WaitingFiles lists the files added to or removed from published
// practices, oldest first.
func (s *Store) WaitingFiles(ctx context.Context) ([]WaitingFile, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT a.id, a.practice_id, a.name, a.type, a.size, a.created_at, a.state, coalesce(a.uploader_id, 0), p.title
		FROM practice_attachments a JOIN practices p ON p.id = a.practice_id WHERE a.state <> 'live' ORDER BY a.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WaitingFile
	for rows.Next() {
		w := WaitingFile{Attachment: &Attachment{}}
		var created string
		if err := rows.Scan(&w.ID, &w.PracticeID, &w.Name, &w.Type, &w.Size, &created, &w.State, &w.UploaderID, &w.PracticeTitle); err != nil {
			return nil, err
		}
		w.CreatedAt, _ = db.ParseTime(created)
		out = append(out, w)
	}
	return out, rows.Err()
}

// CountWaitingFiles counts them, for the queue's number.
func CountWaitingFiles(ctx context.Context, q db.Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM practice_attachments WHERE state <> 'live'`).Scan(&n)
	return n, err
}

// WaitingFileTx reads a file waiting for a decision, inside tx.
func WaitingFileTx(ctx context.Context, tx db.Querier, id int64) (*Attachment, error) {
	as, err := scanAttachments(tx.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM practice_attachments WHERE id = ? AND state <> 'live'`, id))
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, apperr.New(apperr.Conflict, "practice.already_handled")
	}
	return as[0], nil
}

// DecideFile carries out a moderator's decision on a waiting file inside
// tx: approved, an added file goes live and a removed one goes; refused,
// the other way round. The search row follows.
func (s *Store) DecideFile(ctx context.Context, tx db.Querier, a *Attachment, approve bool) error {
	var err error
	switch {
	case approve == (a.State == FileAdded):
		_, err = tx.ExecContext(ctx, `UPDATE practice_attachments SET state = 'live' WHERE id = ?`, a.ID)
	default:
		_, err = tx.ExecContext(ctx, `DELETE FROM practice_attachments WHERE id = ?`, a.ID)
	}
	if err != nil {
		return err
	}
	return s.Reindex(ctx, tx, a.PracticeID)
}

// Attachment returns one file and its content for reader v: a file of a
// practice v may not see does not exist (404).
func (s *Store) Attachment(ctx context.Context, v Viewer, id int64) (*Attachment, []byte, error) {
	a := &Attachment{}
	var created string
	var data []byte
	err := s.DB.R.QueryRowContext(ctx, `SELECT `+attachmentColumns+`, data FROM practice_attachments WHERE id = ?`, id).
		Scan(&a.ID, &a.PracticeID, &a.Name, &a.Type, &a.Size, &created, &a.State, &a.UploaderID, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Get(ctx, v, a.PracticeID)
	if err != nil {
		return nil, nil, err
	}
	// A file waiting to be added is its author's and the moderators'.
	if a.State == FileAdded && !v.CanEdit(p) && !v.Staff() {
		return nil, nil, ErrNotFound
	}
	a.CreatedAt, _ = db.ParseTime(created)
	return a, data, nil
}

// attachmentNames are practice id's file names, for its search row.
func attachmentNames(ctx context.Context, q db.Querier, id int64) ([]string, error) {
	return db.Column[string](ctx, q, `SELECT name FROM practice_attachments WHERE practice_id = ? AND state <> 'added' ORDER BY id`, id)
}
