"""Built-in French word lists: names, companies, towns and exchange comments.

Accents on purpose: search, sorting and the folded keys must cope with them.
"""

FIRST_NAMES = (
    "Adèle Agnès Alain Albane Alexandre Alice Amélie Anaïs André Anne Antoine Armelle "
    "Arnaud Aurélie Aurélien Baptiste Béatrice Benoît Bernard Bérénice Bertrand Brigitte "
    "Camille Capucine Céline Chantal Charles Chloé Christelle Claire Clément Colette Corinne "
    "Cécile Damien Daniel Delphine Denis Didier Dominique Édouard Éléonore Élise Élodie Émile "
    "Émilie Emmanuel Éric Estelle Étienne Eugénie Fabienne Fabrice Florence François Françoise "
    "Frédéric Gaël Gaëlle Gaspard Geneviève Gérard Gilles Grégoire Guillaume Hélène Henri "
    "Hervé Hugues Inès Irène Isabelle Jacques Jean Jeanne Jérémie Jérôme Joël Joëlle Josée "
    "Julie Julien Laëtitia Laure Laurent Léa Léon Léonie Loïc Louis Lucie Lucien Madeleine "
    "Maëlle Manon Marc Margaux Marie Marine Martine Mathieu Maxime Mélanie Michèle Michel "
    "Mireille Nathalie Nicolas Noé Noël Noémie Océane Odile Olivier Pascal Patrice Pénélope "
    "Perrine Philippe Pierre Quentin Raphaël Régis Rémi Renée Sébastien Serge Solène Sophie "
    "Stéphane Sylvie Séverine Thérèse Théo Thibault Thierry Valérie Véronique Victor Xavier "
    "Yann Yannick Yves Zoé"
).split()

LAST_NAMES = (
    "Allard Arnaud Aubert Barbé Barré Baudin Bénard Benoît Bérard Berthelot Besnard Blanchard "
    "Boyer Brémond Briand Brun Carré Chauvin Chevalier Clément Colin Cordier Cousin Da Silva "
    "Daniel David Delaunay Deschamps Desmarais Dubois Dufour Dumas Dupré Dupuis Durand Étienne "
    "Faure Fèvre Fleury Fontaine Fournier Gaillard Garnier Gauthier Gérard Giraud Guérin "
    "Hamon Hébert Héraud Hervé Huet Jacob Joly Labbé Lacroix Lambert Laurent Le Gall Le Goff "
    "Leblanc Leclerc Lefèbvre Lefèvre Lemaître Lemoine Léger Lévêque Mallet Marchand Martin "
    "Masson Mathieu Ménard Mercier Meunier Michaud Morel Moreau Mériaux Noël Olivier Pelletier "
    "Perret Perrin Picard Poirier Prévost Raymond Régnier Rémy Renaud Rey Roche Rolland Rousseau "
    "Roy Sanchez Schmitt Simon Tessier Texier Thibault Vasseur Vidal Vincent Weber Zélie"
).split()

COMPANY_WORDS = (
    "Atelier Boulangerie Cabinet Charpente Chaudronnerie Comptoir Couverture Distribution "
    "Ébénisterie Électricité Entreprise Établissements Garage Hôtel Imprimerie Laboratoire "
    "Maçonnerie Menuiserie Métallerie Négoce Optique Pâtisserie Pharmacie Plâtrerie Plomberie "
    "Quincaillerie Restaurant Scierie Serrurerie Société Taxis Tôlerie Transports Verrerie"
).split()

COMPANY_TRADES = (
    "du Bâtiment", "de l'Étang", "des Forêts", "du Lac", "de la Côte", "des Prés", "du Moulin",
    "de l'Océan", "des Châteaux", "du Sud-Ouest", "de Provence", "des Alpes", "du Périgord",
    "de Bretagne", "d'Alsace", "du Léman", "des Îles", "du Rhône", "de la Forêt", "du Marché",
)

LEGAL_FORMS = ("SARL", "SAS", "SA", "EURL", "SASU", "", "", "", "", "")

