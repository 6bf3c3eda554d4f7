"""The pages every French public site needs, written for one organisation.

`load_pages(organisation)` fills the home page (banner, key figures, text, call to
action), creates "Comment ça marche", "Données personnelles", "Accessibilité" and
"Mentions légales" under it, and sets the main menu and footer links. The text
is the commune's content, in French, for its editors to adapt: bracketed passages
are placeholders to fill (host, audit results...). Addresses and the data
protection officer come from the organisation through the contact block, so they
follow later edits of the organisation.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from wagtail.models import Page

from carte.models import Organisation
from cms.models import ContentPage, HomePage

# French typography: a no-break space before : ; ? ! and inside « ».
_SPACE_BEFORE = re.compile(r" ([:;?!»])")
_SPACE_AFTER = re.compile(r"« ")


def _french(text: str) -> str:
    return _SPACE_AFTER.sub("«\u00a0", _SPACE_BEFORE.sub("\u00a0\\1", text))


def _typeset(value):
    """Apply French spacing to every string of a raw StreamField value."""
    if isinstance(value, str):
        return _french(value)
    if isinstance(value, list):
        return [_typeset(item) for item in value]
    if isinstance(value, dict):
        return {key: _typeset(item) for key, item in value.items()}
    return value


def _block(block_type: str, value) -> dict:
    return {"type": block_type, "value": _typeset(value), "id": str(uuid.uuid4())}


def _text(html: str) -> dict:
    return _block("rich_text", html)


def _callout(title: str, html: str) -> dict:
    return _block("callout", {"title": title, "text": html})


def _table(caption: str, header: list[str], rows: list[list[str]]) -> dict:
    return _block("table", {"caption": caption, "header": header, "rows": rows})


def _contact(which: str = "organisation") -> dict:
    return _block("contact", {"which": which})


def _link(label: str, *, page: Page | None = None, url: str = "") -> dict:
    return {"label": label, "page": page.pk if page else None, "url": url}


def _page_link(page: Page, text: str) -> str:
    """A rich-text link to a page, in Wagtail's storage format."""
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


@dataclass(frozen=True)
class PageSpec:
    slug: str
    title: str
    introduction: str  # may name the organisation: {name}
    body: Callable[[Organisation, dict[str, ContentPage]], list[dict]]


def _how_it_works(organisation: Organisation, pages) -> list[dict]:
    name = organisation.name
    return [
        _text(
            "<h2>1. Vous proposez une idée</h2>"
            "<p>Pendant la période de dépôt, vous proposez une idée pour améliorer "
            f"la vie à {name} : un aménagement, un équipement, des plantations… "
            "Décrivez-la en quelques lignes et situez-la sur la carte. Vous pouvez "
            "aussi soutenir et commenter les idées des autres.</p>"
            "<h2>2. Les services de la ville étudient les idées</h2>"
            "<p>Les services vérifient que chaque idée respecte le règlement : elle "
            f"relève des compétences de {name}, elle sert l'intérêt général, c'est "
            "un investissement et non une dépense de fonctionnement, et son coût "
            "tient dans le budget. Ils estiment son coût et peuvent regrouper des "
            "idées proches. Chaque décision est expliquée sur le site.</p>"
            "<h2>3. Vous votez</h2>"
            "<p>Les projets retenus sont soumis au vote. Vous choisissez ceux que "
            "vous préférez, sur ce site ou dans un lieu de vote. Chaque personne vote "
            "une seule fois et son vote est secret : personne ne peut savoir pour "
            "quels projets vous avez voté.</p>"
            "<h2>4. Les projets lauréats sont réalisés</h2>"
            "<p>Les projets qui ont reçu le plus de voix sont retenus, dans la "
            "limite du budget. La règle de calcul est publiée avant le vote. Vous "
            "suivez ensuite l'avancement de chaque projet sur ce site, jusqu'à sa "
            "réalisation.</p>"
        ),
        _callout(
            "Qui peut participer ?",
            f"<p>Toute personne qui habite {name} peut proposer une idée et voter, "
            "sans condition de nationalité. L'âge minimum et les autres conditions "
            "sont fixés par le règlement du budget participatif.</p>",
        ),
        _text(
            "<h2>Besoin d'aide ?</h2>"
            "<p>Si vous ne pouvez pas utiliser ce site, la mairie vous accompagne : "
            "vous pouvez proposer une idée ou voter sur place, avec l'aide d'un "
            "agent. Contactez-nous :</p>"
        ),
        _contact(),
    ]


