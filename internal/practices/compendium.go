package practices

import (
	"context"
	"slices"

	"puente/db"
	"puente/internal/apperr"
)

// CompendiumMax bounds the practices one compendium holds: a plenary's
// document, not an export of the site.
const CompendiumMax = 300

// Compendium returns the published practices v may see that carry any of
// tags (a meeting's objectives and recommendations), whole, each in lang
// when a version in lang is live, by title; and whether more than
// CompendiumMax matched.
func (s *Store) Compendium(ctx context.Context, v Viewer, tags []int64, lang string) ([]*Practice, bool, error) {
	if len(tags) == 0 {
		return nil, false, nil
	}
	where, args := listWhere(v)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+practiceColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id
		WHERE `+where+` AND EXISTS (SELECT 1 FROM practice_tags t WHERE t.practice_id = p.id AND t.tag_id IN (SELECT value FROM json_each(?)))
		ORDER BY p.title, p.id LIMIT ?`, append(args, db.IDList(tags), CompendiumMax+1)...)
	if err != nil {
		return nil, false, err
	}
	ps, err := collect(rows)
	if err != nil {
		return nil, false, err
	}
	more := len(ps) > CompendiumMax
	if more {
		ps = ps[:CompendiumMax]
	}
	for i, p := range ps {
		if p.Lang == lang {
			continue
		}
		live, err := s.LiveLangs(ctx, p.ID)
		if err != nil {
			return nil, false, err
		}
		if !slices.Contains(live, lang) {
			continue
		}
		ver, err := s.VersionOf(ctx, p.ID, lang, VersionLive)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		ps[i] = ver.Apply(p)
	}
	return ps, more, nil
}