# (town, postcode)
TOWNS = (
    ("Besançon", "25000"), ("Orléans", "45000"), ("Nîmes", "30000"), ("Évreux", "27000"),
    ("Sète", "34200"), ("Périgueux", "24000"), ("Angoulême", "16000"), ("Épinal", "88000"),
    ("Mâcon", "71000"), ("Montélimar", "26200"), ("Béziers", "34500"), ("Châlons-en-Champagne",
    "51000"), ("Saint-Étienne", "42000"), ("Clermont-Ferrand", "63000"), ("Valence", "26000"),
    ("Aix-en-Provence", "13100"), ("Compiègne", "60200"), ("Lorient", "56100"),
    ("Quimper", "29000"), ("Thonon-les-Bains", "74200"), ("Bourg-en-Bresse", "01000"),
    ("Châteauroux", "36000"), ("Annecy", "74000"), ("Tulle", "19000"), ("Gérardmer", "88400"),
    ("Fécamp", "76400"), ("Hyères", "83400"), ("Saint-Brieuc", "22000"), ("Agen", "47000"),
    ("Pontoise", "95000"), ("Lyon", "69003"), ("Marseille", "13006"), ("Toulouse", "31000"),
    ("Nantes", "44000"), ("Rennes", "35000"), ("Lille", "59000"), ("Strasbourg", "67000"),
    ("Bordeaux", "33000"), ("Montpellier", "34000"), ("Grenoble", "38000"),
)

STREETS = (
    "rue de la République", "avenue Jean-Jaurès", "place de l'Église", "chemin des Écoliers",
    "rue du Général-Leclerc", "boulevard Gambetta", "impasse des Tilleuls", "rue Pasteur",
    "allée des Châtaigniers", "quai de la Marne", "rue Émile-Zola", "route de Besançon",
)

JOB_TITLES = (
    "Gérant", "Gérante", "Directrice commerciale", "Directeur technique", "Comptable",
    "Responsable des achats", "Assistante de direction", "Chef de chantier", "Secrétaire",
    "Responsable qualité", "Président", "Acheteuse", "Chargé d'affaires", None, None,
)

DOMAINS = ("orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "gmail.com", "sfr.fr")

# Comments: an opening, a subject and a next step, combined.
OPENINGS = (
    "Appel de {first}", "Rendez-vous avec {first}", "Échange avec {first}", "Mail reçu de {first}",
    "Relance téléphonique auprès de {first}", "Visite chez le client, vu {first}",
    "Visio avec {first}", "Courrier envoyé à {first}",
)
SUBJECTS = (
    "au sujet du devis {ref}", "concernant la facture {ref} impayée", "pour la commande {ref}",
    "sur le délai de livraison", "à propos de l'intervention prévue", "pour un nouveau besoin",
    "sur les tarifs de l'année prochaine", "concernant la réclamation qualité",
    "au sujet du contrat d'entretien", "pour préparer la réunion de chantier",
)
NEXT_STEPS = (
    "Rappeler la semaine prochaine.", "Envoyer la proposition révisée.", "Client très intéressé.",
    "Attente de la réponse du bureau d'études.", "Dossier clôturé, rien à prévoir.",
    "Prévoir une démonstration sur site.", "Relancer avant la fin du mois.",
    "Accord de principe obtenu.", "Il faut vérifier le stock avant de confirmer.",
    "Règlement promis pour vendredi.", "",
)

TASK_LABELS = (
    "Rappeler le client", "Envoyer le devis", "Préparer la facture", "Vérifier la livraison",
    "Relancer le paiement", "Planifier l'intervention", "Mettre à jour le contrat",
)

EVENT_TITLES = (
    "Rendez-vous client", "Visite de chantier", "Réunion de suivi", "Démonstration",
    "Point téléphonique", "Livraison", "Signature du contrat", "Salon professionnel",
)

PRODUCTS = (
    "Maintenance annuelle", "Contrat d'entretien", "Pièces détachées", "Main-d'œuvre",
    "Déplacement", "Formation", "Licence logicielle", "Étude préalable", "Installation",
    "Garantie étendue",
)
