"""Demo data for participation: a cycle in its ideas phase, themes, about forty
proposals in Valbourg and eight in Saint-Aubin, with supports and comments.

`load_participation(report)` is idempotent (run it again: nothing is duplicated)
and runs after the organisations and staff accounts of cms.demo. Points are drawn
inside each district's outline from a fixed random seed; dates are relative to
today, so the ideas phase is always open.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carte import geometry
from carte.models import District, Organisation, User
from carte.roles import Role
from participation import phases, workflow
from participation.models import (
    Channel,
    Comment,
    Cycle,
    CyclePhase,
    ModerationEvent,
    Proposal,
    Support,
    Theme,
)

PASSWORD = "Agora-demo-2026"
CYCLE_SLUG = "budget-participatif-2027"
CYCLE_TITLE = "Budget participatif 2027"
PRESENTATION = (
    "La commune consacre une part de son budget d'investissement à des projets "
    "proposés et choisis par les habitantes et les habitants.\n\n"
    "Déposez vos idées jusqu'à la fin de la phase des idées : les services de la "
    "mairie les étudient, puis tout le monde vote pour ses projets préférés."
)
THEMES = [
    ("cadre-de-vie", "Cadre de vie"),
    ("mobilites", "Mobilités"),
    ("nature-en-ville", "Nature en ville"),
    ("sport-et-loisirs", "Sport et loisirs"),
    ("solidarites", "Solidarités"),
    ("culture", "Culture"),
]


@dataclass(frozen=True)
class DemoIdea:
    title: str
    description: str
    theme: str  # theme slug
    district: str | None  # district code; None: the whole commune
    address: str = ""
    cost_euros: int | None = None
    counter: bool = False
    submitted_only: bool = False  # not yet published (waiting for moderation)


V = DemoIdea
VALBOURG_IDEAS = [
    V(
        "Des bancs le long de la promenade de l'Indre",
        "Les personnes âgées du quartier aimeraient pouvoir s'asseoir pendant leur "
        "promenade.\n\nCinq ou six bancs suffiraient, à l'ombre des platanes.",
        "cadre-de-vie",
        "centre-ville",
        "Promenade de l'Indre",
        6000,
    ),
    V(
        "Un composteur partagé square Jean-Moulin",
        "Beaucoup d'habitants des immeubles n'ont pas de jardin. Un composteur "
        "collectif réduirait nos déchets et servirait aux jardinières du square.",
        "nature-en-ville",
        "centre-ville",
        "Square Jean-Moulin",
        1500,
    ),
    V(
        "Piste cyclable entre la gare et le lycée",
        "Les lycéens longent la route départementale à vélo, sans protection. Une "
        "piste séparée sécuriserait leur trajet quotidien.",
        "mobilites",
        "la-gare",
        "Avenue de la Gare",
        120000,
    ),
    V(
        "Abri à vélos sécurisé à la gare",
        "Les vélos garés à la gare sont souvent abîmés ou volés. Un abri fermé, "
        "accessible avec la carte de transport, encouragerait le train + vélo.",
        "mobilites",
        "la-gare",
        "Parvis de la gare",
        25000,
    ),
    V(
        "Réparer la balançoire du parc des Tilleuls",
        "La balançoire est cassée depuis l'été. Les enfants du quartier n'ont plus "
        "que le toboggan.",
        "sport-et-loisirs",
        "les-tilleuls",
        "Parc des Tilleuls",
        2500,
    ),
    V(
        "Un terrain de basket aux Tilleuls",
        "Les jeunes jouent sur le parking faute de terrain. Un demi-terrain avec deux "
        "paniers leur donnerait un lieu à eux.",
        "sport-et-loisirs",
        "les-tilleuls",
        "Rue des Tilleuls",
        45000,
    ),
    V(
        "Boîte à livres devant la médiathèque",
        "Une armoire où chacun dépose et prend des livres librement, à côté de "
        "l'entrée de la médiathèque.",
        "culture",
        "centre-ville",
        "Place de la Médiathèque",
        800,
    ),
    V(
        "Fontaine à eau potable au city-stade",
        "En été, les enfants qui jouent au city-stade n'ont pas d'eau. Une fontaine "
        "publique serait bienvenue.",
        "sport-et-loisirs",
        "le-moulin",
        "City-stade du Moulin",
        7000,
    ),
    V(
        "Verger partagé près du moulin",
        "Planter une vingtaine d'arbres fruitiers sur le terrain en friche derrière "
        "le moulin, entretenus avec l'école et les habitants.",
        "nature-en-ville",
        "le-moulin",
        "Chemin du Moulin",
        9000,
    ),
    V(
        "Éclairage du chemin piéton vers l'école",
        "Le chemin qui relie la rue des Écoles au lotissement est très sombre "
        "l'hiver. Des lampadaires à détection de présence rassureraient les familles.",
        "cadre-de-vie",
        "le-moulin",
        "Chemin des Écoliers",
        18000,
    ),
    V(
        "Passage piéton surélevé rue Victor-Hugo",
        "Les voitures roulent vite devant la boulangerie. Un plateau ralentisseur "
        "protégerait les piétons.",
        "mobilites",
        "centre-ville",
        "Rue Victor-Hugo",
        15000,
    ),
    V(
        "Jardin partagé à la gare",
        "Transformer la pelouse inutilisée près de la gare en jardin potager partagé, "
        "avec des bacs accessibles aux personnes en fauteuil.",
        "nature-en-ville",
        "la-gare",
        "Rue de la Gare",
        12000,
    ),
    V(
        "Des toilettes publiques au parc",
        "Il n'y a pas de toilettes au parc des Tilleuls ; les familles doivent "
        "rentrer chez elles.",
        "cadre-de-vie",
        "les-tilleuls",
        "Parc des Tilleuls",
        35000,
    ),
    V(
        "Frigo solidaire à la maison des associations",
        "Un réfrigérateur partagé où commerçants et habitants déposent les invendus "
        "et les surplus, pour éviter le gaspillage et aider ceux qui en ont besoin.",
        "solidarites",
        "centre-ville",
        "Maison des associations",
        3000,
    ),
    V(
        "Un parcours sportif en bord de rivière",
        "Quelques agrès en bois le long du chemin de halage pour faire du sport "
        "gratuitement en plein air.",
        "sport-et-loisirs",
        "le-moulin",
        "Chemin de halage",
        22000,
    ),
    V(
        "Nichoirs et hôtels à insectes dans les écoles",
        "Installer des nichoirs et des hôtels à insectes dans les cours d'école, "
        "fabriqués avec les élèves.",
        "nature-en-ville",
        None,
        "",
        2000,
    ),
    V(
        "Concerts gratuits l'été sur la place du marché",
        "Trois soirées musicales en juillet et août, avec des groupes de la région.",
        "culture",
        "centre-ville",
        "Place du Marché",
        9000,
    ),
    V(
        "Navette vers le marché le samedi",
        "Une petite navette gratuite depuis les Tilleuls et le Moulin jusqu'au "
        "marché, pour les personnes qui ne conduisent pas.",
        "mobilites",
        None,
        "",
        30000,
    ),
    V(
        "Plus de poubelles de tri au parc",
        "Les poubelles débordent le week-end et rien n'est trié. Des corbeilles de "
        "tri et un cendrier réduiraient les déchets sur les pelouses.",
        "cadre-de-vie",
        "les-tilleuls",
        "Parc des Tilleuls",
        4000,
    ),
    V(
        "Fresque sur le mur du gymnase",
        "Le mur gris du gymnase pourrait accueillir une fresque réalisée avec les "
        "jeunes du quartier et un artiste local.",
        "culture",
        "la-gare",
        "Gymnase Jean-Bouin",
        8000,
    ),
    V(
        "Aire de jeux accessible aux enfants handicapés",
        "Remplacer un des jeux par une balançoire nid et un tourniquet accessibles en "
        "fauteuil.",
        "solidarites",
        "les-tilleuls",
        "Parc des Tilleuls",
        40000,
    ),
    V(
        "Arceaux à vélos devant les commerces",
        "Il manque des arceaux devant la pharmacie, la boulangerie et la poste.",
        "mobilites",
        "centre-ville",
        "Grande Rue",
        3500,
    ),
    V(
        "Planter des arbres rue de la République",
        "La rue est très minérale et brûlante l'été. Des arbres d'alignement "
        "apporteraient de l'ombre.",
        "nature-en-ville",
        "centre-ville",
        "Rue de la République",
        28000,
    ),
    V(
        "Table de ping-pong au square",
        "Une table de tennis de table en béton, pour tous les âges.",
        "sport-et-loisirs",
        "la-gare",
        "Square de la Gare",
        3000,
    ),
    V(
        "Ateliers numériques pour les seniors",
        "Des séances pour apprendre à utiliser une tablette et faire ses démarches en "
        "ligne, à la maison des associations.",
        "solidarites",
        None,
        "",
        5000,
    ),
    V(
        "Un skatepark près du stade",
        "Les jeunes font du skate sur les marches de la mairie. Un petit skatepark "
        "leur donnerait un lieu adapté.",
        "sport-et-loisirs",
        "le-moulin",
        "Stade municipal",
        90000,
    ),
    V(
        "Cinéma en plein air au parc",
        "Deux séances de cinéma gratuites l'été, avec un grand écran gonflable.",
        "culture",
        "les-tilleuls",
        "Parc des Tilleuls",
        6000,
    ),
    V(
        "Récupérateurs d'eau de pluie pour les jardins familiaux",
        "Des cuves de récupération pour arroser les jardins familiaux sans eau "
        "potable.",
        "nature-en-ville",
        "le-moulin",
        "Jardins familiaux du Moulin",
        4500,
    ),
    V(
        "Trottoirs élargis rue Pasteur",
        "Les trottoirs sont trop étroits pour une poussette ou un fauteuil roulant.",
        "mobilites",
        "la-gare",
        "Rue Pasteur",
        60000,
    ),
    V(
        "Un lieu d'accueil pour les aidants",
        "Un local où les proches aidants peuvent se retrouver, échanger et souffler "
        "une après-midi par semaine.",
        "solidarites",
        "centre-ville",
        "",
        15000,
    ),
    V(
        "Panneaux d'histoire du quartier",
        "Des panneaux racontant l'histoire du moulin et de l'ancienne tannerie, avec "
        "des photos d'archives.",
        "culture",
        "le-moulin",
        "Place du Moulin",
        5000,
    ),
    V(
        "Prairie fleurie au rond-point",
        "Semer des fleurs sauvages au lieu de tondre le gazon du rond-point, pour les "
        "abeilles.",
        "nature-en-ville",
        "la-gare",
        "Rond-point de l'Europe",
        1200,
    ),
    V(
        "Bornes de réparation de vélos",
        "Une borne avec outils et pompe en libre accès, à la gare et au centre.",
        "mobilites",
        None,
        "",
        4000,
    ),
    V(
        "Banc de l'amitié à l'entrée de l'école",
        "Un banc où les enfants qui se sentent seuls peuvent s'asseoir pour qu'on "
        "vienne jouer avec eux.",
        "solidarites",
        "les-tilleuls",
        "École des Tilleuls",
        900,
    ),
    V(
        "Ombrières au-dessus de l'aire de jeux",
        "L'aire de jeux est en plein soleil ; une toile d'ombrage permettrait d'y "
        "aller l'après-midi en été.",
        "cadre-de-vie",
        "centre-ville",
        "Square Jean-Moulin",
        11000,
    ),
    V(
        "Nettoyage des berges avec les associations",
        "Une journée citoyenne par an pour nettoyer les berges, avec le matériel "
        "fourni par la commune.",
        "nature-en-ville",
        None,
        "",
        1000,
        counter=True,
    ),
    V(
        "Un banc devant la pharmacie",
        "Pour attendre son tour ou se reposer en faisant ses courses.",
        "cadre-de-vie",
        "centre-ville",
        "Grande Rue",
        700,
        counter=True,
    ),
    V(
        "Minibus pour les sorties des aînés",
        "Le club des aînés aimerait un minibus partagé avec les associations pour ses "
        "sorties.",
        "solidarites",
        None,
        "",
        45000,
        counter=True,
    ),
    V(
        "Marquage au sol des places de stationnement minute",
        "Près de l'école, des places « minute » éviteraient le stationnement en "
        "double file.",
        "mobilites",
        "les-tilleuls",
        "Rue des Écoles",
        2000,
        submitted_only=True,
    ),
    V(
        "Une grainothèque à la médiathèque",
        "Échanger des graines de fleurs et de légumes entre jardiniers.",
        "nature-en-ville",
        "centre-ville",
        "Médiathèque",
        300,
        submitted_only=True,
    ),
    # Issue 6: a duplicate to merge, and ideas the moderation turns down.
    V(
        "Compost collectif au square",
        "Mettre des bacs à compost au square Jean-Moulin pour les habitants des "
        "immeubles voisins.",
        "nature-en-ville",
        "centre-ville",
        "Square Jean-Moulin",
        1000,
    ),
    V(
        "Baisser la taxe foncière",
        "Plutôt que des projets, rendre l'argent aux propriétaires.",
        "cadre-de-vie",
        None,
        "",
        None,
        submitted_only=True,
    ),
    V(
        "Un radar pédagogique route de Tours",
        "Les voitures roulent trop vite à l'entrée de Valbourg par la route de Tours.",
        "mobilites",
        "le-moulin",
        "Route de Tours",
        3000,
    ),
]
SAINT_AUBIN_IDEAS = [
    V(
        "Un abribus au hameau des Prés",
        "Les enfants attendent le car scolaire sous la pluie.",
        "mobilites",
        "hameaux",
        "Lieu-dit Les Prés",
        9000,
    ),
    V(
        "Restaurer le lavoir",
        "Le vieux lavoir se dégrade ; le restaurer garderait ce patrimoine du village.",
        "culture",
        "bourg",
        "Rue du Lavoir",
        30000,
    ),
    V(
        "Un terrain de pétanque près de la salle des fêtes",
        "Un lieu de rencontre pour tous les âges.",
        "sport-et-loisirs",
        "bourg",
        "Salle des fêtes",
        5000,
    ),
    V(
        "Haies champêtres le long du chemin des écoliers",
        "Planter des haies pour les oiseaux et protéger les enfants du vent.",
        "nature-en-ville",
        "hameaux",
        "Chemin des écoliers",
        4000,
    ),
    V(
        "Ralentisseurs dans la traversée du bourg",
        "Les voitures traversent le bourg trop vite.",
        "mobilites",
        "bourg",
        "Route de Valbourg",
        12000,
    ),
    V(
        "Une boîte à livres à l'arrêt de car",
        "Pour lire en attendant le car.",
        "culture",
        "hameaux",
        "Arrêt Les Prés",
        600,
    ),
    V(
        "Portage de repas pour les aînés isolés",
        "Un service de portage les jours où la cantine ne fonctionne pas.",
        "solidarites",
        None,
        "",
        8000,
        counter=True,
    ),
    V(
        "Un verger communal",
        "Planter des pommiers anciens sur le terrain communal.",
        "nature-en-ville",
        "bourg",
        "Terrain communal",
        3500,
        submitted_only=True,
    ),
]
COMMENTS = [
    "Très bonne idée, je soutiens !",
    "Il faudrait penser à l'entretien dans la durée.",
    "Oui, c'est un vrai besoin dans le quartier.",
    "Pourquoi pas, mais attention au bruit le soir.",
    "Nous en parlons souvent entre voisins, merci de l'avoir proposé.",
    "On pourrait associer l'école au projet.",
]


@dataclass(frozen=True)
class DemoCommuneData:
    slug: str
    citizens: int
    ideas: list[DemoIdea]


COMMUNES = [
    DemoCommuneData("valbourg", 12, VALBOURG_IDEAS),
    DemoCommuneData("saint-aubin", 4, SAINT_AUBIN_IDEAS),
]
PSEUDONYMS = [
    "Capucine", "Lilas du Moulin", "Marcel à vélo", "Jardinière", "Rémi_42",
    "Soleil levant", "Papi Joseph", "Nour", "Le lecteur", "Maëlle",
    "Vélotaf", "Tilleul", "Coquelicot", "Le cantonnier", "Mésange", "Zoé",
]  # fmt: skip


def _midnight(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _schedule(now: datetime) -> list[phases.Period]:
    """Ideas opened three weeks ago and close in six weeks; then the rest."""
    today = _midnight(now)
    starts = [
        today - timedelta(days=21),
        today + timedelta(days=42),
        today + timedelta(days=84),
        today + timedelta(days=112),
        today + timedelta(days=140),
    ]
    periods = []
    for index, phase in enumerate(phases.ORDER):
        end = starts[index + 1] if index + 1 < len(starts) else None
        periods.append(phases.Period(phase, starts[index], end))
    phases.check_schedule(periods)
    return periods


def _citizen(email: str, pseudonym: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(username=email, email=email, pseudonym=pseudonym)
        user.set_password(PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _point_in(district: District | None, draw: random.Random, organisation):
    if district is None or not district.outline:
        return None
    shape = geometry.parse_polygon(district.outline)
    west, south, east, north = shape.bounds
    centre = shape.centroid
    for _attempt in range(20):
        lon = centre.x + draw.uniform(-0.35, 0.35) * (east - west)
        lat = centre.y + draw.uniform(-0.35, 0.35) * (north - south)
        if geometry.contains_point(shape, lon, lat):
            return round(lat, 6), round(lon, 6)
    return round(centre.y, 6), round(centre.x, 6)


def _cycle(organisation: Organisation, now: datetime) -> Cycle:
    cycle, _created = Cycle.objects.get_or_create(
        organisation=organisation,
        slug=CYCLE_SLUG,
        defaults={"title": CYCLE_TITLE, "presentation": PRESENTATION},
    )
    if not cycle.phase_periods.exists():
        for period in _schedule(now):
            CyclePhase.objects.create(
                cycle=cycle,
                phase=period.phase,
                starts_at=period.start,
                ends_at=period.end,
            )
    return cycle


def _staff(organisation: Organisation, role: Role) -> User | None:
    return (
        User.objects.filter(
            memberships__organisation=organisation, memberships__role=role
        )
        .order_by("pk")
        .first()
    )


def _event(proposal, *, actor, role, action, origin, target, when):
    ModerationEvent.objects.create(
        organisation=proposal.organisation,
        proposal=proposal,
        actor=actor,
        actor_role=role,
        action=action,
        from_status=origin,
        to_status=target,
        created_at=when,
    )


def _load_commune(data: DemoCommuneData, report, now: datetime) -> None:
    organisation = Organisation.objects.filter(slug=data.slug).first()
    if organisation is None:
        return
    draw = random.Random(f"agora-demo-{data.slug}")
    cycle = _cycle(organisation, now)
    themes = {}
    for slug, name in THEMES:
        themes[slug], _created = Theme.objects.get_or_create(
            organisation=organisation, slug=slug, defaults={"name": name}
        )
    offset = 0 if data.slug == "valbourg" else 12
    citizens = [
        _citizen(f"habitant{n}@{data.slug}.test", PSEUDONYMS[(offset + n - 1) % 16])
        for n in range(1, data.citizens + 1)
    ]
    report.logins.append(
        (citizens[0].email, "habitante (idées, soutiens)", organisation.name)
    )
    districts = {d.code: d for d in District.objects.for_organisation(organisation)}
    moderator = _staff(organisation, Role.MODERATOR) or _staff(organisation, Role.ADMIN)
    agent = _staff(organisation, Role.COUNTER_AGENT)
    existing = set(
        Proposal.objects.for_organisation(organisation).values_list("title", flat=True)
    )
    for index, idea in enumerate(data.ideas):
        if idea.title in existing:
            continue
        district = districts.get(idea.district) if idea.district else None
        point = _point_in(district, draw, organisation)
        author = None if idea.counter else citizens[index % len(citizens)]
        created = now - timedelta(
            days=20 - (index * 19) // len(data.ideas), hours=index
        )
        proposal = Proposal.objects.create(
            organisation=organisation,
            cycle=cycle,
            author=author,
            title=idea.title,
            description=idea.description,
            theme=themes[idea.theme],
            district=district,
            address=idea.address,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            estimated_cost_cents=idea.cost_euros * 100 if idea.cost_euros else None,
            status=workflow.Status.SUBMITTED,
            channel=Channel.COUNTER if idea.counter else Channel.ONLINE,
            entered_by=agent if idea.counter else None,
            resident_name="Mme Lefèvre" if idea.counter else "",
            resident_contact="02 54 00 00 00" if idea.counter else "",
            submitted_at=created,
        )
        Proposal.objects.filter(pk=proposal.pk).update(created_at=created)
        _event(
            proposal,
            actor=agent if idea.counter else author,
            role=Role.COUNTER_AGENT if idea.counter else "",
            action=workflow.Action.SUBMIT,
            origin=workflow.Status.DRAFT,
            target=workflow.Status.SUBMITTED,
            when=created,
        )
        if idea.submitted_only:
            continue
        published = created + timedelta(days=1)
        _event(
            proposal,
            actor=moderator,
            role=Role.MODERATOR,
            action=workflow.Action.PUBLISH,
            origin=workflow.Status.SUBMITTED,
            target=workflow.Status.PUBLISHED,
            when=published,
        )
        supporters = draw.sample(citizens, draw.randint(0, len(citizens)))
        Support.objects.bulk_create(
            [
                Support(organisation=organisation, proposal=proposal, user=user)
                for user in supporters
            ]
        )
        comments = [
            Comment(
                organisation=organisation,
                proposal=proposal,
                author=draw.choice(citizens),
                body=draw.choice(COMMENTS),
                created_at=published + timedelta(hours=3 + n),
            )
            for n in range(draw.randint(0, 3))
        ]
        Comment.objects.bulk_create(comments)
        Proposal.objects.filter(pk=proposal.pk).update(
            status=workflow.Status.PUBLISHED,
            published_at=published,
            support_count=F("support_count") + len(supporters),
            comment_count=F("comment_count") + len(comments),
        )


@transaction.atomic
def load_participation(report) -> None:
    """Cycles, themes, citizens, proposals, supports and comments (idempotent)."""
    now = timezone.now()
    for data in COMMUNES:
        _load_commune(data, report, now)
