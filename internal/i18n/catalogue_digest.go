package i18n

func init() {
	for k, m := range digestMessages {
		catalogue[k] = m
	}
}

// digestMessages are the messages of the weekly digest.
var digestMessages = map[string]Msg{
	"email.digest.subject":      {ES: "Puente: su resumen semanal ({period})", EN: "Puente: your weekly digest ({period})", PT: "Puente: seu resumo semanal ({period})", FR: "Puente : votre résumé hebdomadaire ({period})", NL: "Puente: uw wekelijks overzicht ({period})"},
	"digest.more_authors":       {ES: "y {n} más", EN: "and {n} more", PT: "e mais {n}", FR: "et {n} autres", NL: "en {n} anderen"},
	"digest.intro":              {ES: "Lo nuevo en Puente entre el {from} y el {to}.", EN: "What is new on Puente from {from} to {to}.", PT: "O que há de novo no Puente de {from} a {to}.", FR: "Les nouveautés de Puente du {from} au {to}.", NL: "Wat er nieuw is op Puente van {from} tot {to}."},
	"digest.new_followed":       {ES: "Prácticas nuevas en lo que usted sigue", EN: "New practices in what you follow", PT: "Práticas novas no que você segue", FR: "Nouvelles pratiques dans ce que vous suivez", NL: "Nieuwe praktijken in wat u volgt"},
	"digest.new_all":            {ES: "Prácticas nuevas", EN: "New practices", PT: "Práticas novas", FR: "Nouvelles pratiques", NL: "Nieuwe praktijken"},
	"digest.more":               {ES: "y {n} más en Puente", EN: "and {n} more on Puente", PT: "e mais {n} no Puente", FR: "et {n} de plus sur Puente", NL: "en nog {n} op Puente"},
	"digest.comments":           {ES: "Comentarios nuevos en sus prácticas y las que sigue", EN: "New comments on your practices and those you follow", PT: "Comentários novos nas suas práticas e nas que segue", FR: "Nouveaux commentaires sur vos pratiques et celles que vous suivez", NL: "Nieuwe reacties op uw praktijken en die u volgt"},
	"digest.footer_settings":    {ES: "Elegir qué recibe", EN: "Choose what you receive", PT: "Escolher o que recebe", FR: "Choisir ce que vous recevez", NL: "Kiezen wat u ontvangt"},
	"digest.footer_unsubscribe": {ES: "Darse de baja del resumen", EN: "Unsubscribe from the digest", PT: "Cancelar o resumo", FR: "Se désabonner du résumé", NL: "Afmelden voor het overzicht"},
	"digest.footer":             {ES: "Recibe este resumen porque tiene una cuenta en Puente. Puede cambiarlo o darse de baja con los enlaces de arriba.", EN: "You receive this digest because you have a Puente account. Change it or unsubscribe with the links above.", PT: "Você recebe este resumo porque tem uma conta no Puente. Pode alterá-lo ou cancelá-lo com os links acima.", FR: "Vous recevez ce résumé car vous avez un compte Puente. Modifiez-le ou désabonnez-vous avec les liens ci-dessus.", NL: "U ontvangt dit overzicht omdat u een Puente-account hebt. Wijzig het of meld u af met de links hierboven."},
	"digest.settings_title":     {ES: "Resumen semanal", EN: "Weekly digest", PT: "Resumo semanal", FR: "Résumé hebdomadaire", NL: "Wekelijks overzicht"},
	"digest.settings_lead":      {ES: "Un correo con las prácticas destacadas, las nuevas en lo que sigue y los comentarios en sus prácticas. Si una semana no hay nada, no se envía.", EN: "One email with the featured practices, the new ones in what you follow, and comments on your practices. A week with nothing sends nothing.", PT: "Um e-mail com as práticas em destaque, as novas no que você segue e os comentários nas suas práticas. Numa semana sem nada, nada é enviado.", FR: "Un e-mail avec les pratiques mises en avant, les nouvelles dans ce que vous suivez et les commentaires sur vos pratiques. Une semaine sans rien n'envoie rien.", NL: "Eén e-mail met de uitgelichte praktijken, de nieuwe in wat u volgt en reacties op uw praktijken. Een week zonder nieuws stuurt niets."},
	"digest.enabled":            {ES: "Recibir el resumen", EN: "Receive the digest", PT: "Receber o resumo", FR: "Recevoir le résumé", NL: "Het overzicht ontvangen"},
	"digest.every":              {ES: "Frecuencia", EN: "How often", PT: "Frequência", FR: "Fréquence", NL: "Hoe vaak"},
	"digest.every.1":            {ES: "Cada semana", EN: "Every week", PT: "Toda semana", FR: "Chaque semaine", NL: "Elke week"},
	"digest.every.2":            {ES: "Cada dos semanas", EN: "Every two weeks", PT: "A cada duas semanas", FR: "Toutes les deux semaines", NL: "Om de twee weken"},
	"digest.every.4":            {ES: "Cada cuatro semanas", EN: "Every four weeks", PT: "A cada quatro semanas", FR: "Toutes les quatre semaines", NL: "Om de vier weken"},
	"digest.follow_tags":        {ES: "Objetivos y recomendaciones que sigo", EN: "Objectives and recommendations I follow", PT: "Objetivos e recomendações que sigo", FR: "Objectifs et recommandations que je suis", NL: "Doelstellingen en aanbevelingen die ik volg"},
	"digest.follow_countries":   {ES: "Países que sigo", EN: "Countries I follow", PT: "Países que sigo", FR: "Pays que je suis", NL: "Landen die ik volg"},
	"digest.follow_help":        {ES: "Si no sigue nada, el resumen trae todas las prácticas nuevas que usted puede ver.", EN: "If you follow nothing, the digest brings every new practice you can see.", PT: "Se não seguir nada, o resumo traz todas as práticas novas que você pode ver.", FR: "Si vous ne suivez rien, le résumé apporte toutes les nouvelles pratiques que vous pouvez voir.", NL: "Volgt u niets, dan bevat het overzicht elke nieuwe praktijk die u mag zien."},
	"digest.preview_title":      {ES: "Vista previa del resumen", EN: "Digest preview", PT: "Pré-visualização do resumo", FR: "Aperçu du résumé", NL: "Voorbeeld van het overzicht"},
	"digest.preview_lead":       {ES: "El mensaje exacto que recibiría una cuenta para una semana; no se envía nada.", EN: "The exact message an account would receive for a week; nothing is sent.", PT: "A mensagem exata que uma conta receberia numa semana; nada é enviado.", FR: "Le message exact qu'un compte recevrait pour une semaine ; rien n'est envoyé.", NL: "Het precieze bericht dat een account voor een week zou krijgen; er wordt niets verstuurd."},
	"digest.week":               {ES: "Semana (vacía: la última)", EN: "Week (empty: the last one)", PT: "Semana (vazia: a última)", FR: "Semaine (vide : la dernière)", NL: "Week (leeg: de laatste)"},
	"digest.preview_button":     {ES: "Ver", EN: "Show", PT: "Ver", FR: "Afficher", NL: "Tonen"},
	"digest.no_account":         {ES: "No hay ninguna cuenta con ese correo.", EN: "No account has that email address.", PT: "Não há conta com esse e-mail.", FR: "Aucun compte n'a cette adresse.", NL: "Geen account heeft dat e-mailadres."},
	"digest.week_invalid":       {ES: "Escriba la semana como 2026-W48.", EN: "Write the week as 2026-W48.", PT: "Escreva a semana como 2026-W48.", FR: "Écrivez la semaine ainsi : 2026-W48.", NL: "Schrijf de week als 2026-W48."},
	"digest.settings_link":      {ES: "Resumen semanal por correo", EN: "Weekly email digest", PT: "Resumo semanal por e-mail", FR: "Résumé hebdomadaire par e-mail", NL: "Wekelijks overzicht per e-mail"},
	"unsubscribe.title":         {ES: "Darse de baja del resumen", EN: "Unsubscribe from the digest", PT: "Cancelar o resumo", FR: "Se désabonner du résumé", NL: "Afmelden voor het overzicht"},
	"unsubscribe.confirm":       {ES: "¿Dejar de recibir el resumen semanal de Puente?", EN: "Stop receiving Puente's weekly digest?", PT: "Deixar de receber o resumo semanal do Puente?", FR: "Ne plus recevoir le résumé hebdomadaire de Puente ?", NL: "Het wekelijkse overzicht van Puente niet meer ontvangen?"},
	"unsubscribe.button":        {ES: "Darme de baja", EN: "Unsubscribe", PT: "Cancelar", FR: "Me désabonner", NL: "Afmelden"},
	"unsubscribe.done":          {ES: "Listo: ya no recibirá el resumen semanal.", EN: "Done: you will no longer receive the weekly digest.", PT: "Pronto: você não receberá mais o resumo semanal.", FR: "C'est fait : vous ne recevrez plus le résumé hebdomadaire.", NL: "Klaar: u ontvangt het wekelijkse overzicht niet meer."},
	"unsubscribe.settings":      {ES: "Volver a activarlo o elegir qué recibir", EN: "Turn it back on or choose what you receive", PT: "Reativá-lo ou escolher o que receber", FR: "Le réactiver ou choisir ce que vous recevez", NL: "Weer aanzetten of kiezen wat u ontvangt"},
	"unsubscribe.invalid":       {ES: "Este enlace de baja ya se usó o no es válido. Puede cambiar el resumen desde su cuenta.", EN: "This unsubscribe link was already used or is not valid. You can change the digest from your account.", PT: "Este link de cancelamento já foi usado ou não é válido. Você pode alterar o resumo pela sua conta.", FR: "Ce lien de désabonnement a déjà été utilisé ou n'est pas valable. Vous pouvez modifier le résumé depuis votre compte.", NL: "Deze afmeldlink is al gebruikt of niet geldig. U kunt het overzicht via uw account wijzigen."},
}
