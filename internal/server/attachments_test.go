package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"puente/internal/dbtest"
	"puente/internal/servertest"
)

type upload struct {
	name string
	data []byte
}

// postFiles posts the practice form as a browser does when it carries
// files: multipart, with each file's name exactly as given.
func postFiles(c *servertest.Client, path string, form url.Values, files ...upload) *servertest.Response {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		// A quoted string as RFC 2045 has it (not Go's %q, which would
		// write non-ASCII letters as escapes): UTF-8 as is.
		quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(f.name)
		h.Set("Content-Disposition", `form-data; name="attachments"; filename="`+quoted+`"`)
		h.Set("Content-Type", "application/octet-stream")
		p, _ := w.CreatePart(h)
		p.Write(f.data)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.Base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", c.Base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

func pdf() []byte { return []byte("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n") }

// docx is the smallest ZIP a word processor would call a Word file.
func docx(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		f, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("<x/>"))
	}
	z.Close()
	return b.Bytes()
}

// pngWithSecret is a picture with a text chunk after its pixels, the way
// cameras and phones leave a location or a name in a file.
func pngWithSecret(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	iend := bytes.LastIndex(data, []byte("IEND")) - 4
	text := []byte("GPS\x008.9,-77.7")
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(text)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, text...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(append([]byte("tEXt"), text...)))
	return append(append(append([]byte{}, data[:iend]...), chunk...), data[iend:]...)
}

