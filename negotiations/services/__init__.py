"""Writes that touch several models, one module per concern.

anchors      re-finding citations after a source's stored text changed; checking them all
verdicts     deriving each quote's verdict from its citations and its statement's wordings
publishing   publishing and unpublishing, with the rules a record must meet first

Every function takes keyword arguments only, runs in one transaction and is what the admin,
the management commands and the seed loader call: the rules hold whichever path writes.
"""