def _personal_data(organisation: Organisation, pages) -> list[dict]:
    name = organisation.name
    staff = f"Services habilités de {name}"
    public_interest = "Mission d'intérêt public (article 6-1-e du RGPD)"
    return [
        _text(
            "<h2>Qui est responsable de vos données ?</h2>"
            f"<p>{name} est responsable des traitements de données personnelles "
            "faits sur ce site. Seules les personnes habilitées de ses services y "
            "ont accès, ainsi que l'hébergeur du site, qui agit pour son compte. "
            "Vos données ne sont ni vendues ni utilisées à des fins commerciales.</p>"
        ),
        _contact(),
        _text(
            "<h2>Ce que les autres voient</h2>"
            "<p>Sur les pages publiques, seul votre pseudonyme apparaît à côté de "
            "vos idées et commentaires. Votre adresse e-mail n'est jamais publiée. "
            "Votre vote est secret : la liste des votants ne dit pas pour quels "
            "projets chacun a voté.</p>"
            "<h2>Registre des traitements</h2>"
        ),
        _table(
            "Traitements de données personnelles faits sur ce site",
            [
                "Traitement",
                "Finalité",
                "Base légale",
                "Données",
                "Durée de conservation",
                "Destinataires",
            ],
            [
                [
                    "Compte",
                    "Vous identifier pour proposer, commenter, soutenir et voter",
                    public_interest,
                    "Adresse e-mail, pseudonyme, mot de passe (conservé chiffré), "
                    "quartier de résidence si vous l'indiquez",
                    "Jusqu'à la suppression de votre compte, ou 3 ans après votre "
                    "dernière connexion",
                    f"{staff}, hébergeur",
                ],
                [
                    "Idées, commentaires et soutiens",
                    "Publier, modérer et étudier les contributions",
                    public_interest,
                    "Texte, photos, emplacement sur la carte, pseudonyme, date",
                    "Pendant l'édition du budget participatif, puis archives "
                    "publiques ; anonymisés quand vous supprimez votre compte",
                    f"Public (pseudonyme et contenu), modérateurs, services de {name}",
                ],
                [
                    "Vote",
                    "Garantir un seul vote par personne en gardant le vote secret",
                    public_interest,
                    "Liste des votants : compte, date, lieu de vote. Les bulletins "
                    "ne contiennent aucune donnée sur vous.",
                    "Liste des votants : 2 mois après la publication des résultats "
                    "(délai de recours)",
                    f"Agents habilités de {name}",
                ],
                [
                    "Messages par e-mail",
                    "Vous informer des suites de vos contributions et des étapes",
                    f"{public_interest} ; consentement pour les lettres d'information",
                    "Adresse e-mail",
                    "Jusqu'à votre désinscription ou la suppression du compte",
                    f"{staff}, prestataire d'envoi",
                ],
                [
                    "Sécurité",
                    "Protéger le site et les comptes",
                    "Obligation légale (article 6-1-c du RGPD)",
                    "Adresse IP, date et heure de connexion, actions dans l'espace "
                    "de gestion",
                    "1 an",
                    "Services techniques habilités, hébergeur",
                ],
            ],
        ),
        _text(
            "<h2>Cookies</h2>"
            "<p>Ce site dépose seulement deux cookies strictement nécessaires : l'un "
            "garde votre session ouverte, l'autre protège les formulaires contre les "
            "envois frauduleux. Ils ne servent à aucun suivi et ne demandent pas "
            "votre consentement (article 82 de la loi Informatique et Libertés). Ce "
            "site n'utilise ni mesure d'audience ni publicité.</p>"
            "<h2>Vos droits</h2>"
            "<p>Vous pouvez accéder à vos données, les corriger, les effacer, en "
            "limiter l'utilisation ou vous opposer à leur utilisation. Vous pouvez "
            "aussi définir des directives sur le sort de vos données après votre "
            "décès. Depuis votre compte, vous pouvez modifier vos informations ou "
            "supprimer votre compte.</p>"
            "<p>Pour exercer vos droits ou pour toute question, écrivez au délégué à "
            "la protection des données :</p>"
        ),
        _contact("dpo"),
        _text(
            "<h2>Réclamation auprès de la CNIL</h2>"
            "<p>Si vous estimez, après nous avoir contactés, que vos droits ne sont "
            "pas respectés, vous pouvez adresser une réclamation à la Commission "
            "nationale de l'informatique et des libertés (CNIL) : en ligne sur "
            '<a href="https://www.cnil.fr/fr/plaintes">cnil.fr/fr/plaintes</a>, '
            "ou par courrier à CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris "
            "Cedex 07.</p>"
        ),
    ]


