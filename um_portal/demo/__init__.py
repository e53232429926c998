"""Demo data for trying UM Portal out and for benchmarks (`manage.py seed_demo`).

Each app contributes its own step in `<app>/demo.py`; `steps.py` runs them in dependency order.
"""
