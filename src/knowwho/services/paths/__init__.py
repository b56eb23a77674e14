"""Warm paths: the best routes from the user to an organization, a person or a field (DESIGN §4.3).

`score` holds the rule, `search` the bounded graph search, `region` what is
read from the database and `service` the use case the CLI, the pages and
the API share.
"""