def _accessibility(organisation: Organisation, pages) -> list[dict]:
    url = organisation.site.root_url
    return [
        _text(
            f"<p>Cette déclaration d'accessibilité s'applique au site {url}.</p>"
            "<h2>État de conformité</h2>"
            f"<p>Le site {url} est <b>non conforme</b> avec le référentiel général "
            "d'amélioration de l'accessibilité (RGAA), version 4.1, car il n'a pas "
            "encore fait l'objet d'un audit de conformité.</p>"
            "<p>[Après l'audit, remplacer le paragraphe précédent par : « Le site "
            "est partiellement conforme (ou totalement conforme) avec le RGAA "
            "version 4.1 en raison des non-conformités énumérées ci-dessous. », et "
            "mettre à jour la mention « Accessibilité » du pied de page.]</p>"
            "<h3>Résultats des tests</h3>"
            "<p>[À compléter après l'audit : « L'audit de conformité réalisé par "
            "[nom de l'auditeur] en [mois et année] révèle que [X] % des critères "
            "du RGAA version 4.1 sont respectés. »]</p>"
            "<h2>Contenus non accessibles</h2>"
            "<h3>Non-conformités</h3>"
            "<p>[Liste des critères non respectés et de leurs effets pour les "
            "personnes, à compléter après l'audit.]</p>"
            "<h3>Dérogations pour charge disproportionnée</h3>"
            "<p>[Aucune, ou la liste des contenus concernés avec la justification.]"
            "</p>"
            "<h3>Contenus non soumis à l'obligation d'accessibilité</h3>"
            "<p>[Par exemple : documents bureautiques publiés avant le 23 septembre "
            "2018.] Les cartes interactives ne sont pas soumises à l'obligation ; "
            "chaque carte de ce site est accompagnée de la liste des mêmes éléments "
            "sur la même page.</p>"
            "<h2>Établissement de cette déclaration d'accessibilité</h2>"
            "<p>Cette déclaration a été établie le [date de la déclaration].</p>"
            "<h3>Technologies utilisées pour la réalisation du site</h3>"
            "<ul><li>HTML5</li><li>CSS</li>"
            "<li>JavaScript (le site fonctionne aussi sans)</li></ul>"
            "<h3>Environnement de test</h3>"
            "<p>[Combinaisons de lecteurs d'écran et de navigateurs utilisées, par "
            "exemple NVDA avec Firefox, VoiceOver avec Safari.]</p>"
            "<h3>Outils pour évaluer l'accessibilité</h3>"
            "<p>[Par exemple : axe-core, validateur HTML du W3C, contrôle manuel.]"
            "</p>"
            "<h3>Pages du site ayant fait l'objet de la vérification de conformité"
            "</h3>"
            "<p>[Liste des pages de l'échantillon audité.]</p>"
            "<h2>Retour d'information et contact</h2>"
            "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, vous "
            "pouvez contacter le responsable du site pour être orienté vers une "
            "solution accessible ou obtenir le contenu sous une autre forme.</p>"
        ),
        _contact(),
        _text(
            "<h2>Voies de recours</h2>"
            "<p>Cette procédure est à utiliser dans le cas suivant : vous avez "
            "signalé au responsable du site un défaut d'accessibilité qui vous "
            "empêche d'accéder à un contenu ou à un des services du site, et vous "
            "n'avez pas obtenu de réponse satisfaisante. Vous pouvez :</p>"
            "<ul>"
            '<li>écrire un message au <a href="https://formulaire.defenseurdesdroits'
            '.fr/">Défenseur des droits</a> ;</li>'
            '<li>contacter <a href="https://www.defenseurdesdroits.fr/saisir/'
            'delegues">le délégué du Défenseur des droits dans votre région</a> ;'
            "</li>"
            "<li>envoyer un courrier par la poste (gratuit, ne pas mettre de "
            "timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris "
            "CEDEX 07.</li>"
            "</ul>"
        ),
    ]


