"""The ledger of technology contracts: statistics against hand-computed sums, permissions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.market import selectors, services
from corridor.market.models import TechnologyContract
from tests import factories as f


@pytest.fixture
def ledger(world):
    nantong = f.organization("南通测试装备有限公司", city_name="南通")
    yangzhou = f.organization("扬州测试新材料有限公司", city_name="扬州")
    german = f.organization("Test Chemie GmbH", city=None, country="DE", credit_code="")
    sh, sz = world.org, world.other_org
    gbt26 = f.industry("26")
    rows = [
        ("2024-0001", "development", sh, sz, "1000000.00", dt.date(2024, 1, 10), gbt26),
        ("2024-0002", "transfer", sh, nantong, "2500000.00", dt.date(2024, 1, 25), gbt26),
        ("2024-0003", "licence", german, sz, "400000.50", dt.date(2024, 2, 3), None),
        ("2024-0004", "service", sz, yangzhou, "99999.50", dt.date(2024, 3, 9), None),
        ("2024-0005", "development", sz, sh, "500000.00", dt.date(2024, 3, 30), gbt26),
    ]
    for number, kind, seller, buyer, amount, signed, industry in rows:
        TechnologyContract.objects.create(
            registration_number=number, title=f"合同{number}", contract_type=kind, seller=seller, buyer=buyer,
            amount=Decimal(amount), signed_on=signed, industry=industry,
        )
    return {"nantong": nantong, "yangzhou": yangzhou, "german": german}


def test_stats_sums(world, ledger):
    stats = selectors.contract_stats(TechnologyContract.objects.all())
    assert stats["total_amount"] == Decimal("4500000.00")
    assert stats["count"] == 5
    assert [(m["month"], m["amount"], m["count"], m["cumulative"]) for m in stats["by_month"]] == [
        ("2024-01", Decimal("3500000.00"), 2, Decimal("3500000.00")),
        ("2024-02", Decimal("400000.50"), 1, Decimal("3900000.50")),
        ("2024-03", Decimal("599999.50"), 2, Decimal("4500000.00")),
    ]
    by_type = {t["type"]: t["amount"] for t in stats["by_type"]}
    assert by_type == {
        "development": Decimal("1500000.00"), "transfer": Decimal("2500000.00"),
        "licence": Decimal("400000.50"), "service": Decimal("99999.50"),
    }
    by_industry = {i["code"]: i["amount"] for i in stats["by_industry"]}
    assert by_industry == {"26": Decimal("4000000.00"), "": Decimal("500000.00")}
    pairs = {(p["seller_place"], p["buyer_place"]): p["amount"] for p in stats["by_city_pair"]}
    assert pairs == {
        ("上海", "苏州"): Decimal("1000000.00"), ("上海", "南通"): Decimal("2500000.00"),
        ("DE", "苏州"): Decimal("400000.50"), ("苏州", "扬州"): Decimal("99999.50"),
        ("苏州", "上海"): Decimal("500000.00"),
    }
    radiation = stats["radiation"]
    assert radiation["amount"] == Decimal("3000000.00") and radiation["count"] == 3
    assert {p["place"]: (p["reach"], p["amount"]) for p in radiation["places"]} == {
        "南通": ("extended", Decimal("2500000.00")),
        "DE": ("international", Decimal("400000.50")),
        "扬州": ("extended", Decimal("99999.50")),
    }
    by_reach = {r["reach"]: r["amount"] for r in stats["by_reach"]}
    assert by_reach == {"corridor": Decimal("1500000.00"), "extended": Decimal("2599999.50"), "international": Decimal("400000.50")}
    assert set(stats["places_reached"]) == {"上海", "苏州", "南通", "扬州", "DE"}


def test_stats_of_empty_ledger(db):
    stats = selectors.contract_stats(TechnologyContract.objects.all())
    assert stats["total_amount"] == 0 and stats["by_month"] == [] and stats["radiation"]["amount"] == 0


def test_private_contracts_hidden_from_strangers(world, ledger):
    TechnologyContract.objects.filter(registration_number="2024-0001").update(public=False)
    outsider = f.user("outsider", org=ledger["nantong"])
    assert selectors.contracts_for(outsider).count() == 4
    assert selectors.contracts_for(world.owner).count() == 5  # the seller
    assert selectors.contracts_for(world.stranger).count() == 5  # the buyer
    stats = selectors.contract_stats(selectors.contracts_for(outsider))
    assert stats["total_amount"] == Decimal("3500000.00")


def test_contract_create_rules(world, ledger):
    data = {
        "registration_number": " 2024-0099 ", "title": "许可", "contract_type": "licence", "seller": world.org,
        "buyer": ledger["yangzhou"], "amount": Decimal("1.00"), "signed_on": dt.date(2024, 5, 1),
    }
    with pytest.raises(PermissionDenied):
        services.contract_create(user=world.stranger, data=data)
    c = services.contract_create(user=world.owner, data=data)
    assert c.registration_number == "2024-0099"
    with pytest.raises(ValidationError):  # unique registration number
        services.contract_create(user=world.owner, data=dict(data, registration_number="2024-0099"))
    with pytest.raises(ValidationError):
        services.contract_create(user=world.owner, data=dict(data, registration_number="X1", buyer=world.org))
    with pytest.raises(ValidationError):
        services.contract_create(user=world.owner, data=dict(data, registration_number="X2", amount=Decimal("-1")))
    assert TechnologyContract.objects.count() == 6
