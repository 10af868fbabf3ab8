"""Writes that touch several models, one module per concern.

derivation   what a write sets off, in order; refusing what breaks the rules about published
             records (called by ``negotiations.receivers`` on every write)
anchors      re-finding citations after a source's stored text changed; review decisions
verdicts     deriving each quote's verdict from its citations and its statement's wordings
statuses     deriving each claim's status from its independent origins
origins      which sources count as one origin (copies and rewrites of one report)
support      what published records rest on, and the rule that they rest on something
publishing   publishing and unpublishing, with the rules a record must meet first
statements   putting close wordings of one remark in one statement, as the quote form offers
integrity    deriving everything again and comparing (``check_integrity``)
backup       the whole knowledge base in one portable file, and back
reviews      an editor's change to a published record kept for a reviewer, and the decision
check_reports  the quote checker's reports kept at a reader's request; deleting an abusive one

Every function takes keyword arguments only, runs in one transaction and is what the admin,
the management commands and the seed loader call: the rules hold whichever path writes.
"""
