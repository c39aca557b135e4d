package i18n

func init() {
	for k, m := range searchMessages {
		catalogue[k] = m
	}
}

var searchMessages = map[string]Msg{
	"search.title":          {ES: "Buscar", EN: "Search", PT: "Pesquisar", FR: "Rechercher", NL: "Zoeken"},
	"search.label":          {ES: "Buscar en las prácticas y sus comentarios", EN: "Search practices and their comments", PT: "Pesquisar nas práticas e seus comentários", FR: "Rechercher dans les pratiques et leurs commentaires", NL: "Zoeken in praktijken en hun reacties"},
	"search.placeholder":    {ES: "Buscar…", EN: "Search…", PT: "Pesquisar…", FR: "Rechercher…", NL: "Zoeken…"},
	"search.button":         {ES: "Buscar", EN: "Search", PT: "Pesquisar", FR: "Rechercher", NL: "Zoeken"},
	"search.help":           {ES: "Todas las palabras deben aparecer. Use comillas para una frase exacta y * para el comienzo de una palabra (biometr*). Las tildes no importan.", EN: "All words must appear. Use quotes for an exact phrase and * for the start of a word (biometr*). Accents do not matter.", PT: "Todas as palavras devem aparecer. Use aspas para uma frase exata e * para o início de uma palavra (biometr*). Acentos não importam.", FR: "Tous les mots doivent apparaître. Utilisez des guillemets pour une phrase exacte et * pour un début de mot (biometr*). Les accents ne comptent pas.", NL: "Alle woorden moeten voorkomen. Gebruik aanhalingstekens voor een exacte zin en * voor het begin van een woord (biometr*). Accenten tellen niet."},
	"search.page":           {ES: "Resultados, página {n}", EN: "Results, page {n}", PT: "Resultados, página {n}", FR: "Résultats, page {n}", NL: "Resultaten, pagina {n}"},
	"search.none":           {ES: "Nada encontrado para «{q}».", EN: "Nothing found for “{q}”.", PT: "Nada encontrado para «{q}».", FR: "Rien trouvé pour « {q} ».", NL: "Niets gevonden voor ‘{q}’."},
	"search.empty":          {ES: "Escriba al menos una palabra.", EN: "Type at least one word.", PT: "Digite pelo menos uma palavra.", FR: "Saisissez au moins un mot.", NL: "Typ minstens één woord."},
	"search.no_words":       {ES: "Su búsqueda no tiene palabras: los signos como * \" ( ) - y las palabras AND, OR y NOT no se buscan por sí solos. Escriba al menos una palabra, por ejemplo frontera o \"registro biométrico\".", EN: "Your search has no words in it: signs such as * \" ( ) - and the words AND, OR and NOT are not searched on their own. Type at least one word, for example border or \"biometric registration\".", PT: "Sua pesquisa não tem palavras: sinais como * \" ( ) - e as palavras AND, OR e NOT não são pesquisados sozinhos. Digite pelo menos uma palavra, por exemplo fronteira ou \"registro biométrico\".", FR: "Votre recherche ne contient aucun mot\u00a0: les signes comme * \" ( ) - et les mots AND, OR et NOT ne sont pas recherchés seuls. Saisissez au moins un mot, par exemple frontière ou \"enregistrement biométrique\".", NL: "Uw zoekopdracht bevat geen woorden: tekens als * \" ( ) - en de woorden AND, OR en NOT worden niet op zichzelf gezocht. Typ minstens één woord, bijvoorbeeld grens of \"biometrische registratie\"."},
	"search.sort_relevance": {ES: "Más relevantes", EN: "Best match", PT: "Mais relevantes", FR: "Plus pertinentes", NL: "Meest relevant"},
	"search.in_comment":     {ES: "En un comentario de {name}", EN: "In a comment by {name}", PT: "Em um comentário de {name}", FR: "Dans un commentaire de {name}", NL: "In een reactie van {name}"},
}
