"""The synthetic council: a fictional Northbridge whose records look like a real council's.

``evident seed`` (``evident.core.management.commands.seed``) calls
``evident.synthetic.council.seed_council``. Everything is drawn from one
``random.Random(seed)``, so the same seed and ``--until`` date give the same council, row
for row (UUID keys included). The shape (ages, ethnicity, contact sources, outcomes,
timeliness) follows the national figures in ``reference.md`` §5 and ``model.md``.

- ``shape``: the rates and mixes; ``words``: names (Faker's en_GB lists), places, texts
- ``staff``: organisations, teams and workers; ``people``: families, identifiers, homes
- ``contacts``: contacts, the children on them and the decisions, with a live front door
- ``council``: the phases, one transaction, ``bulk_create`` in batches, one audit event
- ``clock``: London times, working hours, school holidays; ``rows``: fast model instances

Not a Django app: it has no models, only code that writes the other apps' records.
"""
