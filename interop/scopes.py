"""The scopes a Patient Access app may ask for; plain Python, as settings reads it."""

# What an app may ask for. SMART v1 (`.read`) and v2 (`.rs`) spellings of the same reads.
PATIENT_READ_SCOPES = {
    "patient/*.read": "Read your prior authorizations, coverage and details",
    "patient/*.rs": "Read your prior authorizations, coverage and details",
    "patient/ExplanationOfBenefit.read": "Read your prior authorizations",
    "patient/ExplanationOfBenefit.rs": "Read your prior authorizations",
    "patient/Patient.read": "Read your name and date of birth",
    "patient/Patient.rs": "Read your name and date of birth",
    "patient/Coverage.read": "Read your plan coverage",
    "patient/Coverage.rs": "Read your plan coverage",
}
SCOPES = {
    "launch/patient": "Know which member you are",
    "offline_access": "Keep access while you are not using the app",
    **PATIENT_READ_SCOPES,
}
