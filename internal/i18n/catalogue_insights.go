package i18n

func init() {
	for k, m := range insightMessages {
		catalogue[k] = m
	}
}

var insightMessages = map[string]Msg{
	"nav.insights":           {ES: "Cifras", EN: "Insights", PT: "Números", FR: "Chiffres", NL: "Cijfers"},
	"insights.title":         {ES: "Cifras del intercambio", EN: "Insights", PT: "Números do intercâmbio", FR: "Chiffres de l'échange", NL: "Cijfers van de uitwisseling"},
	"insights.lead":          {ES: "Cuentan las prácticas publicadas que usted puede ver.", EN: "These count the published practices you can see.", PT: "Contam as práticas publicadas que você pode ver.", FR: "Ils comptent les pratiques publiées que vous pouvez voir.", NL: "Ze tellen de gepubliceerde praktijken die u mag zien."},
	"insights.by_tag":        {ES: "Prácticas por objetivo y recomendación, según el proceso", EN: "Practices per objective and recommendation, by process", PT: "Práticas por objetivo e recomendação, por processo", FR: "Pratiques par objectif et recommandation, selon le processus", NL: "Praktijken per doelstelling en aanbeveling, per proces"},
	"insights.by_country":    {ES: "Prácticas por país", EN: "Practices per country", PT: "Práticas por país", FR: "Pratiques par pays", NL: "Praktijken per land"},
	"insights.by_month":      {ES: "Prácticas y comentarios por mes, últimos dos años", EN: "Practices and comments per month, last two years", PT: "Práticas e comentários por mês, últimos dois anos", FR: "Pratiques et commentaires par mois, deux dernières années", NL: "Praktijken en reacties per maand, laatste twee jaar"},
	"insights.practices":     {ES: "Prácticas", EN: "Practices", PT: "Práticas", FR: "Pratiques", NL: "Praktijken"},
	"insights.comments":      {ES: "Comentarios", EN: "Comments", PT: "Comentários", FR: "Commentaires", NL: "Reacties"},
	"insights.table":         {ES: "Ver los datos en una tabla", EN: "Show the data as a table", PT: "Ver os dados em uma tabela", FR: "Voir les données en tableau", NL: "De gegevens als tabel tonen"},
	"insights.csv":           {ES: "Descargar los datos (CSV)", EN: "Download the data (CSV)", PT: "Baixar os dados (CSV)", FR: "Télécharger les données (CSV)", NL: "Gegevens downloaden (CSV)"},
	"insights.csv.comma":     {ES: "Los mismos datos, separados por comas", EN: "The same data, separated by commas", PT: "Os mesmos dados, separados por vírgulas", FR: "Les mêmes données, séparées par des virgules", NL: "Dezelfde gegevens, gescheiden door komma's"},
	"insights.csv.semicolon": {ES: "Los mismos datos, separados por punto y coma", EN: "The same data, separated by semicolons", PT: "Os mesmos dados, separados por ponto e vírgula", FR: "Les mêmes données, séparées par des points-virgules", NL: "Dezelfde gegevens, gescheiden door puntkomma's"},
	"insights.col.tags":      {ES: "Objetivo o recomendación", EN: "Objective or recommendation", PT: "Objetivo ou recomendação", FR: "Objectif ou recommandation", NL: "Doelstelling of aanbeveling"},
	"insights.col.countries": {ES: "País", EN: "Country", PT: "País", FR: "Pays", NL: "Land"},
	"insights.col.months":    {ES: "Mes", EN: "Month", PT: "Mês", FR: "Mois", NL: "Maand"},
}
