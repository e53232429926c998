"""Fax reading accuracy and speed: per-field exact match on synthetic faxes, seconds per page.

    python -m bench.inbox_ocr [--per 8] [--seed 1]

Generates `--per` request forms for each layout (uniform, simple, grid) and each fax resolution
(200x200 "fine", 200x100 "normal" dpi), filled with synthetic data, rendered by WeasyPrint and
degraded like a fax (1-bit, skew up to --skew degrees, speckle). Each page goes through the
worker's pipeline (inbox.deskew → inbox.ocr → inbox.extraction → inbox.validation, with the
generated members and providers as the records) in this one process, one page after another.

Reports, per field and resolution, the exact-match rate, and how many wrong values were *not*
caught (neither failing validation nor under the low-confidence threshold): the number that
must be zero. Missing values count as not exact but caught (the entry form requires them).

Each page is read once and checked twice: "now" with the plan's code list (the CPT/HCPCS codes
the plan knows; `--catalogue`) and the second reading of each service code, and "baseline" with
the earlier checks (code shape only, second reading ignored), so both columns come from the same
OCR in the same run.
"""

import argparse
import copy
import dataclasses
import random
import resource
import sys
import time
from collections import defaultdict

GROUPS = {
    "member_name": "member name",
    "member_id": "member ID",
    "member_dob": "date of birth",
    "requesting_name": "provider names",
    "servicing_name": "provider names",
    "requesting_npi": "NPIs",
    "servicing_npi": "NPIs",
    "code": "CPT/HCPCS codes",
    "units": "units",
    "start": "service dates",
    "end": "service dates",
    "diagnosis": "ICD-10-CM codes",
    "urgency": "urgency (checkbox)",
    "setting": "setting (checkbox)",
    "clinical_reason": "clinical reason",
    "contact_phone": "contact phone/fax",
    "contact_fax": "contact phone/fax",
}
TARGETS = ("member ID", "NPIs", "CPT/HCPCS codes", "ICD-10-CM codes")


