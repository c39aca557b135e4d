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
	// Published: a file added or removed waits for a moderator; readers
	// get what was approved meanwhile.
	edit := pa.Get(path + "/edit").Body
	if !strings.Contains(edit, `name="attachments"`) || !strings.Contains(edit, "wait for moderators") {
		t.Error("the edit form of a published practice does not offer files through review")
	}
	if res := postFiles(pa, path, f, upload{"Evaluación 2024.pdf", pdf()}); res.Status != http.StatusSeeOther {
		t.Fatalf("a file sent to a published practice: %d", res.Status)
	}
	added := dbtest.Int(t, e.DB.R, `SELECT id FROM practice_attachments WHERE name = 'Evaluación 2024.pdf' AND state = 'added'`)
	mx := e.SignIn("mx@gob.mx")
	if b := mx.Get(path).Body; strings.Contains(b, "Evaluación 2024.pdf") {
		t.Error("a file waiting for review is listed to readers")
	}
	if res := mx.Get(fmt.Sprintf("/attachments/%d", added)); res.Status != http.StatusNotFound {
		t.Errorf("a reader downloads a file waiting for review: %d", res.Status)
	}
	if res := pa.Get(fmt.Sprintf("/attachments/%d", added)); res.Status != http.StatusOK {
		t.Errorf("its author downloads a file waiting for review: %d", res.Status)
	}
	if b := pa.Get(path).Body; !strings.Contains(b, "Evaluación 2024.pdf") || !strings.Contains(b, "To be added, waiting for review") {
		t.Error("the author's practice page does not show the file waiting for review")
	}
	mod := e.SignIn("mod@puente.test")
	if q := mod.Get("/moderation").Body; !strings.Contains(q, "Evaluación 2024.pdf") || !strings.Contains(q, fmt.Sprintf(`action="/moderation/files/%d"`, added)) {
		t.Fatal("the file is not in the moderators' queue")
	}
	if res := pa.PostForm(fmt.Sprintf("/moderation/files/%d", added), url.Values{"decision": {"approve"}}); res.Status != http.StatusForbidden {
		t.Errorf("the author decides on their file: %d", res.Status)
	}
	if res := mod.PostForm(fmt.Sprintf("/moderation/files/%d", added), url.Values{"decision": {"approve"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("approve a file: %d", res.Status)
	}
	if res := mx.Get(fmt.Sprintf("/attachments/%d", added)); res.Status != http.StatusOK || !strings.Contains(mx.Get(path).Body, "Evaluación 2024.pdf") {
		t.Errorf("an approved file is not the readers': %d", res.Status)
	}
	// Asking to remove one: still there until decided; refused, it stays.
	if res := postFiles(pa, path, url.Values{"remove_attachment": {fmt.Sprint(aid)}, "title": f["title"], "summary": f["summary"], "lang": f["lang"],
		"scope": f["scope"], "context": f["context"], "actions": f["actions"], "tags": f["tags"], "period_start": f["period_start"], "ongoing": f["ongoing"],
		"institutions": f["institutions"], "contact_name": f["contact_name"], "contact_email": f["contact_email"], "countries": f["countries"], "action": {"save"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("ask to remove a file: %d", res.Status)
	}
	if st := dbtest.Value[string](t, e.DB.R, `SELECT state FROM practice_attachments WHERE id = ?`, aid); st != "removed" {
		t.Fatalf("a file asked to be removed is %q", st)
	}
	if res := mx.Get(file); res.Status != http.StatusOK {
		t.Errorf("a file waiting to be removed is gone before the decision: %d", res.Status)
	}
	// Refusing needs a note: without one nothing is decided.
	mod.PostForm(fmt.Sprintf("/moderation/files/%d", aid), url.Values{"decision": {"send_back"}})
	if st := dbtest.Value[string](t, e.DB.R, `SELECT state FROM practice_attachments WHERE id = ?`, aid); st != "removed" {
		t.Fatalf("a refusal without a note was carried out: %q", st)
	}
	if res := mod.PostForm(fmt.Sprintf("/moderation/files/%d", aid), url.Values{"decision": {"send_back"}, "note": {"El protocolo sigue vigente."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("refuse a removal: %d", res.Status)
	}
	if st := dbtest.Value[string](t, e.DB.R, `SELECT state FROM practice_attachments WHERE id = ?`, aid); st != "live" {
		t.Fatalf("a refused removal left the file %q", st)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action IN ('practice.approve_file', 'practice.return_file')`); n != 2 {
		t.Errorf("%d file decisions logged, want 2", n)
	}
	// Under review, nothing changes.
	sub := postFiles(pa, "/practices", practiceForm("En revisión", []string{"PA"}, "crm"))
	spath := sub.Header.Get("Location")
	sf := practiceForm("En revisión", []string{"PA"}, "crm")
	sf.Set("action", "submit")
	pa.PostForm(spath, sf)
	if res := postFiles(pa, spath, sf, upload{"tarde.pdf", pdf()}); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("a file sent to a practice under review: %d", res.Status)
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
