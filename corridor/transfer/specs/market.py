"""Import/export type of the market's ledger: registered technology contracts (技术合同登记)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from corridor.market import services
from corridor.market.choices import ContractType
from corridor.market.filtersets import ContractFilterSet
from corridor.market.models import TechnologyContract
from corridor.transfer.parsers import Amount, Boolean, Choice, Date, IndustryRef, OrgRef, Text
from corridor.transfer.specs.base import Column, Row, RunContext, Spec, register


@register
class TransactionSpec(Spec):
    """Contracts are identified by their registration number (unique in the ledger)."""

    key = "transactions"
    model = TechnologyContract
    label = gettext_lazy("Technology transactions")
    filterset_class = ContractFilterSet
    list_url_name = "market:contract_list"
    columns = [
        Column("registration_number", pgettext_lazy("column", "Registration number"), Text(40), field="registration_number",
               required=True, aliases=("合同登记号", "登记编号", "合同编号", "registration no"),
               examples=("2025310104000123", "2025320500000456")),
        Column("title", pgettext_lazy("column", "Contract title"), Text(200), field="title", required=True,
               aliases=("合同名称", "项目名称", "名称", "title"), examples=("聚烯烃催化剂技术开发", "车规芯片可靠性测试服务")),
        Column("contract_type", pgettext_lazy("column", "Contract type"), Choice(ContractType), field="contract_type", required=True,
               aliases=("合同类别", "类型", "type"), examples=("技术开发", "技术服务")),
        Column("seller", pgettext_lazy("column", "Seller"), OrgRef(), field="seller", required=True,
               aliases=("卖方", "卖方单位", "受托方", "技术卖方"), examples=("上海化工研究院有限公司", "91310000132206542Y")),
        Column("buyer", pgettext_lazy("column", "Buyer"), OrgRef(), field="buyer", required=True,
               aliases=("买方", "买方单位", "委托方", "技术买方"), examples=("苏州某新材料有限公司", "无锡中微高科电子有限公司")),
        Column("amount", pgettext_lazy("column", "Contract amount (yuan)"), Amount(), field="amount", required=True,
               aliases=("成交金额", "合同金额", "金额", "amount"), examples=("1,200,000.00", "80万")),
        Column("signed_on", pgettext_lazy("column", "Signed on"), Date(), field="signed_on", required=True,
               aliases=("签订日期", "签约日期", "登记日期", "signed"), examples=("2025-10-26", "2025年3月1日")),
        Column("industry", pgettext_lazy("column", "Industry"), IndustryRef(), field="industry",
               aliases=("所属行业", "行业", "技术领域", "industry"), examples=("2614 有机化学原料制造", "C39")),
        Column("notes", pgettext_lazy("column", "Notes"), Text(), field="notes", empty="",
               aliases=("备注", "说明", "notes"), examples=("", "")),
        Column("public", pgettext_lazy("column", "Public"), Boolean(), field="public", empty=True,
               aliases=("公开", "是否公开"), examples=("是", "否")),
    ]

    def queryset(self) -> Any:
        return TechnologyContract.objects.select_related("seller", "buyer", "industry")

    def prepare(self, row: Row, ctx: RunContext, present: set[str]) -> None:
        number = row.values.get("registration_number")
        if number:
            # the model's clean() stores it upper-cased and stripped; compare and match the same way
            row.values["registration_number"] = number.strip().upper()

    def natural_key(self, row: Row) -> Any:
        return row.values.get("registration_number") or None

    def find_natural(self, rows: Sequence[Row]) -> dict[Any, list[Any]]:
        numbers = {r.natural_key for r in rows if r.natural_key}
        if not numbers:
            return {}
        return self.group(self.queryset().filter(registration_number__in=numbers), lambda c: c.registration_number)

    def check_permission(self, row: Row, ctx: RunContext) -> None:
        super().check_permission(row, ctx)
        if ctx.operator:
            return
        seller = row.values.get("seller") or (row.obj.seller if row.obj is not None else None)
        buyer = row.values.get("buyer") or (row.obj.buyer if row.obj is not None else None)
        if not {getattr(seller, "pk", None), getattr(buyer, "pk", None)} & ctx.member_org_ids:
            row.error(None, _("You can only record contracts your organisation is a party to."))

    def validate(self, row: Row, ctx: RunContext, present: set[str]) -> None:
        super().validate(row, ctx, present)
        number = row.values.get("registration_number")
        if number and (row.obj is None or row.obj.registration_number != number):
            clash = TechnologyContract.objects.filter(registration_number=number)
            if row.obj is not None:
                clash = clash.exclude(pk=row.obj.pk)
            if clash.exists():
                row.error("registration_number", _("Another contract is already registered under this number."))

    def write(self, row: Row, ctx: RunContext, present: set[str]) -> Any:
        data = self.field_data(row, present)
        if row.obj is None:
            return services.contract_create(user=ctx.user, data=data, source=self.source)
        return services.contract_update(row.obj, user=ctx.user, data=data, source=self.source)