def group_of(name: str) -> str:
    if name.startswith("service_"):
        return GROUPS[name.rsplit("_", 1)[1]]
    if name.startswith("diagnosis_"):
        return GROUPS["diagnosis"]
    return GROUPS[name]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def score(stats, got, expected, per_layout, silent, where, *, verbose=False) -> None:
    """Count one page's fields: exact, missing, wrong but caught (failed a check or below the
    confidence threshold), wrong and NOT caught."""
    from inbox.layout import LOW_CONFIDENCE

    for name, want in expected.items():
        s = stats[group_of(name)]
        s["n"] += 1
        target = per_layout if per_layout is not None and group_of(name) in TARGETS else {}
        target["n"] = target.get("n", 0) + 1
        if name not in got:
            s["missing"] += 1
            if verbose:
                print(f"    {where} {name}: missing", file=sys.stderr)
            continue
        candidate, message = got[name]
        if candidate.value == want:
            s["exact"] += 1
            target["exact"] = target.get("exact", 0) + 1
            continue
        if verbose:
            print(
                f"    {where} {name}: {want!r} read {candidate.value!r} "
                f"({candidate.confidence:.0f}) {message}",
                file=sys.stderr,
            )
        if message or candidate.confidence < LOW_CONFIDENCE:
            s["wrong_caught"] += 1
        else:
            s["wrong_silent"] += 1
            target["silent"] = target.get("silent", 0) + 1
            silent.append((*where, name, want, candidate.value, candidate.confidence))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inbox_ocr", description=__doc__)
    parser.add_argument("--per", type=int, default=8, help="forms per layout and resolution")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--layouts",
        default="all",
        help="tuned, holdout (never tuned on), all, or comma-separated layout names",
    )
    parser.add_argument("--resolutions", default="200,100", help="vertical dpi: 200,100")
    parser.add_argument(
        "--skew", type=float, default=0.6, help="largest page rotation, degrees (either way)"
    )
    parser.add_argument(
        "--catalogue",
        default="plan",
        choices=("plan", "portal"),
        help="codes the plan knows: plan = the portal's catalogue plus the services the sample "
        "forms request (as a plan lists the services its providers ask for); portal = the "
        "portal's catalogue only (J1745 unknown: it must then be flagged, never corrected)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = parser.parse_args(argv)

    from inbox import extraction, ocr, samples
    from inbox.deskew import deskew
    from inbox.validation import Records, validate
    from intake.apis.coding import CATALOG

    plan_codes = {e.code for e in CATALOG if e.code_system in ("cpt", "hcpcs")}
    if args.catalogue == "plan":
        plan_codes |= {code for code, _ in samples.SERVICES}

    ocr.tesseract_check()
    layouts = {
        "tuned": samples.LAYOUTS,
        "holdout": samples.HOLDOUT_LAYOUTS,
        "all": samples.LAYOUTS + samples.HOLDOUT_LAYOUTS,
    }.get(args.layouts) or tuple(args.layouts.split(","))
    resolutions = tuple(int(r) for r in args.resolutions.split(","))
    per_layout = {
        layout: {res: {"n": 0, "exact": 0, "silent": 0} for res in resolutions}
        for layout in layouts
    }
    rng = random.Random(args.seed)

    def field_stats():
        return {
            res: defaultdict(
                lambda: {"n": 0, "exact": 0, "missing": 0, "wrong_caught": 0, "wrong_silent": 0}
            )
            for res in resolutions
        }

    stats, base_stats = field_stats(), field_stats()
    silent_examples, base_silent_examples = [], []
    timings = {res: [] for res in resolutions}
    cpu = dict.fromkeys(resolutions, 0.0)
    python_cpu = dict.fromkeys(resolutions, 0.0)
    for layout in layouts:
        for i in range(args.per):
            request = samples.sample_request(rng, today=samples.SAMPLE_TODAY)
            pdf = samples.request_pdf(request, layout)
            members = {(request.member_id, request.member_dob)}
            names = {(request.member_name.lower(), request.member_dob)}
            providers = {
                request.requesting_npi: request.requesting_name,
                request.servicing_npi: request.servicing_name,
            }
            records = Records(
                member_by_id_and_dob=lambda m, d, ms=members: (m, d) in ms,
                member_by_name_and_dob=lambda n, d, ns=names: (n.lower(), d) in ns,
                provider_name_by_npi=lambda npi, ps=providers: ps.get(npi),
                known_service_codes=lambda codes: set(codes) & plan_codes,
            )
            baseline_records = dataclasses.replace(records, known_service_codes=None)
            expected = request.expected()
            for res in resolutions:
                tiff = samples.fax_tiff(
                    pdf, vertical_dpi=res, seed=rng.randrange(10**6), skew=args.skew
                )
                started, cpu_started, own_started = time.perf_counter(), children_cpu(), own_cpu()
                image = deskew(ocr.image_pages(tiff)[0])
                page = extraction.Page(1, ocr.ocr_words(image), image)
                candidates = extraction.read_form([page])
                baseline = copy.deepcopy(candidates)
                checked = validate(candidates, records, samples.SAMPLE_TODAY)
                timings[res].append(time.perf_counter() - started)
                cpu[res] += children_cpu() - cpu_started
                python_cpu[res] += own_cpu() - own_started
                for candidate in baseline:
                    candidate.alternatives = []
                score(
                    base_stats[res],
                    {c.name: (c, m) for c, m in validate(baseline, baseline_records)},
                    expected,
                    None,
                    base_silent_examples,
                    (layout, res),
                )
                score(
                    stats[res],
                    {c.name: (c, m) for c, m in checked},
                    expected,
                    per_layout[layout][res],
                    silent_examples,
                    (layout, res),
                    verbose=args.verbose,
                )
            print(f"  {layout} #{i + 1} done", file=sys.stderr, flush=True)
    print(
        f"\nFax reading: {args.per} forms x {len(layouts)} layouts ({', '.join(layouts)}) "
        f"per resolution, seed {args.seed}, skew up to {args.skew} degrees\n"
    )

    def pct(s):
        return f"{100 * s['exact'] / s['n']:.1f} % ({s['exact']}/{s['n']})" if s["n"] else "-"

    print(f"Codes the plan knows: {args.catalogue} ({len(plan_codes)} CPT/HCPCS codes)\n")
    head = "| field |"
    for res in resolutions:
        head += (
            f" 200x{res} exact (baseline) | 200x{res} exact | wrong, caught |"
            f" wrong, NOT caught (baseline) | wrong, NOT caught |"
        )
    print(head)
    print("| --- |" + " --- | --- | --- | --- | --- |" * len(resolutions))
    for group in dict.fromkeys(GROUPS.values()):
        mark = " **(target)**" if group in TARGETS else ""
        row = f"| {group}{mark} |"
        for res in resolutions:
            s, b = stats[res][group], base_stats[res][group]
            row += (
                f" {pct(b)} | {pct(s)} | {s['wrong_caught']} |"
                f" {b['wrong_silent']} | {s['wrong_silent']} |"
            )
        print(row)
    print("\nTarget fields (member ID, NPIs, CPT/HCPCS, ICD-10) per layout:\n")
    print("| layout |" + "".join(f" 200x{res} exact | NOT caught |" for res in resolutions))
    print("| --- |" + " --- | --- |" * len(resolutions))
    for layout in layouts:
        tag = " (holdout)" if layout in samples.HOLDOUT_LAYOUTS else ""
        row = f"| {layout}{tag} |"
        for res in resolutions:
            t = per_layout[layout][res]
            row += f" {pct({'n': t['n'], 'exact': t.get('exact', 0)})} | {t.get('silent', 0)} |"
        print(row)
    for res in resolutions:
        t = sorted(timings[res])
        print(
            f"\n200x{res}: {len(t)} pages, {sum(t) / len(t):.2f} s/page mean wall, "
            f"median {t[len(t) // 2]:.2f} s, max {t[-1]:.2f} s; Tesseract CPU "
            f"{cpu[res] / len(t):.2f} s/page, Python (drawing, extraction) CPU "
            f"{python_cpu[res] / len(t):.2f} s/page"
        )
    for title, examples in (("now", silent_examples), ("baseline", base_silent_examples)):
        if examples:
            print(f"\nWrong values not caught, {title} (layout, dpi, field, expected, read, conf):")
            for example in examples:
                print("  ", example)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
