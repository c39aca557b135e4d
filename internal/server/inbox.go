package server

import (
	"fmt"
	"net/http"
	"strconv"

	"puente/internal/notify"
)

type inboxData struct {
	Entries []notify.Entry
	NextURL string
}

const inboxPageSize = 30

// inboxPage lists the person's notifications, newest first.
func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) error {
	me := currentAccount(r)
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, more, err := s.inbox.List(r.Context(), me.ID, before, inboxPageSize)
	if err != nil {
		return err
	}
	d := inboxData{}
	if d.Entries, err = s.notices.Entries(r.Context(), me, list); err != nil {
		return err
	}
	if more {
		d.NextURL = fmt.Sprintf("/notifications?before=%d", list[len(list)-1].ID)
	}
	s.render(w, r, http.StatusOK, "notifications", &View{Title: "notifications.title", Data: d})
	return nil
}

// inboxRead marks one of the person's notifications read.
func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	if err := s.inbox.MarkRead(r.Context(), currentAccount(r).ID, id, s.clock.Now()); err != nil {
		return err
	}
	redirect(w, r, localOr(r, "/notifications"))
	return nil
}

// inboxReadAll marks all of the person's notifications read.
func (s *Server) inboxReadAll(w http.ResponseWriter, r *http.Request) error {
	if err := s.inbox.MarkRead(r.Context(), currentAccount(r).ID, 0, s.clock.Now()); err != nil {
		return err
	}
	s.flash(w, r, "notifications.all_read")
	redirect(w, r, "/notifications")
	return nil
}
