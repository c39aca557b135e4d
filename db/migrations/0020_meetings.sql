-- A meeting is held by a process (CRM, CSM, or both together), is of one
-- kind, and has a place. The meetings so far were the joint virtual one.
ALTER TABLE meetings ADD COLUMN process TEXT NOT NULL DEFAULT 'joint' CHECK (process IN ('CRM', 'CSM', 'joint'));
ALTER TABLE meetings ADD COLUMN kind TEXT NOT NULL DEFAULT 'virtual'
    CHECK (kind IN ('plenary', 'vice_ministerial', 'technical', 'virtual'));
ALTER TABLE meetings ADD COLUMN place TEXT NOT NULL DEFAULT '';
