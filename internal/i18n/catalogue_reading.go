package i18n

func init() {
	for k, m := range readingMessages {
		catalogue[k] = m
	}
}

// readingMessages: the compact header, the front door for visitors and
// the links between pages.
var readingMessages = map[string]Msg{
	"nav.menu":                 {ES: "Menú", EN: "Menu", PT: "Menu", FR: "Menu", NL: "Menu"},
	"nav.meetings":             {ES: "Reuniones", EN: "Meetings", PT: "Reuniões", FR: "Réunions", NL: "Vergaderingen"},
	"ago.now":                  {ES: "hace un momento", EN: "just now", PT: "agora mesmo", FR: "à l'instant", NL: "zojuist"},
	"ago.minutes":              {ES: "hace {n|one:# minuto|other:# minutos}", EN: "{n|one:# minute|other:# minutes} ago", PT: "há {n|one:# minuto|other:# minutos}", FR: "il y a {n|one:# minute|other:# minutes}", NL: "{n|one:# minuut|other:# minuten} geleden"},
	"ago.hours":                {ES: "hace {n|one:# hora|other:# horas}", EN: "{n|one:# hour|other:# hours} ago", PT: "há {n|one:# hora|other:# horas}", FR: "il y a {n|one:# heure|other:# heures}", NL: "{n} uur geleden"},
	"ago.days":                 {ES: "hace {n|one:# día|other:# días}", EN: "{n|one:# day|other:# days} ago", PT: "há {n|one:# dia|other:# dias}", FR: "il y a {n|one:# jour|other:# jours}", NL: "{n|one:# dag|other:# dagen} geleden"},
	"sessions.device_on":       {ES: "{browser} en {os}", EN: "{browser} on {os}", PT: "{browser} em {os}", FR: "{browser} sur {os}", NL: "{browser} op {os}"},
	"sessions.unknown_browser": {ES: "Navegador desconocido", EN: "Unknown browser", PT: "Navegador desconhecido", FR: "Navigateur inconnu", NL: "Onbekende browser"},
	"sessions.active":          {ES: "activa {ago}", EN: "active {ago}", PT: "ativa {ago}", FR: "active {ago}", NL: "actief {ago}"},
	"sessions.signed_in":       {ES: "sesión iniciada el {when}", EN: "signed in {when}", PT: "entrou em {when}", FR: "connexion le {when}", NL: "aangemeld op {when}"},
}
