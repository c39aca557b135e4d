package server

import (
	"fmt"
	"net/http"

	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/taxonomy"
)

type taxonomyData struct {
	Meetings []*taxonomy.Meeting
	Counts   map[int64]int
}

func (s *Server) taxonomyView(r *http.Request, f *taxonomy.MeetingForm, errs apperr.FieldErrors) (*View, error) {
	ms, err := s.taxonomy.Meetings(r.Context(), state(r).lang)
	if err != nil {
		return nil, err
	}
	counts, err := s.practices.CountByTag(r.Context(), s.viewer(r))
	if err != nil {
		return nil, err
	}
	if f == nil {
		f = &taxonomy.MeetingForm{Process: "joint", Kind: "plenary", Titles: taxonomy.Texts{}}
	}
	return &View{Title: "taxonomy.title", Data: taxonomyData{Meetings: ms, Counts: counts}, Form: f, Errors: errs}, nil
}

func (s *Server) taxonomyPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, nil, nil)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "taxonomy", v)
	return nil
}

func texts(r *http.Request, prefix string) taxonomy.Texts {
	t := taxonomy.Texts{}
	for _, l := range i18n.Langs {
		t[l] = r.PostFormValue(prefix + l)
	}
	return t
}

func (s *Server) meetingCreate(w http.ResponseWriter, r *http.Request) error {
	f := meetingForm(r)
	errs := f.Validate()
	var id int64
	if errs.OK() {
		var err error
		id, err = s.taxonomy.CreateMeeting(r.Context(), currentAccount(r).ID, s.clock.Now(), f)
		if apperr.Is(err, apperr.Conflict) {
			errs.Add("starts_on", apperr.KeyOf(err))
		} else if err != nil {
			return err
		}
	}
	if !errs.OK() {
		v, err := s.taxonomyView(r, &f, errs)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusUnprocessableEntity, "taxonomy", v)
		return nil
	}
	s.flash(w, r, "taxonomy.meeting_added")
	redirect(w, r, fmt.Sprintf("/admin/meetings/%d", id))
	return nil
}

type meetingEditData struct {
	ID      int64
	Meeting *taxonomy.Meeting
	TagForm *taxonomy.TagForm
	TagErrs apperr.FieldErrors
}

func (s *Server) meetingView(r *http.Request, id int64, mf *taxonomy.MeetingForm, errs apperr.FieldErrors, tf *taxonomy.TagForm, tagErrs apperr.FieldErrors) (*View, error) {
	m, err := s.taxonomy.Meeting(r.Context(), state(r).lang, id)
	if err != nil {
		return nil, err
	}
	if mf == nil {
		if mf, err = s.taxonomy.MeetingTexts(r.Context(), id); err != nil {
			return nil, err
		}
	}
	if tf == nil {
		tf = &taxonomy.TagForm{Kind: "objective", Labels: taxonomy.Texts{}, Bodies: taxonomy.Texts{}}
	}
	if tagErrs == nil {
		tagErrs = apperr.FieldErrors{}
	}
	return &View{Title: "taxonomy.meeting_title", Form: mf, Errors: errs,
		Data: meetingEditData{ID: id, Meeting: m, TagForm: tf, TagErrs: tagErrs}}, nil
}

func (s *Server) meetingEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	v, err := s.meetingView(r, id, nil, nil, nil, nil)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "meeting_edit", v)
	return nil
}

func (s *Server) meetingUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	f := meetingForm(r)
	if errs := f.Validate(); !errs.OK() {
		v, err := s.meetingView(r, id, &f, errs, nil, nil)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusUnprocessableEntity, "meeting_edit", v)
		return nil
	}
	if err := s.taxonomy.UpdateMeeting(r.Context(), currentAccount(r).ID, s.clock.Now(), id, f); err != nil {
		return err
	}
	s.flash(w, r, "account.saved")
	redirect(w, r, fmt.Sprintf("/admin/meetings/%d", id))
	return nil
}

func tagFormFrom(r *http.Request) taxonomy.TagForm {
	return taxonomy.TagForm{Kind: r.PostFormValue("kind"), Labels: texts(r, "label_"), Bodies: texts(r, "body_")}
}

func (s *Server) tagCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	f := tagFormFrom(r)
	if errs := f.Validate(true); !errs.OK() {
		v, err := s.meetingView(r, id, nil, nil, &f, errs)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusUnprocessableEntity, "meeting_edit", v)
		return nil
	}
	if _, err := s.taxonomy.AddTag(r.Context(), currentAccount(r).ID, s.clock.Now(), id, f); err != nil {
		return err
	}
	s.flash(w, r, "taxonomy.tag_added")
	redirect(w, r, fmt.Sprintf("/admin/meetings/%d", id))
	return nil
}

type tagEditData struct {
	ID        int64
	MeetingID int64
	Tag       *taxonomy.TagRef
}

func (s *Server) tagView(r *http.Request, id int64, f *taxonomy.TagForm, errs apperr.FieldErrors) (*View, error) {
	stored, meeting, err := s.taxonomy.TagTexts(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if f == nil {
		f = stored
	}
	f.Kind = stored.Kind
	rf, err := s.refs(r)
	if err != nil {
		return nil, err
	}
	return &View{Title: "taxonomy.tag_title", Form: f, Errors: errs, Data: tagEditData{ID: id, MeetingID: meeting, Tag: rf.Tag(id)}}, nil
}

func (s *Server) tagEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	v, err := s.tagView(r, id, nil, nil)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "tag_edit", v)
	return nil
}

func (s *Server) tagUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	f := tagFormFrom(r)
	if errs := f.Validate(false); !errs.OK() {
		v, err := s.tagView(r, id, &f, errs)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusUnprocessableEntity, "tag_edit", v)
		return nil
	}
	if err := s.taxonomy.UpdateTag(r.Context(), currentAccount(r).ID, s.clock.Now(), id, f); err != nil {
		return err
	}
	s.flash(w, r, "account.saved")
	redirect(w, r, fmt.Sprintf("/admin/tags/%d", id))
	return nil
}

func (s *Server) tagRetire(retire bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := urlID(r)
		if err != nil {
			return err
		}
		if err := s.taxonomy.SetRetired(r.Context(), currentAccount(r).ID, s.clock.Now(), id, retire); err != nil {
			return err
		}
		flash := "taxonomy.unretired"
		if retire {
			flash = "taxonomy.retired"
		}
		s.flash(w, r, flash)
		redirect(w, r, fmt.Sprintf("/admin/tags/%d", id))
		return nil
	}
}

// meetingForm reads a meeting's form.
func meetingForm(r *http.Request) taxonomy.MeetingForm {
	return taxonomy.MeetingForm{StartsOn: r.PostFormValue("starts_on"), EndsOn: r.PostFormValue("ends_on"),
		Process: r.PostFormValue("process"), Kind: r.PostFormValue("kind"), Place: r.PostFormValue("place"), Titles: texts(r, "title_")}
}
