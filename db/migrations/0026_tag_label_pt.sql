-- The Portuguese label of Recommendation 2 said "trafficking and
-- trafficking": smuggling of migrants is "contrabando de migrantes". An
-- administrator's own wording, if they changed it, is left alone.
UPDATE tag_i18n SET label = 'Vias regulares; contra o contrabando de migrantes e o tráfico de pessoas'
WHERE tag_id = 4 AND lang = 'pt' AND label = 'Vias regulares; contra o tráfico e o tráfico de pessoas';
