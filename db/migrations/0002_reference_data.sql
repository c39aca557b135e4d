-- The 23 member states of the CRM and the CSM, the two processes, and the
-- joint plenary of September 2021 with its objectives and recommendations.

INSERT INTO countries (code, default_lang) VALUES
 ('BZ','en'),('CA','en'),('CR','es'),('DO','es'),('SV','es'),('GT','es'),('HN','es'),('MX','es'),('NI','es'),('PA','es'),('US','en'),
 ('AR','es'),('BO','es'),('BR','pt'),('CL','es'),('CO','es'),('EC','es'),('GY','en'),('PY','es'),('PE','es'),('SR','nl'),('UY','es'),('VE','es');

INSERT INTO country_names (country_code, lang, name) VALUES
 ('BZ','es','Belice'),('BZ','en','Belize'),('BZ','pt','Belize'),('BZ','fr','Belize'),('BZ','nl','Belize'),
 ('CA','es','Canadá'),('CA','en','Canada'),('CA','pt','Canadá'),('CA','fr','Canada'),('CA','nl','Canada'),
 ('CR','es','Costa Rica'),('CR','en','Costa Rica'),('CR','pt','Costa Rica'),('CR','fr','Costa Rica'),('CR','nl','Costa Rica'),
 ('DO','es','República Dominicana'),('DO','en','Dominican Republic'),('DO','pt','República Dominicana'),('DO','fr','République dominicaine'),('DO','nl','Dominicaanse Republiek'),
 ('SV','es','El Salvador'),('SV','en','El Salvador'),('SV','pt','El Salvador'),('SV','fr','Salvador'),('SV','nl','El Salvador'),
 ('GT','es','Guatemala'),('GT','en','Guatemala'),('GT','pt','Guatemala'),('GT','fr','Guatemala'),('GT','nl','Guatemala'),
 ('HN','es','Honduras'),('HN','en','Honduras'),('HN','pt','Honduras'),('HN','fr','Honduras'),('HN','nl','Honduras'),
 ('MX','es','México'),('MX','en','Mexico'),('MX','pt','México'),('MX','fr','Mexique'),('MX','nl','Mexico'),
 ('NI','es','Nicaragua'),('NI','en','Nicaragua'),('NI','pt','Nicarágua'),('NI','fr','Nicaragua'),('NI','nl','Nicaragua'),
 ('PA','es','Panamá'),('PA','en','Panama'),('PA','pt','Panamá'),('PA','fr','Panama'),('PA','nl','Panama'),
 ('US','es','Estados Unidos'),('US','en','United States'),('US','pt','Estados Unidos'),('US','fr','États-Unis'),('US','nl','Verenigde Staten'),
 ('AR','es','Argentina'),('AR','en','Argentina'),('AR','pt','Argentina'),('AR','fr','Argentine'),('AR','nl','Argentinië'),
 ('BO','es','Bolivia'),('BO','en','Bolivia'),('BO','pt','Bolívia'),('BO','fr','Bolivie'),('BO','nl','Bolivia'),
 ('BR','es','Brasil'),('BR','en','Brazil'),('BR','pt','Brasil'),('BR','fr','Brésil'),('BR','nl','Brazilië'),
 ('CL','es','Chile'),('CL','en','Chile'),('CL','pt','Chile'),('CL','fr','Chili'),('CL','nl','Chili'),
 ('CO','es','Colombia'),('CO','en','Colombia'),('CO','pt','Colômbia'),('CO','fr','Colombie'),('CO','nl','Colombia'),
 ('EC','es','Ecuador'),('EC','en','Ecuador'),('EC','pt','Equador'),('EC','fr','Équateur'),('EC','nl','Ecuador'),
 ('GY','es','Guyana'),('GY','en','Guyana'),('GY','pt','Guiana'),('GY','fr','Guyana'),('GY','nl','Guyana'),
 ('PY','es','Paraguay'),('PY','en','Paraguay'),('PY','pt','Paraguai'),('PY','fr','Paraguay'),('PY','nl','Paraguay'),
 ('PE','es','Perú'),('PE','en','Peru'),('PE','pt','Peru'),('PE','fr','Pérou'),('PE','nl','Peru'),
 ('SR','es','Surinam'),('SR','en','Suriname'),('SR','pt','Suriname'),('SR','fr','Suriname'),('SR','nl','Suriname'),
 ('UY','es','Uruguay'),('UY','en','Uruguay'),('UY','pt','Uruguai'),('UY','fr','Uruguay'),('UY','nl','Uruguay'),
 ('VE','es','Venezuela'),('VE','en','Venezuela'),('VE','pt','Venezuela'),('VE','fr','Venezuela'),('VE','nl','Venezuela');