// A practice carries files: sent with the form, checked by their
// content, listed on the page, handed out as downloads to whoever may see
// the practice and to nobody else, found by their names.
func TestAttachments(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	f := practiceForm("Registro biométrico", []string{"PA"}, "crm")
	res := postFiles(pa, "/practices", f, upload{"Protocolo SNM.pdf", pdf()}, upload{"convenio", docx(t)}, upload{"foto.png", pngWithSecret(t)})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create with files: %d\n%s", res.Status, res.Body)
	}
	path := res.Header.Get("Location")
	names := dbtest.Value[string](t, e.DB.R, `SELECT group_concat(name || ':' || type, '|') FROM (SELECT name, type FROM practice_attachments ORDER BY id)`)
	if names != "Protocolo SNM.pdf:application/pdf|convenio.docx:application/vnd.openxmlformats-officedocument.wordprocessingml.document|foto.png:image/png" {
		t.Fatalf("stored %s", names)
	}
	if stored := dbtest.Value[[]byte](t, e.DB.R, `SELECT data FROM practice_attachments WHERE type = 'image/png'`); bytes.Contains(stored, []byte("GPS")) {
		t.Fatal("the picture kept its hidden text")
	}
	page := pa.Get(path).Body
	for _, want := range []string{"Attachments", "Protocolo SNM.pdf", "PDF", "convenio.docx", "Word", "foto.png", "KB"} {
		if !strings.Contains(page, want) {
			t.Errorf("the practice page lacks %q", want)
		}
	}
	aid := dbtest.Int(t, e.DB.R, `SELECT min(id) FROM practice_attachments`)
	file := fmt.Sprintf("/attachments/%d", aid)
	got := pa.Get(file)
	if got.Status != http.StatusOK || got.Body != string(pdf()) || got.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(got.Header.Get("Content-Disposition"), "attachment;") || got.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %d %v", got.Status, got.Header)
	}
	// A draft's files are its author's only; once published, the scope's.
	if res := e.SignIn("mx@gob.mx").Get(file); res.Status != http.StatusNotFound {
		t.Fatalf("another official downloads a draft's file: %d", res.Status)
	}
	f.Set("action", "submit")
	pa.PostForm(path, f)
	e.SignIn("mod@puente.test").PostForm(path+"/publish", nil)
	for who, want := range map[string]int{"mx@gob.mx": 200, "br@gov.br": 404} {
		if res := e.SignIn(who).Get(file); res.Status != want {
			t.Errorf("%s downloads a CRM practice's file: %d, want %d", who, res.Status, want)
		}
	}
	if res := e.Client().Get(file); res.Status != http.StatusNotFound {
		t.Errorf("a visitor downloads a CRM practice's file: %d", res.Status)
	}
	if b := e.SignIn("mx@gob.mx").Get("/search?q=convenio").Body; !strings.Contains(b, "Registro biométrico") {
		t.Error("search does not find a practice by its file's name")
	}
	// Published: its files no longer change.
	edit := pa.Get(path + "/edit").Body
	if strings.Contains(edit, `name="attachments"`) || !strings.Contains(edit, "do not change") {
		t.Error("the edit form of a published practice offers to change its files")
	}
	if res := postFiles(pa, path, f, upload{"otro.pdf", pdf()}); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("a file sent to a published practice: %d", res.Status)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practice_attachments`); n != 3 {
		t.Fatalf("%d files after refusals, want 3", n)
	}
	// A name that hides its direction cannot pass for another.
	draft := postFiles(pa, "/practices", practiceForm("Otra", []string{"PA"}, "crm"), upload{"Informe \u202etxt.exe", pdf()})
	if draft.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d", draft.Status)
	}
	if name := dbtest.Value[string](t, e.DB.R, `SELECT name FROM practice_attachments ORDER BY id DESC LIMIT 1`); name != "Informe txt.exe.pdf" {
		t.Errorf("stored name %q", name)
	}
}

// Each bad file is refused with its name and why, nothing is stored, and
// the rest of the form comes back as typed.
func TestAttachmentRefusals(t *testing.T) {
	t.Parallel()
	e := servertest.New(t, servertest.WithArgs("--attachment-max-mb", "1", "--attachments-max-mb", "2"))
	e.CreateAccount("pa@gob.pa", "official", "PA")
	pa := e.SignIn("pa@gob.pa")
	big := append(pdf(), bytes.Repeat([]byte("x"), 1<<20)...)
	for _, tc := range []struct {
		name  string
		files []upload
		msg   string
	}{
		{"too large", []upload{{"grande.pdf", big}}, "larger than 1 MB"},
		{"content not of its name", []upload{{"informe.pdf", []byte("MZ\x90\x00 this is a program")}}, "not of an accepted kind"},
		{"zip that is not Office", []upload{{"datos.docx", func() []byte {
			var b bytes.Buffer
			z := zip.NewWriter(&b)
			w, _ := z.Create("payload.exe")
			w.Write([]byte("MZ"))
			z.Close()
			return b.Bytes()
		}()}}, "not of an accepted kind"},
		{"empty", []upload{{"vacio.pdf", nil}}, "the file is empty"},
		{"path in the name", []upload{{"../../etc/informe.pdf", pdf()}}, "may not hold slashes"},
		{"backslash in the name", []upload{{`C:\Users\ana\informe.pdf`, pdf()}}, "may not hold slashes"},
		{"control character in the name", []upload{{"infor\tme.pdf", pdf()}}, "may not hold slashes or control characters"},
		{"all together too large", []upload{{"a.pdf", append(pdf(), bytes.Repeat([]byte("a"), 900<<10)...)}, {"b.pdf", append(pdf(), bytes.Repeat([]byte("b"), 900<<10)...)},
			{"c.pdf", append(pdf(), bytes.Repeat([]byte("c"), 900<<10)...)}}, "would exceed 2 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := practiceForm("Mi práctica con archivos", []string{"PA"}, "members")
			res := postFiles(pa, "/practices", f, tc.files...)
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.msg) || !strings.Contains(res.Body, `id="attachments-error"`) ||
				!strings.Contains(res.Body, `value="Mi práctica con archivos"`) || !strings.Contains(res.Body, `href="#attachments"`) {
				t.Fatalf("%d, want 422 with %q and the form kept\n%s", res.Status, tc.msg, res.Body)
			}
		})
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT (SELECT count(*) FROM practices) + (SELECT count(*) FROM practice_attachments)`); n != 0 {
		t.Fatalf("%d rows stored from refused forms", n)
	}
}
