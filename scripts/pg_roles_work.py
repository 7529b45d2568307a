"""The application's ordinary work, run by scripts/pg-roles-check.sh as the application role:
people and accounts, a case walked to its decision, an anchor; each write audited."""

import django

django.setup()

from accountability.audit.services import audit_anchor_create  # noqa: E402
from accountability.cases.tests.factories import Flow, committee  # noqa: E402
from accountability.cases.workflow import State  # noqa: E402
from accountability.demo.testing import make_personas  # noqa: E402

personas = make_personas()
committee(personas)
flow = Flow.register(personas).to(State.DECIDED)
anchor = audit_anchor_create()
print(f"case {flow.case.number} decided; anchor at entry {anchor.seq}")