INSERT INTO processes (code) VALUES ('CRM'), ('CSM');

INSERT INTO process_names (process_code, lang, short_name, name) VALUES
 ('CRM','es','CRM','Conferencia Regional sobre Migración (Proceso Puebla)'),
 ('CRM','en','CRM','Regional Conference on Migration (Puebla Process)'),
 ('CRM','pt','CRM','Conferência Regional sobre Migração (Processo de Puebla)'),
 ('CRM','fr','CRM','Conférence régionale sur les migrations (Processus de Puebla)'),
 ('CRM','nl','CRM','Regionale Conferentie over Migratie (Puebla-proces)'),
 ('CSM','es','CSM','Conferencia Suramericana sobre Migraciones'),
 ('CSM','en','CSM','South American Conference on Migration'),
 ('CSM','pt','CSM','Conferência Sul-Americana sobre Migrações'),
 ('CSM','fr','CSM','Conférence sud-américaine sur les migrations'),
 ('CSM','nl','CSM','Zuid-Amerikaanse Conferentie over Migratie');

INSERT INTO process_members (process_code, country_code) VALUES
 ('CRM','BZ'),('CRM','CA'),('CRM','CR'),('CRM','DO'),('CRM','SV'),('CRM','GT'),('CRM','HN'),('CRM','MX'),('CRM','NI'),('CRM','PA'),('CRM','US'),
 ('CSM','AR'),('CSM','BO'),('CSM','BR'),('CSM','CL'),('CSM','CO'),('CSM','EC'),('CSM','GY'),('CSM','PY'),('CSM','PE'),('CSM','SR'),('CSM','UY'),('CSM','VE');

INSERT INTO meetings (id, slug, starts_on, ends_on, created_at) VALUES
 (1, 'crm-csm-plenary-2021', '2021-09-09', '2021-09-10', '2021-09-10T00:00:00.000000Z');

INSERT INTO meeting_i18n (meeting_id, lang, title) VALUES
 (1,'es','Buscando acciones conjuntas para una mejor gobernanza migratoria incluyendo el abordaje a la migración irregular'),
 (1,'en','Seeking joint actions for better migration governance, including addressing irregular migration'),
 (1,'pt','Buscando ações conjuntas para uma melhor governança migratória, incluindo a abordagem da migração irregular'),
 (1,'fr','À la recherche d''actions conjointes pour une meilleure gouvernance des migrations, y compris la réponse à la migration irrégulière'),
 (1,'nl','Op zoek naar gezamenlijke acties voor beter migratiebeheer, met inbegrip van de aanpak van irreguliere migratie');

INSERT INTO tags (id, meeting_id, kind, number) VALUES
 (1, 1, 'objective', 1), (2, 1, 'objective', 2),
 (3, 1, 'recommendation', 1), (4, 1, 'recommendation', 2), (5, 1, 'recommendation', 3);

