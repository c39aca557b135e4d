package practices

import (
	"context"

	"puente/db"
)

// openDataBatch is how many practices OpenData reads at a time.
const openDataBatch = 200

// OpenData calls fn with the public practices (published, not hidden,
// shared with everyone: what a visitor may read), whole, in id order, a
// batch at a time, with their countries and tags. It is the open data's
// one source, under the one visibility rule.
func (s *Store) OpenData(ctx context.Context, fn func(batch []*Practice) error) error {
	where, args := listWhere(Viewer{})
	var after int64
	for {
		rows, err := s.DB.R.QueryContext(ctx, `SELECT `+practiceColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id
			WHERE `+where+` AND p.id > ? ORDER BY p.id LIMIT ?`, append(append([]any{}, args...), after, openDataBatch)...)
		if err != nil {
			return err
		}
		batch, err := collect(rows)
		if err != nil || len(batch) == 0 {
			return err
		}
		after = batch[len(batch)-1].ID
		if err := fn(batch); err != nil {
			return err
		}
		if len(batch) < openDataBatch {
			return nil
		}
	}
}

// FilesOf returns the files of the practices ids that readers may have
// (live, or waiting to be removed; not those waiting to be added), by
// practice, in the order they were added: one query for a page of
// practices.
func (s *Store) FilesOf(ctx context.Context, ids []int64) (map[int64][]*Attachment, error) {
	list, err := scanAttachments(s.DB.R.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM practice_attachments
		WHERE practice_id IN (SELECT value FROM json_each(?)) AND state <> 'added' ORDER BY practice_id, id`, db.IDList(ids)))
	if err != nil {
		return nil, err
	}
	files := map[int64][]*Attachment{}
	for _, f := range list {
		files[f.PracticeID] = append(files[f.PracticeID], f)
	}
	return files, nil
}

// APIPage returns up to limit practices v may list (published, in v's
// scopes, not hidden), whole, with ids above after, in id order;
// narrowed to a country and a tag when they are given.
func (s *Store) APIPage(ctx context.Context, v Viewer, after int64, limit int, country string, tag int64) ([]*Practice, error) {
	where, args := listWhere(v)
	if country != "" {
		where += ` AND EXISTS (SELECT 1 FROM practice_countries c WHERE c.practice_id = p.id AND c.country_code = ?)`
		args = append(args, country)
	}
	if tag != 0 {
		where += ` AND EXISTS (SELECT 1 FROM practice_tags t WHERE t.practice_id = p.id AND t.tag_id = ?)`
		args = append(args, tag)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+practiceColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id
		WHERE `+where+` AND p.id > ? ORDER BY p.id LIMIT ?`, append(args, after, limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows)
}
