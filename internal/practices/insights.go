package practices

import (
	"context"
	"time"

	"puente/db"
)

// TagCount is how many practices carry a tag, per process of their
// countries (a joint practice of both processes counts in each).
type TagCount struct {
	TagID    int64
	CRM, CSM int
}

// MonthCount is what was published and said in one month.
type MonthCount struct {
	Month     time.Time
	Practices int
	Comments  int
}

// Insights are the counts behind the insights page, within v's scope.
type Insights struct {
	ByTag     []TagCount
	ByCountry map[string]int
	ByMonth   []MonthCount
}

// Insights counts the published practices v may see by tag and process,
// by country, and, with their comments, by month over the last months.
func (s *Store) Insights(ctx context.Context, v Viewer, now time.Time, months int) (*Insights, error) {
	where, args := listWhere(v)
	in := &Insights{}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT pt.tag_id,
			count(DISTINCT CASE WHEN pm.process_code = 'CRM' THEN p.id END),
			count(DISTINCT CASE WHEN pm.process_code = 'CSM' THEN p.id END)
		FROM practice_tags pt JOIN practices p ON p.id = pt.practice_id
		JOIN practice_countries pc ON pc.practice_id = p.id
		JOIN process_members pm ON pm.country_code = pc.country_code
		WHERE `+where+` GROUP BY pt.tag_id ORDER BY pt.tag_id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var tc TagCount
		if err := rows.Scan(&tc.TagID, &tc.CRM, &tc.CSM); err != nil {
			rows.Close()
			return nil, err
		}
		in.ByTag = append(in.ByTag, tc)
	}
	rows.Close()
	if in.ByCountry, err = s.CountByCountry(ctx, v); err != nil {
		return nil, err
	}
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(months - 1), 0)
	byMonth := map[string]*MonthCount{}
	for i := range months {
		m := first.AddDate(0, i, 0)
		mc := &MonthCount{Month: m}
		in.ByMonth = append(in.ByMonth, *mc)
		byMonth[m.Format("2006-01")] = &in.ByMonth[i]
	}
	from := db.FormatTime(first)
	for _, q := range []struct {
		sql string
		set func(*MonthCount, int)
	}{
		{`SELECT substr(p.published_at, 1, 7), count(*) FROM practices p WHERE ` + where + ` AND p.published_at >= ? GROUP BY 1`,
			func(m *MonthCount, n int) { m.Practices = n }},
		{`SELECT substr(c.created_at, 1, 7), count(*) FROM comments c JOIN practices p ON p.id = c.practice_id
			WHERE ` + where + ` AND c.deleted_at IS NULL AND c.hidden_at IS NULL AND c.created_at >= ? GROUP BY 1`,
			func(m *MonthCount, n int) { m.Comments = n }},
	} {
		rows, err := s.DB.R.QueryContext(ctx, q.sql, append(append([]any{}, args...), from)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var month string
			var n int
			if err := rows.Scan(&month, &n); err != nil {
				rows.Close()
				return nil, err
			}
			if m, ok := byMonth[month]; ok {
				q.set(m, n)
			}
		}
		rows.Close()
	}
	return in, nil
}
