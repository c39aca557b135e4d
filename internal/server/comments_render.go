package server

import (
	"strconv"

	"puente/internal/comments"
	"puente/internal/sanitize"
)

// readerComments writes a practice's comment thread in Go, as the
// practice-comments template writes it for its readers: visitors and
// members who wrote none of the comments, who are not staff. Their thread
// has no edit, delete, hide or appeal controls, so it is plain enough to
// write without the template engine, which took most of a practice
// page's time (every value a reflective call). The template stays for
// authors of comments and moderators; TestReaderCommentsMatchTheTemplate
// holds the two together.
func readerComments(v *View, pv *practiceView) string {
	p := pv.P
	id := strconv.FormatInt(p.ID, 10)
	var m sanitize.Markup
	m.Tag("\n<section id=\"comments\" class=\"comments\" aria-labelledby=\"comments-h\">\n  <h2 id=\"comments-h\">")
	m.Text(v.T("comments.title", "n", p.CommentCount))
	m.Tag("</h2>\n  ")
	if d := pv.Discussion; d != nil {
		if d.Partial {
			m.Tag(`<p class="pager"><a href="/practices/`, id, `#comments">`)
			m.Text(v.T("comments.newest"))
			m.Tag("</a></p>")
		}
		m.Tag("\n  ")
		if d.Earlier != 0 {
			earlier := strconv.FormatInt(d.Earlier, 10)
			m.Tag(`<p class="pager">`)
			if d.Thread != 0 {
				thread := strconv.FormatInt(d.Thread, 10)
				m.Tag(`<a href="/practices/`, id, `?thread=`, thread, `&amp;before=`, earlier, `#comment-`, thread, `" rel="next">`)
				m.Text(v.T("comments.earlier_replies_page"))
			} else {
				m.Tag(`<a href="/practices/`, id, `?before=`, earlier, `#comments" rel="next">`)
				m.Text(v.T("comments.earlier"))
			}
			m.Tag("</a></p>")
		}
	}
	m.Tag("\n  ")
	for _, c := range pv.Comments {
		cid := strconv.FormatInt(c.ID, 10)
		m.Tag("\n  <article class=\"comment")
		if c.Deleted() {
			m.Tag(" deleted")
		}
		m.Tag(`" id="comment-`, cid, `" aria-label="`)
		m.Text(v.T("comment.by", "name", c.AuthorName))
		m.Tag("\">\n    ")
		readerComment(&m, v, pv, c)
		m.Tag("\n    ")
		if c.EarlierReplies > 0 {
			m.Tag(`<p class="pager"><a href="/practices/`, id, `?thread=`, cid, `#comment-`, cid, `">`)
			m.Text(v.T("comments.earlier_replies", "n", c.EarlierReplies))
			m.Tag("</a></p>")
		}
		m.Tag("\n    ")
		if len(c.Replies) > 0 {
			m.Tag("<div class=\"replies\">\n      ")
			for _, r := range c.Replies {
				m.Tag("<article class=\"comment reply")
				if r.Deleted() {
					m.Tag(" deleted")
				}
				m.Tag(`" id="comment-`, strconv.FormatInt(r.ID, 10), `" aria-label="`)
				m.Text(v.T("comment.by", "name", r.AuthorName))
				m.Tag(`">`)
				readerComment(&m, v, pv, r)
				m.Tag("</article>")
			}
			m.Tag("\n    </div>")
		}
		m.Tag("\n    ")
		if pv.CanComment && !c.Deleted() && !c.Hidden() {
			m.Tag("\n    <details class=\"reply-box\">\n      <summary>")
			m.Text(v.T("comment.reply"))
			m.Tag("</summary>\n      ")
			commentForm(&m, v, pv, c.ID)
			m.Tag("\n    </details>\n    ")
		}
		m.Tag("\n  </article>\n  ")
	}
	if len(pv.Comments) == 0 {
		m.Tag("\n  <p>")
		m.Text(v.T("comments.none"))
		m.Tag("</p>\n  ")
	}
	m.Tag("\n  ")
	switch {
	case pv.CanComment:
		m.Tag("\n  <h3 id=\"new-comment-h\">")
		m.Text(v.T("comment.new"))
		m.Tag("</h3>\n  ")
		commentForm(&m, v, pv, 0)
		m.Tag("\n  ")
	case v.Account == nil:
		m.Tag("\n  <p><a href=\"/signin?next=/practices/", id, "\">")
		m.Text(v.T("comments.signin"))
		m.Tag("</a></p>\n  ")
	}
	m.Tag("\n</section>\n")
	return string(m.HTML())
}

