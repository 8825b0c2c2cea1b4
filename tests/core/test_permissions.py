"""corridor.core.permissions.restrict(): the typed entry point for querysets typed as plain QuerySet."""

import pytest

from corridor.core.models import ChangeRecord
from corridor.core.permissions import CHANGE, VIEW, restrict
from corridor.lists.models import Demand
from tests import factories as f


def test_restrict_helper_matches_the_queryset_method(world):
    mine = f.demand(world.org, title="本单位需求")
    theirs = f.demand(world.other_org, title="他单位需求")
    for user in (world.owner, world.stranger, world.operator, None):
        for action in (VIEW, CHANGE):
            expected = set(Demand.objects.restrict(user, action).values_list("pk", flat=True))
            assert set(restrict(Demand.objects.all(), user, action).values_list("pk", flat=True)) == expected
    assert set(restrict(Demand.objects.all(), world.owner, CHANGE)) == {mine}
    assert set(restrict(Demand.objects.all(), world.stranger, CHANGE)) == {theirs}


def test_restrict_helper_refuses_querysets_without_permissions(db):
    with pytest.raises(TypeError):
        restrict(ChangeRecord.objects.all(), None)
