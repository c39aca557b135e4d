package demo

// The demo practices: written from public knowledge of these programmes,
// kept modest, and not official statements of any government.

type demoComment struct {
	Author string // demo email
	Body   string
	Reply  []demoComment
}

type demoPractice struct {
	Author       string // demo email
	Countries    []string
	Lang         string
	Tags         []string // O1, O2, R1, R2, R3
	Scope        string
	Start, End   string
	Title        string
	Summary      string
	Sections     [5]string // context, actions, results, lessons, adoption
	Institutions string
	Partners     string
	Contact      string
	Email        string
	Published    string // YYYY-MM-DD; "" leaves it submitted for review
	Comments     []demoComment
}

var demoPractices = []demoPractice{
	{
		Author: "panama@demo.puente.test", Countries: []string{"PA"}, Lang: "es", Tags: []string{"O1", "R1", "R2"}, Scope: "public",
		Start: "2019-06", Title: "Registro biométrico de personas migrantes en tránsito por Darién",
		Summary:      "Panamá registra con datos biométricos a cada persona que llega por la selva de Darién, lo que permite identificarla, atender su salud y cooperar con los países vecinos frente al tráfico de migrantes.",
		Institutions: "Servicio Nacional de Migración (SNM)", Partners: "Servicio Nacional de Fronteras (SENAFRONT); Ministerio de Salud; organismos internacionales de cooperación",
		Contact: "Dirección de Migración Irregular", Email: "registro.biometrico@demo.puente.test", Published: "2021-09-15",
		Sections: [5]string{
			`<p>La frontera con Colombia atraviesa la selva de Darién, una ruta peligrosa por la que pasan cada año personas de decenas de nacionalidades, muchas de ellas <strong>extrarregionales</strong>. Sin un registro confiable, era difícil saber quién entraba, atender casos de salud o detectar a redes de tráfico.</p>`,
			`<p>En las estaciones de recepción migratoria se instaló un registro que toma:</p><ul><li>huellas dactilares de los diez dedos,</li><li>fotografía facial,</li><li>datos de identidad declarados y país de origen.</li></ul><p>Los datos se cotejan con las listas de alerta de INTERPOL y se comparten, bajo acuerdos bilaterales, con las autoridades migratorias de la región.</p>`,
			`<p>El registro permite conocer el perfil de los flujos casi en tiempo real, identificar a personas con alertas y reunir familias separadas en el trayecto. Los países de la CRM y la CSM lo reconocieron como un trabajo ejemplar en la plenaria conjunta de 2021.</p>`,
			`<ul><li>La conectividad en zonas remotas es el mayor obstáculo: hacen falta equipos que funcionen sin red y sincronicen después.</li><li>El personal debe formarse en protección de datos y en trato digno.</li><li>Compartir datos exige acuerdos claros sobre su uso.</li></ul>`,
			`<p>Un país que reciba flujos mixtos en zonas fronterizas puede empezar con estaciones móviles y un protocolo de intercambio de alertas. El <a href="https://www.migracion.gob.pa/">Servicio Nacional de Migración</a> ofrece asistencia técnica a sus pares.</p>`,
		},
		Comments: []demoComment{
			{Author: "costarica@demo.puente.test", Body: "<p>Desde Costa Rica hemos visto que el registro en Darién facilita mucho la coordinación en Paso Canoas. ¿Qué plazo de conservación de los datos aplican?</p>",
				Reply: []demoComment{{Author: "panama@demo.puente.test", Body: "<p>Gracias, Valeria. Los datos se conservan según la ley de protección de datos personales; con gusto compartimos el protocolo completo por el canal oficial.</p>"}}},
			{Author: "colombia@demo.puente.test", Body: "<p>Nos interesa el intercambio de alertas. ¿El acuerdo bilateral fue un memorando o un tratado?</p>"},
			{Author: "canada@demo.puente.test", Body: "<p>Very useful. We would be glad to compare notes on <strong>privacy safeguards</strong> for biometric data.</p>"},
		},
	},
	{
		Author: "panama@demo.puente.test", Countries: []string{"PA", "CR"}, Lang: "es", Tags: []string{"O1", "R1"}, Scope: "members",
		Start: "2016-04", End: "2023-12", Title: "Flujo controlado: traslado coordinado de migrantes entre Panamá y Costa Rica",
		Summary:      "Acuerdo operativo entre Panamá y Costa Rica para trasladar de forma ordenada y segura a las personas migrantes en tránsito, reduciendo el espacio de acción de los traficantes.",
		Institutions: "Servicio Nacional de Migración de Panamá; Dirección General de Migración y Extranjería de Costa Rica", Partners: "Cruz Roja; autoridades de salud de ambos países",
		Contact: "Coordinación binacional", Email: "flujo.controlado@demo.puente.test", Published: "2021-10-04",
		Sections: [5]string{
			`<p>Los flujos que cruzaban Panamá seguían hacia el norte por rutas informales, expuestos a redes de tráfico y a accidentes.</p>`,
			`<p>Ambos países acordaron cupos diarios, horarios y puntos de entrega en la frontera, con listas compartidas de las personas trasladadas.</p>`,
			`<p>Los traslados ordenados redujeron los cruces por puntos ciegos y permitieron planificar albergues y atención de salud.</p>`,
			`<p>Funciona cuando ambos lados comparten información a diario y ajustan los cupos a la capacidad real de los albergues.</p>`,
			`<p>Requiere un canal de comunicación permanente entre las autoridades migratorias y acuerdos escritos sobre responsabilidades en cada tramo.</p>`,
		},
	},
	{
		Author: "mexico@demo.puente.test", Countries: []string{"MX"}, Lang: "es", Tags: []string{"R2", "O1"}, Scope: "public",
		Start: "2008-03", Title: "Tarjeta de Visitante Regional para personas de Guatemala y Belice",
		Summary:      "Documento migratorio que permite a nacionales de Guatemala y Belice entrar y permanecer por periodos cortos en los estados fronterizos del sur de México, como vía regular para la movilidad cotidiana.",
		Institutions: "Instituto Nacional de Migración (INM)", Partners: "Consulados de Guatemala y Belice en México",
		Contact: "Dirección de Regulación Migratoria", Email: "tvr@demo.puente.test", Published: "2021-11-02",
		Sections: [5]string{
			`<p>La frontera sur de México tiene una intensa movilidad de comercio, trabajo y visitas familiares. Sin una vía sencilla, muchas personas cruzaban de manera irregular.</p>`,
			`<p>Se creó una tarjeta de visitante regional, tramitada en los puntos de internación, con vigencia de varios años y estancias de hasta siete días por entrada en los estados fronterizos.</p>`,
			`<p>La tarjeta dio una vía regular a la movilidad transfronteriza cotidiana y mejoró el registro de entradas.</p>`,
			`<ul><li>El trámite debe ser rápido y gratuito o de bajo costo para que la gente lo prefiera.</li><li>La difusión en las comunidades fronterizas es tan importante como el documento.</li></ul>`,
			`<p>Aplicable en fronteras con fuerte movilidad local; conviene acordarlo con el país vecino para el reconocimiento de documentos.</p>`,
		},
		Comments: []demoComment{
			{Author: "costarica@demo.puente.test", Body: "<p>Tenemos una dinámica parecida con Nicaragua en la zona norte. ¿La tarjeta requiere pasaporte o basta el documento nacional?</p>"},
		},
	},
	{
		Author: "brasil@demo.puente.test", Countries: []string{"BR"}, Lang: "pt", Tags: []string{"R3", "O2"}, Scope: "members",
		Start: "2018-03", Title: "Operação Acolhida: acolhimento e interiorização de pessoas venezuelanas",
		Summary:      "Resposta humanitária federal em Roraima que organiza a recepção na fronteira, o abrigamento e a interiorização voluntária de pessoas refugiadas e migrantes da Venezuela para outras cidades do Brasil.",
		Institutions: "Governo Federal do Brasil (Casa Civil, Ministério da Defesa, Ministério da Justiça e Segurança Pública)", Partners: "Agências das Nações Unidas; organizações da sociedade civil; governos estaduais e municipais",
		Contact: "Coordenação de interiorização", Email: "acolhida@demo.puente.test", Published: "2022-02-10",
		Sections: [5]string{
			`<p>A chegada de um grande número de pessoas venezuelanas a Pacaraima e Boa Vista pressionou os serviços públicos de Roraima, um estado pequeno e distante dos centros econômicos.</p>`,
			`<p>A operação tem três eixos:</p><ol><li><strong>Ordenamento da fronteira</strong>: documentação, vacinação e triagem.</li><li><strong>Acolhimento</strong>: abrigos com alimentação, saúde e proteção.</li><li><strong>Interiorização</strong>: deslocamento voluntário para outras cidades, com vaga de emprego, reunião familiar ou abrigo de destino.</li></ol>`,
			`<p>Centenas de milhares de pessoas foram interiorizadas para centenas de municípios, o que aliviou Roraima e facilitou a integração laboral. Avaliações independentes destacaram o efeito positivo sobre a renda das famílias interiorizadas.</p>`,
			`<p>A coordenação entre civis, militares e agências internacionais exige uma governança clara. A <strong>interoperabilidade</strong> dos cadastros foi decisiva.</p>`,
			`<p>Países com fluxos concentrados em uma região fronteiriça podem adaptar o eixo de interiorização, começando por acordos com municípios de destino e empresas.</p>`,
		},
		Comments: []demoComment{
			{Author: "colombia@demo.puente.test", Body: "<p>Muy interesante el eje de interiorización. En Colombia la dispersión fue espontánea; ¿cómo se seleccionan los municipios de destino?</p>",
				Reply: []demoComment{{Author: "brasil@demo.puente.test", Body: "<p>Os municípios aderem voluntariamente e informam sua capacidade de acolhimento e as vagas de trabalho disponíveis.</p>"}}},
			{Author: "ecuador@demo.puente.test", Body: "<p>¿Qué papel tuvieron las empresas privadas en la interiorización por vaga de trabajo?</p>"},
		},
	},
	{
		Author: "colombia@demo.puente.test", Countries: []string{"CO"}, Lang: "es", Tags: []string{"R2", "R3"}, Scope: "public",
		Start: "2021-03", Title: "Estatuto Temporal de Protección para Migrantes Venezolanos",
		Summary:      "Mecanismo que permite a las personas venezolanas en Colombia registrarse y obtener un permiso de permanencia por protección temporal, con acceso a trabajo formal, salud y educación.",
		Institutions: "Migración Colombia; Ministerio de Relaciones Exteriores", Partners: "Organismos de cooperación internacional; gobiernos locales",
		Contact: "Gerencia del Estatuto", Email: "etpv@demo.puente.test", Published: "2021-12-01",
		Sections: [5]string{
			`<p>Colombia recibió a la mayor parte de las personas que salieron de Venezuela. Muchas estaban en situación irregular, sin acceso a empleo formal ni a servicios.</p>`,
			`<p>El Estatuto combinó un <strong>registro único</strong> en línea, una encuesta de caracterización y la entrega de un permiso por protección temporal con validez de diez años.</p>`,
			`<p>La mayoría de la población venezolana en el país inició el registro, lo que dio al Estado información para planificar políticas y a las personas un documento para trabajar y estudiar.</p>`,
			`<ul><li>El registro en línea debe complementarse con jornadas presenciales para quien no tiene conectividad.</li><li>La biometría evita duplicados, pero exige capacidad técnica.</li></ul>`,
			`<p>Aplicable a países con una población migrante numerosa y de una misma nacionalidad; el diseño del registro en línea puede adaptarse con poco costo.</p>`,
		},
		Comments: []demoComment{
			{Author: "chile@demo.puente.test", Body: "<p>¿Cómo se coordinó el acceso al sistema de salud una vez emitido el permiso?</p>"},
		},
	},
	{
		Author: "canada@demo.puente.test", Countries: []string{"CA"}, Lang: "en", Tags: []string{"R3"}, Scope: "public",
		Start: "1979-01", Title: "Private sponsorship of refugees by community groups",
		Summary:      "Groups of citizens, faith communities and organisations commit to supporting a resettled refugee family for their first year, adding places beyond government resettlement and speeding integration.",
		Institutions: "Immigration, Refugees and Citizenship Canada (IRCC)", Partners: "Sponsorship agreement holders; community groups; settlement agencies",
		Contact: "Resettlement policy branch", Email: "sponsorship@demo.puente.test", Published: "2022-03-21",
		Sections: [5]string{
			`<p>Government resettlement alone could not meet the need for durable solutions, and many communities wanted to help directly.</p>`,
			`<p>Sponsors sign an undertaking to provide financial and practical support for a year: housing, orientation, language classes and links to work. The government screens applicants and sponsors.</p>`,
			`<p>Studies have found that privately sponsored refugees tend to find work sooner, helped by their sponsors' networks.</p>`,
			`<p>Sponsors need training and clear guidance; the programme works best when sponsorship adds to, rather than replaces, government places.</p>`,
			`<p>Countries can pilot <a href="https://www.canada.ca/">community sponsorship</a> with a small number of families and established civil society partners.</p>`,
		},
	},
	{
		Author: "chile@demo.puente.test", Countries: []string{"CL"}, Lang: "es", Tags: []string{"O2"}, Scope: "csm",
		Start: "2020-03", End: "2022-06", Title: "Trámites migratorios en línea durante la pandemia",
		Summary:      "Durante la pandemia, los trámites de residencia y las prórrogas se trasladaron a una plataforma en línea, con prórroga automática de documentos vencidos.",
		Institutions: "Servicio Nacional de Migraciones", Partners: "Registro Civil; consulados",
		Contact: "Unidad de atención digital", Email: "tramites@demo.puente.test", Published: "2022-05-12",
		Sections: [5]string{
			`<p>Las medidas sanitarias cerraron las oficinas de atención presencial cuando miles de personas necesitaban renovar sus documentos.</p>`,
			`<p>Se habilitó la presentación de solicitudes en línea y se prorrogó de forma automática la vigencia de los documentos vencidos durante la emergencia.</p>`,
			`<p>La atención no se interrumpió y se redujeron las filas presenciales al reabrir las oficinas.</p>`,
			`<p>La digitalización necesita canales de ayuda para personas con poca conectividad o alfabetización digital.</p>`,
			`<p>La prórroga automática es una medida sencilla que cualquier país puede adoptar por resolución administrativa.</p>`,
		},
	},
	{
		Author: "ecuador@demo.puente.test", Countries: []string{"EC"}, Lang: "es", Tags: []string{"R2"}, Scope: "csm",
		Start: "2019-08", End: "2020-08", Title: "Registro de permanencia y visa de excepción por razones humanitarias",
		Summary:      "Ecuador registró a la población venezolana presente en su territorio y ofreció una visa humanitaria para regularizar su permanencia.",
		Institutions: "Ministerio de Relaciones Exteriores y Movilidad Humana; Ministerio de Gobierno", Partners: "Agencias de cooperación",
		Contact: "Subsecretaría de Migración", Email: "registro.ec@demo.puente.test", Published: "2022-06-30",
		Sections: [5]string{
			`<p>Una parte importante de la población venezolana en Ecuador no tenía estatus regular.</p>`,
			`<p>Se realizó un registro de permanencia seguido de la emisión de una visa de excepción por razones humanitarias, con tasas reducidas.</p>`,
			`<p>Decenas de miles de personas obtuvieron la visa y el Estado contó con datos actualizados sobre esta población.</p>`,
			`<p>Los costos de trámite, aunque reducidos, siguieron siendo una barrera para muchas familias.</p>`,
			`<p>Combinar registro y regularización en un mismo proceso reduce la carga para las personas y para la administración.</p>`,
		},
	},
	{
		Author: "suriname@demo.puente.test", Countries: []string{"SR"}, Lang: "en", Tags: []string{"R2"}, Scope: "members",
		Start: "2019-01", Title: "Training border officers to identify victims of trafficking",
		Summary:      "A training course and a referral checklist help immigration and police officers at Suriname's border posts recognise possible victims of trafficking and refer them to protection.",
		Institutions: "Ministry of Justice and Police; Immigration Service", Partners: "Anti-trafficking working group; international partners",
		Contact: "Trafficking in Persons unit", Email: "tip.training@demo.puente.test", Published: "2022-08-18",
		Sections: [5]string{
			`<p>Few trafficking cases were identified at border posts, although the routes through the region were known to be used by traffickers.</p>`,
			`<p>Officers followed a course on indicators of trafficking and interviewing techniques, and received a one-page <strong>referral checklist</strong> in Dutch and English.</p>`,
			`<p>More suspected cases were referred to the specialised unit after the course, and officers reported more confidence in handling them.</p>`,
			`<p>Refresher sessions are needed because staff rotate often between posts.</p>`,
			`<p>The checklist and course outline are short and can be translated and adapted to other border contexts.</p>`,
		},
		Comments: []demoComment{
			{Author: "oim@demo.puente.test", Body: "<p>IOM's regional office has a Spanish version of a similar referral checklist; we would be glad to share it with the unit.</p>"},
		},
	},
	{
		Author: "costarica@demo.puente.test", Countries: []string{"CR"}, Lang: "es", Tags: []string{"R3"}, Scope: "members",
		Start: "2019-10", Title: "Identificación de necesidades de protección internacional en frontera",
		Summary:      "Protocolo para que el personal migratorio identifique en los puestos fronterizos a personas que necesitan protección internacional y las derive al procedimiento de refugio.",
		Institutions: "Dirección General de Migración y Extranjería", Partners: "Unidad de Refugio; organizaciones de la sociedad civil",
		Contact: "Unidad de Refugio", Email: "proteccion.cr@demo.puente.test", Published: "2023-01-25",
		Sections: [5]string{
			`<p>Personas con necesidades de protección no siempre solicitaban refugio al llegar, por desconocimiento o temor.</p>`,
			`<p>Se elaboró un protocolo con preguntas de tamizaje, material informativo en varios idiomas y una ruta de derivación a la Unidad de Refugio.</p>`,
			`<p>Aumentaron las derivaciones tempranas y mejoró la información que reciben las personas en frontera.</p>`,
			`<p>El tamizaje debe hacerse en un espacio privado y con personal capacitado en entrevista sensible.</p>`,
			`<p>El protocolo es breve y puede adaptarse a cualquier puesto fronterizo con apoyo de las organizaciones locales.</p>`,
		},
	},
	{
		Author: "brasil@demo.puente.test", Countries: []string{"BR", "PY"}, Lang: "pt", Tags: []string{"R2", "R1"}, Scope: "csm",
		Start: "2020-09", Title: "Troca de informações entre Brasil e Paraguai contra o tráfico de pessoas na fronteira",
		Summary:      "Canal permanente entre autoridades migratórias e policiais dos dois países para compartilhar alertas sobre casos suspeitos de tráfico de pessoas e contrabando de migrantes na tríplice fronteira.",
		Institutions: "Polícia Federal do Brasil; Dirección Nacional de Migraciones del Paraguay", Partners: "Ministérios Públicos; redes de proteção locais",
		Contact: "Núcleo de cooperação fronteiriça", Email: "fronteira@demo.puente.test", Published: "2023-04-11",
		Sections: [5]string{
			`<p>Na região de Foz do Iguaçu e Ciudad del Este, redes criminosas aproveitavam a circulação intensa para traficar pessoas.</p>`,
			`<p>Foi criado um canal de comunicação seguro, com pontos focais de cada lado e um formulário comum de alerta.</p>`,
			`<p>Os alertas passaram a ser respondidos em horas, e não em semanas, e houve operações conjuntas.</p>`,
			`<p>A confiança entre os pontos focais é o que faz o canal funcionar; reuniões periódicas presenciais ajudam.</p>`,
			`<p>Adaptável a qualquer fronteira com circulação intensa; o formulário comum está disponível mediante solicitação.</p>`,
		},
	},
	{
		Author: "canada@demo.puente.test", Countries: []string{"CA"}, Lang: "en", Tags: []string{"O2", "R3"}, Scope: "members",
		Start: "2020-04", Title: "Pre-arrival settlement services delivered online",
		Summary:      "Newcomers approved for immigration receive orientation, job-search help and referrals online before they travel, so they arrive ready to start.",
		Institutions: "Immigration, Refugees and Citizenship Canada (IRCC)", Partners: "Funded settlement service providers",
		Contact: "Settlement programme", Email: "prearrival@demo.puente.test", Published: "2023-06-05",
		Sections: [5]string{
			`<p>Newcomers often spent their first months learning how to find work and services; the pandemic also closed in-person sessions abroad.</p>`,
			`<p>Pre-arrival services moved fully online: webinars, one-to-one counselling, credential recognition guidance and mentoring with employers.</p>`,
			`<p>Participants reported feeling better prepared, and online delivery reached people in more countries than in-person sessions did.</p>`,
			`<p>Time-zone differences require sessions at several hours of the day.</p>`,
			`<p>Any country with an approval step before travel can add online orientation at modest cost.</p>`,
		},
	},
	{
		Author: "panama@demo.puente.test", Countries: []string{"PA"}, Lang: "es", Tags: []string{"O2"}, Scope: "members",
		Start: "2020-03", End: "2022-12", Title: "Coordinación sanitaria en las estaciones de recepción migratoria durante la pandemia",
		Summary:      "Protocolo conjunto de migración y salud para atender a las personas migrantes en tránsito durante la pandemia: tamizaje, aislamiento y vacunación en las estaciones de recepción.",
		Institutions: "Servicio Nacional de Migración; Ministerio de Salud", Partners: "Organismos internacionales de salud",
		Contact: "Coordinación de estaciones", Email: "salud.erm@demo.puente.test", Published: "2023-08-22",
		Sections: [5]string{
			`<p>Con las fronteras cerradas, cientos de personas quedaron varadas en las estaciones de recepción, con riesgo de brotes.</p>`,
			`<p>Se acordó un protocolo de tamizaje al ingreso, áreas de aislamiento y la inclusión de la población migrante en la vacunación nacional.</p>`,
			`<p>Se contuvieron los brotes en las estaciones y se vacunó a la población en tránsito sin exigir documentos.</p>`,
			`<p>Incluir a la población migrante en los planes de salud desde el inicio evita respuestas improvisadas.</p>`,
			`<p>Cualquier país con centros de recepción puede integrar a su autoridad de salud en la gestión diaria.</p>`,
		},
	},
	{
		Author: "mexico@demo.puente.test", Countries: []string{"MX"}, Lang: "es", Tags: []string{"R3"}, Scope: "members",
		Start: "2020-01", Title: "Módulos de atención a niñas, niños y adolescentes migrantes",
		Summary:      "Espacios especializados en los puntos de internación para atender a niñas, niños y adolescentes migrantes, con personal capacitado y derivación inmediata al sistema de protección de la infancia.",
		Institutions: "Instituto Nacional de Migración; Sistema Nacional DIF", Partners: "Procuradurías de protección de niñas, niños y adolescentes",
		Contact: "Coordinación de protección a la infancia", Email: "infancia@demo.puente.test",
		Sections: [5]string{
			`<p>Las niñas, niños y adolescentes migrantes, sobre todo los no acompañados, necesitan una atención distinta a la de los adultos.</p>`,
			`<p>Se habilitaron módulos con personal capacitado en entrevista a la infancia y una ruta de derivación inmediata a las procuradurías de protección.</p>`,
			`<p>Se redujo el tiempo que los menores pasan en instalaciones migratorias.</p>`,
			`<p>La coordinación con las procuradurías locales es clave y debe formalizarse.</p>`,
			`<p>Los módulos pueden instalarse en puntos de alta afluencia con una inversión moderada.</p>`,
		},
	},
}
