package practices

import "strings"

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
	return "p.status = 'published' AND p.hidden_at IS NULL AND " + w, args
}

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
