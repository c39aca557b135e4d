package practices

import (
	"strings"

	"puente/internal/modlog"
)

// visibleWhere is the visibility rule as SQL over the practices table
// aliased p. Every query that shows practices to a person uses it (or
// listWhere, which narrows it to published practices).
func visibleWhere(v Viewer) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("(")
	if v.Member() {
		b.WriteString("p.author_id = ? OR ")
		args = append(args, v.AccountID)
	}
	if v.FocalCountry != "" {
		b.WriteString(`(EXISTS (SELECT 1 FROM practice_countries fc WHERE fc.practice_id = p.id AND fc.country_code = ?)
			AND (p.status <> 'draft' OR EXISTS (SELECT 1 FROM focal_shares fs WHERE fs.practice_id = p.id))) OR `)
		args = append(args, v.FocalCountry)
	}
	if v.Staff() {
		b.WriteString("p.status <> 'draft'")
	} else {
		b.WriteString("(p.status IN ('published', 'archived') AND p.hidden_at IS NULL AND ")
		w, a := scopeIn(v)
		b.WriteString(w)
		args = append(args, a...)
		b.WriteString(")")
	}
	b.WriteString(")")
	return b.String(), args
}

// listWhere is what lists, counts and feeds show: published practices in
// the viewer's scopes. Authors find their other practices on "my practices".
func listWhere(v Viewer) (string, []any) {
	w, args := scopeIn(v)
	return listed + " AND " + w, args
}

// ListedWhere is listWhere for the packages whose tables hang off a
// practice (aliased p in their queries) and list them: what they show
// of a practice follows the one rule.
func ListedWhere(v Viewer) (string, []any) { return listWhere(v) }

// listed is listWhere without the scopes: counts made once for every
// reader group by scope instead.
const listed = "p.status = 'published' AND p.hidden_at IS NULL"

func scopeIn(v Viewer) (string, []any) {
	scopes := v.PublishedScopes()
	if len(scopes) == len(Scopes) {
		return "1", nil
	}
	args := make([]any, len(scopes))
	for i, s := range scopes {
		args[i] = string(s)
	}
	return "p.scope IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(scopes)), ", ") + ")", args
}

// LogScope is the condition, on moderation_log rows aliased l, that keeps
// the entries a reader may see: every entry about something other than a
// practice or a comment or adoption record on one, and those about a
// practice (or a comment or adoption record on one)
// in the reader's scope: their own, or one published (hidden since, too)
// for a process they belong to. Staff see every entry. So a reader can
// neither read what was decided about a practice outside their scope, or
// on another's submission, nor count through the log's filters when it
// happened. Entries about a practice in scope that the reader may no
// longer open (hidden) stay, as a record that moderators acted; the page
// shows them without the practice's title or what was written about it.
func LogScope(v Viewer) (string, []any) {
	if v.Staff() {
		return "1", nil
	}
	w, args := scopeIn(v)
	return `(l.target_type NOT IN (` + modlog.PracticeTargets + `) OR EXISTS (SELECT 1 FROM practices p WHERE p.id = ` + modlog.TargetPractice + `
		AND (p.author_id = ? OR (p.status IN ('published', 'archived') AND ` + w + `))))`, append([]any{v.AccountID}, args...)
}
