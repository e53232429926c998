"""What request forms call things: section headings and field labels, in the words different
payers' forms use. Adding a form's wording here is how a new layout is taught; the finding is in
layout.py.
"""

SECTIONS: dict[str, list[str]] = {
    "member": [
        "member information",
        "patient information",
        "subscriber information",
        "enrollee information",
        "member / patient",
        "section i member",
    ],
    "requesting": [
        "requesting provider",
        "ordering provider",
        "referring provider",
        "requesting physician",
        "section ii requesting",
    ],
    "servicing": [
        "servicing provider",
        "rendering provider",
        "performing provider",
        "servicing facility",
        "section iii servicing",
    ],
    "services": [
        "services requested",
        "requested services",
        "service information",
        "planned service",
        "section iv services",
    ],
    "diagnosis": ["diagnosis", "diagnoses", "icd-10-cm codes", "icd-10 codes"],
    "clinical": [
        "clinical information",
        "clinical reason",
        "reason for request",
        "clinical rationale",
        "medical necessity",
    ],
    "contact": ["contact for this request", "office contact", "contact information"],
}

LABELS: dict[str, list[str]] = {
    "member_name": ["member name", "patient name", "enrollee name", "name"],
    "member_id": [
        "member id",
        "member id number",
        "subscriber id",
        "member #",
        "medicaid id",
        "plan id number",
        "id number",
        "member number",
    ],
    "member_dob": ["date of birth", "dob", "birth date", "member dob", "patient dob"],
    "provider_name": ["provider name", "physician name", "facility name", "name"],
    "provider_npi": ["npi", "npi #", "npi number", "provider npi"],
    "contact_phone": ["contact phone", "phone", "telephone", "phone number", "tel"],
    "contact_fax": ["contact fax", "fax", "fax number"],
    "setting": ["setting", "place of service", "service setting", "type of service"],
}

ALL_LABEL_PHRASES = sorted(
    {p for ps in LABELS.values() for p in ps}
    | {p for ps in SECTIONS.values() for p in ps}
    | {
        "address",
        "city",
        "state",
        "zip",
        "specialty",
        "tax id",
        "gender",
        "sex",
        "signature",
        "date",
        "plan",
        "group",
        "contact name",
        "contact",
        "units",
        "start date",
        "end date",
        "description",
    },
)


# Field labels of one word that never occur inside a member's or provider's name or an ID: in a
# row of boxes ("Provider name | NPI | Phone") the next box's label ends the value.
ONE_WORD_LABELS = {"dob", "npi", "phone", "fax", "telephone", "tel"}