def _legal_notice(organisation: Organisation, pages) -> list[dict]:
    name = organisation.name
    privacy = _page_link(pages["donnees-personnelles"], "Données personnelles")
    return [
        _text(f"<h2>Éditeur du site</h2><p>Ce site est édité par {name} :</p>"),
        _contact(),
        _text(
            "<p>Directeur ou directrice de la publication : [nom], [maire ou "
            f"président(e)] de {name}.</p>"
            "<h2>Hébergement</h2>"
            "<p>[Nom de l'hébergeur, adresse postale et numéro de téléphone, comme "
            "le demande l'article 6 de la loi n° 2004-575 du 21 juin 2004 pour la "
            "confiance dans l'économie numérique.]</p>"
            "<h2>Propriété intellectuelle</h2>"
            f"<p>Sauf mention contraire, les textes publiés par {name} sur ce site "
            "peuvent être réutilisés librement selon les conditions de la Licence "
            "Ouverte version 2.0 (Etalab), en citant la source. Le logo et les "
            f"images de {name} ne peuvent pas être réutilisés sans son accord.</p>"
            "<p>Les idées et commentaires restent la propriété de leurs auteurs, qui "
            f"autorisent {name} à les publier sur ce site et à les reprendre pour "
            "étudier et réaliser les projets.</p>"
            "<h2>Crédits</h2>"
            "<ul>"
            "<li>Logiciel : Agora, logiciel libre de participation citoyenne, sous "
            "licence GNU AGPL version 3 ou ultérieure.</li>"
            f"<li>Fonds de carte : {organisation.effective_tile_attribution}.</li>"
            "<li>Photographies : [auteurs et licences].</li>"
            "</ul>"
            "<h2>Données personnelles</h2>"
            f"<p>Pour savoir comment vos données sont utilisées et comment exercer "
            f"vos droits, lisez la page {privacy}.</p>"
        ),
    ]


# In creation order: a page may link to those created before it.
PAGES = (
    PageSpec(
        "comment-ca-marche",
        "Comment ça marche",
        "Le budget participatif permet aux habitants de proposer et de choisir des "
        "projets financés par {name}. Voici comment il se déroule, étape par étape.",
        _how_it_works,
    ),
    PageSpec(
        "donnees-personnelles",
        "Données personnelles",
        "Comment vos données sont utilisées quand vous participez sur ce site, et "
        "comment exercer vos droits.",
        _personal_data,
    ),
    PageSpec(
        "accessibilite",
        "Accessibilité",
        "Déclaration d'accessibilité établie selon le référentiel général "
        "d'amélioration de l'accessibilité (RGAA), version 4.1.",
        _accessibility,
    ),
    PageSpec(
        "mentions-legales",
        "Mentions légales",
        "Qui publie ce site, qui l'héberge, et comment réutiliser ses contenus.",
        _legal_notice,
    ),
)


