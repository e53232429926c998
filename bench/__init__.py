"""Benchmarks: `python -m bench` lists them; `python -m bench.<name>` runs one."""