INSERT INTO tag_i18n (tag_id, lang, label, body) VALUES
 (1,'es','Colaboración entre ambos procesos','Promover una mayor colaboración entre los países de ambos mecanismos para atender desafíos colectivos relacionados con la gobernanza migratoria, para abordar los flujos irregulares y la migración extra-regional y compartir buenas prácticas en la gestión e identificar los próximos pasos concretos para abordar estos problemas de manera conjunta con respeto a los derechos humanos de las personas migrantes, en el espíritu de la cooperación.'),
 (1,'en','Collaboration between both processes','Promote greater collaboration between the countries of both mechanisms to meet collective challenges of migration governance: to address irregular flows and extra-regional migration, share good management practices and identify concrete next steps to tackle these problems jointly, with respect for the human rights of migrants, in the spirit of cooperation.'),
 (1,'pt','Colaboração entre ambos os processos','Promover uma maior colaboração entre os países de ambos os mecanismos para enfrentar desafios coletivos relacionados à governança migratória, abordar os fluxos irregulares e a migração extrarregional, compartilhar boas práticas de gestão e identificar os próximos passos concretos para abordar esses problemas de forma conjunta, com respeito aos direitos humanos das pessoas migrantes, no espírito da cooperação.'),
 (1,'fr','Collaboration entre les deux processus','Promouvoir une plus grande collaboration entre les pays des deux mécanismes pour relever les défis collectifs liés à la gouvernance des migrations : traiter les flux irréguliers et la migration extrarégionale, partager les bonnes pratiques de gestion et définir des prochaines étapes concrètes pour aborder ces problèmes conjointement, dans le respect des droits humains des personnes migrantes et dans un esprit de coopération.'),
 (1,'nl','Samenwerking tussen beide processen','Meer samenwerking bevorderen tussen de landen van beide mechanismen om gezamenlijke uitdagingen van migratiebeheer aan te gaan: irreguliere stromen en extraregionale migratie aanpakken, goede praktijken in het beheer delen en concrete volgende stappen bepalen om deze problemen gezamenlijk aan te pakken, met respect voor de mensenrechten van migranten, in een geest van samenwerking.'),
 (2,'es','Colaboración entre actores ante la pandemia','Colaboración entre los actores relacionados con la migración y teniendo en cuenta el desafío actual que implica la pandemia para los países.'),
 (2,'en','Collaboration among actors amid the pandemic','Collaboration among migration-related actors, taking into account the current challenge that the pandemic poses for the countries.'),
 (2,'pt','Colaboração entre atores diante da pandemia','Colaboração entre os atores relacionados à migração, levando em conta o desafio atual que a pandemia representa para os países.'),
 (2,'fr','Collaboration entre acteurs face à la pandémie','Collaboration entre les acteurs liés à la migration, compte tenu du défi actuel que représente la pandémie pour les pays.'),
 (2,'nl','Samenwerking tussen actoren tijdens de pandemie','Samenwerking tussen de actoren op het gebied van migratie, rekening houdend met de huidige uitdaging die de pandemie voor de landen betekent.'),
 (3,'es','Acciones conjuntas sobre migración irregular','Diálogo para implementar acciones conjuntas para atender la migración irregular.'),
 (3,'en','Joint action on irregular migration','Dialogue to implement joint actions to address irregular migration.'),
 (3,'pt','Ações conjuntas sobre migração irregular','Diálogo para implementar ações conjuntas para atender à migração irregular.'),
 (3,'fr','Actions conjointes sur la migration irrégulière','Dialogue pour mettre en œuvre des actions conjointes face à la migration irrégulière.'),
 (3,'nl','Gezamenlijke acties tegen irreguliere migratie','Dialoog om gezamenlijke acties uit te voeren om irreguliere migratie aan te pakken.'),
 (4,'es','Vías regulares; contra el tráfico y la trata','Fomentar la implementación de vías adicionales para la migración regular, fortalecer el intercambio de información a fin de combatir el tráfico ilícito y la trata de personas.'),
 (4,'en','Regular pathways; against smuggling and trafficking','Encourage additional pathways for regular migration, and strengthen information exchange to combat migrant smuggling and trafficking in persons.'),
 (4,'pt','Vias regulares; contra o tráfico e o tráfico de pessoas','Fomentar a implementação de vias adicionais para a migração regular e fortalecer o intercâmbio de informações a fim de combater o tráfico ilícito de migrantes e o tráfico de pessoas.'),
 (4,'fr','Voies régulières ; contre le trafic et la traite','Encourager la mise en place de voies supplémentaires de migration régulière et renforcer l''échange d''informations afin de lutter contre le trafic illicite de migrants et la traite des personnes.'),
 (4,'nl','Reguliere routes; tegen smokkel en mensenhandel','De invoering van aanvullende routes voor reguliere migratie bevorderen en de uitwisseling van informatie versterken om migrantensmokkel en mensenhandel te bestrijden.'),
 (5,'es','Asilo, integración y lucha contra la xenofobia','Facilitar el acceso a los sistemas de asilo y protección internacional a las personas migrantes que así lo requieran e identificar mecanismos para la integración de migrantes y combatir la xenofobia.'),
 (5,'en','Asylum, integration and combating xenophobia','Facilitate access to asylum and international protection systems for migrants who need them, and identify mechanisms for the integration of migrants and for combating xenophobia.'),
 (5,'pt','Asilo, integração e combate à xenofobia','Facilitar o acesso aos sistemas de asilo e proteção internacional às pessoas migrantes que assim o requeiram e identificar mecanismos para a integração de migrantes e o combate à xenofobia.'),
 (5,'fr','Asile, intégration et lutte contre la xénophobie','Faciliter l''accès aux systèmes d''asile et de protection internationale pour les personnes migrantes qui en ont besoin, et identifier des mécanismes d''intégration des migrants et de lutte contre la xénophobie.'),
 (5,'nl','Asiel, integratie en bestrijding van vreemdelingenhaat','De toegang tot asiel- en internationale beschermingssystemen vergemakkelijken voor migranten die dat nodig hebben, en mechanismen vaststellen voor de integratie van migranten en de bestrijding van vreemdelingenhaat.');