def _home_body(organisation: Organisation, pages: dict[str, ContentPage]) -> list:
    figures = [
        {"value": "4 étapes", "label": "de l'idée à la réalisation"},
        {"value": "1 vote", "label": "par personne, en ligne ou sur place"},
    ]
    if organisation.population:
        population = f"{organisation.population:,}".replace(",", "\u202f")
        figures.append({"value": population, "label": "habitants peuvent participer"})
    return [
        _block(
            "hero",
            {
                "title": "Budget participatif",
                "text": "Vous avez une idée pour votre quartier ? Proposez-la, "
                "votez pour les projets que vous préférez et suivez leur "
                "réalisation.",
                "image": None,
                "image_alt": "",
                "action": _link(
                    "Découvrir comment participer", page=pages["comment-ca-marche"]
                ),
            },
        ),
        _block(
            "key_figures",
            {"title": "Le budget participatif en bref", "figures": figures},
        ),
        _text(
            "<h2>Un budget décidé avec vous</h2>"
            f"<p>{organisation.name} confie à ses habitants une partie de son budget "
            "d'investissement. Vous proposez des idées, les services de la ville "
            "vérifient qu'elles sont réalisables, puis vous votez pour choisir "
            "celles qui seront réalisées.</p>"
        ),
        _block(
            "call_to_action",
            {
                "title": "Créez votre compte",
                "text": "Un compte suffit pour proposer une idée, la soutenir ou "
                "voter. Seul votre pseudonyme est affiché.",
                "action": _link("Créer un compte", url=reverse("account_signup")),
            },
        ),
    ]


def _find_child(home: HomePage, spec: PageSpec) -> ContentPage | None:
    """The page already made for `spec`, even if an editor renamed its slug."""
    children = ContentPage.objects.child_of(home)
    return (
        children.filter(slug=spec.slug).first()
        or children.filter(title=spec.title).first()
    )


@transaction.atomic
def load_pages(organisation: Organisation) -> None:
    """Fill the organisation's site with its home content and legal pages.

    Idempotent: an existing page (found by slug or title) is left as it is, and the
    home page's content, menu and footer links are only filled while empty and
    without an editor's unpublished draft. Each change is a published revision,
    so it shows in the page history.
    """
    home = HomePage.objects.get(pk=organisation.site.root_page_id)
    pages: dict[str, ContentPage] = {}
    for spec in PAGES:
        page = _find_child(home, spec)
        if page is None:
            page = ContentPage(
                title=spec.title,
                slug=spec.slug,
                introduction=_french(spec.introduction.format(name=organisation.name)),
                body=spec.body(organisation, pages),
            )
            home.add_child(instance=page)
            page.save_revision().publish()
            home.refresh_from_db()
        pages[spec.slug] = page

    if home.has_unpublished_changes:
        return
    changed = False
    if not home.body:
        home.body = _home_body(organisation, pages)
        changed = True
    if not home.navigation:
        home.navigation = [
            _block("link", _link("Comment ça marche", page=pages["comment-ca-marche"]))
        ]
        changed = True
    if not home.footer_links:
        home.footer_links = [
            _block("link", _link("Mentions légales", page=pages["mentions-legales"])),
            # RGAA: the footer states the compliance status; update after an audit.
            _block(
                "link",
                _link("Accessibilité : non conforme", page=pages["accessibilite"]),
            ),
            _block(
                "link",
                _link("Données personnelles", page=pages["donnees-personnelles"]),
            ),
        ]
        changed = True
    if changed:
        home.save_revision().publish()
