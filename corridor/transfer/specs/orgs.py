"""Import/export type of organisations, identified by credit code or exact name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from corridor.orgs import services
from corridor.orgs.choices import OrganizationSize, OrganizationType
from corridor.orgs.filtersets import OrganizationFilterSet
from corridor.orgs.models import Organization
from corridor.transfer.parsers import Choice, Country, CreditCode, Integer, Text
from corridor.transfer.specs.base import Column, Row, RunContext, Spec, register
from corridor.transfer.specs.lists import city_column, industries_column


@register
class OrganizationSpec(Spec):
    key = "organizations"
    model = Organization
    label = gettext_lazy("Organisations")
    filterset_class = OrganizationFilterSet
    list_url_name = "orgs:organization_list"
    columns = [
        Column("name", pgettext_lazy("column", "Organisation name"), Text(200), field="name", required=True,
               aliases=("单位名称", "企业名称", "名称", "机构", "name"), examples=("上海化工研究院有限公司", "芯光互连研究院")),
        Column("name_en", pgettext_lazy("column", "English name"), Text(200), field="name_en", empty="",
               aliases=("英文名", "name en"), examples=("Shanghai Research Institute of Chemical Industry", "")),
        Column("type", pgettext_lazy("column", "Organisation type"), Choice(OrganizationType), field="type", required=True,
               aliases=("类型", "单位类型", "机构类别", "type"), examples=("科研院所", "新型研发机构")),
        Column("credit_code", pgettext_lazy("column", "Unified social credit code"), CreditCode(), field="credit_code", empty="",
               aliases=("信用代码", "社会信用代码", "统一代码", "credit code"), examples=("91310000132206542Y", "")),
        Column("country", pgettext_lazy("column", "Country or region"), Country(), field="country", empty="CN",
               aliases=("国家", "国别", "country"), examples=("CN", "CN")),
        city_column(gettext_lazy("Required for organisations in mainland China.")),
        industries_column(),
        Column("size", pgettext_lazy("column", "Size"), Choice(OrganizationSize), field="size", empty="",
               aliases=("企业规模", "规模类型"), examples=("大型", "小型")),
        Column("founded_year", pgettext_lazy("column", "Year founded"), Integer(1800, 2100), field="founded_year",
               aliases=("成立时间", "成立年度", "founded"), examples=(1956, 2021)),
        Column("website", pgettext_lazy("column", "Website"), Text.url(), field="website", empty="",
               aliases=("网址", "官网", "主页"), examples=("https://www.srici.cn", "")),
        Column("description", pgettext_lazy("column", "Organisation profile"), Text(), field="description", empty="",
               aliases=("简介", "描述", "概况", "description"), examples=("聚烯烃先进材料创新联合体牵头单位", "")),
    ]

    def queryset(self) -> Any:
        return Organization.objects.select_related("city").prefetch_related("industries")

    def natural_key(self, row: Row) -> Any:
        code = row.values.get("credit_code")
        if code:
            return ("code", code)
        name = row.values.get("name")
        return ("name", name) if name else None

    def find_natural(self, rows: Sequence[Row]) -> dict[Any, list[Any]]:
        codes = {r.natural_key[1] for r in rows if r.natural_key and r.natural_key[0] == "code"}
        names = {r.values.get("name") for r in rows if r.values.get("name")}
        if not codes and not names:
            return {}
        out: dict[Any, list[Any]] = {}
        for org in self.queryset().filter(Q(credit_code__in=codes) | Q(name__in=names)):
            if org.credit_code in codes:
                out.setdefault(("code", org.credit_code), []).append(org)
            out.setdefault(("name", org.name), []).append(org)
        # A code not yet registered falls back to the exact name.
        for r in rows:
            key = r.natural_key
            if key and key[0] == "code" and key not in out and ("name", r.values.get("name")) in out:
                named = out[("name", r.values.get("name"))]
                if all(not o.credit_code for o in named):
                    out[key] = named
        return out

    def duplicate_keys(self, row: Row) -> list[Any]:
        keys = []
        if row.values.get("credit_code"):
            keys.append(("code", row.values["credit_code"]))
        if row.values.get("name"):
            keys.append(("name", row.values["name"]))
        return keys

    def validate(self, row: Row, ctx: RunContext, present: set[str]) -> None:
        super().validate(row, ctx, present)
        name = row.values.get("name")
        if name and (row.obj is None or row.obj.name != name):
            clash = Organization.objects.filter(name=name)
            if row.obj is not None:
                clash = clash.exclude(pk=row.obj.pk)
            if clash.exists():
                row.error("name", _("Another organisation is already registered under this name."))
        code = row.values.get("credit_code")
        if code and (row.obj is None or row.obj.credit_code != code):
            clash = Organization.objects.filter(credit_code=code)
            if row.obj is not None:
                clash = clash.exclude(pk=row.obj.pk)
            if clash.exists():
                row.error("credit_code", _("Another organisation is already registered with this credit code."))

    def check_permission(self, row: Row, ctx: RunContext) -> None:
        super().check_permission(row, ctx)
        if row.obj is None and not ctx.operator:
            row.error(None, _("Only platform operators register organisations; this row would add a new one."))

    def write(self, row: Row, ctx: RunContext, present: set[str]) -> Any:
        data = self.field_data(row, present)
        if row.obj is None:
            return services.organization_create(user=ctx.user, data=data, source=self.source)
        return services.organization_update(row.obj, user=ctx.user, data=data, source=self.source)
