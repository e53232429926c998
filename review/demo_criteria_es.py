"""Spanish wording for the demo criteria sets (issue 18: Spanish member letters are Spanish
throughout). Written for UM Portal; filled into every version of these sets where blank, so a
demo made before the Spanish fields existed gets them too. Idempotent."""

from django.db import transaction

from .models import CriteriaSet

_CONTINUED = [
    "Todavía necesita atención que solo se puede dar en este nivel.",
    "Su equipo de atención tiene un plan y usted está mejorando.",
    "Todavía no puede irse a casa ni a otro nivel de atención con seguridad.",
]
# slug: (name, summary, plain-language criteria in order)
SPANISH: dict[str, tuple[str, str, list[str]]] = {
    "lumbar-spine-mri": (
        "Resonancia magnética de la columna lumbar",
        "Cubrimos una resonancia magnética de la parte baja de la espalda cuando el dolor con "
        "síntomas en los nervios no ha mejorado tras seis semanas de tratamiento, o antes si hay "
        "señales de alarma.",
        [
            "Sus síntomas de espalda o pierna duran al menos seis semanas, o hay una señal de "
            "alarma que necesita un estudio urgente.",
            "Usted probó un tratamiento como terapia física o medicinas durante seis semanas y "
            "no le ayudó lo suficiente.",
            "El examen de su médico encontró señales de que un nervio puede estar afectado.",
            "El resultado del estudio ayudará a decidir su próximo tratamiento.",
            "No le hicieron el mismo estudio en el último año, o sus síntomas cambiaron.",
        ],
    ),
    "knee-arthroscopy": (
        "Artroscopia de rodilla con extirpación o reparación del menisco",
        "Cubrimos la artroscopia de rodilla por un menisco roto cuando los síntomas mecánicos "
        "siguen después del tratamiento y las imágenes confirman la rotura sin artritis avanzada.",
        [
            "Su rodilla se traba, se engancha o falla, o el examen muestra una rotura.",
            "Una resonancia magnética muestra un menisco roto que coincide con sus síntomas.",
            "Usted probó otro tratamiento durante al menos cuatro semanas y no le ayudó lo "
            "suficiente.",
            "Las radiografías no muestran artritis grave en la misma parte de la rodilla.",
        ],
    ),
    "home-oxygen": (
        "Oxígeno en el hogar",
        "Cubrimos el oxígeno en el hogar cuando una prueba válida confirma que el oxígeno en la "
        "sangre está bajo y su estado es estable.",
        [
            "Una prueba reciente mostró que su oxígeno en la sangre está bajo.",
            "La prueba se hizo cuando su enfermedad estaba estable.",
            "Usted tiene una enfermedad que causa oxígeno bajo en la sangre.",
            "Su médico espera que el oxígeno mejore su enfermedad.",
            "Su médico firmó una orden que dice cuánto oxígeno necesita y cuándo.",
        ],
    ),
    "inpatient-admission": (
        "Ingreso urgente en el hospital",
        "Cubrimos una estadía en el hospital cuando usted necesita atención de hospital que no "
        "se puede dar con seguridad de forma ambulatoria ni en observación.",
        [
            "Su enfermedad era lo bastante grave para necesitar atención en el hospital.",
            "Necesitaba un tratamiento que solo se puede dar en un hospital.",
            "Su médico esperaba que se quedara en el hospital al menos dos noches.",
            "La atención fuera del hospital no habría sido lo bastante segura.",
        ],
    ),
    "cpap-osa": (
        "CPAP para la apnea obstructiva del sueño",
        "Cubrimos una máquina CPAP cuando un estudio del sueño muestra apnea obstructiva.",
        ["Un estudio del sueño mostró que su respiración se detiene a menudo mientras duerme."],
    ),
    "knee-mri": (
        "Resonancia magnética de la rodilla",
        "Cubrimos una resonancia magnética de la rodilla cuando, tras un examen, se sospecha una "
        "rotura del menisco o de un ligamento.",
        ["El examen de su médico encontró señales de una rotura dentro de la rodilla."],
    ),
    "home-pt-post-arthroplasty": (
        "Terapia física en el hogar después de un reemplazo de articulación",
        "Cubrimos la terapia física en el hogar después de un reemplazo de articulación "
        "mientras salir de casa le cueste un gran esfuerzo.",
        ["Le reemplazaron una articulación hace poco y le cuesta salir de casa."],
    ),
    "acute-continued-stay": (
        "Hospitalización: continuación de la estadía",
        "Cubrimos otro día en el hospital mientras necesite atención que solo un hospital puede "
        "dar.",
        _CONTINUED,
    ),
    "icu-continued-stay": (
        "Cuidados intensivos: continuación de la estadía",
        "Cubrimos otro día en cuidados intensivos mientras necesite apoyo de sus órganos o un "
        "control que solo da una unidad de cuidados intensivos.",
        _CONTINUED,
    ),
    "snf-continued-stay": (
        "Centro de enfermería especializada: continuación de la estadía",
        "Cubrimos otro día en un centro de enfermería especializada mientras necesite "
        "enfermería o terapia especializada cada día.",
        _CONTINUED,
    ),
    "rehab-continued-stay": (
        "Rehabilitación en el hospital: continuación de la estadía",
        "Cubrimos otro día de rehabilitación en el hospital mientras haga tres horas de terapia "
        "al día y siga mejorando.",
        _CONTINUED,
    ),
}


@transaction.atomic
def translate_demo_criteria() -> int:
    """Fill the Spanish name, summary and criteria of the demo sets where blank; returns how
    many sets changed."""
    changed = 0
    for cs in CriteriaSet.objects.filter(slug__in=SPANISH).prefetch_related("criteria"):
        name_es, summary_es, criteria_es = SPANISH[cs.slug]
        if not cs.name_es or not cs.summary_es:
            CriteriaSet.objects.filter(pk=cs.pk).update(
                name_es=cs.name_es or name_es, summary_es=cs.summary_es or summary_es
            )
            changed += 1
        for criterion, text in zip(cs.criteria.all(), criteria_es, strict=False):
            if not criterion.plain_language_es:
                criterion.plain_language_es = text
                criterion.save(update_fields=["plain_language_es"])
    return changed