// readerComment is the comment template for a reader: no control but the
// flag link for a member.
func readerComment(m *sanitize.Markup, v *View, pv *practiceView, c *comments.Comment) {
	m.Tag("\n<header class=\"comment-head\">\n  <strong>")
	if c.Deleted() {
		m.Text(v.T("comment.deleted_author"))
	} else {
		m.Text(c.AuthorName)
	}
	m.Tag("</strong>\n  ")
	if !c.Deleted() && c.AuthorCC != "" {
		m.Tag(`<span class="muted">(`)
		m.Text(pv.Refs.CountryName(c.AuthorCC))
		m.Tag(")</span>")
	}
	if !c.Deleted() && c.AuthorOrg != "" {
		m.Tag("\n  ", `<span class="muted">(`)
		m.Text(c.AuthorOrg)
		m.Tag(`)</span> <span class="badge-note">`)
		m.Text(v.T("role.observer"))
		m.Tag("</span>")
	}
	m.Tag("\n  <time datetime=\"")
	m.Text(c.CreatedAt.Format("2006-01-02T15:04:05Z07:00"))
	m.Tag(`" class="muted">`)
	m.Text(v.DateTime(c.CreatedAt))
	m.Tag("</time>\n  ")
	if c.Edited() && !c.Deleted() {
		m.Tag(`<span class="muted">· `)
		m.Text(v.T("comment.edited", "when", v.DateTime(c.EditedAt)))
		m.Tag("</span>")
	}
	m.Tag("\n</header>\n\n")
	switch {
	case c.Deleted():
		m.Tag("\n<p class=\"muted placeholder\">")
		m.Text(v.T("comment.deleted_placeholder"))
		m.Tag("</p>\n")
	case c.Hidden():
		m.Tag("\n<p class=\"muted placeholder\">")
		m.Text(v.T("comment.hidden_placeholder"))
		m.Tag("</p>\n")
	default:
		m.Tag("\n\n<div class=\"rich\">")
		m.Rich(c.HTML)
		m.Tag("</div>\n<div class=\"comment-actions\">\n")
		if v.Account != nil && v.Account.Posts() {
			m.Tag("\n  <a href=\"/comments/", strconv.FormatInt(c.ID, 10), "/flag\">")
			m.Text(v.T("flag.open"))
			m.Tag("</a>\n")
		}
		m.Tag("\n\n</div>\n\n")
	}
	m.Tag("\n")
}

// commentForm is the comment-form template for a reader, whose form is
// always empty and unrefused (a refused comment is its author's page).
func commentForm(m *sanitize.Markup, v *View, pv *practiceView, parent int64) {
	pid := strconv.FormatInt(parent, 10)
	fid := "comment-body-" + pid
	m.Tag("\n\n<form method=\"post\" action=\"/practices/", strconv.FormatInt(pv.P.ID, 10), "/comments\" class=\"comment-form\" novalidate>\n")
	m.Tag("  <input type=\"hidden\" name=\"parent_id\" value=\"", pid, "\">\n  <div class=\"field\">\n")
	m.Tag("    <label for=\"", fid, "\" id=\"", fid, "-label\">")
	if parent != 0 {
		m.Text(v.T("comment.reply_label"))
	} else {
		m.Text(v.T("comment.label"))
	}
	m.Tag("</label>\n    <textarea id=\"", fid, "\" name=\"body\" rows=\"4\" data-rich=\"small\" aria-describedby=\"", fid, "-help\"></textarea>\n")
	m.Tag("    <p class=\"help\" id=\"", fid, "-help\">")
	m.Text(v.T("comment.help"))
	if string(pv.P.Scope) == "public" {
		m.Tag(" <strong>")
		m.Text(v.T("comment.public_note"))
		m.Tag("</strong>")
	}
	m.Tag("</p>\n    \n  </div>\n  <button type=\"submit\" class=\"primary\">")
	if parent != 0 {
		m.Text(v.T("comment.reply_submit"))
	} else {
		m.Text(v.T("comment.submit"))
	}
	m.Tag("</button>\n</form>\n")
}
