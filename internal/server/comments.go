package server

import (
	"fmt"
	"net/http"
	"strconv"

	"puente/internal/apperr"
	"puente/internal/comments"
	"puente/internal/sanitize"
)

func (s *Server) commentCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	body := r.PostFormValue("body")
	// No parent_id, or 0, is a top-level comment; one that is not an id is
	// a broken request, not a top-level comment.
	var parent int64
	if p := r.PostFormValue("parent_id"); p != "" {
		if parent, err = strconv.ParseInt(p, 10, 64); err != nil || parent < 0 {
			return apperr.New(apperr.Invalid, "error.bad_request")
		}
	}
	// A refused comment brings the practice page back with the text as
	// typed and the problem beside the comment box.
	refuse := func(status int, key string) error {
		return s.showPractice(w, r, status, func(pv *practiceView) {
			pv.CommentBody, pv.CommentParent, pv.CommentError = sanitize.Rich(body), parent, key
		})
	}
	if !currentAccount(r).Comments() {
		return apperr.New(apperr.Forbidden, "observer.no_comments")
	}
	if !s.postAllowed(w, r) {
		return refuse(http.StatusTooManyRequests, errPostingTooFast)
	}
	cid, err := s.comments.Add(r.Context(), s.viewer(r), id, parent, body)
	if apperr.Is(err, apperr.Unprocessable) || apperr.Is(err, apperr.Conflict) {
		return refuse(statusOf(apperr.CodeOf(err)), apperr.KeyOf(err))
	}
	if err != nil {
		return err
	}
	s.flash(w, r, "comment.posted")
	if parent != 0 {
		// A reply may join a thread that has moved to an earlier page.
		redirect(w, r, fmt.Sprintf("/comments/%d", cid))
		return nil
	}
	redirect(w, r, fmt.Sprintf("/practices/%d#comment-%d", id, cid))
	return nil
}

// commentPermalink sends the reader to the page that shows the comment:
// links to a comment (from the moderation queue, the log, a flag) stay
// right however far back its thread has been paged.
func (s *Server) commentPermalink(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	c, err := s.comments.Get(r.Context(), s.viewer(r), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, comments.PageURL(c), http.StatusFound)
	return nil
}

type commentEditData struct {
	Comment *comments.Comment
	Body    string
}

func (s *Server) commentEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	v := s.viewer(r)
	c, err := s.comments.Get(r.Context(), v, id)
	if err != nil {
		return err
	}
	if c.AuthorID != v.AccountID {
		return apperr.New(apperr.Forbidden, "comment.not_yours")
	}
	if c.Deleted() {
		return apperr.New(apperr.Conflict, "comment.deleted")
	}
	// Saving is refused while moderators hide it: no form that cannot be
	// sent.
	if c.Hidden() {
		return apperr.New(apperr.Conflict, "comment.hidden_no_edit")
	}
	s.render(w, r, http.StatusOK, "comment_edit", &View{Title: "comment.edit_title", Data: commentEditData{Comment: c, Body: c.HTML}, Editor: true})
	return nil
}

func (s *Server) commentUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	v := s.viewer(r)
	body := r.PostFormValue("body")
	c, err := s.comments.Edit(r.Context(), v, id, body)
	if apperr.Is(err, apperr.Unprocessable) {
		old, gerr := s.comments.Get(r.Context(), v, id)
		if gerr != nil {
			return gerr
		}
		s.render(w, r, http.StatusUnprocessableEntity, "comment_edit", &View{Title: "comment.edit_title", Editor: true,
			Data: commentEditData{Comment: old, Body: sanitize.Rich(body)}, Errors: apperr.FieldErrors{"body": apperr.KeyOf(err)}})
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(w, r, "comment.saved")
	redirect(w, r, comments.PageURL(c))
	return nil
}

func (s *Server) commentDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	v := s.viewer(r)
	// Without the confirmation, the answer is the question: a deleted
	// comment cannot be brought back.
	if r.PostFormValue("confirm") != "1" {
		c, err := s.comments.Get(r.Context(), v, id)
		if err != nil {
			return err
		}
		if c.AuthorID != v.AccountID {
			return apperr.New(apperr.Forbidden, "comment.not_yours")
		}
		if c.Deleted() {
			return apperr.New(apperr.Conflict, "comment.deleted")
		}
		s.render(w, r, http.StatusOK, "comment_delete", &View{Title: "comment.delete_title", Data: commentEditData{Comment: c, Body: c.HTML}})
		return nil
	}
	c, err := s.comments.Delete(r.Context(), v, id)
	if err != nil {
		return err
	}
	s.flash(w, r, "comment.deleted_done")
	redirect(w, r, fmt.Sprintf("/practices/%d#comments", c.PracticeID))
	return nil
}
