"""The rules engine (DESIGN §4): needs assessment, document checklist, auto-approval, duplicate
detection and routing, evaluated from the rules UM managers keep in the admin.

- `engine` evaluates (reads only); `explain` turns results into plain-language lines;
- `services` applies an evaluation at receipt and at triage and records it (`RuleEvaluation`);
- `checklist` builds a case's document checklist; `duplicates` flags possible duplicates;
- `versioning` writes a new version when a rule is edited; `selectors` read it all back.

The engine never denies (42 CFR 422.566(d): only a physician may): it approves, closes as not
required, or leaves the case for people.
"""
