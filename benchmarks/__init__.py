"""Benchmarks: ``python -m benchmarks [name ...]`` (``make bench`` runs them all).

Each benchmark is a module here, ``benchmarks/<name>.py``, with a ``run()`` that prints its
figures. Modules whose names start with ``_`` are helpers (``_support``: fresh databases and
running code inside Django in a child process). Benchmarks print timings; no test asserts
them.
"""
