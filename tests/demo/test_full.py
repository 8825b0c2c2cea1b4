"""The whole demo platform as `make run` loads it: the region plus market, labs, alliance and indexes."""

import pytest
from django.core.management import call_command

from corridor.demo.full import load_full_demo
from corridor.lists.models import CooperationItem, Demand, Resource
from corridor.orgs.models import User

pytestmark = pytest.mark.slow


@pytest.mark.django_db
def test_full_demo_counts_matches_and_reset(settings, tmp_path):
    from corridor.brokers.models import Case, Consortium, TechnologyManager
    from corridor.labs.models import Instrument
    from corridor.market.models import ChallengeCall, TechnologyContract
    from corridor.matching import selectors

    counts = load_full_demo(progress=False)
    assert (Resource.objects.count(), Demand.objects.count(), CooperationItem.objects.count()) == (311, 298, 196)
    assert Instrument.objects.count() == 66
    assert ChallengeCall.objects.exists() and TechnologyContract.objects.exists()
    assert Consortium.objects.filter(name__contains="Chiplet").exists()
    assert TechnologyManager.objects.count() >= 100 and Case.objects.exists()
    assert counts["indexed"]["resources"] == 311 and counts["indexed"]["demands"] == 298
    assert load_full_demo(progress=False) == {}  # already loaded: nothing duplicated

    viewer = User.objects.get(username="operator")
    demand = Demand.objects.filter(title__contains="环烯烃").first() or Demand.objects.first()
    matches = selectors.resources_for_demand(demand, viewer, limit=5)
    assert matches and matches[0].terms

    call_command("demo", "--reset", "--no-progress")
    assert (Resource.objects.count(), Demand.objects.count(), CooperationItem.objects.count()) == (311, 298, 196)
    assert Instrument.objects.count() == 66
    assert User.objects.get(username="member").check_password("corridor-demo")
