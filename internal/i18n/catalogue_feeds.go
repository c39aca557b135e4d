package i18n

func init() {
	for k, m := range feedMessages {
		catalogue[k] = m
	}
}

var feedMessages = map[string]Msg{
	"feed.title":       {ES: "Fuente Atom privada", EN: "Private Atom feed", PT: "Feed Atom privado", FR: "Flux Atom privé", NL: "Privé Atom-feed"},
	"feed.lead":        {ES: "Siga en su lector de noticias las prácticas que usted puede ver. El enlace es personal: no lo comparta.", EN: "Follow the practices you can see in your feed reader. The link is personal: do not share it.", PT: "Acompanhe no seu leitor de notícias as práticas que você pode ver. O link é pessoal: não o compartilhe.", FR: "Suivez dans votre lecteur de flux les pratiques que vous pouvez voir. Le lien est personnel : ne le partagez pas.", NL: "Volg in uw feedlezer de praktijken die u mag zien. De link is persoonlijk: deel hem niet."},
	"feed.your_url":    {ES: "Su enlace", EN: "Your link", PT: "Seu link", FR: "Votre lien", NL: "Uw link"},
	"feed.once":        {ES: "Cópielo ahora: por seguridad no se volverá a mostrar. Si lo pierde, cree otro.", EN: "Copy it now: for your security it will not be shown again. If you lose it, make another.", PT: "Copie agora: por segurança não será mostrado de novo. Se perdê-lo, crie outro.", FR: "Copiez-le maintenant : par sécurité il ne sera plus affiché. Si vous le perdez, créez-en un autre.", NL: "Kopieer hem nu: voor uw veiligheid wordt hij niet meer getoond. Kwijt? Maak een nieuwe."},
	"feed.create":      {ES: "Crear mi enlace", EN: "Make my link", PT: "Criar meu link", FR: "Créer mon lien", NL: "Mijn link maken"},
	"feed.replace":     {ES: "Reemplazar el enlace (el anterior deja de funcionar)", EN: "Replace the link (the old one stops working)", PT: "Substituir o link (o anterior deixa de funcionar)", FR: "Remplacer le lien (l'ancien cesse de fonctionner)", NL: "Link vervangen (de oude werkt niet meer)"},
	"feed.revoke":      {ES: "Anular el enlace", EN: "Revoke the link", PT: "Revogar o link", FR: "Révoquer le lien", NL: "Link intrekken"},
	"feed.revoked":     {ES: "Su enlace de fuente se anuló.", EN: "Your feed link was revoked.", PT: "Seu link de feed foi revogado.", FR: "Votre lien de flux a été révoqué.", NL: "Uw feedlink is ingetrokken."},
	"feed.public":      {ES: "Las prácticas públicas tienen una fuente abierta:", EN: "Public practices have an open feed:", PT: "As práticas públicas têm um feed aberto:", FR: "Les pratiques publiques ont un flux ouvert :", NL: "Openbare praktijken hebben een open feed:"},
	"feed.public_link": {ES: "Fuente Atom de las prácticas públicas", EN: "Atom feed of public practices", PT: "Feed Atom das práticas públicas", FR: "Flux Atom des pratiques publiques", NL: "Atom-feed van openbare praktijken"},
}
