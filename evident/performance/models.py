# The performance app is read-only over the other apps: indicators and Ofsted lists are
# definitions in code (indicators/, annex_a/), not tables.
