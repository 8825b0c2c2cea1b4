"""Import/export types of the three lists: resources, demands and cooperation items."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from corridor.lists import services
from corridor.lists.choices import (
    DEMAND_TRANSITIONS,
    Confidentiality,
    CooperationStage,
    CooperationType,
    DemandStatus,
    FeeBasis,
    OpenTo,
    PartyRole,
    ResourceKind,
    ResourceStatus,
)
from corridor.lists.filtersets import CooperationFilterSet, DemandFilterSet, ResourceFilterSet
from corridor.lists.models import CooperationItem, CooperationParty, Demand, Resource
from corridor.transfer.parsers import (
    Amount,
    Boolean,
    CellError,
    Choice,
    CityRef,
    Date,
    Industries,
    Integer,
    Lookups,
    OrgRef,
    Parser,
    Text,
    as_text,
)
from corridor.transfer.specs.base import Column, Row, RunContext, Spec, register

INDUSTRY_EXAMPLES = ("2614 有机化学原料制造；3.1 先进结构材料产业", "3973、C39")


def owner_column(label: Any, aliases: tuple[str, ...]) -> Column:
    return Column(
        "owner",
        label,
        OrgRef(),
        field="owner",
        aliases=aliases,
        help=gettext_lazy("Credit code or exact registered name. May be left empty when importing on behalf of an organisation."),
        examples=("上海化工研究院有限公司", "91310000132206542Y"),
    )


def city_column(help_text: Any) -> Column:
    return Column("city", pgettext_lazy("column", "City"), CityRef(), field="city", aliases=("城市", "所在地", "所在地区", "地市"),
                  help=help_text, examples=("上海", "320500"))


def industries_column() -> Column:
    return Column("industries", pgettext_lazy("column", "Industries"), Industries(), field="industries", empty=[],
                  aliases=("产业", "行业", "所属行业", "所属产业", "行业领域", "industry"), examples=INDUSTRY_EXAMPLES)


class OwnedSpec(Spec):
    """Entries owned by one organisation (resources, demands)."""

    def prepare(self, row: Row, ctx: RunContext, present: set[str]) -> None:
        if row.values.get("owner") is None:
            if row.obj is not None and "owner" not in present:
                row.values["owner"] = row.obj.owner
            elif ctx.organization is not None:
                row.values["owner"] = ctx.organization
            else:
                row.error("owner", _("The owner organisation is required."))
                return
        if row.values.get("city") is None:
            owner = row.values["owner"]
            if row.obj is not None and "city" not in present:
                row.values["city"] = row.obj.city
            elif owner.city is not None:
                row.values["city"] = owner.city
            else:
                row.error("city", _("The city is required: the owner organisation has no city."))

    def check_permission(self, row: Row, ctx: RunContext) -> None:
        super().check_permission(row, ctx)
        owner = row.values.get("owner")
        if owner is not None and not ctx.operator and owner.pk not in ctx.member_org_ids:
            row.error(
                "owner",
                _("You do not act for {org}; you can import rows only for your own organisations.").format(org=owner.name),
            )

    def field_data(self, row: Row, present: set[str]) -> dict[str, Any]:
        data = super().field_data(row, present)
        # owner and city are always settled by prepare(), whether or not the file has their columns
        data["owner"] = row.values.get("owner")
        data["city"] = row.values.get("city")
        return data

    def classify(self, row: Row, present: set[str]) -> str:
        return super().classify(row, present | {"owner", "city"})

    def find_natural(self, rows: Sequence[Row]) -> dict[Any, list[Any]]:
        keys = [r.natural_key for r in rows if r.natural_key is not None]
        if not keys:
            return {}
        title_field = self.title_field
        owners = {k[0] for k in keys}
        titles = {k[1] for k in keys}
        qs = self.queryset().filter(owner_id__in=owners, **{f"{title_field}__in": titles})
        return self.group(qs, lambda o: (o.owner_id, getattr(o, title_field)))

    title_field = "name"

    def natural_key(self, row: Row) -> Any:
        owner = row.values.get("owner")
        title = row.values.get(self.title_field)
        return (owner.pk, title) if owner is not None and title else None


@register
class ResourceSpec(OwnedSpec):
    key = "resources"
    model = Resource
    label = gettext_lazy("Resources")
    filterset_class = ResourceFilterSet
    list_url_name = "lists:resource_list"
    title_field = "name"
    columns = [
        Column("name", pgettext_lazy("column", "Resource name"), Text(200), field="name", required=True,
               aliases=("名称", "资源名", "平台名称", "name"), examples=("聚烯烃催化剂中试平台", "高分辨透射电子显微镜")),
        Column("kind", pgettext_lazy("column", "Resource kind"), Choice(ResourceKind), field="kind", required=True,
               aliases=("类型", "资源类别", "类别", "kind"), examples=("中试平台", "大型仪器")),
        owner_column(pgettext_lazy("column", "Owner organisation"), ("所属单位", "依托单位", "单位名称", "机构", "owner")),
        city_column(gettext_lazy("Empty: the owner organisation's city.")),
        industries_column(),
        Column("description", pgettext_lazy("column", "Capability description"), Text(), field="description", required=True,
               aliases=("描述", "简介", "资源描述", "能力简介", "服务内容", "description"),
               examples=("提供聚烯烃催化剂从小试到百吨级中试放大及工艺验证服务", "300kV场发射透射电镜，对外开放预约")),
        Column("trl_min", pgettext_lazy("column", "Lowest TRL"), Integer(1, 9), field="trl_min", empty=1,
               aliases=("最低TRL", "技术成熟度下限", "trl min"), examples=(4, 1)),
        Column("trl_max", pgettext_lazy("column", "Highest TRL"), Integer(1, 9), field="trl_max", empty=9,
               aliases=("最高TRL", "技术成熟度上限", "trl max"), examples=(7, 9)),
        Column("open_to", pgettext_lazy("column", "Open to"), Choice(OpenTo), field="open_to", empty=OpenTo.EVERYONE,
               aliases=("开放范围", "服务对象"), examples=("所有人", "长三角机构")),
        Column("fee_basis", pgettext_lazy("column", "Fee basis"), Choice(FeeBasis), field="fee_basis", empty=FeeBasis.NEGOTIABLE,
               aliases=("收费", "收费标准", "费用"), examples=("面议", "成本价")),
        Column("status", pgettext_lazy("column", "Resource status"), Choice(ResourceStatus), field="status",
               empty=ResourceStatus.AVAILABLE, aliases=("状态", "status"), examples=("可用", "可用")),
        Column("contact_name", pgettext_lazy("column", "Contact person"), Text(100), field="contact_name", empty="",
               aliases=("联系人姓名",), examples=("王工", "")),
        Column("contact_phone", pgettext_lazy("column", "Contact phone"), Text(40), field="contact_phone", empty="",
               aliases=("电话", "联系方式", "手机"), examples=("021-64000000", "")),
        Column("contact_email", pgettext_lazy("column", "Contact e-mail"), Text.email(), field="contact_email", empty="",
               aliases=("邮箱", "电子邮箱", "email", "e-mail"), examples=("pilot@example.cn", "")),
        Column("public", pgettext_lazy("column", "Public"), Boolean(), field="public", empty=True,
               aliases=("公开", "是否对外公开"), examples=("是", "是")),
    ]

    # resource_create() checks ADD and the owner (check_permission did), fills the city from the
    # owner (prepare did), runs full_clean (validate did, and lookups found the related rows) and
    # sets no evidence on import: new resources can be inserted in bulk.
    bulk_create = True

    def queryset(self) -> Any:
        return Resource.objects.select_related("owner", "city").prefetch_related("industries")

    def bulk_history_extra(self, obj: Any) -> dict[str, Any]:
        return {"evidence": []}  # Resource.history_extra(): a new resource has no evidence yet

    def after_bulk_create(self, objs: list[Any], ctx: RunContext) -> None:
        """The matching index events that post_save would have written, in one query; the index syncs after commit."""
        from django.db import transaction

        from corridor.matching.choices import IndexKind
        from corridor.matching.models import IndexEvent

        IndexEvent.objects.bulk_create([IndexEvent(kind=IndexKind.RESOURCES, object_id=o.pk) for o in objs])

        def sync() -> None:
            from corridor.matching.registry import registry

            registry.sync_if_loaded(IndexKind.RESOURCES)

        transaction.on_commit(sync)

    def write(self, row: Row, ctx: RunContext, present: set[str]) -> Any:
        data = self.field_data(row, present)
        if row.obj is None:
            return services.resource_create(user=ctx.user, data=data, source=self.source)
        return services.resource_update(row.obj, user=ctx.user, data=data, source=self.source)


_DEMAND_START = (DemandStatus.DRAFT, DemandStatus.PUBLISHED)


@register
class DemandSpec(OwnedSpec):
    key = "demands"
    model = Demand
    label = gettext_lazy("Demands")
    filterset_class = DemandFilterSet
    list_url_name = "lists:demand_list"
    title_field = "title"
    columns = [
        Column("title", pgettext_lazy("column", "Demand title"), Text(200), field="title", required=True,
               aliases=("需求标题", "标题", "名称", "title"), examples=("环烯烃共聚物催化剂国产化", "车规级芯片封装可靠性测试")),
        owner_column(pgettext_lazy("column", "Posting organisation"), ("发布机构", "发布单位", "需求方", "企业名称", "单位名称", "所属机构", "owner")),
        Column("summary", pgettext_lazy("column", "Public summary"), Text(300), field="summary", empty="",
               aliases=("摘要", "需求摘要", "summary"), examples=("寻求COC催化剂合作伙伴", "")),
        Column("description", pgettext_lazy("column", "Demand description"), Text(), field="description", required=True,
               aliases=("描述", "需求内容", "具体需求", "需求详情", "description"),
               examples=("需要开发可替代进口的环烯烃共聚物催化剂，年产千吨级", "需要AEC-Q100可靠性测试能力")),
        industries_column(),
        city_column(gettext_lazy("Empty: the posting organisation's city.")),
        Column("trl_desired", pgettext_lazy("column", "Desired TRL"), Integer(1, 9), field="trl_desired",
               aliases=("期望TRL", "技术成熟度"), examples=(6, "")),
        Column("budget_min", pgettext_lazy("column", "Budget from (yuan)"), Amount(), field="budget_min",
               aliases=("最低预算", "预算下限", "budget min"), examples=("100万", "")),
        Column("budget_max", pgettext_lazy("column", "Budget up to (yuan)"), Amount(), field="budget_max",
               aliases=("最高预算", "预算上限", "预算", "预算金额", "budget max"), examples=("5,000,000.00", 800000)),
        Column("deadline", pgettext_lazy("column", "Deadline"), Date(), field="deadline",
               aliases=("截止时间", "期限"), examples=("2026-06-30", "2026年12月31日")),
        Column("confidentiality", pgettext_lazy("column", "Confidentiality"), Choice(Confidentiality), field="confidentiality",
               empty=Confidentiality.PUBLIC, aliases=("保密", "保密级别", "是否保密"), examples=("公开", "仅摘要")),
        Column("status", pgettext_lazy("column", "Demand status"), Choice(DemandStatus), field=None,
               aliases=("状态", "status"),
               help=gettext_lazy("New demands: draft or published (empty: draft). Existing ones move only along the workflow."),
               examples=("已发布", "草稿")),
    ]

    def queryset(self) -> Any:
        return Demand.objects.select_related("owner", "city").prefetch_related("industries")

    def current(self, obj: Any, col: Column) -> Any:
        if col.key == "status":
            return obj.status
        return super().current(obj, col)

    def extra_changed(self, row: Row) -> bool:
        status = row.values.get("status")
        return bool(status) and status != row.obj.status

    def validate(self, row: Row, ctx: RunContext, present: set[str]) -> None:
        super().validate(row, ctx, present)
        status = row.values.get("status")
        if not status:
            return
        if row.obj is None:
            if status not in _DEMAND_START:
                row.error("status", _("A new demand starts as a draft or published."))
        elif status != row.obj.status and status not in DEMAND_TRANSITIONS[row.obj.status]:
            row.error(
                "status",
                _("A demand cannot go from “{current}” to “{target}”.").format(
                    current=DemandStatus(row.obj.status).label, target=DemandStatus(status).label
                ),
            )

    def write(self, row: Row, ctx: RunContext, present: set[str]) -> Any:
        data = self.field_data(row, present)
        status = row.values.get("status")
        if status:
            data["status"] = status
        if row.obj is None:
            return services.demand_create(user=ctx.user, data=data, source=self.source)
        return services.demand_update(row.obj, user=ctx.user, data=data, source=self.source)

    def export_value(self, obj: Any, col: Column, ctx: Any) -> Any:
        if col.key == "description" and not getattr(ctx, "full_access", False) and not obj.details_visible_to(ctx.user):
            return _("(confidential: only the summary is shown)")
        return super().export_value(obj, col, ctx)


_PARTY_RE = re.compile(r"^(.*)[（(]([^（()）]+)[）)]$")
_PARTY_SPLIT = re.compile(r"[;；\n]+")


class Parties(Parser):
    """Cooperation parties: “organisation（role）；organisation（role）”."""

    role = Choice(PartyRole, aliases={"牵头": PartyRole.LEAD, "牵头单位": PartyRole.LEAD, "研发方": PartyRole.RD,
                                      "生产方": PartyRole.PRODUCTION, "出资方": PartyRole.FUNDING, "服务": PartyRole.SERVICE,
                                      "其他": PartyRole.SERVICE})

    def parse(self, value: Any, lookups: Lookups) -> list[services.PartyInput]:
        text = as_text(value)
        parties: list[services.PartyInput] = []
        problems: list[str] = []
        for token in (t.strip() for t in _PARTY_SPLIT.split(text)):
            if not token:
                continue
            m = _PARTY_RE.match(token)
            if m is None:
                parts = re.split(r"[:：]", token, maxsplit=1)
                name, role_text = (parts[0], parts[1]) if len(parts) == 2 else (token, "")
            else:
                name, role_text = m.group(1), m.group(2)
            name = name.strip()
            if not role_text.strip():
                problems.append(_("“{party}” has no role; write e.g. {example}.").format(party=token, example="上海交通大学（研发）"))
                continue
            try:
                role = self.role.parse(role_text, lookups)
            except CellError as exc:
                problems.append(exc.message)
                continue
            org = lookups.organization(name)
            if org is None:
                problems.append(_("No organisation with the credit code or exact name “{value}” is registered.").format(value=name))
                continue
            parties.append(services.PartyInput(organization=org, role=role))
        if problems:
            raise CellError(" ".join(problems))
        return parties

    def export(self, value: Any) -> Any:
        return "；".join(f"{p.organization.name}（{PartyRole(p.role).label}）" for p in value or [])

    def describe(self) -> str:
        roles = "、".join(self.role.choices())
        return _("Organisation（role）, several separated by ；. Roles: {roles}").format(roles=roles)

    def same(self, current: Any, new: Any) -> bool:
        return {(p.organization.pk, p.role) for p in current or []} == {(p.organization.pk, p.role) for p in new or []}


@register
class CooperationSpec(Spec):
    key = "cooperation"
    model = CooperationItem
    label = gettext_lazy("Cooperation items")
    filterset_class = CooperationFilterSet
    list_url_name = "lists:cooperation_list"
    columns = [
        Column("title", pgettext_lazy("column", "Cooperation title"), Text(200), field="title", required=True,
               aliases=("事项名称", "合作名称", "项目名称", "名称", "title"), examples=("环烯烃共聚物产业化", "Chiplet互连标准验证")),
        Column("type", pgettext_lazy("column", "Cooperation type"), Choice(CooperationType), field="type", required=True,
               aliases=("类型", "合作方式", "type"), examples=("产业化", "联合研发")),
        Column("stage", pgettext_lazy("column", "Cooperation stage"), Choice(CooperationStage), field="stage",
               empty=CooperationStage.NEGOTIATING, aliases=("阶段", "进展", "stage"), examples=("实施中", "已签约")),
        Column("parties", pgettext_lazy("column", "Parties"), Parties(), field=None, required=True,
               aliases=("合作方", "参与方", "合作单位", "parties"),
               examples=("上海化工研究院有限公司（牵头方）；苏州某新材料有限公司（生产）", "复旦大学（研发）；无锡中微高科电子有限公司（牵头方）")),
        Column("contract_value", pgettext_lazy("column", "Contract value (yuan)"), Amount(), field="contract_value",
               aliases=("合同金额", "金额", "合同额", "contract value"), examples=("1,200,000.00", "120万")),
        Column("start_date", pgettext_lazy("column", "Start date"), Date(), field="start_date",
               aliases=("开始时间", "起始日期", "start"), examples=("2025-10-26", "2025/3/1")),
        Column("end_date", pgettext_lazy("column", "End date"), Date(), field="end_date",
               aliases=("结束时间", "截止日期", "end"), examples=("2027年12月31日", "")),
        industries_column(),
        Column("description", pgettext_lazy("column", "Cooperation content"), Text(), field="description", empty="",
               aliases=("描述", "合作内容简介", "简介", "description"), examples=("上海研发、江苏制造的催化剂产业化", "")),
        Column("public", pgettext_lazy("column", "Public"), Boolean(), field="public", empty=True,
               aliases=("公开", "是否对外公开"), examples=("是", "否")),
    ]

    def queryset(self) -> Any:
        # django-stubs cannot type a Prefetch built from a plain lookup string (as in lists/api.py).
        parties: Any = Prefetch("parties", queryset=CooperationParty.objects.select_related("organization"))
        return CooperationItem.objects.prefetch_related("industries", parties)

    def current(self, obj: Any, col: Column) -> Any:
        if col.key == "parties":
            return list(obj.parties.all())
        return super().current(obj, col)

    def natural_key(self, row: Row) -> Any:
        title, parties = row.values.get("title"), row.values.get("parties")
        if not title or not parties:
            return None
        return (title, frozenset(p.organization.pk for p in parties))

    def find_natural(self, rows: Sequence[Row]) -> dict[Any, list[Any]]:
        titles = {r.natural_key[0] for r in rows if r.natural_key is not None}
        if not titles:
            return {}
        return self.group(
            self.queryset().filter(title__in=titles), lambda o: (o.title, frozenset(p.organization_id for p in o.parties.all()))
        )

    def extra_changed(self, row: Row) -> bool:
        parties = row.values.get("parties")
        return parties is not None and not self.column("parties").parser.same(list(row.obj.parties.all()), parties)

    def check_permission(self, row: Row, ctx: RunContext) -> None:
        super().check_permission(row, ctx)
        parties = row.values.get("parties")
        if parties and not ctx.operator and not {p.organization.pk for p in parties} & ctx.member_org_ids:
            row.error("parties", _("You can only record cooperation items your own organisation is a party to."))

    def validate(self, row: Row, ctx: RunContext, present: set[str]) -> None:
        super().validate(row, ctx, present)
        parties = row.values.get("parties")
        if parties is not None:
            try:
                services.validate_parties(parties)
            except ValidationError as exc:
                for message in exc.messages:
                    row.error("parties", message)

    def write(self, row: Row, ctx: RunContext, present: set[str]) -> Any:
        data = self.field_data(row, present)
        parties = row.values.get("parties")
        if row.obj is None:
            return services.cooperation_create(user=ctx.user, data=data, parties=parties or [], source=self.source)
        return services.cooperation_update(row.obj, user=ctx.user, data=data, parties=parties, source=self.source)
