package server

import (
	"fmt"
	"net/http"
	"strconv"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/notifications"
)

// inboxEntry is one notification as its reader sees it: what happened,
// to what, and where to go. An item the reader may no longer see is named
// by neither title nor link.
type inboxEntry struct {
	*notifications.Notification
	Actor string
	Title string
	Link  string
}

type inboxData struct {
	Entries []inboxEntry
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
	var actors []int64
	for _, n := range list {
		actors = append(actors, n.ActorID)
	}
	names, err := s.accounts.DisplayNames(r.Context(), actors)
	if err != nil {
		return err
	}
	v := s.viewer(r)
	d := inboxData{}
	for _, n := range list {
		e := inboxEntry{Notification: n, Actor: names[n.ActorID]}
		if n.PracticeID != 0 {
			p, err := s.practices.Get(r.Context(), v, n.PracticeID)
			switch {
			case err == nil:
				e.Title, e.Link = p.Title, fmt.Sprintf("/practices/%d", p.ID)
				if n.CommentID != 0 {
					e.Link = fmt.Sprintf("/comments/%d", n.CommentID)
				}
			case !apperr.Is(err, apperr.NotFound):
				return err
			}
		}
		switch {
		case n.Kind == notifications.InviteAccepted && me.Role == accounts.Admin:
			e.Link = fmt.Sprintf("/admin/accounts/%d", n.ActorID)
		case n.Kind == notifications.QueueWaiting && me.Role.AtLeast(accounts.Moderator):
			e.Link = "/moderation"
		}
		d.Entries = append(d.Entries, e)
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
